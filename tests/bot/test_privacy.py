"""The tracker store keeps no contact details; the contact form's slot holds a sealed token."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def _events(address_value: str) -> list[dict[str, Any]]:
    return [
        {"event": "user", "text": "velat painaa, soita 040 123 4567", "parse_data": {"text": "x"}},
        {"event": "active_loop", "name": "contact_form"},
        {"event": "slot", "name": "requested_slot", "value": "contact_address"},
        {"event": "user", "text": "no se on nolla neljä nolla yks", "parse_data": {"text": "y"}},
        {"event": "slot", "name": "contact_address", "value": "040 123 4567"},
        {"event": "slot", "name": "contact_address", "value": address_value},
        {"event": "bot", "text": "Yhteystapa: puhelimitse +358401234567"},
        {"event": "active_loop", "name": None},
        {"event": "user", "text": "kiitos", "parse_data": {"text": "kiitos"}},
    ]


def test_contact_details_are_removed_before_saving() -> None:
    from navigator.bot.privacy import CONTACT_MARK, Sealer, redacted_events

    sealed = Sealer().seal("phone:+358401234567")
    events = redacted_events(_events(sealed))
    kept = str(events)
    assert "4567" not in kept.replace(sealed, "")
    # The whole answer to the contact question goes, however it was written.
    assert events[3]["text"] == CONTACT_MARK
    # The raw value Rasa's mapping held is dropped; the sealed one stays.
    assert events[4]["value"] is None and events[5]["value"] == sealed
    # What is not a contact detail is kept.
    assert events[0]["text"].startswith("velat painaa") and events[8]["text"] == "kiitos"


def test_identity_codes_accounts_and_addresses_are_removed_before_saving() -> None:
    from navigator.bot.privacy import redacted_events
    from navigator.privacy import ADDRESS_MARK, HETU_MARK, IBAN_MARK

    text = "hetu 131052-308T, tili FI21 1234 5600 0007 85, asun Isokatu 3 b 14, velat painaa"
    events = redacted_events(
        [
            {"event": "user", "text": text, "parse_data": {"text": text}},
            {"event": "bot", "text": "Kirjoitit: Isokatu 3 b 14"},
        ]
    )
    expected = f"hetu {HETU_MARK}, tili {IBAN_MARK}, asun {ADDRESS_MARK}, velat painaa"
    assert events[0]["text"] == expected and events[0]["parse_data"]["text"] == expected
    assert events[1]["text"] == f"Kirjoitit: {ADDRESS_MARK}"
    kept = str(events)
    assert not any(part in kept for part in ("308T", "0007 85", "3 b 14"))


def test_sealed_values_open_only_with_the_key() -> None:
    from cryptography.fernet import Fernet

    from navigator.bot.privacy import Sealer

    key = Fernet.generate_key()
    token = Sealer(key).seal("email:a@example.fi")
    assert "example" not in token
    assert Sealer(key).open(token) == "email:a@example.fi"
    assert Sealer(Fernet.generate_key()).open(token) is None
    assert Sealer(key).open("040 123 4567") is None
    assert Sealer(key).open(None) is None


def test_redacting_store_saves_a_redacted_tracker() -> None:
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from navigator.bot.privacy import RedactingInMemoryTrackerStore

    store = RedactingInMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker.from_events("r1", [UserUttered("mun numero on 0401234567")])
    asyncio.run(store.save(tracker))
    saved = asyncio.run(store.retrieve("r1"))
    assert saved is not None
    assert "0401234567" not in str([e.as_dict() for e in saved.events])


def test_idle_conversations_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio
    import time

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from navigator.bot import privacy
    from navigator.settings import CONVERSATION_RETENTION_HOURS

    store = privacy.RedactingInMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events("old", [UserUttered("moi")])))
    later = time.monotonic() + CONVERSATION_RETENTION_HOURS * 3600 + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    asyncio.run(store.save(DialogueStateTracker.from_events("new", [UserUttered("hei")])))
    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("new")) is not None


def test_texts_met_again_are_not_redacted_again_and_raw_ones_are_never_remembered() -> None:
    from navigator.bot import privacy

    raw = "soita mulle 040 765 1234, asun Oulussa"
    first = privacy.redacted_events([{"event": "user", "text": raw, "parse_data": {}}])
    kept = first[0]["text"]
    assert "765 1234" not in kept
    assert privacy._digest(raw) not in privacy._CLEAN  # only clean texts are remembered
    assert privacy._digest(kept) in privacy._CLEAN
    # The same raw text again (an unsaved tracker saved twice) is redacted again.
    again = privacy.redacted_events([{"event": "user", "text": raw, "parse_data": {}}])
    assert again[0]["text"] == kept


def test_a_tracker_with_nothing_to_redact_is_saved_as_it_is() -> None:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from navigator.bot.privacy import redacted_tracker

    clean = DialogueStateTracker.from_events(
        "clean", [ActionExecuted("action_listen"), UserUttered("velat painaa")]
    )
    assert redacted_tracker(clean) is clean  # no copy: rebuilding replays every event
    personal = DialogueStateTracker.from_events(
        "personal", [ActionExecuted("action_listen"), UserUttered("numeroni on 040 765 1234")]
    )
    copy = redacted_tracker(personal)
    assert copy is not personal and "765 1234" not in str(copy.current_state())
    assert "765 1234" in str(personal.current_state())  # the running turn keeps its text
