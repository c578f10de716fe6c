"""Contact requests: consent first, checked contact details, durable storage, retention."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from navigator.catalog.loader import load_catalog
from navigator.contact import (
    ConsentMissing,
    ContactChannel,
    ContactDraft,
    ContactError,
    ContactStore,
    Status,
    summary_text,
)

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
def store(tmp_path: Path) -> ContactStore:
    return ContactStore(f"sqlite:///{tmp_path / 'contacts.db'}")


def test_a_request_is_on_disk_when_submit_returns(store: ContactStore, tmp_path: Path) -> None:
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
    store.set_status(first.reference, Status.IN_PROGRESS)
    assert [r.reference for r in store.list(Status.IN_PROGRESS)] == [first.reference]
    with pytest.raises(ContactError, match="no contact request NAV-XXXX-XXXX"):
        store.set_status("NAV-XXXX-XXXX", Status.DONE)


def test_purge_keeps_only_what_retention_allows(store: ContactStore) -> None:
    old = store.submit(draft(), now=NOW - timedelta(days=91))
    recent = store.submit(draft(), now=NOW - timedelta(days=89))
    assert store.purge(now=NOW, days=90) == 1
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
