"""A speed fix for Rasa 3.6, installed when the Rasa server loads our components.

Rasa 3.6 checks every action server response with `jsonschema.validate()`, which first
checks the (large) event schema itself against the JSON Schema meta-schema and builds a
new validator, on every call: about 30 ms of CPU per action, two to four actions a turn.
This replaces that check with the same schema compiled once. What is accepted and what
is refused does not change (tests/bot/test_speedups.py); the measured effect is in
docs/benchmarks.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, where Rasa does it on every call
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server response, with the validator built once."""
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


def install() -> None:
    """Use the compiled check in this process (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result
