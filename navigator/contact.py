"""Contact requests: the "one contact" a resident asks for, given with consent.

A contact request carries what a counsellor needs to pick the case up without asking the
resident to tell it again: the needs, the municipality, the services recommended, how and
when to reach the resident, and (only if the resident agreed) their own words. It is stored
durably before the resident is told it was received, and it is kept only as long as the
retention setting allows.

Personal data (the phone number or e-mail address, the resident's own words) lives only
here, never in logs or in the dialogue tracker.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from navigator.audit import record_entry
from navigator.catalog.contacts import ContactValueError, check_email, normalise_phone
from navigator.catalog.loader import Catalog
from navigator.db import CONTACT_NOTES, CONTACT_REQUESTS, Database
from navigator.errors import NavigatorError, UsageError
from navigator.settings import (
    CONTACT_FREE_TEXT_MAX_CHARS,
    CONTACT_NOTE_MAX_CHARS,
    CONTACT_RETENTION_DAYS,
    LIST_LIMIT_MAX,
)

# Reference numbers avoid letters and digits that are easy to confuse when read aloud.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Draws of a reference before giving up: two in a row taken among 10^12 is next to impossible.
REFERENCE_TRIES = 3


class ContactError(NavigatorError):
    """A contact request cannot be made as given; the message says what to change."""


class ConsentMissing(ContactError):
    """The resident has not agreed to pass their details to a counsellor."""


class ContactChannel(str, Enum):
    """How the counsellor reaches the resident."""

    PHONE = "phone"
    EMAIL = "email"


class Status(str, Enum):
    """Where a request is in the counsellors' work."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class ContactDraft:
    """What the resident agreed to send, before it is stored."""

    language: str
    needs: tuple[str, ...]
    municipality: str | None
    services: tuple[str, ...]  # recommended service ids, in the order shown
    channel: ContactChannel
    address: str  # phone number or e-mail address as the resident typed it
    preferred_time: str = ""
    consent: bool = False  # the resident agreed to pass this to a counsellor
    free_text: str | None = None  # the resident's own words, only if they agreed to share them


@dataclass(frozen=True)
class Note:
    """A counsellor's note on a request."""

    author: str  # the counsellor's username
    created_at: datetime
    text: str


@dataclass(frozen=True)
class ContactRequest:
    """A stored request."""

    reference: str
    created_at: datetime
    language: str
    needs: tuple[str, ...]
    municipality: str | None
    services: tuple[str, ...]
    channel: ContactChannel
    address: str  # normalised: E.164 phone number or e-mail address
    preferred_time: str
    free_text: str | None
    status: Status = Status.NEW
    notes: tuple[Note, ...] = ()  # in time order, oldest first
    updated_at: datetime | None = None  # the last status change or note (created_at before)


def new_reference() -> str:
    """A reference number the resident can quote: NAV-XXXX-XXXX (about 10^12 values)."""
    chars = [secrets.choice(_REFERENCE_ALPHABET) for _ in range(8)]
    return f"NAV-{''.join(chars[:4])}-{''.join(chars[4:])}"


def normalise_address(channel: ContactChannel, address: str) -> str:
    """The phone number (E.164) or e-mail address, checked; ContactError if malformed."""
    try:
        if channel is ContactChannel.PHONE:
            number = normalise_phone(address)
            if not number.startswith("+"):
                raise ContactError(
                    f"'{address}' is a service number; give a number a counsellor can call back"
                )
            return number
        return check_email(address)
    except ContactValueError as exc:
        raise ContactError(str(exc)) from None


