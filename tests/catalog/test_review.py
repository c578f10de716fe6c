"""The review queue: `navigator catalog review` over a small real catalogue, output exact."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from navigator.catalog.loader import check_catalog
from navigator.catalog.review import parse_modified, review_queue, upstream_modified
from navigator.cli import cli
from navigator.errors import UsageError
from tests.conftest import FIXTURES, MakeCatalog

REVIEW = FIXTURES / "review"
UPSTREAM = REVIEW / "upstream.json"
TODAY = "2026-12-07"


def _files() -> dict[str, bytes]:
    services = REVIEW / "services"
    return {p.relative_to(services).as_posix(): p.read_bytes() for p in services.rglob("*.yaml")}


@pytest.fixture
def catalog(make_catalog: MakeCatalog) -> Path:
    """Editors' entries (flagged, overdue, old, fine) and two imports that repeat two of them."""
    return make_catalog(_files())


def _review(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["catalog", "review", "--catalog", str(root), "--today", TODAY, *args]
    )
    return result.exit_code, result.stdout, result.stderr


EXPECTED_TEXT = """\
services/imported/lahella/kalajoki-diakonia.yaml:6: lahella-kalajoki-diakonia-vastaanotto: \
Diakoniavastaanotto Kalajoella
    duplicate: same organisation and address Plassintie 2, 85100 Kalajoki as \
'kalajoki-diaconal-work' from editors (services/parish/kalajoki.yaml:6)
services/imported/ptv/pohde-kalajoki.yaml:6: ptv-kalajoki-sote-keskus: Kalajoen sote-keskus
    flagged: imported: needs and level suggested by rules
    duplicate: same organisation and phone 08 669 6000 as 'pohde-sote-kalajoki' from editors \
(services/regional/pohde.yaml:39)
services/parish/kalajoki.yaml:6: kalajoki-diaconal-work: Kalajoen seurakunnan diakoniatyö
    flagged: church membership not stated on the page
    duplicate: same organisation and address Plassintie 2, 85100 Kalajoki as \
'lahella-kalajoki-diakonia-vastaanotto' from lahella \
(services/imported/lahella/kalajoki-diakonia.yaml:6)
services/regional/pohde.yaml:10: dental-emergency: Hammashoidon päivystys, Dentopolis
    flagged: hours and fee to be confirmed on pohde.fi
services/regional/pohde.yaml:39: pohde-sote-kalajoki: Kalajoen sosiaali- ja terveyskeskus
    review-overdue: review by 2026-06-30 has passed
    checked-old: checked 2025-10-01, more than 12 months ago
    duplicate: same organisation and phone 08 669 6000 as 'ptv-kalajoki-sote-keskus' from ptv \
(services/imported/ptv/pohde-kalajoki.yaml:6)
5 of 6 services to review on 2026-12-07 (3 flagged, 1 review-overdue, 1 checked-old, 4 duplicate)
"""


def test_text_lists_each_entry_with_its_reasons_in_file_order(catalog: Path) -> None:
    code, output, errors = _review(catalog)
    assert (code, errors) == (0, "")
    assert output == EXPECTED_TEXT


def test_json_has_the_same_queue(catalog: Path) -> None:
    code, output, _ = _review(catalog, "--format", "json")
    assert code == 0
    duplicate_of_editors_phone = (
        "same organisation and phone 08 669 6000 as 'pohde-sote-kalajoki' from editors "
        "(services/regional/pohde.yaml:39)"
    )
    assert json.loads(output) == {
        "today": "2026-12-07",
        "services": 6,
        "to_review": 5,
        "by_reason": {
            "flagged": 3,
            "review-overdue": 1,
            "checked-old": 1,
            "changed-upstream": 0,
            "duplicate": 4,
        },
        "entries": [
            {
                "id": "lahella-kalajoki-diakonia-vastaanotto",
                "name": "Diakoniavastaanotto Kalajoella",
                "file": "services/imported/lahella/kalajoki-diakonia.yaml",
                "line": 6,
                "source": "lahella",
                "reasons": [
                    {
                        "code": "duplicate",
                        "message": "same organisation and address Plassintie 2, 85100 Kalajoki "
                        "as 'kalajoki-diaconal-work' from editors "
                        "(services/parish/kalajoki.yaml:6)",
                    }
                ],
            },
            {
                "id": "ptv-kalajoki-sote-keskus",
                "name": "Kalajoen sote-keskus",
                "file": "services/imported/ptv/pohde-kalajoki.yaml",
                "line": 6,
                "source": "ptv",
                "reasons": [
                    {"code": "flagged", "message": "imported: needs and level suggested by rules"},
                    {"code": "duplicate", "message": duplicate_of_editors_phone},
                ],
            },
            {
                "id": "kalajoki-diaconal-work",
                "name": "Kalajoen seurakunnan diakoniatyö",
                "file": "services/parish/kalajoki.yaml",
                "line": 6,
                "source": "editors",
                "reasons": [
                    {"code": "flagged", "message": "church membership not stated on the page"},
                    {
                        "code": "duplicate",
                        "message": "same organisation and address Plassintie 2, 85100 Kalajoki "
                        "as 'lahella-kalajoki-diakonia-vastaanotto' from lahella "
                        "(services/imported/lahella/kalajoki-diakonia.yaml:6)",
                    },
                ],
            },
            {
                "id": "dental-emergency",
                "name": "Hammashoidon päivystys, Dentopolis",
                "file": "services/regional/pohde.yaml",
                "line": 10,
                "source": "editors",
                "reasons": [
                    {"code": "flagged", "message": "hours and fee to be confirmed on pohde.fi"}
                ],
            },
            {
                "id": "pohde-sote-kalajoki",
                "name": "Kalajoen sosiaali- ja terveyskeskus",
                "file": "services/regional/pohde.yaml",
                "line": 39,
                "source": "editors",
                "reasons": [
                    {"code": "review-overdue", "message": "review by 2026-06-30 has passed"},
                    {
                        "code": "checked-old",
                        "message": "checked 2025-10-01, more than 12 months ago",
                    },
                    {
                        "code": "duplicate",
                        "message": "same organisation and phone 08 669 6000 as "
                        "'ptv-kalajoki-sote-keskus' from ptv "
                        "(services/imported/ptv/pohde-kalajoki.yaml:6)",
                    },
                ],
            },
        ],
    }


