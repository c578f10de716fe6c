"""The catalogue we ship: valid, complete taxonomy, the national safety lines, real code lists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from navigator.catalog.loader import Catalog, check_catalog
from navigator.catalog.model import ChannelKind
from navigator.catalog.problems import Problems
from navigator.catalog.taxonomy import NEED_IDS
from navigator.settings import MIN_NEED_SYNONYMS
from tests.conftest import REPO

SHARED = Path(os.environ.get("NAVIGATOR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="module")
def shipped() -> tuple[Catalog, Problems]:
    return check_catalog(REPO / "catalog")


def test_shipped_catalogue_has_no_errors(shipped: tuple[Catalog, Problems]) -> None:
    _, problems = shipped
    assert [str(p) for p in problems.errors] == []


def test_every_need_has_labels_and_enough_synonyms(shipped: tuple[Catalog, Problems]) -> None:
    catalog, _ = shipped
    assert tuple(catalog.taxonomy.needs) == NEED_IDS
    for need in catalog.taxonomy.needs.values():
        assert need.label.sv and need.label.en, need.id
        assert need.description.sv and need.description.en, need.id
        for lang, minimum in MIN_NEED_SYNONYMS.items():
            assert len(need.synonyms[lang]) >= minimum, (need.id, lang)


def test_the_thirty_municipalities(shipped: tuple[Catalog, Problems]) -> None:
    catalog, _ = shipped
    assert len(catalog.taxonomy.municipalities) == 30
    assert catalog.taxonomy.municipalities["564"].name.fi == "Oulu"
    assert catalog.taxonomy.municipalities["009"].name.fi == "Alavieska"


# The national lines of SAFETY.md, as normalised numbers or chat addresses.
SAFETY_LINES = {
    "Hätänumero": "112",
    "Päivystysapu": "116117",
    "MIELI Kriisipuhelin (fi)": "+358925250111",
    "MIELI Kriisipuhelin (sv)": "+358925250112",
    "MLL Lasten ja nuorten puhelin": "116111",
    "Nollalinja": "+35880005005",
    "Kirkon keskusteluapu": "+358400221180",
    "Myrkytystietokeskus": "+358800147111",
}


@pytest.mark.parametrize(("line", "number"), sorted(SAFETY_LINES.items()))
def test_safety_lines_are_in_the_catalogue(
    shipped: tuple[Catalog, Problems], line: str, number: str
) -> None:
    catalog, _ = shipped
    holders = [
        s
        for s in catalog.active
        for c in s.channels
        if c.kind is ChannelKind.PHONE and c.value == number
    ]
    assert holders, f"{line} ({number}) is missing"
    assert all(service.source.startswith("https://") for service in holders)
    # Regional entries may repeat a national number; the national entry must be there too.
    assert any(service.areas.scope == "nationwide" for service in holders)


def test_sekasin_chat_is_in_the_catalogue(shipped: tuple[Catalog, Problems]) -> None:
    catalog, _ = shipped
    assert any(
        "sekasin247.fi" in c.value
        for s in catalog.active
        for c in s.channels
        if c.kind in (ChannelKind.CHAT, ChannelKind.WEB)
    )


def test_only_112_is_at_level_zero(shipped: tuple[Catalog, Problems]) -> None:
    catalog, _ = shipped
    assert [s.id for s in catalog.services if s.level == 0] == ["emergency-112"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ is not beside this clone")
@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("taxonomy/areas.yaml", "data/codelists/municipalities_pohjois_pohjanmaa.yaml"),
        ("taxonomy/codelists/ptv_target_groups.yaml", "data/codelists/ptv_target_groups.yaml"),
        ("taxonomy/codelists/ptv_service_classes.yaml", "data/codelists/ptv_service_classes.yaml"),
    ],
)
def test_code_lists_are_unchanged_copies(copy: str, original: str) -> None:
    assert (REPO / "catalog" / copy).read_bytes() == (SHARED / original).read_bytes()


def test_every_need_in_every_municipality_has_low_threshold_help(
    shipped: tuple[Catalog, Problems],
) -> None:
    """The coverage matrix has no holes: an editor who breaks coverage sees this fail."""
    from navigator.catalog.stats import compute_stats

    catalog, _ = shipped
    gaps = compute_stats(catalog)["coverage_gaps"]
    assert gaps["level_max_3"] == []
    assert gaps["level_max_4"] == []


def test_every_entry_names_its_source_and_date(shipped: tuple[Catalog, Problems]) -> None:
    catalog, _ = shipped
    assert all(s.source.startswith("https://") and s.checked for s in catalog.services)
