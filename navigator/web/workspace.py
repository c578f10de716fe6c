"""Words and formats of the counsellor workspace (Finnish) and its handouts (fi, sv, en).

The workspace speaks Finnish, as the county's counsellors do; a handout is printed in the
resident's language. Everything here turns catalogue values (opening hours, dates, codes)
into text; the templates escape it, so nothing here produces HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from navigator.catalog.hours import OpeningHours, Span
from navigator.catalog.model import Channel, ChannelKind, HoursException, Service, Text
from navigator.routing import LEVEL_WORDS
from navigator.settings import TIMEZONE

HELSINKI = ZoneInfo(TIMEZONE)
HANDOUT_LANGUAGES = ("fi", "sv", "en")

#: Kinds of provider, as a counsellor says them.
PROVIDER_TYPES = {
    "region": "hyvinvointialue",
    "municipality": "kunta",
    "ngo": "järjestö",
    "parish": "seurakunta",
    "national": "valtakunnallinen",
    "company": "yritys",
}

#: Kinds of channel in the workspace (nouns: they label filters and table rows).
CHANNEL_KINDS = {
    "phone": "puhelin",
    "chat": "chat",
    "web": "verkkosivu",
    "eservice": "verkkoasiointi",
    "email": "sähköposti",
    "address": "käyntiosoite",
}

#: Where a contact request is in the counsellors' work.
STATUS_WORDS = {"new": "uusi", "in_progress": "käsittelyssä", "done": "käsitelty"}

#: The button that moves a request to a status.
STATUS_ACTIONS = {
    "new": "Palauta uudeksi",
    "in_progress": "Ota käsittelyyn",
    "done": "Merkitse käsitellyksi",
}

CONTACT_CHANNELS = {"phone": "puhelimitse", "email": "sähköpostitse"}

#: What a service costs, and whether it runs, in the workspace's words.
COST_WORDS = {"free": "maksuton", "fee": "maksullinen", "varies": "vaihtelee"}
SERVICE_STATUS_WORDS = {
    "active": "käytössä",
    "temporarily_closed": "tilapäisesti suljettu",
    "ended": "päättynyt",
}

#: Language names in Finnish; a code not listed is shown as it is.
LANGUAGE_NAMES = {
    "fi": "suomi",
    "sv": "ruotsi",
    "en": "englanti",
    "se": "saame",
    "ru": "venäjä",
    "uk": "ukraina",
    "et": "viro",
    "ar": "arabia",
    "so": "somali",
    "fa": "persia",
    "ku": "kurdi",
    "de": "saksa",
    "fr": "ranska",
    "es": "espanja",
    "fsl": "suomalainen viittomakieli",
}

#: The handout language choices, named in their own language (a counsellor may show the
#: choice to the resident).
HANDOUT_LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}

_DAYS = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_HOURS_WORDS = {
    "fi": {"holidays": "arkipyhät", "closed": "suljettu", "always": "aina auki (24/7)"},
    "sv": {"holidays": "helgdagar", "closed": "stängt", "always": "öppet dygnet runt"},
    "en": {"holidays": "public holidays", "closed": "closed", "always": "open 24/7"},
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: What a handout says, per language.
HANDOUT_WORDS = {
    "fi": {
        "title": "Palveluita sinulle",
        "emergency": "Hätätilanteessa soita 112.",
        "printed": "Tulostettu",
        "what": "Mikä palvelu on",
        "reach": "Näin tavoitat palvelun",
        "next": "Seuraavat askeleet",
        "level": "Kynnys",
        "provider": "Järjestäjä",
        "cost": "Hinta",
        "free": "maksuton",
        "fee": "maksullinen",
        "varies": "hinta vaihtelee",
        "notice": "Huomio",
        "from": "Palveluohjaus, Pohjois-Pohjanmaan hyvinvointialue",
        "hours": "Aukioloajat",
        "exceptions": "Poikkeukset",
    },
    "sv": {
        "title": "Tjänster för dig",
        "emergency": "I en nödsituation, ring 112.",
        "printed": "Utskriven",
        "what": "Vad tjänsten är",
        "reach": "Så når du tjänsten",
        "next": "Nästa steg",
        "level": "Tröskel",
        "provider": "Anordnare",
        "cost": "Pris",
        "free": "avgiftsfri",
        "fee": "avgiftsbelagd",
        "varies": "priset varierar",
        "notice": "Obs",
        "from": "Servicehandledning, Norra Österbottens välfärdsområde",
        "hours": "Öppettider",
        "exceptions": "Undantag",
    },
    "en": {
        "title": "Services for you",
        "emergency": "In an emergency call 112.",
        "printed": "Printed",
        "what": "What it is",
        "reach": "How to reach it",
        "next": "Next steps",
        "level": "Threshold",
        "provider": "Provided by",
        "cost": "Cost",
        "free": "free of charge",
        "fee": "fee charged",
        "varies": "cost varies",
        "notice": "Notice",
        "from": "Service counselling, Wellbeing services county of North Ostrobothnia",
        "hours": "Opening hours",
        "exceptions": "Exceptions",
    },
}

#: The handout's channel words (nouns, as on a printed list).
HANDOUT_CHANNELS = {
    "fi": {
        "phone": "Puhelin",
        "chat": "Chat",
        "web": "Verkossa",
        "eservice": "Verkkoasiointi",
        "email": "Sähköposti",
        "address": "Käyntiosoite",
    },
    "sv": {
        "phone": "Telefon",
        "chat": "Chatt",
        "web": "På webben",
        "eservice": "E-tjänst",
        "email": "E-post",
        "address": "Besöksadress",
    },
    "en": {
        "phone": "Phone",
        "chat": "Chat",
        "web": "Online",
        "eservice": "E-service",
        "email": "E-mail",
        "address": "Address",
    },
}

#: Next steps by level, for a service whose `how_to_get` is not written in the language.
GENERIC_NEXT_STEPS = {
    "fi": (
        "Soita 112 heti, kun henki tai terveys on vaarassa.",
        "Voit käyttää palvelua itse verkossa milloin tahansa.",
        "Voit ottaa yhteyttä nimettömästi; ilmoittautumista ei tarvita.",
        "Voit mennä paikan päälle tai soittaa ilman lähetettä ja ajanvarausta.",
        "Varaa aika puhelimitse tai verkossa.",
        "Palveluun tarvitaan lähete tai päätös; kysy terveysasemalta tai sosiaalityöstä.",
    ),
    "sv": (
        "Ring 112 genast när liv eller hälsa är i fara.",
        "Du kan använda tjänsten själv på webben när som helst.",
        "Du kan ta kontakt anonymt; ingen anmälan behövs.",
        "Du kan gå dit eller ringa utan remiss och utan tidsbokning.",
        "Boka tid per telefon eller på webben.",
        "Tjänsten kräver remiss eller beslut; fråga vid hälsostationen eller socialarbetet.",
    ),
    "en": (
        "Call 112 at once when life or health is in danger.",
        "You can use this service yourself online at any time.",
        "You can get in touch anonymously; no sign-up is needed.",
        "You can go there or call without a referral or an appointment.",
        "Book an appointment by phone or online.",
        "This service needs a referral or a decision; ask your health station or social work.",
    ),
}


@dataclass(frozen=True)
class Localised:
    """A text in the language asked for, or in Finnish when it is not written in that one
    (`lang` says which, so the page can mark the part's language for screen readers)."""

    text: str
    lang: str


def localised(text: Text | None, lang: str) -> Localised | None:
    """The text in `lang` if written, else the Finnish text marked as Finnish."""
    if text is None:
        return None
    value: str | None = getattr(text, lang, None) if lang in HANDOUT_LANGUAGES else None
    return Localised(value, lang) if value else Localised(text.fi, "fi")


def format_date(day: date, lang: str = "fi") -> str:
    """A date as written in the language: 23.11.2026, or 23 November 2026 in English."""
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def format_moment(moment: datetime) -> str:
    """A stored time (UTC) as Helsinki wall-clock time, the Finnish way: 23.11.2026 klo 14.05."""
    local = moment.astimezone(HELSINKI)
    return f"{format_date(local.date())} klo {local.hour}.{local.minute:02d}"


def _clock(minutes: int, lang: str) -> str:
    """Minutes after midnight as a clock time: 8.00 (fi, sv) or 08:00 (en)."""
    if minutes > 1440:
        minutes -= 1440  # a span running past midnight ends the next day
    hours, rest = divmod(minutes, 60)
    return f"{hours:02d}:{rest:02d}" if lang == "en" else f"{hours}.{rest:02d}"


def format_spans(spans: Iterable[Span], lang: str) -> str:
    """Spans as "8.00–12.00, 13.00–16.00"; the closed word when there are none."""
    parts = [f"{_clock(s.start, lang)}–{_clock(s.end, lang)}" for s in spans]
    return ", ".join(parts) or _HOURS_WORDS[lang]["closed"]


def _day_ranges(days: frozenset[int], lang: str) -> str:
    """Weekdays as ranges: {0,1,2,3,4} → "ma–pe", {0,2} → "ma, ke"."""
    names = _DAYS[lang]
    ordered = sorted(days)
    groups: list[list[int]] = []
    for day in ordered:
        if groups and day == groups[-1][-1] + 1:
            groups[-1].append(day)
        else:
            groups.append([day])
    return ", ".join(
        names[g[0]] if len(g) == 1 else f"{names[g[0]]}–{names[g[-1]]}" for g in groups
    )


def format_hours(hours: OpeningHours, lang: str) -> list[str]:
    """Weekly opening hours as lines in the language ("ma–pe 8.00–16.00"), one per rule."""
    words = _HOURS_WORDS[lang]
    if len(hours.rules) == 1:
        rule = hours.rules[0]
        if len(rule.days) == 7 and rule.spans == (Span(0, 1440),):
            return [words["always"]]
    lines = []
    for rule in hours.rules:
        days = words["holidays"] if rule.holidays else _day_ranges(rule.days, lang)
        lines.append(f"{days} {format_spans(rule.spans, lang)}")
    return lines


def format_exception(exception: HoursException, lang: str) -> str:
    """One exception: "24.12.2026: suljettu (jouluaatto)"."""
    when = format_date(exception.start, lang)
    if exception.end != exception.start:
        when += f"–{format_date(exception.end, lang)}"
    line = f"{when}: {format_spans(exception.spans, lang)}"
    note = localised(exception.note, lang)
    return f"{line} ({note.text})" if note else line


def upcoming_exceptions(channel: Channel, today: date) -> tuple[HoursException, ...]:
    """The exceptions that have not ended by `today` (a printed handout needs no past)."""
    return tuple(e for e in channel.exceptions if e.end >= today)


def channel_href(channel: Channel) -> str:
    """The link a channel's value makes (tel:, mailto:, https:), or "" for an address.

    Built only from the channel's structured value; templates still pass it through
    `safe_url`, so a value that is not https cannot become a link.
    """
    if channel.kind is ChannelKind.PHONE:
        return f"tel:{channel.value}"
    if channel.kind is ChannelKind.EMAIL:
        return f"mailto:{channel.value}"
    if channel.kind is ChannelKind.ADDRESS:
        return ""
    return channel.value


def cost_word(service: Service, lang: str) -> str:
    """What the service costs, in one word of the handout's language."""
    return HANDOUT_WORDS[lang][service.cost.type.value]


def next_steps(service: Service, lang: str) -> Localised:
    """The service's own next steps (`how_to_get`) in the language, else the level's
    generic line in that language (never Finnish steps on a Swedish handout)."""
    own: str | None = getattr(service.how_to_get, lang, None)
    return Localised(own, lang) if own else Localised(GENERIC_NEXT_STEPS[lang][service.level], lang)


def language_name(code: str) -> str:
    """A language code's Finnish name, or the code when it is not known here."""
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class ChannelView:
    """One channel as a page shows it: words, the value, its link, hours and notes."""

    kind: str
    kind_word: str
    label: Localised | None
    display: str
    href: str  # passed through `safe_url` by the template
    languages: tuple[str, ...]  # language names
    hours: tuple[str, ...]  # weekly hours lines; empty when the catalogue does not say
    exceptions: tuple[str, ...]
    note: Localised | None


def channel_view(
    channel: Channel, lang: str, kind_words: dict[str, str], today: date | None = None
) -> ChannelView:
    """The channel in `lang`; with `today`, only exceptions that have not ended."""
    exceptions = upcoming_exceptions(channel, today) if today else channel.exceptions
    return ChannelView(
        kind=channel.kind.value,
        kind_word=kind_words[channel.kind.value],
        label=localised(channel.label, lang),
        display=channel.display,
        href=channel_href(channel),
        languages=tuple(language_name(code) for code in channel.languages),
        hours=tuple(format_hours(channel.hours, lang)) if channel.hours else (),
        exceptions=tuple(format_exception(e, lang) for e in exceptions),
        note=localised(channel.note, lang),
    )


@dataclass(frozen=True)
class HandoutItem:
    """One service on a printed handout, in the handout's language."""

    id: str
    name: Localised
    provider: Localised
    summary: Localised
    level_words: str
    cost: str
    next_steps: Localised
    channels: tuple[ChannelView, ...]
    alert: Localised | None


def handout_item(service: Service, lang: str, today: date) -> HandoutItem:
    """What a handout says about one service (exceptions to its hours from `today` on)."""
    name = localised(service.name, lang)
    provider = localised(service.provider.name, lang)
    summary = localised(service.summary, lang)
    assert name is not None and provider is not None and summary is not None  # required
    return HandoutItem(
        id=service.id,
        name=name,
        provider=provider,
        summary=summary,
        level_words=LEVEL_WORDS[lang][service.level],
        cost=cost_word(service, lang),
        next_steps=next_steps(service, lang),
        channels=tuple(
            channel_view(c, lang, HANDOUT_CHANNELS[lang], today) for c in service.channels
        ),
        alert=localised(service.alert, lang),
    )
