"""Counsellors' sessions, kept in the database so that every web node sees the same ones.

A session is created at login (the browser's cookie) or by the API's token endpoint (a
bearer token). Only a hash of the token is stored, so a copy of the database does not
let anyone act as a counsellor. A session ends after `SESSION_IDLE_MINUTES` without use,
after `SESSION_MAX_HOURS` in all, or at logout; an ended session is refused everywhere.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from navigator.db import SESSIONS, Database
from navigator.web.config import SESSION_IDLE_MINUTES, SESSION_MAX_HOURS

# Sliding expiry writes at most once a minute per session, not on every request.
_TOUCH_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    """A counsellor's live session."""

    username: str
    kind: str
    csrf: str  # the token every form of this session must carry
    created_at: datetime
    last_seen_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    """Create, look up and end counsellors' sessions."""

    def __init__(
        self,
        db: Database,
        idle: timedelta = timedelta(minutes=SESSION_IDLE_MINUTES),
        lifetime: timedelta = timedelta(hours=SESSION_MAX_HOURS),
    ) -> None:
        db.ensure_migrated()
        self.engine = db.engine
        self.idle = idle
        self.lifetime = lifetime

    def create(self, username: str, kind: str = "web", now: datetime | None = None) -> str:
        """A new session for `username`; returns its token (shown once, stored hashed)."""
        now = now or datetime.now(timezone.utc)
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(
                SESSIONS.insert().values(
                    token_hash=_hash(token),
                    username=username,
                    kind=kind,
                    csrf=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return token

    def get(self, token: str, kind: str, now: datetime | None = None) -> Session | None:
        """The live session of this token and kind, extended by use; None if none or ended."""
        if not token or len(token) > 128:
            return None
        now = now or datetime.now(timezone.utc)
        key = _hash(token)
        with self.engine.begin() as connection:
            row = (
                connection.execute(SESSIONS.select().where(SESSIONS.c.token_hash == key))
                .mappings()
                .first()
            )
            if row is None or row["kind"] != kind:
                return None
            created, seen = row["created_at"], row["last_seen_at"]  # UTC (db.UtcDateTime)
            if now - seen > self.idle or now - created > self.lifetime:
                connection.execute(SESSIONS.delete().where(SESSIONS.c.token_hash == key))
                return None
            if now - seen > _TOUCH_AFTER:
                connection.execute(
                    SESSIONS.update().where(SESSIONS.c.token_hash == key).values(last_seen_at=now)
                )
                seen = now
        return Session(row["username"], row["kind"], row["csrf"], created, seen)

    def end(self, token: str) -> None:
        """End one session (logout)."""
        with self.engine.begin() as connection:
            connection.execute(SESSIONS.delete().where(SESSIONS.c.token_hash == _hash(token)))

    def end_all(self, username: str) -> int:
        """End every session of a user (the account was removed); returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(SESSIONS.delete().where(SESSIONS.c.username == username))
        return int(result.rowcount)

    def purge(self, now: datetime | None = None) -> int:
        """Delete sessions that have expired; returns how many."""
        now = now or datetime.now(timezone.utc)
        with self.engine.begin() as connection:
            result = connection.execute(
                SESSIONS.delete().where(
                    sa.or_(
                        SESSIONS.c.last_seen_at < now - self.idle,
                        SESSIONS.c.created_at < now - self.lifetime,
                    )
                )
            )
        return int(result.rowcount)
