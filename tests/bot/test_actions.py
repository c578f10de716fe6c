"""The actions' reading of a conversation, without a server (the whole flow runs for real
in test_assistant.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from navigator.settings import MAX_MESSAGE_CHARS
from tests.conftest import REPO

pytestmark = pytest.mark.filterwarnings("ignore")


def _tracker(events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Any:
    from rasa_sdk import Tracker

    latest: dict[str, Any] = next(
        (e["parse_data"] for e in reversed(events) if e["event"] == "user"), {}
    )
    return Tracker("t", slots or {}, latest, events, False, None, {}, "action_listen")


def _user(text: str, intent: str = "describe_situation", **entities: str) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        },
    }


def test_the_situation_is_everything_told_but_payloads_and_contact_answers() -> None:
    from navigator.bot.actions import chosen_needs, situation_text

    events = [
        _user("velat painaa"),
        _user('/describe_situation{"need":"loneliness"}', need="loneliness"),
        {"event": "active_loop", "name": "contact_form"},
        {"event": "slot", "name": "requested_slot", "value": "contact_address"},
        _user("040 123 4567", intent="inform"),
        {"event": "slot", "name": "requested_slot", "value": "contact_time"},
        _user("haluan kuolla", intent="emergency"),
        {"event": "active_loop", "name": None},
        _user("asun Kempeleessä", intent="inform"),
    ]
    tracker = _tracker(events)
    assert situation_text(tracker) == "velat painaa haluan kuolla asun Kempeleessä"
    assert chosen_needs(tracker) == ["loneliness"]


def test_a_long_message_is_read_from_its_start() -> None:
    from navigator.bot.actions import situation_text

    tracker = _tracker([_user("vanha viesti"), _user("velat painaa " + "x" * 5000)])
    text = situation_text(tracker)
    assert text.startswith("velat painaa") and len(text) == MAX_MESSAGE_CHARS


def test_responses_are_chosen_by_language_with_values_filled() -> None:
    from navigator.bot.actions import response_text

    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    sv = response_text(domain, "utter_start_notice", "sv", privacy_url="/privacy")
    assert sv["text"].startswith("I nödsituationer, ring 112") and "/privacy" in sv["text"]
    fi = response_text(domain, "utter_ask_municipality", "fi")
    assert fi["buttons"][0]["payload"] == '/inform{"municipality":"564"}'


def test_every_response_has_finnish_swedish_and_english() -> None:
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        languages = {
            next((c["value"] for c in v.get("condition", []) if c["name"] == "language"), "fi")
            for v in variants
        }
        assert languages == {"fi", "sv", "en"}, name


@pytest.mark.parametrize(
    ("text", "need"),
    [("velkoja ja ulosotto", "money_debt"), ("yksinäisyys", "loneliness"), ("qqq", None)],
)
def test_did_you_mean_offers_needs_from_the_taxonomy(text: str, need: str | None) -> None:
    from navigator.bot.actions import COMMON_NEEDS, did_you_mean
    from navigator.routing import default_router

    needs = did_you_mean(text, "fi", default_router())
    assert 1 <= len(needs) <= 5
    if need:
        assert need in needs
    else:
        assert needs == list(COMMON_NEEDS)


@pytest.mark.parametrize(
    ("typed", "channel", "address"),
    [
        ("040 123 4567", "phone", "+358401234567"),
        (" Matti@Example.fi ", "email", "Matti@example.fi"),
    ],
)
def test_contact_details_are_checked_and_normalised(typed: str, channel: str, address: str) -> None:
    from navigator.bot.actions import parse_contact

    kind, value = parse_contact(typed)
    assert (kind.value, value) == (channel, address)


@pytest.mark.parametrize("typed", ["0401", "en kerro", "112", "a@b"])
def test_bad_contact_details_are_refused(typed: str) -> None:
    from navigator.bot.actions import parse_contact
    from navigator.contact import ContactError

    with pytest.raises(ContactError):
        parse_contact(typed)


@pytest.mark.parametrize("text", ["lkjh poiu", "помогите мне", "Ich brauche Hilfe"])
def test_an_unreadable_fallback_gets_112_and_the_languages(text: str) -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from navigator.bot.actions import ActionFallback

    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    dispatcher = CollectingDispatcher()
    tracker = _tracker([_user(text, intent="nlu_fallback")], {"language": "fi", "fallbacks": 0})
    events = asyncio.run(ActionFallback().run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["response"] == "utter_unreadable"
    assert [m["custom"]["id"] for m in dispatcher.messages if m.get("custom")] == ["emergency-112"]
    assert events[0]["value"] == 1


def test_a_readable_fallback_offers_needs_to_choose() -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from navigator.bot.actions import ActionFallback

    dispatcher = CollectingDispatcher()
    tracker = _tracker([_user("velkoja", intent="nlu_fallback")], {"language": "fi"})
    asyncio.run(ActionFallback().run(dispatcher, tracker, {}))
    (message,) = dispatcher.messages
    assert message["response"] == "utter_fallback"
    assert message["buttons"][0]["payload"] == '/describe_situation{"need":"money_debt"}'


def _submit(monkeypatch: pytest.MonkeyPatch, database_url: str, consent: bool) -> list[str]:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from navigator.bot import actions

    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", database_url)
    monkeypatch.setattr(actions, "_store", None)
    slots = {
        "language": "fi",
        "contact_consent": consent,
        "contact_confirmed": True,
        "contact_address": actions._sealer.seal("phone:+358401234567"),
        "contact_time": "aamulla",
    }
    dispatcher = CollectingDispatcher()
    tracker = _tracker([_user("velat painaa")], slots)
    events = asyncio.run(actions.ActionSubmitContact().run(dispatcher, tracker, {}))
    assert all(e["value"] is None for e in events)  # the form's slots are cleared
    return [m["response"] for m in dispatcher.messages]


def test_a_request_is_confirmed_only_once_stored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from navigator.contact import ContactStore

    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    assert _submit(monkeypatch, url, consent=True) == ["utter_contact_saved"]
    assert [r.address for r in ContactStore(url).list()] == ["+358401234567"]
    # Without consent the store refuses, and the resident is told nothing was sent.
    assert _submit(monkeypatch, url, consent=False) == ["utter_contact_failed"]
    assert len(ContactStore(url).list()) == 1


def test_a_database_that_is_down_means_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens on port 1: the store cannot be opened.
    down = "postgresql://navigator@127.0.0.1:1/navigator"
    assert _submit(monkeypatch, down, consent=True) == ["utter_contact_failed"]


@pytest.mark.parametrize(
    "slots",
    [
        {"municipality": [True], "for_whom": {"x": 1}, "age": [15], "language": ["sv"]},
        {"municipality": {"M": 244}, "for_whom": ["self"], "age": {"n": 1}},
    ],
)
def test_slots_forged_by_a_typed_payload_are_no_answer(slots: dict[str, Any]) -> None:
    from navigator.bot.actions import reading_of, situation_key

    tracker = _tracker([_user("velat painaa")], slots)
    key = situation_key(tracker)
    hash(key)  # the per-turn caches need a hashable key (a list here was a server error)
    assert key[1:5] == ("fi", None, None, None)
    assert reading_of(tracker).needs[0].need == "money_debt"
