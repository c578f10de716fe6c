"""Editors' overrides (`catalog/overrides/<id>.yaml`): laid over an entry by the loader,
reported at their own lines, and untouched by a re-import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from navigator.catalog.imports.ptv import import_ptv
from navigator.catalog.loader import check_catalog
from tests.catalog.imports.conftest import IMPORT_FIXTURES, tree
from tests.conftest import MakeCatalog

TODAY = date(2026, 12, 7)
IMPORTED = "ptv-00000000-0000-4000-8000-000000000001"


def _override(root: Path, service_id: str, text: str) -> Path:
    path = root / "overrides" / f"{service_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_override_replaces_and_removes_fields(small_catalog: Path) -> None:
    _override(
        small_catalog,
        "kalajoki-diaconal-work",
        "level: 3\nneeds: [money_debt]\nreview:\nalert: Suljettu 24.12.\n",
    )
    catalog, problems = check_catalog(small_catalog, TODAY)
    assert [str(p) for p in problems.errors] == []
    service = catalog.by_id["kalajoki-diaconal-work"]
    assert (service.level, service.needs, service.review) == (3, ("money_debt",), None)
    assert service.alert is not None and service.alert.fi == "Suljettu 24.12."
    # Other services are as their files say.
    assert catalog.by_id["dental-emergency"].review == (
        "example: hours and fee to be confirmed on pohde.fi"
    )


def test_problems_in_an_override_name_the_override_file_and_line(small_catalog: Path) -> None:
    _override(small_catalog, "ohjaamo-oulu", "# editor's decision\nlevl: 2\nlevel: 9\n")
    _, problems = check_catalog(small_catalog, TODAY)
    assert [str(p) for p in problems.errors] == [
        "overrides/ohjaamo-oulu.yaml:2:1: error unknown-field: 'levl' is not a field of a "
        "service; did you mean 'level'?",
        "overrides/ohjaamo-oulu.yaml:3:8: error out-of-range: level is 9; it must be between "
        "0 and 5",
    ]


def test_override_for_a_missing_service_or_changing_the_id_is_an_error(
    small_catalog: Path,
) -> None:
    _override(small_catalog, "no-such-service", "level: 2\n")
    _override(small_catalog, "ohjaamo-oulu", "id: other-id\n")
    _, problems = check_catalog(small_catalog, TODAY)
    assert [str(p) for p in problems.sorted() if p in problems.errors] == [
        "overrides/no-such-service.yaml:1:1: error override-unknown: no service has the id "
        "'no-such-service', so this override does nothing; name the file after an existing "
        "service id, or delete it",
        "overrides/ohjaamo-oulu.yaml:1:1: error override-id: an override cannot change a "
        "service's id; the file name names the service; remove 'id:'; this file overrides "
        "'ohjaamo-oulu'",
    ]


def test_without_overrides_folder_nothing_changes(small_catalog: Path) -> None:
    before, problems_before = check_catalog(small_catalog, TODAY)
    (small_catalog / "overrides").mkdir()
    after, problems_after = check_catalog(small_catalog, TODAY)
    assert after.version == before.version
    assert after.services == before.services
    assert [str(p) for p in problems_after.items] == [str(p) for p in problems_before.items]


def test_override_survives_a_reimport(make_catalog: MakeCatalog) -> None:
    root = make_catalog({})
    paths = sorted((IMPORT_FIXTURES / "ptv-malformed").glob("*.json"))
    import_ptv(paths, root)
    override = _override(
        root, IMPORTED, "level: 3\nneeds: [employment, youth_support]\nanonymous: true\nreview:\n"
    )
    before = tree(root)
    report = import_ptv(paths, root)
    assert tree(root) == before  # neither the override nor the imported file changed
    assert report.unchanged == 2
    assert override.read_text(encoding="utf-8").startswith("level: 3\n")
    catalog, problems = check_catalog(root, TODAY)
    assert [str(p) for p in problems.errors] == []
    service = catalog.by_id[IMPORTED]
    assert (service.level, service.needs, service.anonymous, service.review) == (
        3,
        ("employment", "youth_support"),
        True,
        None,
    )
    # The imported file itself still holds the importer's suggestion.
    imported = (root / "services/imported/ptv" / f"{IMPORTED}.yaml").read_text(encoding="utf-8")
    assert "  level: 2\n" in imported