class ContactStore:
    """Contact requests in a SQL database (SQLite by default; PostgreSQL in production).

    Changes made for counsellors (status, notes) and the retention purge are written to the
    audit log in the same transaction: the log cannot miss one, and callers do not record
    them again.
    """

    def __init__(self, database: Database | str) -> None:
        self.db = database if isinstance(database, Database) else Database(database)
        self.db.ensure_migrated()

    def submit(self, draft: ContactDraft, now: datetime | None = None) -> ContactRequest:
        """Store a request and return it with its reference; stored before this returns."""
        if not draft.consent:
            raise ConsentMissing(
                "the resident has not agreed to pass their details to a counsellor; "
                "nothing was stored"
            )
        free_text = draft.free_text
        if free_text is not None:
            free_text = free_text.strip()[:CONTACT_FREE_TEXT_MAX_CHARS] or None
        created = now or datetime.now(timezone.utc)
        request = ContactRequest(
            reference=new_reference(),
            created_at=created,
            language=draft.language,
            needs=draft.needs,
            municipality=draft.municipality,
            services=draft.services,
            channel=draft.channel,
            address=normalise_address(draft.channel, draft.address),
            preferred_time=" ".join(draft.preferred_time.split())[:200],
            free_text=free_text,
            updated_at=created,
        )
        for _ in range(REFERENCE_TRIES):
            try:
                with self.db.begin() as connection:  # committed when the block ends
                    connection.execute(CONTACT_REQUESTS.insert().values(**_row(request)))
                return request
            except sa.exc.IntegrityError:  # the reference is taken (rare): draw another
                request = replace(request, reference=new_reference())
        raise ContactError("no free reference number was found; nothing was stored, try again")

    def get(self, reference: str) -> ContactRequest | None:
        """One request by its reference, with its notes."""
        found = _select(self.db, CONTACT_REQUESTS.select().where(_is(reference)))
        return found[0] if found else None

    def list(
        self,
        status: Status | str | None = None,
        municipality: str | None = None,
        need: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ContactRequest]:
        """Requests, newest first, with their notes; each filter given narrows the list."""
        if not 1 <= limit <= LIST_LIMIT_MAX or offset < 0:
            raise UsageError(f"limit is 1 to {LIST_LIMIT_MAX} and offset 0 or more")
        query = (
            CONTACT_REQUESTS.select()
            .where(*_filters(self.db.backend, status, municipality, need))
            .order_by(CONTACT_REQUESTS.c.created_at.desc(), CONTACT_REQUESTS.c.reference)
            .limit(limit)
            .offset(offset)
        )
        return _select(self.db, query)

    def count(
        self,
        status: Status | str | None = None,
        municipality: str | None = None,
        need: str | None = None,
    ) -> int:
        """How many requests `list` would give with these filters and no limit."""
        query = (
            sa.select(sa.func.count())
            .select_from(CONTACT_REQUESTS)
            .where(*_filters(self.db.backend, status, municipality, need))
        )
        with self.db.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def set_status(
        self, reference: str, status: Status | str, actor: str, now: datetime | None = None
    ) -> ContactRequest:
        """Move a request (new → in progress → done, or back) and return it as it is now.

        Setting the status it already has changes nothing and records nothing.
        """
        status = _status(status)
        at = now or datetime.now(timezone.utc)
        with self.db.begin() as connection:
            old = _locked_status(connection, reference)
            if old is not status:
                if status not in MOVES[old]:
                    raise ContactError(
                        f"{reference} is {old.value}; it can move to "
                        f"{' or '.join(s.value for s in MOVES[old])}, not {status.value}"
                    )
                detail = {"from": old.value, "to": status.value}
                record_entry(connection, at, actor, "contact.status", reference, detail)
                connection.execute(
                    CONTACT_REQUESTS.update()
                    .where(_is(reference))
                    .values(status=status.value, updated_at=at)
                )
        request = self.get(reference)
        assert request is not None  # the row was locked above; only purge deletes rows
        return request

    def add_note(self, reference: str, author: str, text: str, now: datetime | None = None) -> Note:
        """Add a counsellor's note to a request and return it; the text is trimmed."""
        text = text.strip()
        if not text:
            raise ContactError("the note is empty; write what was done or agreed")
        if len(text) > CONTACT_NOTE_MAX_CHARS:
            raise ContactError(
                f"the note has {len(text):,} characters; the most is "
                f"{CONTACT_NOTE_MAX_CHARS:,}: shorten it or add it as two notes"
            )
        note = Note(author=author, created_at=now or datetime.now(timezone.utc), text=text)
        with self.db.begin() as connection:
            _locked_status(connection, reference)
            # The entry first: it checks the author. The note's length, never its words: the
            # audit log holds no personal data.
            detail = {"chars": len(text)}
            record_entry(connection, note.created_at, author, "contact.note", reference, detail)
            connection.execute(
                CONTACT_NOTES.insert().values(
                    reference=reference, author=author, created_at=note.created_at, text=text
                )
            )
            connection.execute(
                CONTACT_REQUESTS.update().where(_is(reference)).values(updated_at=note.created_at)
            )
        return note

    def purge(
        self, older_than_days: int, now: datetime | None = None, *, actor: str = "system"
    ) -> int:
        """Delete requests (and their notes) created more than this many days ago; how many."""
        if older_than_days < 0:
            raise UsageError(f"older_than_days is 0 or more, not {older_than_days}")
        at = now or datetime.now(timezone.utc)
        cutoff = at - timedelta(days=older_than_days)
        with self.db.begin() as connection:
            old = CONTACT_REQUESTS.c.created_at < cutoff
            # Notes go with their request (ON DELETE CASCADE); deleted here too, so that a
            # database without enforced foreign keys keeps no orphans either.
            connection.execute(
                CONTACT_NOTES.delete().where(
                    CONTACT_NOTES.c.reference.in_(
                        sa.select(CONTACT_REQUESTS.c.reference).where(old)
                    )
                )
            )
            deleted = int(connection.execute(CONTACT_REQUESTS.delete().where(old)).rowcount)
            detail = {"deleted": deleted, "older_than_days": older_than_days}
            record_entry(connection, at, actor, "contact.purge", None, detail)
        return deleted


