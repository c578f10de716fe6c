"""PTV service hours → the catalogue's opening-hours text and exceptions.

PTV lists weekly hours as one row per day (`dayFrom: Monday, from: 08:00:00, to: 16:00:00`)
and exceptions as dated rows; the catalogue writes `Mo-Fr 08:00-16:00` and
`{date, hours}` items. The result is parsed with the catalogue's own parser before it is
written, so an imported entry never fails on its hours.
"""

from __future__ import annotations

from typing import Any

from navigator.catalog.hours import DAYS, HoursSyntaxError, parse_hours, parse_spans
from navigator.catalog.imports.jsondata import Json
from navigator.catalog.imports.writer import iso_date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKLY_TYPES = ("DaysOfTheWeek", "Standard")
EXCEPTION_TYPES = ("Exceptional", "Exception", "Special")


def _time(node: Json) -> str:
    """`08:00:00` → `08:00`."""
    value = node.required_text()
    parts = value.split(":")
    if len(parts) < 2 or not all(p.isdigit() and len(p) == 2 for p in parts[:2]):
        raise node.fail(f"'{value}' is not a time; expected HH:MM:SS")
    return f"{parts[0]}:{parts[1]}"


def _span(row: Json) -> tuple[int, str]:
    """One weekly row as (weekday, `HH:MM-HH:MM`); a row ending the next day runs past
    midnight, which the catalogue writes as an end before the start."""
    day_node = row.at("dayFrom")
    day_name = day_node.required_text()
    if day_name not in WEEKDAYS:
        raise day_node.fail(f"'{day_name}' is not a day; expected one of {', '.join(WEEKDAYS)}")
    day = WEEKDAYS.index(day_name)
    start, end = _time(row.at("from")), _time(row.at("to"))
    day_to = row.at("dayTo").text()
    if day_to and day_to != day_name:
        if day_to not in WEEKDAYS or (WEEKDAYS.index(day_to) - day) % 7 != 1:
            raise row.at("dayTo").fail(
                f"'{day_to}': a span over more than one midnight cannot be written as hours"
            )
    elif end == "00:00" and start != "00:00":
        end = "24:00"
    if start == end:
        raise row.fail(f"the span {start}-{end} starts and ends at once")
    return day, f"{start}-{end}"


def _rules(by_day: dict[int, list[str]]) -> str:
    """Consecutive days with the same spans joined into ranges: `Mo-Fr 08:00-16:00`."""
    rules: list[str] = []
    day = 0
    while day < 7:
        if day not in by_day:
            day += 1
            continue
        times = ",".join(by_day[day])
        last = day
        while last + 1 < 7 and ",".join(by_day.get(last + 1, [])) == times:
            last += 1
        days = DAYS[day] if last == day else f"{DAYS[day]}-{DAYS[last]}"
        rules.append(f"{days} {times}")
        day = last + 1
    return "; ".join(rules)


def _note(entry: Json) -> dict[str, str] | None:
    texts: dict[str, str] = {}
    for item in entry.at("additionalInformation").items():
        lang, value = item.at("language").text(), item.at("value").text()
        if lang in ("fi", "sv", "en") and value:
            texts[lang] = value
    return texts if "fi" in texts else None


def weekly_hours(entries: list[Json]) -> str | None:
    """The weekly hours valid now, as catalogue text; None if PTV gives none."""
    by_day: dict[int, list[str]] = {}
    for entry in entries:
        if entry.at("isAlwaysOpen").flag():
            return "24/7"
        for row in entry.at("openingHour").items():
            day, span = _span(row)
            by_day.setdefault(day, []).append(span)
    if not by_day:
        return None
    text = _rules({day: sorted(spans) for day, spans in by_day.items()})
    try:
        parse_hours(text)
    except HoursSyntaxError as exc:
        raise entries[0].fail(f"the hours give '{text}', which is not valid: {exc}") from None
    return text


def exception(entry: Json) -> dict[str, Any]:
    """One dated exception: `{date, hours}` or `{from, to, hours}`, with a note."""
    start_node = entry.at("validFrom")
    start = iso_date(start_node.required_text())
    if start is None:
        raise start_node.fail("expected a date such as 2026-12-24T00:00:00")
    end_text = entry.at("validTo").text()
    end = iso_date(end_text) if end_text else start
    if end is None or end < start:
        raise entry.at("validTo").fail("expected a date on or after validFrom")
    if entry.at("isClosed").flag():
        hours = "closed"
    else:
        spans = [_span(row)[1] for row in entry.at("openingHour").items()]
        if not spans:
            raise entry.fail("an exception that is neither closed nor has opening hours")
        hours = ",".join(spans)
        try:
            parse_spans(hours, "exception")
        except HoursSyntaxError as exc:
            raise entry.fail(str(exc)) from None
    item: dict[str, Any] = ({"date": start} if start == end else {"from": start, "to": end}) | {
        "hours": hours
    }
    note = _note(entry)
    if note:
        item["note"] = note if set(note) != {"fi"} else note["fi"]
    return item
