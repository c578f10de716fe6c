"""The catalogue's data model: what one service is, as the rest of Navigator sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Literal

from navigator.catalog.hours import OpeningHours, Span
from navigator.catalog.yamlfile import Mark

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")


@dataclass(frozen=True)
class Text:
    """Text in Finnish (always) and optionally Swedish and English."""

    fi: str
    sv: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Finnish."""
        value: str | None = getattr(self, lang, None) if lang in LANGS else None
        return value or self.fi

    def values(self) -> list[str]:
        """All languages' texts that are present."""
        return [t for t in (self.fi, self.sv, self.en) if t]


class ProviderType(str, Enum):
    """Kind of provider."""

    REGION = "region"
    MUNICIPALITY = "municipality"
    NGO = "ngo"
    PARISH = "parish"
    NATIONAL = "national"
    COMPANY = "company"


@dataclass(frozen=True)
class Provider:
    """Who provides a service."""

    name: Text
    type: ProviderType
    business_id: str | None = None
    web: str | None = None


class ChannelKind(str, Enum):
    """How a service is reached."""

    PHONE = "phone"
    CHAT = "chat"
    WEB = "web"
    ESERVICE = "eservice"
    EMAIL = "email"
    ADDRESS = "address"


@dataclass(frozen=True)
class Address:
    """A visiting address."""

    street: str
    postal_code: str
    city: str
    latitude: float | None = None  # WGS84 degrees
    longitude: float | None = None

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class HoursException:
    """Different hours on a day or period (both ends included); no spans means closed."""

    start: date
    end: date
    spans: tuple[Span, ...]
    note: Text | None = None


@dataclass(frozen=True)
class Channel:
    """One way to reach a service.

    `value` is the normal form (E.164 phone number, URL, e-mail, address text);
    `display` is what the editor wrote, as the provider publishes it.
    """

    kind: ChannelKind
    value: str
    display: str
    address: Address | None = None
    label: Text | None = None
    languages: tuple[str, ...] = ()
    hours: OpeningHours | None = None
    exceptions: tuple[HoursException, ...] = ()
    note: Text | None = None

    def spans_on(self, day: date) -> tuple[Span, ...] | None:
        """The spans open on `day` (an exception wins over the weekly hours); None if the
        catalogue does not say."""
        for exception in self.exceptions:
            if exception.start <= day <= exception.end:
                return exception.spans
        return None if self.hours is None else self.hours.spans_on(day)

    def is_open(self, moment: datetime) -> bool | None:
        """True if open at `moment` (local time), counting spans that run past midnight
        from the day before; None if the catalogue does not say."""
        today = self.spans_on(moment.date())
        yesterday = self.spans_on(moment.date() - timedelta(days=1))
        if today is None and yesterday is None:
            return None
        minute = moment.hour * 60 + moment.minute
        return any(s.start <= minute < s.end for s in today or ()) or any(
            minute + 1440 < s.end for s in yesterday or ()
        )


class CostType(str, Enum):
    """What a service costs."""

    FREE = "free"
    FEE = "fee"
    VARIES = "varies"


@dataclass(frozen=True)
class Cost:
    """Cost type and an optional explanation of fees."""

    type: CostType
    text: Text | None = None


@dataclass(frozen=True)
class AgeRange:
    """Ages served, in years; a missing bound is open."""

    min: int | None = None
    max: int | None = None

    def contains(self, age: int) -> bool:
        """True if `age` is within the range."""
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


AreaScope = Literal["nationwide", "county", "municipalities"]


@dataclass(frozen=True)
class Areas:
    """Where a service can be used: the whole country, the whole county, or municipalities."""

    scope: AreaScope
    municipalities: tuple[str, ...] = ()

    def serves(self, municipality_code: str) -> bool:
        """True if residents of the municipality (a county municipality code) can use it."""
        return self.scope != "municipalities" or municipality_code in self.municipalities


@dataclass(frozen=True)
class Imported:
    """Where an imported entry came from: the source (`ptv`, `lahella`), its id there and
    when the source last changed it (as the source writes it)."""

    source: str
    id: str
    modified: str | None = None


class Status(str, Enum):
    """Whether a service is running."""

    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily_closed"
    ENDED = "ended"


@dataclass(frozen=True)
class Service:
    """One service in the catalogue."""

    id: str
    name: Text
    summary: Text
    how_to_get: Text
    provider: Provider
    level: int
    needs: tuple[str, ...]
    areas: Areas
    channels: tuple[Channel, ...]
    cost: Cost
    referral: bool
    anonymous: bool
    registration: bool
    source: str
    checked: date
    origin: Mark
    description: Text | None = None
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    target_groups: tuple[str, ...] = ()
    service_classes: tuple[str, ...] = ()
    age: AgeRange | None = None
    languages: tuple[str, ...] = ()
    membership_required: bool | None = None
    accessibility: Text | None = None
    review_by: date | None = None
    review: str | None = None
    status: Status = Status.ACTIVE
    alert: Text | None = None
    imported: Imported | None = None

    @property
    def active(self) -> bool:
        """True if the service may be recommended now."""
        return self.status is Status.ACTIVE

    @property
    def free(self) -> bool:
        """True if free of charge."""
        return self.cost.type is CostType.FREE
