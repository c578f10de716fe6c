"""The `navigator users`, `navigator contact purge` and `navigator db migrate` commands, on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner, Result

from navigator.accounts import AccountError, Users
from navigator.audit import AuditLog
from navigator.cli import cli
from navigator.contact import ContactChannel, ContactDraft, ContactStore
from navigator.db import HEAD, Database

PASSWORD = "correct horse battery staple"


def run(database_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--database-url", database_url], input=stdin)


def test_db_migrate_creates_then_repeats_nothing(database_url: str) -> None:
    for _ in range(2):
        result = run(database_url, "db", "migrate")
        assert result.exit_code == 0, result.output
        assert result.output.endswith(f": schema version {HEAD}\n")
    assert "postgresql://postgres@" in result.output or "sqlite:///" in result.output


def test_users_add_from_stdin_then_list_and_remove(database_url: str) -> None:
    result = run(database_url, "users", "add", "Anna.K", "--password-stdin", stdin=PASSWORD + "\n")
    assert (result.exit_code, result.output) == (0, "added account anna.k\n")
    database = Database(database_url)
    assert Users(database).verify("anna.k", PASSWORD)
    listed = run(database_url, "users", "list", "--format", "json")
    assert listed.exit_code == 0
    (row,) = json.loads(listed.output)
    assert row["username"] == "anna.k" and row["last_login_at"] is not None
    text = run(database_url, "users", "list").output.splitlines()
    assert text[0].startswith("anna.k  added ") and text[-1] == "1 accounts"
    assert run(database_url, "users", "remove", "anna.k").output == "removed account anna.k\n"
    assert run(database_url, "users", "list", "--format", "json").output.strip() == "[]"
    assert [(e.actor, e.action, e.target) for e in AuditLog(database).list()] == [
        ("cli", "user.remove", "anna.k"),
        ("cli", "user.add", "anna.k"),
    ]
    database.dispose()


def test_users_add_asks_twice_and_again_when_too_short(database_url: str) -> None:
    typed = f"short\n{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n"
    result = run(database_url, "users", "add", "ben", stdin=typed)
    assert result.exit_code == 0, result.output
    assert "the password has 5 characters; use at least 12" in result.output
    assert "The two entered values do not match" in result.output
    assert Users(Database(database_url)).verify("ben", PASSWORD)


def test_users_errors_are_navigator_errors(database_url: str) -> None:
    result = run(database_url, "users", "add", "x y", "--password-stdin", stdin=PASSWORD)
    assert result.exit_code == 1
    assert isinstance(result.exception, AccountError)
    assert str(result.exception).startswith("'x y' is not a username")
    result = run(database_url, "users", "add", "ben", "--password-stdin", stdin="short\n")
    assert isinstance(result.exception, AccountError)
    result = run(database_url, "users", "remove", "nobody")
    assert str(result.exception) == "there is no account 'nobody'"


def test_contact_purge_prints_how_many(database_url: str) -> None:
    store = ContactStore(database_url)
    draft = ContactDraft(
        language="fi",
        needs=(),
        municipality=None,
        services=(),
        channel=ContactChannel.PHONE,
        address="040 123 4567",
        consent=True,
    )
    now = datetime.now(timezone.utc)
    store.submit(draft, now=now - timedelta(days=91))
    store.submit(draft, now=now - timedelta(days=31))
    store.submit(draft, now=now - timedelta(days=1))
    result = run(database_url, "contact", "purge")
    assert result.output == "deleted 1 contact requests made more than 90 days ago\n"
    result = run(database_url, "contact", "purge", "--older-than", "30")
    assert result.output == "deleted 1 contact requests made more than 30 days ago\n"
    assert store.count() == 1
    assert run(database_url, "contact", "purge", "--older-than", "-1").exit_code == 2


def test_the_url_comes_from_the_environment(database_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["db", "migrate"], env={"NAVIGATOR_DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    assert Database(database_url).revision() == HEAD


def test_a_database_error_is_one_line_on_stderr_and_exit_1() -> None:
    """Through the real entry point: the URL without its password, no traceback."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from navigator.cli import main; main()",
            "users",
            "list",
            "--database-url",
            "postgresql://anna:secret@127.0.0.1:1/navigator",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "error: cannot use the database postgresql://anna:***@127.0.0.1:1/navigator: "
    )
    assert len(result.stderr.splitlines()) == 1
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
