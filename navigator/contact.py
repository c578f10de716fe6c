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
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

import sqlalchemy as sa

from navigator.catalog.contacts import ContactValueError, check_email, normalise_phone
from navigator.catalog.loader import Catalog
from navigator.errors import NavigatorError
from navigator.settings import CONTACT_FREE_TEXT_MAX_CHARS, CONTACT_RETENTION_DAYS

# Reference numbers avoid letters and digits that are easy to confuse when read aloud.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
    notes: list[str] = field(default_factory=list)


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


METADATA = sa.MetaData()
REQUESTS = sa.Table(
    "contact_requests",
    METADATA,
    sa.Column("reference", sa.String(16), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("needs", sa.JSON, nullable=False),
    sa.Column("municipality", sa.String(3)),
    sa.Column("services", sa.JSON, nullable=False),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("address", sa.String(320), nullable=False),
    sa.Column("preferred_time", sa.String(200), nullable=False),
    sa.Column("free_text", sa.Text),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("notes", sa.JSON, nullable=False),
)


class ContactStore:
    """Contact requests in a SQL database (SQLite by default; PostgreSQL in production)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_durable)
        METADATA.create_all(self.engine)

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
        request = ContactRequest(
            reference=new_reference(),
            created_at=now or datetime.now(timezone.utc),
            language=draft.language,
            needs=draft.needs,
            municipality=draft.municipality,
            services=draft.services,
            channel=draft.channel,
            address=normalise_address(draft.channel, draft.address),
            preferred_time=" ".join(draft.preferred_time.split())[:200],
            free_text=free_text,
        )
        with self.engine.begin() as connection:  # committed when the block ends
            connection.execute(REQUESTS.insert().values(**_row(request)))
        return request

    def get(self, reference: str) -> ContactRequest | None:
        """One request by its reference."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(REQUESTS.select().where(REQUESTS.c.reference == reference))
                .mappings()
                .first()
            )
        return _request(row) if row else None

    def list(self, status: Status | None = None) -> list[ContactRequest]:
        """Requests, newest first, optionally with one status."""
        query = REQUESTS.select().order_by(REQUESTS.c.created_at.desc())
        if status is not None:
            query = query.where(REQUESTS.c.status == status.value)
        with self.engine.connect() as connection:
            return [_request(row) for row in connection.execute(query).mappings()]

    def set_status(self, reference: str, status: Status) -> None:
        """Move a request along: new → in progress → done."""
        with self.engine.begin() as connection:
            result = connection.execute(
                REQUESTS.update()
                .where(REQUESTS.c.reference == reference)
                .values(status=status.value)
            )
        if result.rowcount == 0:
            raise ContactError(f"no contact request {reference}")

    def purge(self, now: datetime | None = None, days: int = CONTACT_RETENTION_DAYS) -> int:
        """Delete requests older than the retention period; returns how many."""
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
        with self.engine.begin() as connection:
            result = connection.execute(REQUESTS.delete().where(REQUESTS.c.created_at < cutoff))
        return int(result.rowcount)


def _sqlite_durable(connection: Any, _record: Any) -> None:
    """Every commit reaches the disk before it returns (a confirmed request is never lost)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _row(request: ContactRequest) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "created_at": request.created_at,
        "language": request.language,
        "needs": list(request.needs),
        "municipality": request.municipality,
        "services": list(request.services),
        "channel": request.channel.value,
        "address": request.address,
        "preferred_time": request.preferred_time,
        "free_text": request.free_text,
        "status": request.status.value,
        "notes": list(request.notes),
    }


def _request(row: Any) -> ContactRequest:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite keeps no zone; we store UTC
        created = created.replace(tzinfo=timezone.utc)
    return ContactRequest(
        reference=row["reference"],
        created_at=created,
        language=row["language"],
        needs=tuple(row["needs"]),
        municipality=row["municipality"],
        services=tuple(row["services"]),
        channel=ContactChannel(row["channel"]),
        address=row["address"],
        preferred_time=row["preferred_time"],
        free_text=row["free_text"],
        status=Status(row["status"]),
        notes=list(row["notes"]),
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