def _filters(
    backend: str, status: Status | str | None, municipality: str | None, need: str | None
) -> list[Any]:
    """The WHERE conditions of `list` and `count`."""
    conditions: list[Any] = []
    if status is not None:
        conditions.append(CONTACT_REQUESTS.c.status == _status(status).value)
    if municipality is not None:
        conditions.append(CONTACT_REQUESTS.c.municipality == municipality)
    if need is not None:
        conditions.append(_has_need(backend, need))
    return conditions


def _has_need(backend: str, need: str) -> Any:
    """The request's needs include this one (JSON containment on each backend)."""
    if backend == "postgresql":
        return sa.type_coerce(CONTACT_REQUESTS.c.needs, postgresql.JSONB).contains([need])
    each = sa.func.json_each(CONTACT_REQUESTS.c.needs).table_valued("value")
    return sa.exists(sa.select(1).select_from(each).where(each.c.value == need))


def _locked_status(connection: Any, reference: str) -> Status:
    """The request's status, its row locked until the transaction ends; ContactError if
    there is no such request."""
    query = sa.select(CONTACT_REQUESTS.c.status).where(_is(reference)).with_for_update()
    status = connection.execute(query).scalar_one_or_none()
    if status is None:
        raise ContactError(
            f"no contact request {reference}: check the reference; requests are deleted "
            f"{CONTACT_RETENTION_DAYS} days after they were made"
        )
    return Status(status)


def _select(db: Database, query: Any) -> list[ContactRequest]:
    """The requests a query selects, each with its notes in time order."""
    with db.connect() as connection:
        rows = connection.execute(query).mappings().all()
        notes: dict[str, list[Note]] = {row["reference"]: [] for row in rows}
        if notes:
            note_rows = connection.execute(
                CONTACT_NOTES.select()
                .where(CONTACT_NOTES.c.reference.in_(list(notes)))
                .order_by(CONTACT_NOTES.c.created_at, CONTACT_NOTES.c.id)
            ).mappings()
            for note in note_rows:
                notes[note["reference"]].append(
                    Note(author=note["author"], created_at=note["created_at"], text=note["text"])
                )
    return [_request(row, tuple(notes[row["reference"]])) for row in rows]


