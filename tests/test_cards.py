"""Service cards: what the resident sees of one service, with today's hours."""

from __future__ import annotations

from datetime import datetime

import pytest

from navigator.cards import CARD_TYPE, card_text, service_card
from navigator.catalog.loader import load_catalog
from navigator.routing import LEVEL_WORDS, Router
from tests.conftest import REPO


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(load_catalog(REPO / "catalog"))


def _card_for(router: Router, service_id: str, lang: str, now: datetime) -> dict[str, object]:
    profile = router.read("", lang=lang).profile
    (rec,) = router.recommend([service_id], profile)
    return dict(service_card(rec, lang, now))


def test_card_carries_name_level_in_words_reason_and_ways_to_reach(router: Router) -> None:
    now = datetime(2026, 11, 23, 12, 0)
    card = _card_for(router, "mieli-crisis-line", "en", now)
    service = router.catalog.by_id["mieli-crisis-line"]
    assert card["type"] == CARD_TYPE
    assert card["name"] == service.name.get("en")
    assert card["level_text"] == LEVEL_WORDS["en"][service.level]
    assert card["reason"]
    contacts = card["contacts"]
    assert isinstance(contacts, list) and contacts
    phones = [c for c in contacts if c["kind"] == "phone"]
    assert phones and phones[0]["href"].startswith("tel:+358")


def test_hours_today_and_open_now_follow_the_catalogue(router: Router) -> None:
    # A channel with weekly hours: closed and open moments give different cards.
    service = next(
        s
        for s in router.catalog.services
        if any(c.hours is not None and not c.exceptions for c in s.channels)
    )
    channel_index, channel = next(
        (i, c) for i, c in enumerate(service.channels) if c.hours is not None
    )
    monday = datetime(2026, 11, 23, 0, 0)
    spans = channel.hours.spans_on(monday.date()) if channel.hours else ()
    card = _card_for(router, service.id, "fi", monday)
    line = card["contacts"][channel_index]  # type: ignore[index]
    expected = ", ".join(str(s) for s in spans) if spans else "suljettu tänään"
    assert line["hours_today"] == expected
    if spans:
        inside = monday.replace(hour=spans[0].start // 60, minute=spans[0].start % 60)
        assert _card_for(router, service.id, "fi", inside)["contacts"][channel_index][  # type: ignore[index]
            "open_now"
        ]


def test_card_text_holds_everything_for_a_text_only_channel(router: Router) -> None:
    card = service_card(
        router.recommend(["emergency-112"], router.read("", lang="sv").profile)[0],
        "sv",
        datetime(2026, 11, 23, 12, 0),
    )
    text = card_text(card, "sv")
    assert card["name"] in text and "112" in text and card["level_text"] in text
