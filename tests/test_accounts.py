"""Counsellor accounts: names, password rules, Argon2 hashes, sign-in checks that do not
tell which usernames exist; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from navigator.accounts import AccountError, User, Users
from navigator.db import SESSIONS, USERS, Database

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery staple"


class CountingHasher(PasswordHasher):
    """Argon2 with cheap parameters (fast tests) that counts the checks it makes."""

    def __init__(self, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=1024, parallelism=1)
        self.checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def users(database: Database, hasher: CountingHasher) -> Users:
    return Users(database, hasher)


def stored_hash(users: Users, username: str) -> str:
    with users.db.connect() as connection:
        value: str = (
            connection.execute(USERS.select().where(USERS.c.username == username))
            .mappings()
            .one()["password_hash"]
        )
    return value


def test_add_list_and_remove(users: Users) -> None:
    added = users.add("Anna.Korhonen", PASSWORD, now=NOW)
    assert added == User("anna.korhonen", NOW, None)
    users.add("ben-2", PASSWORD, now=NOW)
    assert [u.username for u in users.list()] == ["anna.korhonen", "ben-2"]
    assert users.get("ANNA.korhonen") == added
    users.remove("Anna.Korhonen")
    assert [u.username for u in users.list()] == ["ben-2"]
    assert users.get("anna.korhonen") is None


@pytest.mark.parametrize("name", ["an", "a" * 65, "anna korhonen", "änni", "anna@kunta.fi", ""])
def test_usernames_are_short_plain_words(users: Users, name: str) -> None:
    with pytest.raises(AccountError, match="is not a username: use 3 to 64 letters a-z, digits"):
        users.add(name, PASSWORD)
    assert users.list() == []


def test_passwords_are_long_enough(users: Users) -> None:
    with pytest.raises(AccountError, match="the password has 11 characters; use at least 12"):
        users.add("anna", "x" * 11)
    with pytest.raises(AccountError, match="longer than 1,024 characters"):
        users.add("anna", "x" * 1_025)
    users.add("anna", "x" * 12)


def test_a_name_is_taken_once_whatever_its_case(users: Users) -> None:
    users.add("anna", PASSWORD)
    with pytest.raises(AccountError, match="there is already an account 'anna'"):
        users.add("ANNA", "another password entirely")
    assert users.verify("anna", PASSWORD)


def test_removing_an_account_ends_its_sessions(users: Users) -> None:
    users.add("anna", PASSWORD)
    users.add("ben", PASSWORD)
    session = {"kind": "web", "csrf": "x", "created_at": NOW, "last_seen_at": NOW}
    with users.db.begin() as connection:
        for token, name in (("a1", "anna"), ("a2", "anna"), ("b1", "ben")):
            connection.execute(SESSIONS.insert().values(token_hash=token, username=name, **session))
    users.remove("anna")
    with users.db.connect() as connection:
        left = connection.execute(sa.select(SESSIONS.c.token_hash)).scalars().all()
    assert left == ["b1"]


def test_removing_an_unknown_account_is_an_error(users: Users) -> None:
    with pytest.raises(AccountError, match="there is no account 'nobody'"):
        users.remove("nobody")


def test_the_password_is_kept_only_as_an_argon2id_hash(users: Users) -> None:
    users.add("anna", PASSWORD)
    stored = stored_hash(users, "anna")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_verify_accepts_the_password_and_records_the_sign_in(users: Users) -> None:
    users.add("anna", PASSWORD, now=NOW)
    assert users.verify("anna", "correct horse battery stapler") is False
    assert users.verify("anna", "") is False
    assert users.get("anna") == User("anna", NOW, None)  # failures record nothing
    signed_in = datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc)
    assert users.verify(" Anna ", PASSWORD, now=signed_in) is True
    assert users.get("anna") == User("anna", NOW, signed_in)


def test_an_unknown_username_costs_a_hash_check_like_a_wrong_password(
    users: Users, hasher: CountingHasher
) -> None:
    users.add("anna", PASSWORD)
    hasher.checks = 0
    assert users.verify("anna", "wrong password here") is False
    assert hasher.checks == 1
    assert users.verify("nobody", "wrong password here") is False
    assert users.verify("not a username!", "wrong password here") is False
    assert users.verify("anna", "x" * 5_000) is False  # too long to hash in full: a decoy check
    assert hasher.checks == 4


def test_a_hash_with_old_parameters_is_renewed_at_sign_in(database: Database) -> None:
    Users(database, CountingHasher(time_cost=1)).add("anna", PASSWORD)
    old = stored_hash(Users(database), "anna")
    stronger = Users(database, CountingHasher(time_cost=2))
    assert stronger.verify("anna", "wrong password here") is False
    assert stored_hash(stronger, "anna") == old  # only a right password is rehashed
    assert stronger.verify("anna", PASSWORD) is True
    renewed = stored_hash(stronger, "anna")
    assert renewed != old and ",t=2," in renewed and ",t=1," in old
    assert stronger.verify("anna", PASSWORD) is True
    assert stored_hash(stronger, "anna") == renewed  # current parameters: kept as it is
