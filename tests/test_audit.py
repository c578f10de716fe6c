"""The audit log: who did what to which reference, exactly as recorded, and never the
resident's contact details or words; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from navigator.audit import AuditEntry, AuditLog, Detail
from navigator.contact import ContactChannel, ContactDraft, ContactStore, Status
from navigator.db import AUDIT_LOG, Database
from navigator.errors import UsageError

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def log(database: Database) -> AuditLog:
    return AuditLog(database)


def test_an_entry_is_stored_exactly_as_given(log: AuditLog) -> None:
    detail: Detail = {"from": "new", "to": "in_progress", "results": 3, "exact": True, "x": None}
    log.record("anna", "contact.status", "NAV-AAAA-BBBB", detail, now=NOW)
    log.record("ben", "login", now=NOW + timedelta(seconds=1))
    first, second = reversed(log.list())
    assert (first.at, first.actor, first.action, first.target, first.detail) == (
        NOW,
        "anna",
        "contact.status",
        "NAV-AAAA-BBBB",
        detail,
    )
    assert second == AuditEntry(second.id, NOW + timedelta(seconds=1), "ben", "login", None, None)


def test_entries_newest_first_by_actor_or_target(log: AuditLog) -> None:
    for minute, (actor, action, target) in enumerate(
        [
            ("anna", "login", None),
            ("anna", "contact.view", "NAV-AAAA-AAAA"),
            ("ben", "contact.view", "NAV-AAAA-AAAA"),
            ("anna", "handout.print", "NAV-BBBB-BBBB"),
            ("anna", "logout", None),
        ]
    ):
        log.record(actor, action, target, now=NOW + timedelta(minutes=minute))
    assert [e.action for e in log.list()] == [
        "logout",
        "handout.print",
        "contact.view",
        "contact.view",
        "login",
    ]
    assert [e.action for e in log.list(limit=2)] == ["logout", "handout.print"]
    assert [e.actor for e in log.list(target="NAV-AAAA-AAAA")] == ["ben", "anna"]
    assert [e.action for e in log.list(actor="ben")] == ["contact.view"]
    assert [e.action for e in log.list(actor="anna", target="NAV-AAAA-AAAA")] == ["contact.view"]
    with pytest.raises(UsageError, match="limit is 1 to 500"):
        log.list(limit=0)


@pytest.mark.parametrize(
    ("actor", "action", "target", "detail", "message"),
    [
        ("", "login", None, None, "an audit actor is 1 to 64 characters"),
        ("anna", "Contact View", None, None, "is not an audit action; use a short dotted verb"),
        ("anna", "contact." + "x" * 30, None, None, "is not an audit action"),
        ("anna", "contact.view", "", None, "an audit target is 1 to 64 characters"),
        ("anna", "search", None, {"filters": ["housing"]}, "audit detail 'filters' is a list"),
    ],
)
def test_entries_the_log_cannot_hold_are_refused(
    log: AuditLog,
    actor: str,
    action: str,
    target: str | None,
    detail: dict[str, object] | None,
    message: str,
) -> None:
    with pytest.raises(UsageError, match=message):
        log.record(actor, action, target, detail)  # type: ignore[arg-type]
    assert log.list() == []


def test_a_counsellors_work_leaves_no_contact_details_in_the_log(log: AuditLog) -> None:
    """What the web app records when a request is viewed, plus what the store records."""
    store = ContactStore(log.db)
    phone = store.submit(
        ContactDraft(
            language="fi",
            needs=("money_debt",),
            municipality="208",
            services=(),
            channel=ContactChannel.PHONE,
            address="040 123 4567",
            consent=True,
            free_text="velat kasvaneet keväästä asti",
        )
    )
    email = store.submit(
        ContactDraft(
            language="en",
            needs=("housing",),
            municipality="564",
            services=(),
            channel=ContactChannel.EMAIL,
            address="matti.meikalainen@example.com",
            consent=True,
        )
    )
    for request in (phone, email):
        log.record("anna", "contact.view", request.reference)
        store.set_status(request.reference, Status.IN_PROGRESS, "anna")
        store.add_note(request.reference, "anna", f"soitin numeroon {phone.address}")
    store.purge(0, now=datetime.now(timezone.utc) + timedelta(days=1))
    with log.db.connect() as connection:
        rows = [tuple(row) for row in connection.execute(sa.select(AUDIT_LOG))]
    text = repr(rows)
    assert len(rows) == 7
    for personal in ("+358401234567", "040 123 4567", "matti.meikalainen", "velat", "soitin"):
        assert personal not in text
    assert phone.reference in text and email.reference in text
