"""The catalogue index: ranking, inflection, typos, filters, facets and explanations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from navigator.catalog.loader import load_catalog
from navigator.search import Filters, SearchIndex


@pytest.fixture
def index(small_catalog: Path) -> SearchIndex:
    return SearchIndex(load_catalog(small_catalog))


def ids(index: SearchIndex, query: str, filters: Filters | None = None) -> list[str]:
    return [h.service.id for h in index.search(query, filters).hits]


def test_names_inflections_and_compounds(index: SearchIndex) -> None:
    assert ids(index, "kriisipuhelin")[0] == "mieli-crisis-line"
    assert ids(index, "kriisipuhelimeen")[0] == "mieli-crisis-line"
    assert ids(index, "hammaspäivystykseen")[0] == "dental-emergency"
    assert ids(index, "diakoniatyötä")[0] == "kalajoki-diaconal-work"


def test_typos_are_read_as_the_nearest_term(index: SearchIndex) -> None:
    result = index.search("kriisipuhlein")
    assert result.hits[0].service.id == "mieli-crisis-line"
    assert ("kriisipuhlein", "kriisipuhelin") in result.hits[0].corrections
    assert "read as: kriisipuhlein → kriisipuhelin" in result.hits[0].reasons


def test_swedish_and_english_text_is_searchable(index: SearchIndex) -> None:
    assert ids(index, "kristelefon")[0] == "mieli-crisis-line"
    assert ids(index, "emergency dental care")[0] == "dental-emergency"


def test_a_municipality_in_the_query_becomes_the_area_filter(index: SearchIndex) -> None:
    result = index.search("neuvonta nuorille Oulussa")
    assert result.implied_municipality == "564"
    assert result.hits[0].service.id == "ohjaamo-oulu"
    assert any("area: serves Oulu (named in the query)" in r for r in result.hits[0].reasons)
    assert "kalajoki-diaconal-work" not in [h.service.id for h in result.hits]


def test_filters(index: SearchIndex) -> None:
    assert ids(index, "", Filters(level_min=1, level_max=2)) == [
        "mieli-crisis-line",
        "kalajoki-diaconal-work",
    ]
    assert ids(index, "", Filters(municipality="208", needs=("money_debt",))) == [
        "kalajoki-diaconal-work"
    ]
    assert ids(index, "", Filters(anonymous=True)) == ["mieli-crisis-line", "ohjaamo-oulu"]
    assert ids(index, "", Filters(free=True, no_referral=True, provider_types=("parish",))) == [
        "kalajoki-diaconal-work"
    ]
    assert ids(index, "", Filters(age=40, needs=("youth_support",))) == []
    assert ids(index, "", Filters(language="sv")) == ["emergency-112", "mieli-crisis-line"]
    assert "emergency-112" in ids(index, "", Filters(channel="phone"))
    assert ids(index, "", Filters(channel="address")) == ["kalajoki-diaconal-work"]


def test_open_at_uses_the_opening_hours(index: SearchIndex) -> None:
    saturday_noon = datetime(2026, 11, 28, 12, 0)
    monday_noon = datetime(2026, 11, 23, 12, 0)
    assert "dental-emergency" in ids(index, "hammas", Filters(open_at=saturday_noon))
    assert "dental-emergency" not in ids(index, "hammas", Filters(open_at=monday_noon))


def test_facets_count_what_matched(index: SearchIndex) -> None:
    result = index.search("", Filters())
    assert result.total == 5
    assert result.facets["provider_type"] == {
        "municipality": 1,
        "national": 1,
        "ngo": 1,
        "parish": 1,
        "region": 1,
    }
    assert result.facets["level"]["2"] == 2
    assert result.facets["need"]["crisis_support"] == 2


def test_nothing_found_and_bad_input(index: SearchIndex) -> None:
    assert index.search("zzzzqqqq").hits == []
    for query in ["", "   ", "<script>alert(1)</script>", "\x00\x01", "🙂" * 50, "a" * 100_000]:
        index.search(query)  # answers, never raises


def test_now_is_helsinki_wall_clock_time() -> None:
    from datetime import timezone
    from zoneinfo import ZoneInfo

    from navigator.search import local_now

    helsinki = datetime.now(timezone.utc).astimezone(ZoneInfo("Europe/Helsinki"))
    assert abs((local_now() - helsinki.replace(tzinfo=None)).total_seconds()) < 5
