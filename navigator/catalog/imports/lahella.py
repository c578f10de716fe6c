"""Importing Lähellä.fi activities (NGO, parish and volunteer activities) as catalogue entries.

The input format is described, with an example, in catalog/README.md ("Lähellä.fi
activities"). One file holds one activity, a list of them, or a page `{"items": […]}`.
Output: `services/imported/lahella/lahella-<id>.yaml`, one file per activity, with the same
review and override rules as the PTV import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from navigator.catalog.contacts import (
    ContactValueError,
    check_business_id,
    check_email,
    check_url,
)
from navigator.catalog.hours import DAYS, HoursSyntaxError, parse_hours
from navigator.catalog.imports.jsondata import Json
from navigator.catalog.imports.ptv import load_json
from navigator.catalog.imports.report import ImportReport, Notes, Severity
from navigator.catalog.imports.rules import NEEDS_BY_LAHELLA_THEME, suggest_ngo_level
from navigator.catalog.imports.values import LANGS, known_language, phone_display, text_value
from navigator.catalog.imports.writer import EntryWriter, import_taxonomy, iso_date, plain_text
from navigator.catalog.model import ChannelKind, CostType, ProviderType
from navigator.errors import ImportDataError

SOURCE = "lahella"
FORMAT = "the Lähellä.fi activity format"

ACTIVITY_KEYS = frozenset(
    {
        "id",
        "type",
        "modified",
        "url",
        "organisation",
        "translations",
        "themes",
        "formats",
        "locales",
        "demographic",
        "region",
        "pricing",
        "contacts",
        "channels",
        "accessibility",
        "registration",
    }
)
TYPES = ("activity", "group", "event", "service")
CHANNEL_TYPES = ("place", "online", "phone", "hybrid")
FORMATS = (
    "peer-support",
    "group",
    "club",
    "counselling",
    "meeting-place",
    "drop-in",
    "helpline",
    "course",
    "event",
    "volunteering",
    "information",
)
#: Age groups → (youngest, oldest, PTV target group); None = no bound.
AGE_GROUPS: dict[str, tuple[int | None, int | None, str]] = {
    "children": (0, 12, "KR1.2"),
    "families": (None, None, "KR1.2"),
    "youth": (13, 29, "KR1.3"),
    "adults": (18, None, "KR1"),
    "seniors": (65, None, "KR1.1"),
    "everyone": (None, None, "KR1"),
}
ACCESSIBILITY: dict[str, dict[str, str]] = {
    "step_free": {"fi": "esteetön kulku", "sv": "tillgänglig entré", "en": "step-free access"},
    "accessible_toilet": {
        "fi": "esteetön WC",
        "sv": "tillgänglig toalett",
        "en": "accessible toilet",
    },
    "induction_loop": {"fi": "induktiosilmukka", "sv": "induktionsslinga", "en": "induction loop"},
    "sign_language": {"fi": "viittomakieli", "sv": "teckenspråk", "en": "sign language"},
}
_REGISTER = {
    "required": {
        "fi": "Ilmoittaudu etukäteen järjestäjälle.",
        "sv": "Anmäl dig i förväg till arrangören.",
        "en": "Sign up in advance with the organiser.",
    },
    "required_url": {
        "fi": "Ilmoittaudu etukäteen: {url}",
        "sv": "Anmäl dig i förväg: {url}",
        "en": "Sign up in advance: {url}",
    },
    "open": {
        "fi": "Tule mukaan; ilmoittautumista ei tarvita.",
        "sv": "Kom med; ingen anmälan behövs.",
        "en": "Just come along; no sign-up is needed.",
    },
}
_WEEKDAYS = {day.lower(): day for day in DAYS}
_TIME = re.compile(r"^\d{2}:\d{2}$")


def _activities(document: Json) -> Iterator[Json]:
    if isinstance(document.value, list):
        yield from document.items()
    elif isinstance(document.value, dict) and "items" in document.value:
        yield from document.at("items").items()
    else:
        document.obj()
        yield document


def _choice(node: Json, choices: tuple[str, ...]) -> str:
    value = node.required_text()
    if value not in choices:
        raise node.fail(f"'{value}' is not one of {', '.join(choices)}")
    return value


def _text(node: Json) -> dict[str, str]:
    """A text given as a string (Finnish) or {fi, sv, en}."""
    if isinstance(node.value, str):
        value = node.text()
        return {"fi": plain_text(value)} if value else {}
    texts = {lang: node.at(lang).text() for lang in LANGS}
    return {lang: plain_text(value) for lang, value in texts.items() if value}


def _translations(activity: Json) -> dict[str, dict[str, str]]:
    """{field: {lang: text}} from `translations.<lang>.<field>`."""
    node = activity.at("translations")
    if node.obj() is None:
        raise node.fail("expected an object with 'fi', 'sv', 'en' translations")
    fields: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        language = node.at(lang)
        for key in ("name", "summary", "description", "pricing"):
            value = language.at(key).text()
            if value:
                fields.setdefault(key, {})[lang] = plain_text(value)
    for key in ("name", "summary"):
        if "fi" not in fields.get(key, {}):
            raise node.at("fi").at(key).fail(f"expected the Finnish {key}, but it is missing")
    return fields


def _areas(node: Json, municipalities: Iterable[str]) -> str | list[str]:
    if isinstance(node.value, str):
        return _choice(node, ("nationwide", "county"))
    known = set(municipalities)
    codes: list[str] = []
    for item in node.at("municipalities").items():
        code = item.required_text()
        if code not in known:
            raise item.fail(f"'{code}' is not a municipality code of the county")
        codes.append(code)
    if not codes:
        raise node.fail("expected nationwide, county or {municipalities: ['564', …]}")
    return list(dict.fromkeys(codes))


def _hours(events: Json, notes: Notes) -> tuple[str | None, date | None]:
    """Weekly events as opening hours (`Mo,We 17:00-19:00`), and the last day of the
    season if the events end; other recurrences are reported and left out."""
    by_time: dict[str, list[str]] = {}
    last: date | None = None
    for event in events.items():
        try:
            recurrence = event.at("recurrence").text() or "weekly"
            if recurrence != "weekly":
                raise event.at("recurrence").fail(
                    f"'{recurrence}' events cannot be written as weekly hours"
                )
            start, end = event.at("start").required_text(), event.at("end").required_text()
            for node, value in ((event.at("start"), start), (event.at("end"), end)):
                if not _TIME.match(value):
                    raise node.fail(f"'{value}' is not a time HH:MM")
            days = []
            for day_node in event.at("weekdays").items():
                day = _WEEKDAYS.get((day_node.required_text()).lower())
                if day is None:
                    raise day_node.fail(f"expected a weekday {', '.join(_WEEKDAYS)}")
                days.append(day)
            if not days:
                raise event.at("weekdays").fail("expected at least one weekday")
            until = event.at("to").text()
            if until:
                day_until = iso_date(until)
                if day_until is None:
                    raise event.at("to").fail(f"'{until}' is not a date YYYY-MM-DD")
                last = max(last, day_until) if last else day_until
            by_time.setdefault(f"{start}-{end}", []).extend(days)
        except ImportDataError as exc:
            notes.left_out(exc, review=True)
    if not by_time:
        return None, last
    rules = [
        ",".join(sorted(set(days), key=DAYS.index)) + f" {times}"
        for times, days in sorted(by_time.items())
    ]
    text = "; ".join(rules)
    try:
        parse_hours(text)
    except HoursSyntaxError as exc:
        notes.left_out(events.fail(f"the events give '{text}', which is not valid: {exc}"), True)
        return None, last
    return text, last


def _address(node: Json) -> dict[str, Any]:
    address: dict[str, Any] = {
        "street": plain_text(node.at("street").required_text()),
        "postal_code": node.at("postal_code").required_text(),
        "city": plain_text(node.at("city").required_text()),
    }
    if not re.fullmatch(r"\d{5}", address["postal_code"]):
        raise node.at("postal_code").fail("expected a Finnish postal code (five digits)")
    for key, low, high in (("latitude", 59.0, 71.0), ("longitude", 19.0, 32.0)):
        value = node.at(key).value
        if node.at(key).missing:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise node.at(key).fail("expected WGS84 degrees as a number")
        if not low <= value <= high:
            raise node.at(key).fail(f"{value} is not a {key} in Finland")
        address[key] = round(float(value), 6)
    return address


def _checked(node: Json, check: Callable[[str], str]) -> str:
    value = node.required_text()
    try:
        return check(value)
    except ContactValueError as exc:
        raise node.fail(str(exc)) from None


def _channels(activity: Json, notes: Notes) -> tuple[list[dict[str, Any]], date | None]:
    entries: list[dict[str, Any]] = []
    season_end: date | None = None
    for channel in activity.at("channels").items():
        try:
            kind = _choice(channel.at("type"), CHANNEL_TYPES)
            label = _text(channel.at("label"))
            hours, last = _hours(channel.at("events"), notes)
            if last:
                season_end = max(season_end, last) if season_end else last
            made: list[dict[str, Any]] = []
            if kind in ("place", "hybrid"):
                made.append({"address": _address(channel.at("address"))})
            if kind in ("online", "hybrid"):
                made.append({"web": _checked(channel.at("url"), check_url)})
            if kind == "phone":
                made.append({"phone": _checked(channel.at("phone"), phone_display)})
            for entry in made:
                if "fi" in label:
                    entry["label"] = text_value(label)
                if hours:
                    entry["hours"] = hours
            entries.extend(made)
        except ImportDataError as exc:
            notes.left_out(exc)
    for contact in activity.at("contacts").items():
        name = contact.at("name").text()
        for key, check in (("phone", phone_display), ("email", check_email)):
            if contact.at(key).missing:
                continue
            try:
                entry = {key: _checked(contact.at(key), check)}
            except ImportDataError as exc:
                notes.left_out(exc)
                continue
            if name:
                entry["label"] = plain_text(name)
            entries.append(entry)
    return entries, season_end


def _provider(node: Json) -> dict[str, Any]:
    name = _text(node.at("name"))
    if "fi" not in name:
        raise node.at("name").fail("expected the organisation's Finnish name")
    provider: dict[str, Any] = {"name": text_value(name)}
    type_node = node.at("type")
    provider["type"] = (
        ProviderType.NGO.value
        if type_node.missing
        else _choice(type_node, tuple(t.value for t in ProviderType))
    )
    if not node.at("business_id").missing:
        provider["business_id"] = _checked(node.at("business_id"), check_business_id)
    if not node.at("web").missing:
        provider["web"] = _checked(node.at("web"), check_url)
    return provider


def _age(groups: list[str]) -> tuple[dict[str, int] | None, list[str]]:
    """The age range and PTV target groups of the demographic age groups."""
    if not groups:
        return None, []
    lows = [AGE_GROUPS[g][0] for g in groups]
    highs = [AGE_GROUPS[g][1] for g in groups]
    targets = list(dict.fromkeys(AGE_GROUPS[g][2] for g in groups))
    age: dict[str, int] = {}
    if None not in lows:
        age["min"] = min(low for low in lows if low is not None)
    if None not in highs:
        age["max"] = max(high for high in highs if high is not None)
    return age or None, targets


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]  # not str.capitalize(): it would write "wc" for "WC"


def _codes(node: Json, choices: Iterable[str], notes: Notes) -> list[str]:
    allowed = tuple(choices)
    values: list[str] = []
    for item in node.items():
        try:
            values.append(_choice(item, allowed))
        except ImportDataError as exc:
            notes.left_out(exc, review=True)
    return list(dict.fromkeys(values))


def build_entry(
    activity: Json, file: str, municipalities: Iterable[str], report: ImportReport
) -> tuple[str, dict[str, Any]]:
    """The catalogue file for one activity; raises ImportDataError if it cannot be made."""
    notes = Notes(report, file)
    notes.unknown_keys(activity, ACTIVITY_KEYS, FORMAT)
    upstream_id = activity.at("id").required_text()
    slug = re.sub(r"[^a-z0-9]+", "-", upstream_id.lower()).strip("-")
    entry_id = f"{SOURCE}-{slug}"
    if not slug or len(entry_id) > 80:
        raise activity.at("id").fail(f"'{upstream_id}' cannot make a catalogue id")
    kind = _choice(activity.at("type"), TYPES)
    texts = _translations(activity)
    themes = _codes(activity.at("themes"), NEEDS_BY_LAHELLA_THEME, notes)
    formats = _codes(activity.at("formats"), FORMATS, notes)
    needs = list(dict.fromkeys(n for t in themes for n in NEEDS_BY_LAHELLA_THEME[t]))
    if not needs:
        raise activity.at("themes").fail(
            "no need can be suggested: give at least one theme listed in catalog/README.md"
        )
    areas = _areas(activity.at("region"), municipalities)
    pricing = _choice(activity.at("pricing"), ("free", "paid"))
    cost = CostType.FREE if pricing == "free" else CostType.FEE
    channels, season_end = _channels(activity, notes)
    if not channels:
        raise activity.at("channels").fail("no usable channel (place, online, phone or contact)")
    registration = activity.at("registration")
    required = bool(registration.at("required").flag())
    signup_url = (
        _checked(registration.at("url"), check_url) if not registration.at("url").missing else None
    )
    if required and signup_url:
        how = {k: v.format(url=signup_url) for k, v in _REGISTER["required_url"].items()}
    else:
        how = dict(_REGISTER["required" if required else "open"])
    groups = _codes(activity.at("demographic").at("age_groups"), AGE_GROUPS, notes)
    age, target_groups = _age(groups)
    locales = [
        code.lower()
        for code in (item.text() for item in activity.at("locales").items())
        if code and known_language(code)
    ]
    flags = activity.at("accessibility")
    access = [name for name in ACCESSIBILITY if flags.at(name).flag()]
    modified = activity.at("modified").required_text()
    checked = iso_date(modified)
    if checked is None:
        raise activity.at("modified").fail(f"'{modified}' is not a date or timestamp")
    source = _checked(activity.at("url"), check_url)
    kinds = [ChannelKind(next(iter(c))) for c in channels]
    level = suggest_ngo_level(kinds, cost, formats)

    entry: dict[str, Any] = {"id": entry_id, "name": text_value(texts["name"])}
    entry["summary"] = text_value(texts["summary"])
    if "fi" in texts.get("description", {}):
        entry["description"] = text_value(texts["description"])
    entry["how_to_get"] = text_value(how)
    entry["level"] = level
    entry["needs"] = needs
    entry["areas"] = areas
    if target_groups:
        entry["target_groups"] = target_groups
    if age:
        entry["age"] = age
    if locales:
        entry["languages"] = list(dict.fromkeys(locales))
    entry["channels"] = channels
    pricing_text = texts.get("pricing", {})
    entry["cost"] = (
        {"type": cost.value, "text": text_value(pricing_text)}
        if "fi" in pricing_text
        else cost.value
    )
    entry["referral"] = False
    entry["anonymous"] = False
    entry["registration"] = required
    membership = registration.at("membership_required").flag()
    if membership is not None:
        entry["membership_required"] = membership
    if access:
        entry["accessibility"] = {
            lang: _sentence(", ".join(ACCESSIBILITY[a][lang] for a in access)) for lang in LANGS
        }
    entry["source"] = source
    entry["checked"] = checked
    if season_end:
        entry["review_by"] = season_end
    reasons = notes.reasons
    if kind == "event":
        reasons = [*reasons, "a one-off event: list it only if it is worth a resident's trip"]
    entry["review"] = "; ".join(
        [
            f"imported from Lähellä.fi: needs ({', '.join(needs)}) and level {level} are "
            "suggested by rules, and referral and anonymous (not in Lähellä.fi) are set to "
            f"false; check them and write your decisions in catalog/overrides/{entry_id}.yaml",
            *dict.fromkeys(reasons),
        ]
    )
    entry["imported"] = {"from": SOURCE, "id": upstream_id, "modified": modified}
    provider = _provider(activity.at("organisation"))
    return entry_id, {"provider": provider, "services": [entry]}


HEADER = (
    "Imported from Lähellä.fi by `navigator catalog import lahella`.\n"
    "Do not edit: the next import rewrites this file.\n"
    "Write changes to catalog/overrides/{id}.yaml; see catalog/README.md."
)


def import_lahella(
    paths: Iterable[Path],
    root: Path,
    report: ImportReport | None = None,
    on_count: Callable[[int], Callable[[], None]] | None = None,
) -> ImportReport:
    """Import Lähellä.fi activity files into the catalogue at `root`."""
    report = report if report is not None else ImportReport()
    taxonomy = import_taxonomy(root)
    activities: list[tuple[str, Json]] = []
    for path in paths:
        document = load_json(path, report)
        if document is None:
            continue
        try:
            activities.extend((str(path), item) for item in _activities(document))
        except ImportDataError as exc:
            report.add(str(path), exc.path, Severity.ERROR, f"{exc.message}; file skipped")
    step = on_count(len(activities)) if on_count else (lambda: None)
    writer = EntryWriter(root, SOURCE, taxonomy, HEADER, report)
    for file, activity in activities:
        try:
            built = build_entry(activity, file, taxonomy.municipalities, report)
        except ImportDataError as exc:
            report.add(file, exc.path, Severity.ERROR, f"{exc.message}; activity skipped")
            report.skipped += 1
        else:
            writer.write(*built, file, activity.path)
        step()
    return report
