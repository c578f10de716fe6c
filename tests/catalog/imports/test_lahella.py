"""`navigator catalog import lahella`: the guide's example file, malformed activities,
idempotence and overrides."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from navigator.catalog.imports.lahella import import_lahella
from navigator.catalog.loader import check_catalog
from tests.catalog.imports.conftest import IMPORT_FIXTURES, tree
from tests.conftest import REPO

EXAMPLE = IMPORT_FIXTURES / "lahella" / "example.json"
ENTRY = "services/imported/lahella/lahella-example-0001.yaml"
SIGN_UP = "https://www.example.org/lahella/ilmoittaudu"

EXPECTED: dict[str, Any] = {
    "provider": {
        "name": {
            "fi": "Esimerkkiyhdistys ry",
            "sv": "Exempelföreningen rf",
            "en": "Example Association",
        },
        "type": "ngo",
        "business_id": "0116510-6",
        "web": "https://www.example.org",
    },
    "services": [
        {
            "id": "lahella-example-0001",
            "name": {
                "fi": "Esimerkin vertaisryhmä",
                "sv": "Exemplets kamratgrupp",
                "en": "The example peer group",
            },
            "summary": {
                "fi": "Keksitty vertaisryhmä, joka näyttää Lähellä.fi-muodon kentät.",
                "sv": "En påhittad kamratgrupp som visar fälten i Lähellä.fi-formatet.",
                "en": "A made-up peer group that shows the fields of the Lähellä.fi format.",
            },
            "description": "Tämä toiminta on keksitty esimerkki.\n\nSe ei ole oikea ryhmä.",
            "how_to_get": {
                "fi": f"Ilmoittaudu etukäteen: {SIGN_UP}",
                "sv": f"Anmäl dig i förväg: {SIGN_UP}",
                "en": f"Sign up in advance: {SIGN_UP}",
            },
            "level": 2,
            "needs": ["loneliness", "mental_health"],
            "areas": ["564", "244"],
            "target_groups": ["KR1", "KR1.1"],
            "age": {"min": 18},
            "languages": ["fi", "sv"],
            "channels": [
                {
                    "address": {
                        "street": "Esimerkkikatu 1",
                        "postal_code": "90100",
                        "city": "Oulu",
                        "latitude": 65.0121,
                        "longitude": 25.4651,
                    },
                    "label": {"fi": "Esimerkkitalo", "en": "Example house"},
                    "hours": "Mo,We 17:00-19:00",
                },
                {"web": "https://www.example.org/lahella/etaryhma"},
                {"phone": "040 0000000", "label": "Esimerkkinumero: älä soita"},
                {"email": "ryhma@example.org", "label": "Ryhmän vetäjä (esimerkki)"},
            ],
            "cost": {
                "type": "free",
                "text": {"fi": "Maksuton, kahvi 1 €.", "en": "Free, coffee 1 €."},
            },
            "referral": False,
            "anonymous": False,
            "registration": True,
            "membership_required": False,
            "accessibility": {
                "fi": "Esteetön kulku, esteetön WC",
                "sv": "Tillgänglig entré, tillgänglig toalett",
                "en": "Step-free access, accessible toilet",
            },
            "source": "https://www.example.org/lahella/vertaisryhma",
            "checked": date(2026, 11, 20),
            "review_by": date(2027, 5, 31),
            "review": "imported from Lähellä.fi: needs (loneliness, mental_health) and level 2 "
            "are suggested by rules, and referral and anonymous (not in Lähellä.fi) are set "
            "to false; check them and write your decisions in "
            "catalog/overrides/lahella-example-0001.yaml",
            "imported": {
                "from": "lahella",
                "id": "example-0001",
                "modified": "2026-11-20T10:15:00+02:00",
            },
        }
    ],
}


def test_example_maps_every_field_and_is_valid(empty_catalog: Path) -> None:
    report = import_lahella([EXAMPLE], empty_catalog)
    assert (report.written, report.problems) == (1, [])
    written = yaml.safe_load((empty_catalog / ENTRY).read_text(encoding="utf-8"))
    assert written == EXPECTED
    catalog, problems = check_catalog(empty_catalog, date(2026, 12, 7))
    assert [str(p) for p in problems.errors] == []
    (service,) = catalog.services
    assert service.channels[0].hours is not None
    assert service.age is not None and (service.age.min, service.age.max) == (18, None)


def test_guide_documents_the_example_file() -> None:
    guide = (REPO / "catalog" / "README.md").read_text(encoding="utf-8")
    assert "tests/catalog/fixtures/imports/lahella/example.json" in guide
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for key in example:
        assert f"`{key}`" in guide, key


def test_malformed_activities_are_reported_and_the_rest_imported(
    empty_catalog: Path, tmp_path: Path
) -> None:
    good = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bad_theme = copy.deepcopy(good) | {"id": "example-0002", "themes": ["astrology"]}
    bad_name = copy.deepcopy(good) | {"id": "example-0003"}
    bad_name["translations"]["fi"]["name"] = ["not", "text"]
    bad_channel = copy.deepcopy(good) | {"id": "example-0004", "colour": "red"}
    bad_channel["channels"][0]["events"][0]["recurrence"] = "monthly"
    bad_channel["channels"][2]["phone"] = "12"
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"items": [good, bad_theme, bad_name, bad_channel]}))
    report = import_lahella([page], empty_catalog)
    assert [str(p).replace(f"{tmp_path}/", "") for p in report.problems] == [
        "page.json: warning: items[1].themes[0]: 'astrology' is not one of "
        + ", ".join(
            [
                "mental-health, crisis, substance-use, gambling, families, children",
                "pregnancy, youth, relationships, violence, memory, ageing, caregivers",
                "health, rehabilitation, disability, money, food-aid, housing, work",
                "loneliness, immigrants, sexuality; left out",
            ]
        ),
        "page.json: error: items[1].themes: no need can be suggested: give at least one "
        "theme listed in catalog/README.md; activity skipped",
        "page.json: error: items[2].translations.fi.name: expected a string, not a list; "
        "activity skipped",
        "page.json: warning: items[3].colour: unknown field, ignored (not in the Lähellä.fi "
        "activity format as Navigator reads it)",
        "page.json: warning: items[3].channels[0].events[0].recurrence: 'monthly' events "
        "cannot be written as weekly hours; left out",
        "page.json: warning: items[3].channels[2].phone: '12' is not a Finnish short number; "
        "write long numbers with their area code (09 …) or in international form (+358 …); "
        "left out",
    ]
    assert (report.written, report.skipped) == (2, 2)
    catalog, problems = check_catalog(empty_catalog, date(2026, 12, 7))
    assert [str(p) for p in problems.errors] == []
    partial = catalog.by_id["lahella-example-0004"]
    assert partial.channels[0].hours is None
    assert partial.review is not None and "'monthly' events" in partial.review


def test_reimport_is_idempotent_and_keeps_overrides(empty_catalog: Path) -> None:
    import_lahella([EXAMPLE], empty_catalog)
    override = empty_catalog / "overrides" / "lahella-example-0001.yaml"
    override.parent.mkdir()
    override.write_text("anonymous: true\nreview:\n", encoding="utf-8")
    before = tree(empty_catalog)
    report = import_lahella([EXAMPLE], empty_catalog)
    assert tree(empty_catalog) == before
    assert (report.written, report.unchanged) == (0, 1)
    catalog, problems = check_catalog(empty_catalog, date(2026, 12, 7))
    assert [str(p) for p in problems.errors] == []
    service = catalog.by_id["lahella-example-0001"]
    assert (service.anonymous, service.review) == (True, None)


def test_cli_imports_a_folder(empty_catalog: Path) -> None:
    from click.testing import CliRunner

    from navigator.cli import cli

    folder = str(EXAMPLE.parent)
    command = ["catalog", "import", "lahella", folder, "--catalog", str(empty_catalog)]
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.output) == (
        0,
        "imported 1 services (1 written, 0 unchanged), 0 skipped, 0 errors, 0 warnings\n",
    )
    assert (empty_catalog / ENTRY).is_file()
