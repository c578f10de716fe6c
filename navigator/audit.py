"""The audit log: who did what to which contact request, for the county's data protection.

An entry says WHO (a counsellor's username, or "system"), did WHAT (a short verb such as
"contact.view", "contact.status", "contact.note", "login", "login.failed", "logout",
"handout.print", "search") to WHICH target (a request's reference, a username), with a small
detail of plain values.

An entry never holds personal data: no phone numbers, e-mail addresses or residents' words,
and no search text (which may name a resident). Callers pass the reference, the status
moved from and to, a count. The log stores exactly what it is given, so this is the
callers' duty; `ContactStore` records its own changes (status, notes, purge) itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from navigator.db import AUDIT_LOG, Database
from navigator.errors import UsageError
from navigator.settings import LIST_LIMIT_MAX

#: A detail value: plain values only, so that no record or free text slips in whole.
DetailValue = str | int | float | bool | None
Detail = Mapping[str, DetailValue]

_ACTION = re.compile(r"[a-z][a-z_]*(?:\.[a-z][a-z_]*)*")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, DetailValue] | None


class AuditLog:
    """The audit log in the navigator's database."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self.db.ensure_migrated()

    def record(
        self,
        actor: str,
        action: str,
        target: str | None = None,
        detail: Detail | None = None,
        now: datetime | None = None,
    ) -> None:
        """Add an entry, committed before this returns. Never pass personal data."""
        with self.db.begin() as connection:
            record_entry(
                connection, now or datetime.now(timezone.utc), actor, action, target, detail
            )

    def list(
        self, limit: int = 100, actor: str | None = None, target: str | None = None
    ) -> list[AuditEntry]:
        """Entries, newest first, optionally by one actor or about one target."""
        if not 1 <= limit <= LIST_LIMIT_MAX:
            raise UsageError(f"limit is 1 to {LIST_LIMIT_MAX}, not {limit}")
        query = AUDIT_LOG.select().order_by(AUDIT_LOG.c.at.desc(), AUDIT_LOG.c.id.desc())
        if actor is not None:
            query = query.where(AUDIT_LOG.c.actor == actor)
        if target is not None:
            query = query.where(AUDIT_LOG.c.target == target)
        with self.db.connect() as connection:
            rows = connection.execute(query.limit(limit)).mappings().all()
        return [
            AuditEntry(
                id=row["id"],
                at=row["at"],
                actor=row["actor"],
                action=row["action"],
                target=row["target"],
                detail=row["detail"],
            )
            for row in rows
        ]


def record_entry(
    connection: Any,
    at: datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: Detail | None,
) -> None:
    """Add an entry on an open connection, in the caller's transaction (so a change and its
    entry are committed together or not at all)."""
    _check(actor, action, target, detail)
    connection.execute(
        AUDIT_LOG.insert().values(
            at=at,
            actor=actor,
            action=action,
            target=target,
            detail=dict(detail) if detail is not None else None,
        )
    )


def _check(actor: str, action: str, target: str | None, detail: Detail | None) -> None:
    """UsageError for an entry the log's columns cannot hold as given."""
    if not 1 <= len(actor) <= 64:
        raise UsageError(f"an audit actor is 1 to 64 characters: '{actor[:80]}'")
    if len(action) > 32 or not _ACTION.fullmatch(action):
        raise UsageError(
            f"'{action[:40]}' is not an audit action; use a short dotted verb like contact.view"
        )
    if target is not None and not 1 <= len(target) <= 64:
        raise UsageError(f"an audit target is 1 to 64 characters: '{target[:80]}'")
    for key, value in (detail or {}).items():
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise UsageError(
                f"audit detail '{key}' is a {type(value).__name__}; give a plain value"
            )
