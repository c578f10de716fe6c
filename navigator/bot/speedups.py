"""Speed fixes for Rasa 3.6, installed when the Rasa server loads our components.

- Rasa 3.6 checks every action server response with `jsonschema.validate()`, which first
  checks the (large) event schema itself against the JSON Schema meta-schema and builds a
  new validator, on every call: about 30 ms of CPU per action call (about 1.2 a turn).
  This uses the same schema compiled once, and checks each event only against the one
  alternative of the schema's `oneOf` that can match it (every alternative fixes the
  event name with `const`); jsonschema trying all 23 took about 0.4 ms an event. A
  response that this check refuses goes through the whole schema, so the error raised is
  Rasa's own.
- Rasa finds an event's class by its type name (`Event.resolve_by_type`) by walking every
  subclass of `Event` and asking each whether it is abstract, for every event it reads:
  each tracker the store gives back and each one our store redacts (1.7 ms for a 43-event
  conversation). This keeps the walk's answer in a table, walking again only for a name
  the table lacks (an event class defined later).

What is accepted, refused and resolved does not change (tests/bot/test_speedups.py); the
measured effect is in docs/benchmarks.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


@cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, where Rasa does it on every call
    return cls(schema)


@dataclass(frozen=True)
class _EventCheck:
    """The response schema without the events' `oneOf`, and its alternatives by the event
    name each one fixes: a valid event matches the one alternative of its name, and fails
    every other on that name, so "exactly one matches" is "its own alternative matches"."""

    without_alternatives: Any
    alternative: dict[str, Any]


@cache
def _event_check() -> _EventCheck:
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    items = schema["properties"]["events"]["items"]
    alternatives = items.pop("oneOf")
    by_name = {}
    for alternative in alternatives:
        name = alternative["properties"]["event"]["const"]
        if name in by_name:
            raise RuntimeError(f"two alternatives for the event '{name}' in Rasa's schema")
        by_name[name] = validator_for(alternative)(alternative)
    return _EventCheck(validator_for(schema)(schema), by_name)


def _valid_by_event_name(result: dict[str, Any]) -> bool:
    check = _event_check()
    if not check.without_alternatives.is_valid(result):
        return False
    for event in result.get("events") or []:
        alternative = check.alternative.get(event["event"])
        if alternative is None or not alternative.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server response: accepts and refuses the same, faster."""
    if _valid_by_event_name(result):
        return True
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += (  # Rasa's own wording, so its logs read the same
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


#: Rasa's own `Event.resolve_by_type`, taken before `install` replaces it: the tests and
#: benchmarks/rasa_speedups.py compare the table with it.
RASAS_RESOLVE_BY_TYPE: Callable[..., type[Event] | None] = Event.resolve_by_type

#: Event type name -> class, as Rasa's walk over the subclasses would find it. Replaced
#: whole, never changed in place, so a reader on another thread sees one table or the other.
_event_classes: dict[str, type[Event]] = {}


def _walk_event_classes() -> dict[str, type[Event]]:
    global _event_classes
    found: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        found.setdefault(cls.type_name, cls)  # the first one, as Rasa's loop returns
    _event_classes = found
    return found


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, with the subclass walk kept in a table."""
    cls = _event_classes.get(type_name) or _walk_event_classes().get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa's own exception: old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    """Use the faster equivalents in this process (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
