"""Rasa 3.6's own code against navigator.bot.speedups' equivalents, as JSON.

    RASA_TELEMETRY_ENABLED=false python -m benchmarks.rasa_speedups

Two things the Rasa server does for every turn, each timed both ways in one process on
the same inputs (best of five repeats, microseconds per call):

- the check of an action server response (`RemoteAction._validate_action_result`): Rasa's
  `jsonschema.validate` (which checks the schema and builds a validator on every call),
  the schema compiled once, and the shipped check (each event against the one alternative
  of its name), on responses shaped like our actions' (form validation, the
  recommendation with cards, the session start);
- reading a conversation's events back (`events.deserialise_events`, which the tracker
  store does for every turn and our redacting store for every save): Rasa's
  `Event.resolve_by_type` walks every `Event` subclass per event; ours keeps a table.

Both answers are checked to be the same before anything is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.core.events import Event

from benchmarks.common import machine, print_json
from navigator.bot import speedups

REPEATS = 5

_SLOT = {"event": "slot", "timestamp": None}
_CARD = {
    "type": "navigator.service",
    "id": "ppshva-mielenterveys-ja-paihdepalvelut-matalan-kynnyksen-vastaanotto",
    "name": "Mielenterveys- ja päihdepalvelujen matalan kynnyksen vastaanotto",
    "level": 3,
    "reach": [{"kind": "phone", "value": "+358 8 123 4567"}, {"kind": "web", "value": "x"}],
}
#: Responses shaped like those of our actions (events and messages as they send them).
RESPONSES: dict[str, dict[str, Any]] = {
    "form_validation": {
        "events": [
            {**_SLOT, "name": "needs", "value": ["debt"]},
            {**_SLOT, "name": "municipality", "value": "244"},
            {**_SLOT, "name": "age", "value": None},
        ],
        "responses": [],
    },
    "recommendation": {
        "events": [
            {**_SLOT, "name": "recommended", "value": ["a", "b", "c"]},
            {**_SLOT, "name": "shown_services", "value": ["a", "b", "c"]},
            {"event": "active_loop", "name": None, "timestamp": None},
        ],
        "responses": [
            {"text": "Näistä voisi olla apua:", "custom": {"cards": [_CARD] * 3}},
            {
                "text": "Mitä seuraavaksi?",
                "buttons": [{"title": t, "payload": f"/{t}"} for t in ("a", "b", "c", "d")],
            },
        ],
    },
    "session_start": {
        "events": [
            {"event": "session_started", "timestamp": None},
            {**_SLOT, "name": "language", "value": "fi"},
            {"event": "action", "name": "action_listen", "timestamp": None},
        ],
        "responses": [{"text": "Hätätilanteessa soita 112. " * 5}],
    },
}

#: A four-turn conversation's events, as a tracker store gives them back.
_OPENING: list[dict[str, Any]] = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
]
_TURN: list[dict[str, Any]] = [
    {"event": "user", "text": "[viesti]", "parse_data": {"intent": {"name": "inform"}}},
    {"event": "user_featurization", "use_text_for_featurization": False},
    {"event": "slot", "name": "municipality", "value": "244"},
    {"event": "action", "name": "situation_form"},
    {"event": "active_loop", "name": "situation_form"},
    {"event": "slot", "name": "requested_slot", "value": None},
    {"event": "action", "name": "action_route"},
    {"event": "bot", "text": "Näistä voisi olla apua:", "data": {}},
    {"event": "bot", "text": "Mitä seuraavaksi?", "data": {}},
    {"event": "action", "name": "action_listen"},
]
CONVERSATION = _OPENING + 4 * _TURN


def best_us(call: Callable[[], object], number: int) -> float:
    """The best of REPEATS runs of `number` calls, in microseconds per call."""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(number):
            call()
        best = min(best, (time.perf_counter() - started) / number)
    return round(best * 1e6, 2)


def response_checks() -> dict[str, Any]:
    schema = RemoteAction.action_response_format_spec()
    compiled = speedups._response_validator()
    action = RemoteAction.__new__(RemoteAction)
    figures = {}
    for name, response in RESPONSES.items():
        jsonschema.validate(response, schema)  # valid for Rasa, or this raises
        assert speedups._valid_by_event_name(response), name

        def rasas(r: dict[str, Any] = response) -> None:
            jsonschema.validate(r, schema)

        def compiled_once(r: dict[str, Any] = response) -> None:
            compiled.validate(r)

        def shipped(r: dict[str, Any] = response) -> None:
            speedups._validate_action_result(action, r)

        figures[name] = {
            "events": len(response["events"]),
            "rasa_us": best_us(rasas, 20),
            "compiled_once_us": best_us(compiled_once, 200),
            "shipped_us": best_us(shipped, 2000),
        }
    return figures


def _deserialise_with(resolve: Callable[..., Any]) -> list[Event]:
    saved = Event.resolve_by_type
    Event.resolve_by_type = staticmethod(resolve)
    try:
        read: list[Event] = events.deserialise_events(CONVERSATION)
        return read
    finally:
        Event.resolve_by_type = saved


def event_reading() -> dict[str, Any]:
    rasas = _deserialise_with(speedups.RASAS_RESOLVE_BY_TYPE)
    ours = _deserialise_with(speedups.resolve_by_type)
    assert [type(e) for e in rasas] == [type(e) for e in ours]
    return {
        "events": len(CONVERSATION),
        "rasa_us": best_us(lambda: _deserialise_with(speedups.RASAS_RESOLVE_BY_TYPE), 50),
        "shipped_us": best_us(lambda: _deserialise_with(speedups.resolve_by_type), 500),
    }


def main() -> dict[str, Any]:
    figures = {
        "benchmark": "rasa_speedups",
        "date": datetime.now(timezone.utc).date().isoformat(),
        "machine": machine(),
        "action_response_check": response_checks(),
        "reading_a_conversations_events": event_reading(),
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
