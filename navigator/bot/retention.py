"""Retention of conversations in Rasa's SQL tracker store (`navigator conversations purge`).

Production keeps conversations in PostgreSQL (`RedactingSQLTrackerStore`, a Rasa
`SQLTrackerStore`), which forgets nothing by itself. A conversation is deleted whole when
its last event is older than the retention (`CONVERSATION_RETENTION_HOURS`): a resident
still talking keeps every turn, one who left an hour too long ago keeps none.

Rasa 3.6 keeps every event of every conversation as a row of one table, `events`
(id, sender_id, type_name, timestamp as float seconds since the epoch, intent_name,
action_name, data): the few columns used here are declared below, so this module needs
SQLAlchemy and not Rasa, and the command starts fast.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from navigator.db import mask_url
from navigator.errors import NavigatorError, UsageError

# Rasa's `SQLTrackerStore.SQLEvent` (rasa/core/tracker_store.py), the columns we read.
_METADATA = sa.MetaData()
EVENTS = sa.Table(
    "events",
    _METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
)
# Rasa reads this variable to put its tables in another PostgreSQL schema; so do we.
_SCHEMA_VARIABLE = "POSTGRESQL_SCHEMA"


class RetentionError(NavigatorError):
    """The tracker store cannot be opened or is not one; the message names it."""


@dataclass(frozen=True)
class Purged:
    """What one purge deleted."""

    conversations: int
    events: int


def purge_conversations(url: str, older_than_hours: float, now: float | None = None) -> Purged:
    """Delete every conversation whose last event is more than `older_than_hours` old.

    `url` is an SQLAlchemy URL of the tracker store's database; `now` (seconds since the
    epoch) is for tests. Events without a timestamp never make a conversation old.
    """
    if older_than_hours < 0:
        raise UsageError(f"older_than_hours is 0 or more, not {older_than_hours}")
    cutoff = (time.time() if now is None else now) - older_than_hours * 3600
    stale = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    )
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            _check_table(connection, url)
            conversations = len(connection.execute(stale).all())
            # One statement that reads and deletes: an event saved meanwhile for one of these
            # conversations (the resident came back) is not deleted with it.
            deleted = connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(stale)))
            return Purged(conversations, int(deleted.rowcount))
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise RetentionError(f"cannot use the tracker store {mask_url(url)}: {reason}") from exc
    finally:
        engine.dispose()


def _engine(url: str) -> Any:
    """An engine for the tracker store's database; a missing SQLite file is an error (it
    would be created empty)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise RetentionError(
            f"'{mask_url(url)}' is not a database URL; give the tracker store's database as "
            "postgresql://user:password@host/database or sqlite:///path/to/rasa.db"
        ) from None
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            raise RetentionError(f"{mask_url(url)}: no such SQLite file")
    elif parsed.get_backend_name() == "postgresql" and os.environ.get(_SCHEMA_VARIABLE):
        connect_args["options"] = f"-csearch_path={os.environ[_SCHEMA_VARIABLE]}"
    try:
        return sa.create_engine(parsed, future=True, connect_args=connect_args)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise RetentionError(f"{mask_url(url)}: the database driver is missing ({exc})") from None


def _check_table(connection: Any, url: str) -> None:
    """RetentionError unless the database has Rasa's `events` table."""
    if not sa.inspect(connection).has_table(EVENTS.name):
        raise RetentionError(
            f"{mask_url(url)} has no table '{EVENTS.name}': it is not a Rasa SQL tracker store"
        )
