"""Contact requests: consent first, checked contact details, durable storage, retention, and
the counsellors' work on them (listing, status, notes); on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from navigator import contact
from navigator.audit import AuditLog
from navigator.catalog.loader import load_catalog
from navigator.contact import (
    ConsentMissing,
    ContactChannel,
    ContactDraft,
    ContactError,
    ContactStore,
    Note,
    Status,
    summary_text,
)
from navigator.db import CONTACT_NOTES, Database
from navigator.errors import UsageError

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def draft(**changes: object) -> ContactDraft:
    values: dict[str, object] = {
        "language": "fi",
        "needs": ("money_debt",),
        "municipality": "208",
        "services": ("kalajoki-diaconal-work",),
        "channel": ContactChannel.PHONE,
        "address": "040 123 4567",
        "preferred_time": "arkisin iltapäivällä",
        "consent": True,
    }
    values.update(changes)
    return ContactDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(database: Database) -> ContactStore:
    return ContactStore(database)


def test_a_request_is_on_disk_when_submit_returns(tmp_path: Path) -> None:
    store = ContactStore(f"sqlite:///{tmp_path / 'contacts.db'}")
    request = store.submit(draft(), now=NOW)
    assert request.reference.startswith("NAV-") and len(request.reference) == 13
    assert request.address == "+358401234567"
    # Read with a separate connection, as another process would after a crash.
    with sqlite3.connect(tmp_path / "contacts.db") as db:
        rows = db.execute("select reference, address, status from contact_requests").fetchall()
    assert rows == [(request.reference, "+358401234567", "new")]
    again = ContactStore(f"sqlite:///{tmp_path / 'contacts.db'}").get(request.reference)
    assert again == request


def test_nothing_is_stored_without_consent(store: ContactStore) -> None:
    with pytest.raises(ConsentMissing, match="nothing was stored"):
        store.submit(draft(consent=False))
    assert store.list() == []


@pytest.mark.parametrize(
    ("channel", "address", "message"),
    [
        (ContactChannel.PHONE, "0000", "not a valid phone number"),
        (ContactChannel.PHONE, "112", "service number"),
        (ContactChannel.PHONE, "soita mulle", "not a phone number"),
        (ContactChannel.EMAIL, "matti.meikalainen", "@-sign"),
    ],
)
def test_bad_contact_details_are_refused_with_a_reason(
    store: ContactStore, channel: ContactChannel, address: str, message: str
) -> None:
    with pytest.raises(ContactError, match=message):
        store.submit(draft(channel=channel, address=address))
    assert store.list() == []


def test_email_and_own_words_only_when_given(store: ContactStore) -> None:
    plain = store.submit(draft(channel=ContactChannel.EMAIL, address="Matti@Example.com"))
    assert plain.address == "Matti@example.com"
    assert plain.free_text is None
    shared = store.submit(draft(free_text="  x" * 2_000))
    assert shared.free_text is not None and len(shared.free_text) == 1_000


def test_status_and_listing(store: ContactStore) -> None:
    first = store.submit(draft(), now=NOW)
    second = store.submit(draft(), now=NOW + timedelta(minutes=1))
    assert [r.reference for r in store.list()] == [second.reference, first.reference]
    store.set_status(first.reference, Status.IN_PROGRESS, "anna")
    assert [r.reference for r in store.list(Status.IN_PROGRESS)] == [first.reference]
    with pytest.raises(ContactError, match="no contact request NAV-XXXX-XXXX"):
        store.set_status("NAV-XXXX-XXXX", Status.DONE, "anna")


def test_purge_keeps_only_what_retention_allows(store: ContactStore) -> None:
    old = store.submit(draft(), now=NOW - timedelta(days=91))
    recent = store.submit(draft(), now=NOW - timedelta(days=89))
    assert store.purge(90, now=NOW) == 1
    assert store.get(old.reference) is None
    assert store.get(recent.reference) is not None


def test_summary_shows_what_will_be_sent(small_catalog: Path) -> None:
    catalog = load_catalog(small_catalog)
    text = summary_text(draft(), catalog)
    assert text.splitlines() == [
        "Tarve: Raha ja velat",
        "Kunta: Kalajoki",
        "Suositellut palvelut: Kalajoen seurakunnan diakoniatyö",
        "Yhteydenotto: puhelimitse 040 123 4567",
        "Toivottu aika: arkisin iltapäivällä",
        "Omat sanasi: ei mukana",
    ]
    english = summary_text(draft(language="en", free_text="debts since spring"), catalog)
    assert "Your own words: debts since spring" in english


# The counsellors' work: listing, status, notes, retention ------------------------------------


def test_a_store_opens_from_a_url_or_a_database(database_url: str) -> None:
    database = Database(database_url)
    request = ContactStore(database_url).submit(draft())
    assert ContactStore(database).get(request.reference) == request
    database.dispose()


def test_list_filters_pages_and_counts(store: ContactStore) -> None:
    made = [
        store.submit(draft(), now=NOW),
        store.submit(draft(needs=("housing", "money_debt")), now=NOW + timedelta(minutes=1)),
        store.submit(draft(municipality="564", needs=("housing",)), now=NOW + timedelta(minutes=2)),
        store.submit(draft(municipality=None, needs=()), now=NOW + timedelta(minutes=3)),
    ]
    newest_first = [r.reference for r in reversed(made)]
    assert [r.reference for r in store.list()] == newest_first
    assert [r.reference for r in store.list(limit=2, offset=1)] == newest_first[1:3]
    assert store.list(offset=4) == []
    assert [r.reference for r in store.list(need="housing")] == newest_first[1:3]
    assert [r.reference for r in store.list(need="money_debt", municipality="208")] == [
        made[1].reference,
        made[0].reference,
    ]
    assert store.list(need="hous") == []  # whole need ids only
    store.set_status(made[0].reference, "in_progress", "anna")
    assert [r.reference for r in store.list(status="in_progress")] == [made[0].reference]
    assert store.count() == 4
    assert store.count(need="housing") == 2
    assert store.count(status=Status.NEW, municipality="208") == 1
    assert store.count(municipality="091") == 0


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_list_refuses_pages_it_cannot_give(store: ContactStore, limit: int, offset: int) -> None:
    with pytest.raises(UsageError, match="limit is 1 to 500"):
        store.list(limit=limit, offset=offset)


def test_status_moves_forward_and_back_but_not_past_in_progress(store: ContactStore) -> None:
    reference = store.submit(draft(), now=NOW).reference
    with pytest.raises(ContactError, match="is new; it can move to in_progress, not done"):
        store.set_status(reference, Status.DONE, "anna")
    moved = store.set_status(reference, Status.IN_PROGRESS, "anna", now=NOW + timedelta(hours=1))
    assert moved.status is Status.IN_PROGRESS
    assert moved.updated_at == NOW + timedelta(hours=1)
    assert store.set_status(reference, Status.DONE, "anna").status is Status.DONE
    assert store.set_status(reference, Status.IN_PROGRESS, "ben").status is Status.IN_PROGRESS
    assert store.set_status(reference, Status.NEW, "ben").status is Status.NEW
    store.set_status(reference, Status.IN_PROGRESS, "ben")
    store.set_status(reference, Status.DONE, "ben")
    assert store.set_status(reference, Status.NEW, "ben").status is Status.NEW
    with pytest.raises(ContactError, match="'closed' is not a status; one of new, in_progress"):
        store.set_status(reference, "closed", "ben")


def test_each_status_change_is_in_the_audit_log(store: ContactStore) -> None:
    reference = store.submit(draft(), now=NOW).reference
    store.set_status(reference, Status.IN_PROGRESS, "anna")
    store.set_status(reference, Status.IN_PROGRESS, "ben")  # no change: nothing recorded
    store.set_status(reference, Status.DONE, "anna")
    entries = AuditLog(store.db).list(target=reference)
    assert [(e.actor, e.action, e.detail) for e in entries] == [
        ("anna", "contact.status", {"from": "in_progress", "to": "done"}),
        ("anna", "contact.status", {"from": "new", "to": "in_progress"}),
    ]


def test_unknown_references_are_named(store: ContactStore) -> None:
    message = "no contact request NAV-AAAA-BBBB: check the reference; requests are deleted 90"
    with pytest.raises(ContactError, match=message):
        store.set_status("NAV-AAAA-BBBB", Status.IN_PROGRESS, "anna")
    with pytest.raises(ContactError, match=message):
        store.add_note("NAV-AAAA-BBBB", "anna", "called")
    assert store.get("NAV-AAAA-BBBB") is None
    assert AuditLog(store.db).list() == []


def test_notes_come_back_in_time_order(store: ContactStore) -> None:
    reference = store.submit(draft(), now=NOW).reference
    later = store.add_note(
        reference, "anna", "  called back, agreed on Monday  ", now=NOW + timedelta(hours=2)
    )
    store.add_note(reference, "ben", "first call, no answer", now=NOW + timedelta(hours=1))
    store.add_note(reference, "ben", "same minute, written second", now=NOW + timedelta(hours=2))
    assert later == Note("anna", NOW + timedelta(hours=2), "called back, agreed on Monday")
    request = store.get(reference)
    assert request is not None
    assert [(n.author, n.text) for n in request.notes] == [
        ("ben", "first call, no answer"),
        ("anna", "called back, agreed on Monday"),
        ("ben", "same minute, written second"),
    ]
    assert request.updated_at == NOW + timedelta(hours=2)
    assert store.list()[0].notes == request.notes
    entry = AuditLog(store.db).list(limit=1)[0]
    assert (entry.actor, entry.action, entry.target) == ("ben", "contact.note", reference)
    assert entry.detail == {"chars": len("same minute, written second")}  # never the words


def test_a_note_or_status_change_by_a_nameless_author_changes_nothing(
    store: ContactStore,
) -> None:
    reference = store.submit(draft()).reference
    with pytest.raises(UsageError, match="an audit actor is 1 to 64 characters"):
        store.add_note(reference, "x" * 65, "called")
    with pytest.raises(UsageError, match="an audit actor is 1 to 64 characters"):
        store.set_status(reference, Status.IN_PROGRESS, "")
    assert store.get(reference) == store.list()[0]
    request = store.get(reference)
    assert request is not None and request.notes == () and request.status is Status.NEW


def test_a_note_has_text_and_a_limit(store: ContactStore) -> None:
    reference = store.submit(draft()).reference
    with pytest.raises(ContactError, match="the note is empty"):
        store.add_note(reference, "anna", " \n\t ")
    with pytest.raises(ContactError, match="the note has 2,001 characters; the most is 2,000"):
        store.add_note(reference, "anna", "x" * 2_001)
    assert store.add_note(reference, "anna", " " + "x" * 2_000 + " ").text == "x" * 2_000
    request = store.get(reference)
    assert request is not None and len(request.notes) == 1


def test_purge_deletes_exactly_what_is_older_with_its_notes(store: ContactStore) -> None:
    on_the_day = store.submit(draft(), now=NOW - timedelta(days=90))
    just_older = store.submit(draft(), now=NOW - timedelta(days=90, microseconds=1))
    much_older = store.submit(draft(), now=NOW - timedelta(days=400))
    store.add_note(just_older.reference, "anna", "called", now=NOW - timedelta(days=80))
    store.add_note(on_the_day.reference, "anna", "called", now=NOW - timedelta(days=80))
    assert store.purge(90, now=NOW) == 2
    assert [r.reference for r in store.list()] == [on_the_day.reference]
    assert store.get(just_older.reference) is None and store.get(much_older.reference) is None
    with store.db.connect() as connection:
        notes = connection.execute(sa.select(CONTACT_NOTES.c.reference)).scalars().all()
    assert notes == [on_the_day.reference]
    assert store.purge(90, now=NOW) == 0
    entry = AuditLog(store.db).list(limit=2)[1]
    assert (entry.actor, entry.action, entry.detail) == (
        "system",
        "contact.purge",
        {"deleted": 2, "older_than_days": 90},
    )
    with pytest.raises(UsageError, match="older_than_days is 0 or more"):
        store.purge(-1)


def test_submits_from_many_threads_get_unique_references(store: ContactStore) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        references = list(pool.map(lambda _: store.submit(draft()).reference, range(40)))
    assert len(set(references)) == 40
    assert store.count() == 40


@pytest.fixture
def taken_reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """new_reference gives the references in this list first (to make one collide)."""
    queue: list[str] = []
    real = contact.new_reference
    monkeypatch.setattr(contact, "new_reference", lambda: queue.pop(0) if queue else real())
    yield queue


def test_a_reference_already_taken_is_drawn_again(
    store: ContactStore, taken_reference: list[str]
) -> None:
    taken_reference += ["NAV-AAAA-AAAA", "NAV-AAAA-AAAA", "NAV-BBBB-BBBB"]
    assert store.submit(draft()).reference == "NAV-AAAA-AAAA"
    assert store.submit(draft()).reference == "NAV-BBBB-BBBB"
    taken_reference += ["NAV-AAAA-AAAA"] * 3
    with pytest.raises(ContactError, match="no free reference number was found; nothing was"):
        store.submit(draft())
    assert store.count() == 2
