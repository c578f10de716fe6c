"""Service cards: one recommended service as a resident sees it, in any interface.

A card says what the service is, how high its threshold is in words ("no referral
needed"), why it was picked, and how to reach it today (call, chat, web, address, with
today's hours). The chat sends cards as a channel-agnostic custom payload beside plain
text, so any web chat can render them and a text-only channel still gets everything.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from navigator.catalog.model import Channel, ChannelKind
from navigator.routing import LEVEL_WORDS, Recommendation
from navigator.search import local_now

CARD_TYPE = "navigator.service"

_CHANNEL_WORDS: dict[str, dict[ChannelKind, str]] = {
    "fi": {
        ChannelKind.PHONE: "Soita",
        ChannelKind.CHAT: "Chat",
        ChannelKind.WEB: "Verkossa",
        ChannelKind.ESERVICE: "Asioi verkossa",
        ChannelKind.EMAIL: "Sähköposti",
        ChannelKind.ADDRESS: "Käyntiosoite",
    },
    "sv": {
        ChannelKind.PHONE: "Ring",
        ChannelKind.CHAT: "Chatt",
        ChannelKind.WEB: "På webben",
        ChannelKind.ESERVICE: "E-tjänst",
        ChannelKind.EMAIL: "E-post",
        ChannelKind.ADDRESS: "Besöksadress",
    },
    "en": {
        ChannelKind.PHONE: "Call",
        ChannelKind.CHAT: "Chat",
        ChannelKind.WEB: "Online",
        ChannelKind.ESERVICE: "E-service",
        ChannelKind.EMAIL: "E-mail",
        ChannelKind.ADDRESS: "Address",
    },
}
_TODAY_WORDS = {
    "fi": ("tänään", "suljettu tänään", "auki nyt"),
    "sv": ("i dag", "stängt i dag", "öppet nu"),
    "en": ("today", "closed today", "open now"),
}


class ContactLine(TypedDict):
    """One way to reach the service."""

    kind: str  # phone, chat, web, eservice, email or address
    label: str  # the way in words, in the card's language ("Soita")
    value: str  # what to show: the number as published, the address, the URL
    href: str | None  # a tel:, mailto: or https: link; None for an address
    hours_today: str | None  # "10:00-22:00", the closed-today words, or None if unknown
    open_now: bool | None  # None when the catalogue has no hours for this channel


class ServiceCard(TypedDict):
    """One recommended service, ready to render."""

    type: str  # always CARD_TYPE, so a client can tell cards from other payloads
    id: str
    name: str
    summary: str
    provider: str
    level: int  # the threshold ladder level, 0-5
    level_text: str  # the level in words, such as "no referral or appointment needed"
    role: str  # "emergency", "crisis" or "ladder"
    reason: str  # why this service was picked
    contacts: list[ContactLine]
    alert: str | None  # a temporary notice from the editors (changed hours, moved)


def service_card(rec: Recommendation, lang: str, now: datetime | None = None) -> ServiceCard:
    """The card for one recommendation, with hours for `now` (Helsinki time by default)."""
    now = now or local_now()
    service = rec.service
    return {
        "type": CARD_TYPE,
        "id": service.id,
        "name": service.name.get(lang),
        "summary": service.summary.get(lang),
        "provider": service.provider.name.get(lang),
        "level": service.level,
        "level_text": LEVEL_WORDS[lang][service.level],
        "role": rec.role,
        "reason": rec.reason,
        "contacts": [_contact_line(c, lang, now) for c in service.channels],
        "alert": service.alert.get(lang) if service.alert else None,
    }


def _contact_line(channel: Channel, lang: str, now: datetime) -> ContactLine:
    spans = channel.spans_on(now.date())
    hours_today: str | None = None
    if spans is not None:
        hours_today = ", ".join(str(s) for s in spans) if spans else _TODAY_WORDS[lang][1]
    return {
        "kind": channel.kind.value,
        "label": (channel.label.get(lang) if channel.label else None)
        or _CHANNEL_WORDS[lang][channel.kind],
        "value": channel.display,
        "href": _href(channel),
        "hours_today": hours_today,
        "open_now": channel.is_open(now),
    }


def _href(channel: Channel) -> str | None:
    if channel.kind is ChannelKind.PHONE:
        return f"tel:{channel.value}"
    if channel.kind is ChannelKind.EMAIL:
        return f"mailto:{channel.value}"
    if channel.kind in (ChannelKind.WEB, ChannelKind.CHAT, ChannelKind.ESERVICE):
        return channel.value if channel.value.startswith("https://") else None
    return None


def card_text(card: ServiceCard, lang: str) -> str:
    """The card as plain text, for channels that cannot render the payload."""
    today = _TODAY_WORDS[lang]
    lines = [f"{card['name']} ({card['level_text']})", card["summary"]]
    if card["alert"]:
        lines.append(f"! {card['alert']}")
    for contact in card["contacts"]:
        line = f"{contact['label']}: {contact['value']}"
        if contact["hours_today"]:
            line += f" ({today[0]} {contact['hours_today']}"
            line += f", {today[2]})" if contact["open_now"] else ")"
        lines.append(line)
    lines.append(card["reason"])
    return "\n".join(lines)
