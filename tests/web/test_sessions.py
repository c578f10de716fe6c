"""Counsellors' sessions in the database: created, extended by use, ended, expired."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from navigator.db import SESSIONS, Database
from navigator.web.sessions import Sessions

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_a_session_is_found_by_its_token_and_kind_only(database: Database) -> None:
    sessions = Sessions(database)
    token = sessions.create("liisa", "web", now=T0)
    found = sessions.get(token, "web", now=T0)
    assert found is not None and found.username == "liisa" and len(found.csrf) >= 32
    assert sessions.get(token, "api", now=T0) is None  # a cookie is not a bearer token
    assert sessions.get(token + "x", "web", now=T0) is None
    assert sessions.get("", "web", now=T0) is None


def test_only_a_hash_of_the_token_is_stored(database: Database) -> None:
    token = Sessions(database).create("liisa", now=T0)
    with database.connect() as connection:
        stored = connection.execute(sa.select(SESSIONS.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64


def test_use_extends_a_session_until_its_lifetime(database: Database) -> None:
    sessions = Sessions(database, idle=timedelta(minutes=30), lifetime=timedelta(hours=8))
    token = sessions.create("liisa", now=T0)
    moment = T0
    while moment < T0 + timedelta(hours=7, minutes=50):  # active all day: still in
        moment += timedelta(minutes=20)
        assert sessions.get(token, "web", now=moment) is not None, moment
    assert sessions.get(token, "web", now=T0 + timedelta(hours=8, minutes=1)) is None


def test_a_session_left_idle_expires_and_is_deleted(database: Database) -> None:
    sessions = Sessions(database, idle=timedelta(minutes=30))
    token = sessions.create("liisa", now=T0)
    assert sessions.get(token, "web", now=T0 + timedelta(minutes=31)) is None
    assert sessions.get(token, "web", now=T0) is None  # gone, not just stale


def test_logout_and_purge_end_sessions(database: Database) -> None:
    sessions = Sessions(database, idle=timedelta(minutes=30))
    first, second = sessions.create("liisa", now=T0), sessions.create("pekka", now=T0)
    sessions.end(first)
    assert sessions.get(first, "web", now=T0) is None
    assert sessions.get(second, "web", now=T0) is not None
    sessions.create("pekka", now=T0 + timedelta(hours=2))
    assert sessions.purge(now=T0 + timedelta(hours=2)) == 1
    assert sessions.end_all("pekka") == 1
