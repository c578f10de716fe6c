"""The database behind contact requests, counsellor accounts, sessions and the audit log.

SQLite by default (one file beside the navigator), PostgreSQL in production; one code path
for both. The schema below is what the Alembic migrations in `navigator/migrations/` build;
`Database.migrate()` brings a database to the newest version, and every store migrates the
database it is given once, so any process (the action server, the web app, the command
line) can be the first to open a fresh database, or open it at the same time as another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from navigator.errors import NavigatorError
from navigator.settings import DATABASE_BUSY_TIMEOUT_SECONDS, DATABASE_CONNECT_TIMEOUT_SECONDS

BACKENDS = ("sqlite", "postgresql")
MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0001"  # the newest migration; a test checks it is the scripts' head
# Any fixed number: PostgreSQL sessions that migrate take this lock in turn.
_MIGRATION_LOCK = 0x4E41_5649
_SETTING = "NAVIGATOR_DATABASE_URL (or --database-url)"


class DatabaseError(NavigatorError):
    """The database cannot be opened, reached or migrated; the message names it (password
    masked) and says what to do."""


class UtcDateTime(sa.types.TypeDecorator):  # type: ignore[misc]  # SQLAlchemy 1.4 is untyped
    """A point in time, stored in UTC and read back in UTC on both databases.

    SQLite keeps no time zone, so an aware time in another zone would be stored as its wall
    clock time; converting on the way in keeps comparisons (retention) right.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect: Any) -> datetime | None:
        """Aware times only, converted to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value} has no time zone; give times in UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        """UTC, also where the database kept no zone."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# JSONB on PostgreSQL: it can be searched (`@>`) where plain JSON cannot.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# 64-bit ids on PostgreSQL; SQLite numbers rows itself only for an INTEGER primary key.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# The schema at HEAD. The migrations are the source of truth; a test compares this with the
