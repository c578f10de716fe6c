"""What the dialogue keeps: no contact details in the tracker store.

Two parts:
- `Sealer`: the contact form's phone number or e-mail address lives in a slot only as a
  sealed token (Fernet: encrypted and authenticated, with an age limit), readable only by
  the action server that holds the key. The detail itself goes to the contact store, after
  consent and confirmation.
- `RedactingInMemoryTrackerStore` / `RedactingSQLTrackerStore`: before a conversation is
  saved, personal data (phone numbers, e-mail addresses, identity codes, IBANs, street
  addresses: `navigator.privacy`) is replaced by marks in what the resident wrote and in
  the bot's replies, the raw value Rasa's slot mapping briefly holds is
  dropped, and the whole message typed in answer to the contact question is replaced.
  Configure one in endpoints.yml as `tracker_store: type: navigator.bot.privacy.…`.

The SQL store fails closed: Rasa wraps every tracker store in a FailSafeTrackerStore that,
when the database is down, starts each conversation afresh in the node's memory and logs
the database's error (which can quote the SQL parameters: what the resident wrote).
Across nodes that splits a conversation in two, and after the database is back the
resident is thrown back to where they were. `FailClosedTrackerStore` takes its place: a
database error fails the turn, the REST channel answers 503 and the resident is asked to
try again (a message that may signal danger still gets 112 and crisis help from the web
app), and only the kind of error is logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import OrderedDict
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
    TrackerStore,
)
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from navigator.privacy import redact
from navigator.settings import CONTACT_DRAFT_MINUTES, CONVERSATION_RETENTION_HOURS

SEALED_PREFIX = "sealed:"
ADDRESS_SLOT = "contact_address"
CONTACT_MARK = "[yhteystieto]"
KEY_VARIABLE = "NAVIGATOR_SECRET_KEY"

log = logging.getLogger(__name__)


class Sealer:
    """Seals short values for a slot, and opens them within CONTACT_DRAFT_MINUTES."""

    def __init__(self, key: bytes | None = None) -> None:
        configured = os.environ.get(KEY_VARIABLE, "").encode()
        self._fernet = Fernet(key or configured or Fernet.generate_key())

    def seal(self, value: str) -> str:
        """An opaque token for `value`."""
        return SEALED_PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, token: str | None) -> str | None:
        """The sealed value, or None if the token is not one, is too old or was sealed with
        another key (the action server restarted without NAVIGATOR_SECRET_KEY)."""
        if not token or not token.startswith(SEALED_PREFIX):
            return None
        try:
            data = self._fernet.decrypt(
                token[len(SEALED_PREFIX) :].encode(), ttl=CONTACT_DRAFT_MINUTES * 60
            )
        except InvalidToken:
            return None
        return data.decode()


def redacted_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Serialised tracker events with contact details removed (see the module docstring)."""
    result = []
    requested: str | None = None
    for event in events:
        event = dict(event)
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "active_loop" and not event.get("name"):
            requested = None
        elif kind == "slot" and event.get("name") == ADDRESS_SLOT:
            value = event.get("value")
            if isinstance(value, str) and not value.startswith(SEALED_PREFIX):
                event["value"] = None
        elif kind == "user":
            whole = requested == ADDRESS_SLOT
            event["text"] = (
                CONTACT_MARK if whole and event.get("text") else _clean(event.get("text"))
            )
            parse = dict(event.get("parse_data") or {})
            if "text" in parse:
                parse["text"] = event["text"]
                event["parse_data"] = parse
        elif kind == "bot":
            event["text"] = _clean(event.get("text"))
        result.append(event)
    return result


# Digests of texts known to hold nothing to redact: a conversation's earlier messages are
# met again at every save, and `redact` is the costly part. Only texts that are clean (as
# typed, or after redaction) are remembered, and only as 128-bit digests, so this keeps no
# personal data.
_CLEAN: OrderedDict[bytes, None] = OrderedDict()
_CLEAN_MAX = 100_000


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _clean(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    key = _digest(text)
    if key in _CLEAN:
        _CLEAN.move_to_end(key)
        return text
    result = redact(text)
    _CLEAN[key if result == text else _digest(result)] = None
    if len(_CLEAN) > _CLEAN_MAX:
        _CLEAN.popitem(last=False)
    return result


def redacted_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The tracker as it may be stored: the tracker itself when nothing in it needs a
    change (most turns), else a copy with the changes. Rebuilding a tracker replays every
    event, which cost more than the rest of a save (docs/benchmarks.md)."""
    events = [e.as_dict() for e in tracker.events]
    cleaned = redacted_events(events)
    if cleaned == events:
        return tracker
    return DialogueStateTracker.from_events(
        tracker.sender_id,
        [Event.from_parameters(e) for e in cleaned],
        slots=list(tracker.slots.values()),
        max_event_history=tracker._max_event_history,
    )


class RedactingInMemoryTrackerStore(InMemoryTrackerStore):
    """The embedded default: conversations in memory, without contact details, forgotten
    CONVERSATION_RETENTION_HOURS after their last message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_saved: dict[str, float] = {}

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save the redacted conversation, and forget those idle past the retention."""
        now = time.monotonic()
        await super().save(redacted_tracker(tracker))
        self._last_saved[tracker.sender_id] = now
        limit = now - CONVERSATION_RETENTION_HOURS * 3600
        for sender_id in [s for s, saved in self._last_saved.items() if saved < limit]:
            self.store.pop(sender_id, None)
            del self._last_saved[sender_id]


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Production: conversations in PostgreSQL, without contact details; a database that
    does not answer fails the turn (FailClosedTrackerStore)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _install_fail_closed()
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save the redacted conversation."""
        await super().save(redacted_tracker(tracker))


class ConversationStoreUnavailable(RuntimeError):
    """The conversation database did not answer; the turn fails and nothing is kept."""


class FailClosedTrackerStore(FailSafeTrackerStore):
    """Rasa's wrapper around the tracker store, except that a store that fails closed
    (RedactingSQLTrackerStore) has its errors passed on instead of swapped for memory."""

    def __init__(self, tracker_store: TrackerStore, *args: Any, **kwargs: Any) -> None:
        super().__init__(tracker_store, *args, **kwargs)
        self._fails_closed = isinstance(tracker_store, RedactingSQLTrackerStore)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation, or ConversationStoreUnavailable from a store failing closed."""
        if not self._fails_closed:
            return await super().retrieve(sender_id)
        return await _closed(self._tracker_store.retrieve(sender_id))

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """As `retrieve`, with every session."""
        if not self._fails_closed:
            return await super().retrieve_full_tracker(sender_id)
        return await _closed(self._tracker_store.retrieve_full_tracker(sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save, or ConversationStoreUnavailable from a store failing closed."""
        if not self._fails_closed:
            await super().save(tracker)
            return
        await _closed(self._tracker_store.save(tracker))


async def _closed(call: Any) -> Any:
    try:
        return await call
    except Exception as exc:
        # The error's text can quote the SQL parameters, so only its kind is logged.
        log.error("the conversation database did not answer (%s)", type(exc).__name__)
        raise ConversationStoreUnavailable(type(exc).__name__) from None


def _install_fail_closed() -> None:
    """Have Rasa's Agent wrap its tracker store in FailClosedTrackerStore: the Agent uses
    the FailSafeTrackerStore name it imported, and Rasa makes the tracker store (named in
    endpoints.yml) before the Agent. Imported here, not at the top, because the action
    server imports this module for `Sealer` and must not load TensorFlow with the Agent."""
    import rasa.core.agent

    rasa.core.agent.FailSafeTrackerStore = FailClosedTrackerStore
