"""`navigator catalog import ptv`: the shared real PTV records, a malformed corpus, idempotence."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from navigator.catalog.imports.ptv import import_ptv
from navigator.catalog.imports.report import ImportReport
from navigator.catalog.loader import check_catalog
from navigator.catalog.model import ChannelKind
from navigator.cli import cli
from tests.catalog.imports.conftest import IMPORT_FIXTURES, PTV_SAMPLES, needs_shared, tree

ETALUKIO = "ptv-3668d250-cd80-45c4-abcc-9b2d3a2b3e42"
ETALUKIO_FILE = f"services/imported/ptv/{ETALUKIO}.yaml"
MALFORMED = IMPORT_FIXTURES / "ptv-malformed"

DESCRIPTION = (
    "Nettilukiossa voit opiskella koko aikuislukion oppimäärän itsenäisenä verkko-opiskeluna "
    "omassa aikataulussasi. Opinnot voit aloittaa mihin aikaan vuodesta tahansa.\n\n"
    "Nettilukiossa et ole sidoksissa lukukausiin tai lukion jaksoihin, vaan voit edetä oman "
    "aikataulusi ja suunnitelmasi mukaisesti. Jokaisella nettilukiolaisella on oma ohjaaja, "
    "joka auttaa opintojen suunnittelussa, tukee opintojen aikana ja jonka puoleen opiskelija "
    "voi kääntyä opintoihin liittyvissä kysymyksissä. Ohjaaja auttaa myös "
    "jatko-opiskelusuunnitelmissa ja uranvalinnan pohtimisessa.\n\n"
    "Kaikki kurssit ovat verkossa saatavilla, joten voit opiskella mistä päin Suomea tai "
    "maailmaa tahansa. Nettilukiossa opiskelet Otavian kehittämässä "
    "Muikku-oppimisympäristössä, josta löytyvät myös sähköiset oppimateriaalit. Voit "
    "opiskella itsenäisesti suoritettavilla verkkokursseilla, ryhmäkursseilla tai tehdä "
    "ilmiöpohjaisia opintoja. Nettilukiossa osoitat osaamisesi tehtävillä ja "
    "oppimispäiväkirjalla, joten kokeita Nettilukiossa ei ole."
)
HOW_TO_GET = (
    "Hae Nettilukioon sähköisellä hakulomakkeella. Toimita lisäksi aikaisemmat "
    "koulutodistukset joko liittämällä todistustiedostot suoraan hakemukseen tai "
    "lähettämällä todistuskopiot postitse. Jos olet ollut aiemmin muissa lukioissa, "
    "tarvitsemme niistä erotodistukset. Mikäli sinulla on ammatillinen tutkinto, on hyvä "
    "lähettää myös tutkintotodistus. Muussa tapauksessa pyydämme lähettämään perusopetuksen "
    "päättötodistuksen."
)
CALL_CHARGED = {
    "fi": "Puhelu on maksullinen.",
    "sv": "Samtalet är avgiftsbelagt.",
    "en": "The call is charged.",
}
OTAVA_LANGUAGES = ["fi", "en"]

#: The whole expected entry for the two real records: every mapped field, exact values.
EXPECTED_ETALUKIO: dict[str, Any] = {
    "provider": {"name": "Mikkelin kaupungin liikelaitos Otavia", "type": "municipality"},
    "services": [
        {
            "id": ETALUKIO,
            "name": "Nettilukio aikuisille",
            "summary": "Aikuislukio verkko-opintoina.",
            "description": DESCRIPTION,
            "how_to_get": HOW_TO_GET,
            "keywords": {
                "fi": [
                    "Etälukio",
                    "etäopetus",
                    "nettiopiskelu",
                    "verkkolukio",
                    "verkko-opinnot",
                    "joustava lukio-opetus",
                    "lukio verkossa",
                ]
            },
            "level": 3,
            "needs": ["employment"],
            "areas": "nationwide",
            "target_groups": ["KR1"],
            "service_classes": ["P6.10", "P6.8", "P6.13", "P6"],
            "languages": ["fi"],
            "channels": [
                {
                    "address": {
                        "street": "Otavantie 2 B",
                        "postal_code": "50670",
                        "city": "Otava",
                        "latitude": 61.645467,
                        "longitude": 27.07321,
                    },
                    "label": "Otavan Opisto / Otavia",
                    "hours": "Mo-Fr 08:00-16:00",
                    "languages": OTAVA_LANGUAGES,
                },
                {
                    "phone": "044 7943552",
                    "label": "Opintoasiainvastaava",
                    "languages": ["fi"],
                    "note": CALL_CHARGED,
                },
                {"phone": "044 7943565", "languages": ["fi"], "note": CALL_CHARGED},
                *(
                    {"email": address, "languages": OTAVA_LANGUAGES}
                    for address in (
                        "info@otavia.fi",
                        "nettilukio@otavia.fi",
                        "nettiperuskoulu@otavia.fi",
                        "aineopiskelu@otavia.fi",
                        "kurssit@otavanopisto.fi",
                        "maahanmuuttajakoulutukset@otavanopisto.fi",
                        "aikuislukio@otavanopisto.fi",
                    )
                ),
            ],
            "cost": "free",
            "referral": False,
            "anonymous": False,
            "registration": False,
            "source": "https://api.palvelutietovaranto.suomi.fi/api/v11/Service/"
            "3668d250-cd80-45c4-abcc-9b2d3a2b3e42",
            "checked": date(2020, 4, 22),
            "imported": {
                "from": "ptv",
                "id": "3668d250-cd80-45c4-abcc-9b2d3a2b3e42",
                "modified": "2020-04-22T09:35:58.293984",
            },
            "review": "imported from PTV: needs (employment) and level 3 are suggested by rules, "
            "and referral, anonymous and registration (not in PTV) are set to false; check "
            f"them and write your decisions in catalog/overrides/{ETALUKIO}.yaml; provider type "
            "'municipality' guessed from the name 'Mikkelin kaupungin liikelaitos Otavia'",
        }
    ],
}


def _import(paths: list[Path], root: Path) -> ImportReport:
    return import_ptv(paths, root)


def _messages(report: ImportReport, folder: Path) -> list[str]:
    return [str(p).replace(f"{folder}/", "") for p in report.problems]


@needs_shared
def test_shared_samples_map_every_field(empty_catalog: Path) -> None:
    report = _import(sorted(PTV_SAMPLES.glob("*.json")), empty_catalog)
    written = yaml.safe_load((empty_catalog / ETALUKIO_FILE).read_text(encoding="utf-8"))
    assert written == EXPECTED_ETALUKIO
    assert (report.written, report.unchanged, report.skipped) == (1, 0, 0)
    # The http links are not https and so not written; the two channels not given are noted.
    assert _messages(report, PTV_SAMPLES) == [
        f"channel_service_location_otava.json: warning: webPages[{i}].url: '{url}' uses "
        "http; links must use https; left out"
        for i, url in enumerate(
            [
                "http://www.otavanopisto.fi/",
                "http://www.nettilukio.fi",
                "http://www.nettiperuskoulu.fi",
                "http://aineopiskelu.otavanopisto.fi/aineopiskelu_etusivu",
            ]
        )
    ] + [
        "service_etalukio.json: note: serviceChannels: channels not in the input, left out: "
        "16afd0e8-f069-4ded-9967-f220107494db, d5e5b0c9-47eb-45ec-a363-d39215e71aa4"
    ]


@needs_shared
def test_imported_entry_passes_the_validator_and_loads(empty_catalog: Path) -> None:
    _import(sorted(PTV_SAMPLES.glob("*.json")), empty_catalog)
    catalog, problems = check_catalog(empty_catalog, date(2026, 12, 7))
    assert [str(p) for p in problems.errors] == []
    (service,) = catalog.services
    place = service.channels[0]
    assert place.kind is ChannelKind.ADDRESS and place.address is not None
    assert (place.address.latitude, place.address.longitude) == (61.645467, 27.07321)
    assert place.hours is not None and place.hours.text == "Mo-Fr 08:00-16:00"
    assert [c.value for c in service.channels if c.kind is ChannelKind.PHONE] == [
        "+358447943552",
        "+358447943565",
    ]
    assert service.imported is not None and service.imported.id == ETALUKIO[4:]
    assert service.review is not None and service.review.startswith("imported from PTV")


@needs_shared
def test_reimport_is_byte_identical_and_touches_nothing(empty_catalog: Path) -> None:
    paths = sorted(PTV_SAMPLES.glob("*.json"))
    _import(paths, empty_catalog)
    first = tree(empty_catalog)
    mtime = (empty_catalog / ETALUKIO_FILE).stat().st_mtime_ns
    report = _import(paths, empty_catalog)
    assert tree(empty_catalog) == first
    assert (empty_catalog / ETALUKIO_FILE).stat().st_mtime_ns == mtime
    assert (report.written, report.unchanged) == (0, 1)


@needs_shared
def test_input_shapes_single_list_and_page_give_the_same_entry(
    empty_catalog: Path, tmp_path: Path
) -> None:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PTV_SAMPLES.glob("*"))]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(records), encoding="utf-8")
    paged = tmp_path / "page.json"
    paged.write_text(json.dumps({"pageNumber": 1, "pageCount": 1, "itemList": records}))
    expected = None
    for path in (listed, paged):
        _import([path], empty_catalog)
        data = (empty_catalog / ETALUKIO_FILE).read_bytes()
        assert expected in (None, data)
        expected = data
    _import(sorted(PTV_SAMPLES.glob("*.json")), empty_catalog)
    assert (empty_catalog / ETALUKIO_FILE).read_bytes() == expected


def test_malformed_corpus_is_reported_with_json_paths(empty_catalog: Path) -> None:
    report = _import(sorted(MALFORMED.glob("*.json")), empty_catalog)
    assert _messages(report, MALFORMED) == [
        "page.json: error: itemList[9]: not a PTV service, service channel or organisation "
        "record; skipped",
        "truncated.json: error: line 3 column 1: not JSON: Expecting value; the whole file "
        "was skipped",
        "page.json: warning: itemList[8].phoneNumbers[0].extension: unknown field, ignored "
        "(not in PTV API v11 as Navigator reads it)",
        "page.json: warning: itemList[8].phoneNumbers[1].number: expected a string, not a "
        "number; left out",
        "page.json: warning: itemList[8].emails[1].value: 'not-an-address' is not an e-mail "
        "address: An email address must have an @-sign.; left out",
        "page.json: warning: itemList[8].serviceHours[3]: seasonal weekly hours (with "
        "validTo) are not imported; left out",
        "page.json: error: itemList[1].serviceNames[0].value: expected a string, not a "
        "number; service skipped",
        "page.json: warning: itemList[2].serviceFoo: unknown field, ignored (not in PTV API "
        "v11 as Navigator reads it)",
        "page.json: error: itemList[3].areaType: unknown areaType 'Elsewhere'; expected "
        "Nationwide, NationwideExceptAlandIslands or LimitedType; service skipped",
        "page.json: note: itemList[4].areas: 00000000-0000-4000-8000-000000000005 serves no "
        "municipality of the county; skipped",
        "page.json: error: itemList[5].serviceChannels: no usable channel: give the "
        "service's channel records in the same import; service skipped",
        "page.json: error: itemList[6].serviceClasses: no need can be suggested from the "
        "service classes ['P2.1']; add a rule to navigator/catalog/imports/rules.py or enter "
        "the service by hand; service skipped",
        "page.json: error: itemList[7].serviceDescriptions: no Finnish summary (an item with "
        "language 'fi' and type 'Summary'); service skipped",
    ]
    # The rest was imported, and what was imported is valid.
    files = sorted(p.name for p in (empty_catalog / "services/imported/ptv").glob("*.yaml"))
    assert files == [
        "ptv-00000000-0000-4000-8000-000000000001.yaml",
        "ptv-00000000-0000-4000-8000-000000000003.yaml",
    ]
    assert (report.written, report.skipped) == (2, 6)
    catalog, problems = check_catalog(empty_catalog, date(2026, 12, 7))
    assert [str(p) for p in problems.errors] == []
    service = catalog.by_id["ptv-00000000-0000-4000-8000-000000000001"]
    assert service.areas.municipalities == ("564",)
    phone = service.channels[0]
    assert phone.hours is not None and phone.hours.text == "Mo-Th 09:00-15:00; Fr 18:00-02:00"
    assert [(e.start.isoformat(), e.end.isoformat(), e.spans) for e in phone.exceptions] == [
        ("2026-12-24", "2026-12-24", ()),
        ("2026-12-31", "2027-01-01", phone.exceptions[1].spans),
    ]
    assert str(phone.exceptions[1].spans[0]) == "10:00-12:00"
    assert phone.exceptions[0].note is not None and phone.exceptions[0].note.fi == "Jouluaatto"
    assert service.level == 2  # free, a phone line and no place to visit


def test_cli_reports_problems_and_exits_1_on_skipped_records(
    empty_catalog: Path, tmp_path: Path
) -> None:
    fixture = tmp_path / "in"
    shutil.copytree(MALFORMED, fixture)
    command = ["catalog", "import", "ptv", str(fixture), "--catalog", str(empty_catalog)]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[-1] == (
        "imported 2 services (2 written, 0 unchanged), 6 skipped, 7 errors, 5 warnings"
    )
    assert f"{fixture}/page.json: error: itemList[3].areaType: unknown areaType" in result.output
    as_json = CliRunner().invoke(cli, [*command, "--format", "json"])
    data = json.loads(as_json.output)
    assert (data["imported"], data["written"], data["unchanged"]) == (2, 0, 2)
    assert data["problems"][0] == {
        "file": f"{fixture}/page.json",
        "path": "itemList[9]",
        "severity": "error",
        "message": "not a PTV service, service channel or organisation record; skipped",
    }


def test_tm35fin_to_wgs84() -> None:
    from navigator.catalog.imports.geo import tm35fin_to_wgs84

    # On TM35FIN's central meridian (easting 500 000 m) the longitude is exactly 27°E.
    lat, lon = tm35fin_to_wgs84(7_000_000.0, 500_000.0)
    assert lon == 27.0 and 63.0 < lat < 63.2
    # The PTV sample's Otava campus: the village of Otava lies at about 61.63°N 27.07°E.
    lat, lon = tm35fin_to_wgs84(6834688.027, 503879.049)
    assert abs(lat - 61.63) < 0.03 and abs(lon - 27.07) < 0.01
    assert (lat, lon) == (61.645467, 27.07321)


def test_an_entry_the_validator_rejects_is_skipped_not_written(
    empty_catalog: Path, tmp_path: Path
) -> None:
    page = json.loads((MALFORMED / "page.json").read_text(encoding="utf-8"))
    service, channel = page["itemList"][0], page["itemList"][8]
    for description in service["serviceDescriptions"]:
        if description["type"] == "Summary":
            description["value"] = "Palvelu <b alle 18-vuotiaille"  # looks like HTML
    path = tmp_path / "one.json"
    path.write_text(json.dumps([service, channel]), encoding="utf-8")
    report = _import([path], empty_catalog)
    assert [str(p) for p in report.errors] == [
        f"{path}: error: [0]: the entry would not pass the validator (html: summary contains "
        "HTML or an HTML entity); skipped"
    ]
    assert (report.written, report.skipped) == (0, 1)
    assert not (empty_catalog / "services/imported/ptv").exists()
