"""Need detection from residents' own words, through the taxonomy's synonyms."""

from __future__ import annotations

import pytest

from navigator.catalog.loader import load_catalog
from navigator.language import analyzer
from navigator.needs import NeedDetector
from navigator.search import SearchIndex
from tests.conftest import REPO, MakeCatalog


@pytest.fixture(scope="module")
def detector() -> NeedDetector:
    catalog = load_catalog(REPO / "catalog")
    return NeedDetector(catalog.taxonomy, analyzer(), SearchIndex(catalog))


@pytest.mark.parametrize(
    ("text", "lang", "need"),
    [
        ("mä en jaksa enää mitään", "fi", "mental_health"),
        ("mun äijä juo joka päivä", "fi", "substance_use"),
        ("rahat loppu ja vuokra rästissä", "fi", "money_debt"),
        ("mummo ei pärjää kotona", "fi", "ageing_at_home"),
        ("tarvitsisin velkaneuvontaa", "fi", "money_debt"),
        ("päihdeongelmaan apua", "fi", "substance_use"),
        ("omaishoitajana väsyttää", "fi", "caregiving"),
        ("hammasta särkee", "fi", "dental"),
        ("raskaustesti positiivinen", "fi", "pregnancy_infant"),
        ("my son is being bullied at school", "en", "youth_support"),
        ("jag har skulder", "sv", "money_debt"),
        ("velkaneuvotna", "fi", "money_debt"),  # a typo
    ],
)
def test_main_need(detector: NeedDetector, text: str, lang: str, need: str) -> None:
    found = detector.detect(text, lang)
    assert found and found[0].need == need, found


def test_no_need_in_small_talk_or_gibberish(detector: NeedDetector) -> None:
    assert detector.detect("mikä on sää huomenna", "fi") == []
    assert detector.detect("asdfgh qwerty", "fi") == []
    assert detector.detect("", "fi") == []


def test_evidence_names_the_synonym(detector: NeedDetector) -> None:
    (first, *_) = detector.detect("tarvitsisin velkaneuvontaa", "fi")
    assert "velkaneuvonta" in first.evidence


def test_editors_add_synonyms_without_retraining(make_catalog: MakeCatalog) -> None:
    root = make_catalog({})
    needs_file = root / "taxonomy" / "needs.yaml"
    before = NeedDetector(load_catalog(root).taxonomy, analyzer(), None)
    assert "money_debt" not in [n.need for n in before.detect("minulla on pelipaniikki", "fi")]
    text = needs_file.read_text(encoding="utf-8")
    synonyms = text.index("      fi: [", text.index("  - id: money_debt")) + len("      fi: [")
    needs_file.write_text(text[:synonyms] + "pelipaniikki, " + text[synonyms:], encoding="utf-8")
    after = NeedDetector(load_catalog(root).taxonomy, analyzer(), None)
    assert after.detect("minulla on pelipaniikki", "fi")[0].need == "money_debt"


def test_place_names_are_not_needs(detector: NeedDetector) -> None:
    """ "Oulussa" is not a typo of "koulu", and "asun" (I live) is not a housing problem."""
    found = [n.need for n in detector.detect("asun Oulussa ja tarviin hammaslääkärin", "fi")]
    assert found[0] == "dental"
    assert "youth_support" not in found and "housing" not in found


@pytest.mark.parametrize(
    ("text", "lang"), [("yes please", "en"), ("please call me", "en"), ("ja tack", "sv")]
)
def test_courtesy_words_are_not_misspelt_synonyms(
    detector: NeedDetector, text: str, lang: str
) -> None:
    assert detector.detect(text, lang) == []


def test_a_misspelt_long_compound_is_still_corrected(detector: NeedDetector) -> None:
    found = detector.detect("toimentulotuki haku, miten se tehään?", "fi")
    assert found and found[0].need == "money_debt"