# Where a counsellor can move a request from each status. Back moves are allowed (a request
# marked done by mistake); skipping "in progress" is not: someone takes the request first.
MOVES = {
    Status.NEW: (Status.IN_PROGRESS,),
    Status.IN_PROGRESS: (Status.DONE, Status.NEW),
    Status.DONE: (Status.IN_PROGRESS, Status.NEW),
}


def _status(value: Status | str) -> Status:
    """A Status from itself or its value; ContactError naming the choices."""
    try:
        return Status(value)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise ContactError(f"'{value}' is not a status; one of {choices}") from None


def _is(reference: str) -> Any:
    """The condition selecting one request."""
    return CONTACT_REQUESTS.c.reference == reference


def _row(request: ContactRequest) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "created_at": request.created_at,
        "updated_at": request.updated_at or request.created_at,
        "language": request.language,
        "needs": list(request.needs),
        "municipality": request.municipality,
        "services": list(request.services),
        "channel": request.channel.value,
        "address": request.address,
        "preferred_time": request.preferred_time,
        "free_text": request.free_text,
        "status": request.status.value,
    }


def _request(row: Any, notes: tuple[Note, ...]) -> ContactRequest:
    return ContactRequest(
        reference=row["reference"],
        created_at=row["created_at"],
        language=row["language"],
        needs=tuple(row["needs"]),
        municipality=row["municipality"],
        services=tuple(row["services"]),
        channel=ContactChannel(row["channel"]),
        address=row["address"],
        preferred_time=row["preferred_time"],
        free_text=row["free_text"],
        status=Status(row["status"]),
        notes=notes,
        updated_at=row["updated_at"],
    )


_SUMMARY_WORDS = {
    "fi": (
        "Tarve",
        "Kunta",
        "Suositellut palvelut",
        "Yhteydenotto",
        "Toivottu aika",
        "Omat sanasi",
        "ei mukana",
        "puhelimitse",
        "sähköpostitse",
    ),
    "sv": (
        "Behov",
        "Kommun",
        "Rekommenderade tjänster",
        "Kontakt",
        "Önskad tid",
        "Dina egna ord",
        "inte med",
        "per telefon",
        "per e-post",
    ),
    "en": (
        "Need",
        "Municipality",
        "Recommended services",
        "Contact",
        "Preferred time",
        "Your own words",
        "not included",
        "by phone",
        "by e-mail",
    ),
}


def summary_text(draft: ContactDraft, catalog: Catalog) -> str:
    """What the counsellor will receive, in the resident's language, to show before sending."""
    lang = draft.language if draft.language in _SUMMARY_WORDS else "fi"
    need, place, services, contact, when, words, absent, phone, email = _SUMMARY_WORDS[lang]
    labels = [
        catalog.taxonomy.needs[n].label.get(lang)
        for n in draft.needs
        if n in catalog.taxonomy.needs
    ]
    names = [catalog.by_id[s].name.get(lang) for s in draft.services if s in catalog.by_id]
    municipality = (
        catalog.taxonomy.municipalities[draft.municipality].name.get(lang)
        if draft.municipality in catalog.taxonomy.municipalities
        else "-"
    )
    how = phone if draft.channel is ContactChannel.PHONE else email
    lines = [
        f"{need}: {', '.join(labels) or '-'}",
        f"{place}: {municipality}",
        f"{services}: {', '.join(names) or '-'}",
        f"{contact}: {how} {draft.address}",
        f"{when}: {draft.preferred_time or '-'}",
        f"{words}: {draft.free_text if draft.free_text else absent}",
    ]
    return "\n".join(lines)
