"""The compiled check of action server responses accepts and refuses what Rasa's does."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from navigator.bot import nlu, speedups  # noqa: F401  (importing nlu installs it)

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "language", "value": "fi"},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_route"},
        ],
        "responses": [{"text": "Hei", "buttons": [{"title": "Joo", "payload": "/affirm"}]}],
    },
    {"responses": [{"custom": {"type": "navigator.service", "id": "x"}}]},
]
INVALID: list[dict[str, Any]] = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
    {"events": "not a list"},
]


def test_the_server_process_gets_the_compiled_check() -> None:
    assert RemoteAction._validate_action_result is speedups._validate_action_result


@pytest.mark.parametrize("response", VALID)
def test_accepts_what_rasa_accepts(response: dict[str, Any]) -> None:
    jsonschema.validate(response, RemoteAction.action_response_format_spec())
    assert RemoteAction._validate_action_result(RemoteAction.__new__(RemoteAction), response)


@pytest.mark.parametrize("response", INVALID)
def test_refuses_what_rasa_refuses_with_rasas_message(response: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        RemoteAction._validate_action_result(RemoteAction.__new__(RemoteAction), response)
