"""Every validation rule: a broken fixture gives exactly the expected problems, text and all."""

from __future__ import annotations

from datetime import date

import pytest

from navigator.catalog.loader import check_catalog
from tests.conftest import FIXTURES, MakeCatalog

TODAY = date(2026, 11, 23)


def _expected() -> dict[str, list[str]]:
    expected: dict[str, list[str]] = {}
    for line in (FIXTURES / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fixture, problem = line.split(": ", 1)
        expected.setdefault(fixture, []).append(problem)
    return expected


EXPECTED = _expected()
BROKEN = sorted(
    str(p.relative_to(FIXTURES))
    for kind in ("invalid", "warning")
    for p in (FIXTURES / kind).glob("*.yaml")
)


def test_every_fixture_has_expectations() -> None:
    assert sorted(EXPECTED) == BROKEN
    assert len([f for f in BROKEN if f.startswith("invalid/")]) >= 25


@pytest.mark.parametrize("fixture", BROKEN)
def test_fixture_gives_exactly_the_expected_problems(
    fixture: str, make_catalog: MakeCatalog
) -> None:
    name = fixture.split("/")[1]
    root = make_catalog({f"test/{name}": (FIXTURES / fixture).read_bytes()})
    _, problems = check_catalog(root, TODAY)
    prefix = f"services/test/{name}:"
    found = [str(p).removeprefix(prefix) for p in problems.sorted()]
    assert found == EXPECTED[fixture]
    if fixture.startswith("invalid/"):
        assert problems.errors, "an invalid fixture must give at least one error"
        assert fixture.removeprefix("invalid/").removesuffix(".yaml") in {
            p.code for p in problems.errors
        }
    else:
        assert not problems.errors


def test_valid_fixture_has_no_problems(make_catalog: MakeCatalog) -> None:
    root = make_catalog({"test/mieli.yaml": (FIXTURES / "valid" / "mieli.yaml").read_bytes()})
    catalog, problems = check_catalog(root, TODAY)
    assert [str(p) for p in problems.items] == []
    (service,) = catalog.services
    assert service.id == "mieli-crisis-line"
    assert service.level == 2
    assert service.channels[0].value == "+358925250111"
    assert service.channels[0].display == "09 2525 0111"
    assert service.channels[0].languages == ("fi",)
    assert service.channels[2].languages == ("fi", "sv")  # the service's languages by default
    assert service.areas.scope == "nationwide"
    assert service.name.get("sv") == "MIELI Kristelefon"


def test_all_problems_are_reported_in_one_run(make_catalog: MakeCatalog) -> None:
    """Errors never stop at the first one: three broken files give three errors."""
    files = {
        f"test/{name}.yaml": (FIXTURES / "invalid" / f"{name}.yaml").read_bytes()
        for name in ("bad-url", "unknown-need", "tab")
    }
    root = make_catalog(files)
    _, problems = check_catalog(root, TODAY)
    assert sorted(p.code for p in problems.errors) == ["bad-url", "tab", "unknown-need"]


def test_duplicate_ids_across_files(make_catalog: MakeCatalog) -> None:
    data = (FIXTURES / "valid" / "mieli.yaml").read_bytes()
    root = make_catalog({"a/first.yaml": data, "b/second.yaml": data})
    _, problems = check_catalog(root, TODAY)
    (error,) = problems.errors
    assert str(error) == (
        "services/b/second.yaml:9:5: error duplicate-id: id 'mieli-crisis-line' is already "
        "used at services/a/first.yaml:9:5; give this service its own id"
    )


def test_files_that_are_not_yaml_are_warned_about(make_catalog: MakeCatalog) -> None:
    root = make_catalog({"ngo/notes.yml": b"services: []\n"})
    _, problems = check_catalog(root, TODAY)
    assert [p.code for p in problems.items] == ["ignored-file"]
