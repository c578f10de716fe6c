"""The database: migrations on SQLite and PostgreSQL, concurrent opening, clear errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from navigator.contact import ContactChannel, ContactDraft, ContactStore
from navigator.db import HEAD, METADATA, MIGRATIONS, Database, DatabaseError, mask_url

TABLES = {
    "alembic_version",
    "contact_requests",
    "contact_notes",
    "users",
    "sessions",
    "audit_log",
}
DRAFT = ContactDraft(
    language="fi",
    needs=("money_debt",),
    municipality="208",
    services=(),
    channel=ContactChannel.PHONE,
    address="040 123 4567",
    consent=True,
)


def test_head_is_the_newest_migration() -> None:
    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == HEAD


def test_migrations_build_the_schema_the_code_uses(database: Database) -> None:
    with database.connect() as connection:
        assert set(sa.inspect(connection).get_table_names()) == TABLES
        differences = compare_metadata(MigrationContext.configure(connection), METADATA)
    assert differences == []
    assert database.revision() == HEAD


def test_migrating_twice_is_a_no_op(database_url: str) -> None:
    first = Database(database_url)
    assert first.revision() is None
    assert first.migrate() == HEAD
    request = ContactStore(first).submit(DRAFT)
    second = Database(database_url)
    assert second.migrate() == HEAD
    assert second.revision() == HEAD
    assert ContactStore(second).get(request.reference) == request
    first.dispose()
    second.dispose()


MIGRATE_AT = """
import sys, time
import alembic.command, alembic.migration, alembic.script  # imported before the race
from navigator.db import Database
database = Database(sys.argv[1])
database.revision()  # connected once, too
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together
print(database.migrate())
"""


def test_processes_migrating_a_fresh_database_at_once_all_succeed(database_url: str) -> None:
    start = str(time.time() + 3)  # after the interpreters have started and imported
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_AT, database_url, start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [process.communicate(timeout=60) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in results]
    assert [out.strip() for out, _ in results] == [HEAD] * 3
    database = Database(database_url)
    assert database.revision() == HEAD
    database.dispose()


def test_sqlite_waits_for_writers_and_keeps_every_commit(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'navigator.db'}")
    with database.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "busy_timeout": 15_000,
        "foreign_keys": 1,
    }


def test_a_writer_waits_for_another_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "navigator.db"
    store = ContactStore(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for a second
    threading.Timer(1.0, other.commit).start()
    started = time.monotonic()
    request = store.submit(DRAFT)
    assert time.monotonic() - started >= 0.9
    assert store.get(request.reference) == request
    other.close()


def test_a_file_url_gets_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "navigator.db"
    Database(f"sqlite:///{path}").migrate()
    assert path.is_file()


def test_times_are_kept_in_utc_whatever_zone_they_are_given_in(database: Database) -> None:
    helsinki = timezone(timedelta(hours=2))
    at = datetime(2026, 11, 23, 14, 0, tzinfo=helsinki)
    request = ContactStore(database).submit(DRAFT, now=at)
    stored = ContactStore(database).get(request.reference)
    assert stored is not None
    assert stored.created_at == at
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at.hour == 12
    with pytest.raises(sa.exc.StatementError, match="no time zone"):
        ContactStore(database).submit(DRAFT, now=datetime(2026, 11, 23, 12, 0))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "'not a url' is not a database URL; give sqlite:///"),
        ("postgresql//anna:secret@db/navigator", "'postgresql//anna:***@db/navigator' is not"),
        ("mysql://anna:secret@db/navigator", "SQLite or PostgreSQL, not 'mysql'"),
    ],
)
def test_bad_urls_are_named_without_their_password(url: str, message: str) -> None:
    with pytest.raises(DatabaseError, match="NAVIGATOR_DATABASE_URL") as raised:
        Database(url)
    assert message in str(raised.value)
    assert "secret" not in str(raised.value)


def test_an_unreachable_server_is_named_without_its_password() -> None:
    database = Database("postgresql://anna:secret@127.0.0.1:1/navigator")
    with pytest.raises(DatabaseError) as raised:
        database.migrate()
    message = str(raised.value)
    assert message.startswith("cannot use the database postgresql://anna:***@127.0.0.1:1/navigator")
    assert "server is running" in message and "secret" not in message


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database, but someone's notes\n" * 100)
    with pytest.raises(DatabaseError, match=r"notes\.txt: file is not a database; check that"):
        Database(f"sqlite:///{tmp_path / 'notes.txt'}").migrate()


def test_an_sqlite_folder_that_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(DatabaseError, match="cannot create the folder of sqlite:///"):
        Database(f"sqlite:///{tmp_path / 'file' / 'navigator.db'}")


def test_a_database_from_before_migrations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "navigator.db"
    with sqlite3.connect(path) as old:
        old.execute("create table contact_requests (reference text primary key)")
    with pytest.raises(DatabaseError, match="without schema migrations; move the file aside"):
        Database(f"sqlite:///{path}").migrate()


def test_a_schema_newer_than_the_code_asks_for_an_upgrade(database: Database) -> None:
    with database.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="upgrade Navigator"):
        Database(database.engine.url.render_as_string(hide_password=False)).migrate()


def test_mask_url() -> None:
    assert mask_url("postgresql://a:b@h/d") == "postgresql://a:***@h/d"
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"