def test_an_entry_changed_upstream_since_its_import(catalog: Path) -> None:
    code, output, _ = _review(catalog, "--upstream", str(UPSTREAM))
    assert code == 0
    lines = output.splitlines()
    start = lines.index(
        "services/imported/ptv/pohde-kalajoki.yaml:6: ptv-kalajoki-sote-keskus: "
        "Kalajoen sote-keskus"
    )
    assert lines[start + 1 : start + 3] == [
        "    flagged: imported: needs and level suggested by rules",
        "    changed-upstream: ptv record 00000000-0000-4000-8000-000000000001 was modified "
        "2026-12-01T10:00:00.5; the entry was imported from the version of "
        "2026-11-20T08:15:00.12: import it again, then check its override",
    ]
    assert lines[-1].endswith(
        "(3 flagged, 1 review-overdue, 1 checked-old, 1 changed-upstream, 4 duplicate)"
    )


def test_an_upstream_record_no_newer_than_the_import_is_not_a_reason(
    catalog: Path, tmp_path: Path
) -> None:
    upstream = tmp_path / "same.json"
    record = {"id": "00000000-0000-4000-8000-000000000001", "modified": "2026-11-20T08:15:00.120"}
    upstream.write_text(json.dumps([record]), encoding="utf-8")
    code, output, _ = _review(catalog, "--upstream", str(upstream))
    assert code == 0
    assert output == EXPECTED_TEXT


def test_unreadable_upstream_json_is_a_usage_error(catalog: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["catalog", "review", "--catalog", str(catalog), "--upstream", str(broken)]
    )
    assert isinstance(result.exception, UsageError)  # main() turns it into exit 2
    assert str(result.exception).startswith(f"{broken}: cannot read upstream records: ")


def test_upstream_records_from_pages_lists_and_single_objects(tmp_path: Path) -> None:
    files = {
        "page.json": {"pageNumber": 1, "itemList": [{"id": "a", "modified": "2026-01-01"}]},
        "list.json": [{"id": "b", "modified": "2026-02-01T00:00:00"}, "junk", {"id": "c"}],
        "one.json": {"id": "a", "modified": "2026-03-01T00:00:00Z"},
        "older.json": {"id": "b", "modified": "2025-02-01"},
        "lahella.json": {"items": [{"id": "d", "modified": "2026-04-01"}]},
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
        paths.append(tmp_path / name)
    assert upstream_modified(paths) == {
        "a": "2026-03-01T00:00:00Z",
        "b": "2026-02-01T00:00:00",
        "d": "2026-04-01",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-04-22T09:35:58.29", datetime(2020, 4, 22, 9, 35, 58, 290000, timezone.utc)),
        ("2020-04-22T09:35:58.1234567", datetime(2020, 4, 22, 9, 35, 58, 123456, timezone.utc)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=timezone.utc)),
        ("2026-11-20T12:00:00+02:00", datetime(2026, 11, 20, 10, tzinfo=timezone.utc)),
        ("2026-11-20T12:00Z", datetime(2026, 11, 20, 12, tzinfo=timezone.utc)),
        ("2026-02-30", None),
        ("yesterday", None),
    ],
)
def test_upstream_modified_times(text: str, expected: datetime | None) -> None:
    assert parse_modified(text) == expected


def test_one_source_sharing_numbers_is_not_a_duplicate(make_catalog: MakeCatalog) -> None:
    """Services of one organisation share switchboards; only another source's entry with the
    same number is a duplicate, and short numbers such as 116 117 never are."""
    files = _files()
    pohde = files.pop("regional/pohde.yaml")
    ptv = files.pop("imported/ptv/pohde-kalajoki.yaml")
    same_number = pohde.replace(b"08 669 3200", b"08 669 6000")
    short_only = ptv.replace(b"phone: 08 669 6000", b"phone: 116 117")
    root = make_catalog({"regional/pohde.yaml": same_number, "imported/ptv/x.yaml": short_only})
    catalog, problems = check_catalog(root)
    assert not problems.errors
    today = catalog.by_id["dental-emergency"].checked + timedelta(days=1)
    queue = review_queue(catalog, today)
    assert [(e.service.id, [r.value for r, _ in e.reasons]) for e in queue] == [
        ("ptv-kalajoki-sote-keskus", ["flagged"]),
        ("dental-emergency", ["flagged"]),
        ("pohde-sote-kalajoki", ["review-overdue", "checked-old"]),
    ]


def test_a_catalogue_with_errors_is_still_listed_with_a_note(make_catalog: MakeCatalog) -> None:
    files = _files()
    files["ngo/broken.yaml"] = (FIXTURES / "invalid" / "bad-url.yaml").read_bytes()
    root = make_catalog(files)
    code, output, errors = _review(root)
    assert code == 0
    assert output == EXPECTED_TEXT
    assert errors == "note: 1 errors left some entries out; run 'navigator catalog validate'\n"
