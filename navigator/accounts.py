"""Counsellor accounts: usernames and Argon2id password hashes, nothing else about them.

`navigator users add NAME` makes an account; the web app checks a sign-in with
`Users.verify`. Answering an unknown username takes as long as a wrong password, so the
time of an answer does not tell which usernames exist.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from navigator.db import SESSIONS, USERS, Database
from navigator.errors import NavigatorError
from navigator.settings import PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS

_USERNAME = re.compile(r"[a-z0-9._-]{3,64}")


class AccountError(NavigatorError):
    """An account cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    """A counsellor's account, without its password hash."""

    username: str
    created_at: datetime
    last_login_at: datetime | None


def normalise_username(username: str) -> str:
    """The username lowercased; AccountError unless it is 3–64 of a-z, 0-9, '.', '_', '-'."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            f"'{username[:80]}' is not a username: use 3 to 64 letters a-z, digits, '.', '_' or '-'"
        )
    return name


def check_password(password: str) -> None:
    """AccountError unless the password is long enough (and not absurdly long)."""
    if len(password) < PASSWORD_MIN_CHARS:
        raise AccountError(
            f"the password has {len(password)} characters; use at least {PASSWORD_MIN_CHARS} "
            "(a few unrelated words are easy to remember)"
        )
    if len(password) > PASSWORD_MAX_CHARS:
        raise AccountError(f"the password is longer than {PASSWORD_MAX_CHARS:,} characters")


class Users:
    """The counsellors' accounts in the navigator's database."""

    def __init__(self, database: Database, hasher: PasswordHasher | None = None) -> None:
        self.db = database
        self.db.ensure_migrated()
        self.hasher = hasher or PasswordHasher()  # Argon2id with RFC 9106's parameters
        self._decoy: str | None = None

    def add(self, username: str, password: str, now: datetime | None = None) -> User:
        """Make an account; AccountError if the name is taken or the password too short."""
        name = normalise_username(username)
        check_password(password)
        user = User(name, now or datetime.now(timezone.utc), None)
        row = {
            "username": name,
            "password_hash": self.hasher.hash(password),
            "created_at": user.created_at,
        }
        try:
            with self.db.begin() as connection:
                connection.execute(USERS.insert().values(**row))
        except sa.exc.IntegrityError:
            raise AccountError(f"there is already an account '{name}'") from None
        return user

    def remove(self, username: str) -> None:
        """Delete an account and end its sessions; AccountError if there is none by that name."""
        name = username.strip().lower()
        with self.db.begin() as connection:
            deleted = connection.execute(USERS.delete().where(USERS.c.username == name))
            if deleted.rowcount == 0:
                raise AccountError(f"there is no account '{name}'")
            connection.execute(SESSIONS.delete().where(SESSIONS.c.username == name))

    def list(self) -> list[User]:
        """Every account, by username."""
        return _select(self.db, None)

    def get(self, username: str) -> User | None:
        """One account by username (any case), or None."""
        found = _select(self.db, USERS.c.username == username.strip().lower())
        return found[0] if found else None

    def verify(self, username: str, password: str, now: datetime | None = None) -> bool:
        """True if the password is the account's; records the sign-in time.

        A hash made with older parameters is replaced by one with the current parameters.
        """
        name = username.strip().lower()
        with self.db.connect() as connection:
            stored = connection.execute(
                sa.select(USERS.c.password_hash).where(USERS.c.username == name)
            ).scalar_one_or_none()
        if stored is None or len(password) > PASSWORD_MAX_CHARS:
            self._spend_a_check(password[:PASSWORD_MAX_CHARS])
            return False
        try:
            self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
        values: dict[str, object] = {"last_login_at": now or datetime.now(timezone.utc)}
        if self.hasher.check_needs_rehash(stored):
            values["password_hash"] = self.hasher.hash(password)
        with self.db.begin() as connection:
            connection.execute(USERS.update().where(USERS.c.username == name).values(**values))
        return True

    def _spend_a_check(self, password: str) -> None:
        """Check the password against a hash of nothing, taking the time a real check takes."""
        if self._decoy is None:
            self._decoy = self.hasher.hash(secrets.token_urlsafe(16))
        with contextlib.suppress(VerificationError):
            self.hasher.verify(self._decoy, password)


def _select(db: Database, condition: object) -> list[User]:
    """The accounts a condition selects (all for None), by username."""
    query = sa.select(USERS.c.username, USERS.c.created_at, USERS.c.last_login_at)
    if condition is not None:
        query = query.where(condition)
    with db.connect() as connection:
        rows = connection.execute(query.order_by(USERS.c.username)).all()
    return [User(*row) for row in rows]