# database they build, on both backends.
METADATA = sa.MetaData()
CONTACT_REQUESTS = sa.Table(
    "contact_requests",
    METADATA,
    sa.Column("reference", sa.String(16), primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("needs", JSON, nullable=False),
    sa.Column("municipality", sa.String(3), index=True),
    sa.Column("services", JSON, nullable=False),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("address", sa.String(320), nullable=False),
    sa.Column("preferred_time", sa.String(200), nullable=False),
    sa.Column("free_text", sa.Text),
    sa.Column("status", sa.String(16), nullable=False, index=True),
)
CONTACT_NOTES = sa.Table(
    "contact_notes",
    METADATA,
    sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
    sa.Column(
        "reference",
        sa.String(16),
        sa.ForeignKey("contact_requests.reference", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
USERS = sa.Table(
    "users",
    METADATA,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_login_at", UtcDateTime),
)
# Counsellors' sign-in sessions, used by the web app (navigator/web/sessions.py); only a
# hash of each token is kept.
SESSIONS = sa.Table(
    "sessions",
    METADATA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_seen_at", UtcDateTime, nullable=False),
)
AUDIT_LOG = sa.Table(
    "audit_log",
    METADATA,
    sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.String(64), index=True),
    sa.Column("detail", JSON),
)


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, also when it does not parse."""
    try:
        return str(sa.engine.make_url(url).render_as_string(hide_password=True))
    except sa.exc.ArgumentError:
        return re.sub(r":[^:/@]*@", ":***@", url)  # whatever stands where a password would


class Database:
    """One SQLite or PostgreSQL database, given by an SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        self.url = mask_url(url)  # safe to show: the password is masked
        try:
            parsed = sa.engine.make_url(url)
        except sa.exc.ArgumentError:
            raise DatabaseError(
                f"'{self.url}' is not a database URL; give sqlite:///path/to/file.db or "
                f"postgresql://user:password@host/database in {_SETTING}"
            ) from None
        self.backend = parsed.get_backend_name()
        if self.backend not in BACKENDS:
            raise DatabaseError(
                f"{self.url}: Navigator stores its data in SQLite or PostgreSQL, not "
                f"'{self.backend}': change {_SETTING}"
            )
        self._migrated = False
        self.engine = self._engine(parsed)

    def _engine(self, parsed: Any) -> Any:
        """The SQLAlchemy engine, with the settings each backend needs."""
        connect_args: dict[str, Any] = {}
        if self.backend == "sqlite":
            _make_parent(parsed.database, self.url)  # its busy timeout is set on connecting
        else:
            connect_args["connect_timeout"] = DATABASE_CONNECT_TIMEOUT_SECONDS
        try:
            engine = sa.create_engine(parsed, future=True, connect_args=connect_args)
        except (ImportError, sa.exc.NoSuchModuleError) as exc:
            raise DatabaseError(
                f"{self.url}: the database driver is missing ({exc}); for PostgreSQL install "
                "psycopg2-binary"
            ) from None
        if self.backend == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_connect)
            sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a database that cannot be reached or used into a DatabaseError naming it.

        A row the database refuses (a duplicate key, a value too long) is the caller's to
        handle and passes through.
        """
        try:
            yield
        except (sa.exc.IntegrityError, sa.exc.DataError):
            raise
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            where = (
                "that the file is a Navigator database in a writable folder"
                if self.backend == "sqlite"
                else "that the server is running and reachable and lets this user in"
            )
            raise DatabaseError(
                f"cannot use the database {self.url}: {reason}; check {where}, and the URL "
                f"in {_SETTING}"
            ) from exc

    @contextmanager
    def begin(self) -> Iterator[Any]:
        """A connection in a write transaction, committed when the block ends.

        On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so one that
        reads before it writes waits for another writer instead of failing.
        """
        with self.errors(), self.engine.connect() as connection:
            connection.execution_options(navigator_write=True)
            with connection.begin():
                yield connection

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection for reading."""
        with self.errors(), self.engine.connect() as connection:
            yield connection

    def migrate(self) -> str:
        """Bring the schema to the newest version (no-op when it is there); returns it.

        Safe to run from several processes at once: the migration runs in one transaction
        that holds the database's write lock (SQLite) or an advisory lock (PostgreSQL), so
        the second process waits, then finds the schema up to date.
        """
        from alembic import command
        from alembic.util import CommandError

        with self.begin() as connection:
            if self.backend == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            self._check_adoptable(connection)
            try:
                command.upgrade(_alembic_config(connection), "head")
            except CommandError as exc:
                raise DatabaseError(
                    f"{self.url}: cannot migrate the schema ({exc}); a newer Navigator may "
                    "have migrated it: upgrade Navigator"
                ) from None
        self._migrated = True
        return HEAD

    def ensure_migrated(self) -> None:
        """Migrate once per Database object (the stores call this before their first use)."""
        if not self._migrated:
            self.migrate()

    def revision(self) -> str | None:
        """The schema version the database is at (None before the first migration)."""
        from alembic.migration import MigrationContext

        with self.connect() as connection:
            rev: str | None = MigrationContext.configure(connection).get_current_revision()
            return rev

    def _check_adoptable(self, connection: Any) -> None:
        """Refuse a database whose tables were made before migrations existed."""
        tables = set(sa.inspect(connection).get_table_names())
        if "contact_requests" in tables and "alembic_version" not in tables:
            raise DatabaseError(
                f"{self.url} holds contact requests from a Navigator without schema "
                "migrations; move the file aside (its requests stay readable there) and "
                "run 'navigator db migrate'"
            )

    def dispose(self) -> None:
        """Close the pooled connections (for a process that is done with the database)."""
        self.engine.dispose()


def _alembic_config(connection: Any) -> Any:
    """Alembic's configuration, in code: no alembic.ini is needed at run time."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection  # env.py migrates on this connection
    return config


def _make_parent(database: str | None, url: str) -> None:
    """Create the folder of an SQLite file, so that a fresh path just works."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the folder of {url}: {exc.strerror}; choose another path in {_SETTING}"
        ) from None


def _sqlite_connect(connection: Any, _record: Any) -> None:
    """Settings of every SQLite connection.

    Wait for another process's write instead of failing with "database is locked"; every
    commit reaches the disk before it returns (a confirmed request is never lost); readers
    and one writer work side by side (WAL); notes go with their request (foreign keys).
    The driver's own transaction handling is turned off: it does not put schema changes in
    a transaction, so we begin every transaction ourselves (below).
    """
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(DATABASE_BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Begin an SQLite transaction: writers take the write lock at once."""
    write = connection.get_execution_options().get("navigator_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
