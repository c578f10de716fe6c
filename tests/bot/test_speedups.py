"""The compiled check of action server responses accepts and refuses what Rasa's does;
event classes resolve by type name as Rasa's walk over the subclasses finds them."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses

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


SCHEMA = RemoteAction.action_response_format_spec()
EVENT_NAMES = [
    a["properties"]["event"]["const"] for a in SCHEMA["properties"]["events"]["items"]["oneOf"]
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
# Events with a known or unknown name and fields the alternatives name, of any type.
FIELDS = ["name", "value", "text", "timestamp", "metadata", "entities", "parse_data", "policy"]
EVENTS = st.builds(
    lambda name, fields: {"event": name, **fields},
    st.sampled_from(EVENT_NAMES) | st.text(max_size=8),
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=3),
)
RESPONSES = st.fixed_dictionaries(
    {},
    optional={
        "events": st.lists(EVENTS | JSON_VALUES, max_size=4) | JSON_VALUES,
        "responses": st.lists(st.dictionaries(st.text(max_size=5), JSON_VALUES), max_size=2)
        | JSON_VALUES,
    },
)


@settings(max_examples=40, deadline=None)
@given(from_schema(SCHEMA))
def test_every_response_the_schema_allows_passes_the_quick_check(response: dict[str, Any]) -> None:
    assert speedups._valid_by_event_name(response)


@settings(max_examples=1000, deadline=None)
@given(RESPONSES)
def test_the_quick_check_agrees_with_the_whole_schema(response: dict[str, Any]) -> None:
    whole = speedups._response_validator().is_valid(response)  # the whole schema
    assert speedups._valid_by_event_name(response) == whole
    if not whole:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
            RemoteAction._validate_action_result(RemoteAction.__new__(RemoteAction), response)


def test_the_server_process_resolves_events_from_the_table() -> None:
    assert Event.resolve_by_type is speedups.resolve_by_type
    assert speedups.RASAS_RESOLVE_BY_TYPE is not speedups.resolve_by_type  # Rasa's own


def test_every_event_type_resolves_to_rasas_class() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20  # user, bot, slot, action, active_loop, …
    for name in names:
        assert Event.resolve_by_type(name) is speedups.RASAS_RESOLVE_BY_TYPE(name), name
    assert Event.resolve_by_type("user") is UserUttered


def test_an_event_class_defined_later_is_found() -> None:
    class LaterEvent(UserUttered):
        type_name = "navigator_test_later_event"

    assert Event.resolve_by_type("navigator_test_later_event") is LaterEvent


def test_unknown_names_answer_as_rasa_does() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
