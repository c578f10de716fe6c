"""Opening hours: a small subset of OpenStreetMap's `opening_hours` syntax that editors know.

`24/7`, or rules separated by `;`, each `DAYS TIMES`: `Mo-Fr 08:00-16:00; Sa 10:00-14:00`,
`Mo,We 17:00-21:00`, `Sa-Su off`, `PH off`. A later rule for the same day replaces an earlier
one, as in OSM. An end time before the start runs past midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
HOLIDAY = "PH"
_TIME = re.compile(r"^(\d{2}):(\d{2})$")


class HoursSyntaxError(ValueError):
    """The opening-hours text does not follow the syntax; the message says what to fix."""


@dataclass(frozen=True)
class Span:
    """Open from `start` to `end`, in minutes after midnight; `end` may exceed 1440."""

    start: int
    end: int

    def __str__(self) -> str:
        end = self.end % 1440 if self.end > 1440 else self.end
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True)
class Rule:
    """Days (0 = Monday) or public holidays, and the spans open on them (empty = closed)."""

    days: frozenset[int]
    holidays: bool
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class OpeningHours:
    """Parsed opening hours; `text` is what the editor wrote."""

    text: str
    rules: tuple[Rule, ...]

    def spans_on(self, day: date, holidays: frozenset[date] = frozenset()) -> tuple[Span, ...]:
        """The spans that start on `day` (the last matching rule wins)."""
        result: tuple[Span, ...] = ()
        for rule in self.rules:
            if (rule.holidays and day in holidays) or (
                not rule.holidays and day.weekday() in rule.days
            ):
                result = rule.spans
        return result

    def is_open(self, moment: datetime, holidays: frozenset[date] = frozenset()) -> bool:
        """True if open at `moment` (local time), counting spans that run past midnight."""
        minute = moment.hour * 60 + moment.minute
        today = moment.date()
        if any(s.start <= minute < s.end for s in self.spans_on(today, holidays)):
            return True
        yesterday = today - timedelta(days=1)
        return any(minute + 1440 < s.end for s in self.spans_on(yesterday, holidays))


def parse_time(text: str, where: str) -> int:
    """`HH:MM` as minutes after midnight (24:00 allowed)."""
    match = _TIME.match(text)
    if not match:
        raise HoursSyntaxError(f"'{text}' in {where} is not a time; write HH:MM, e.g. 08:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise HoursSyntaxError(f"'{text}' in {where} is not a time of day (00:00-24:00)")
    return hours * 60 + minutes


def parse_spans(text: str, where: str) -> tuple[Span, ...]:
    """`08:00-12:00,13:00-16:00` or `off` as spans (empty for `off`)."""
    text = text.strip()
    if text == "off":
        return ()
    spans: list[Span] = []
    for part in text.split(","):
        pieces = part.strip().split("-")
        if len(pieces) != 2:
            raise HoursSyntaxError(
                f"'{part.strip()}' in {where} is not a time range; write 08:00-16:00"
            )
        start, end = parse_time(pieces[0], where), parse_time(pieces[1], where)
        if start == end:
            raise HoursSyntaxError(f"'{part.strip()}' in {where} starts and ends at once")
        if end < start:
            end += 1440  # runs past midnight
        spans.append(Span(start, end))
    return tuple(spans)


def _parse_days(text: str, where: str) -> tuple[frozenset[int], bool]:
    days: set[int] = set()
    holidays = False
    for item in text.split(","):
        if item == HOLIDAY:
            holidays = True
            continue
        ends = item.split("-")
        for end in ends:
            if end not in DAYS:
                raise HoursSyntaxError(
                    f"'{end}' in {where} is not a day; use {' '.join(DAYS)} or PH"
                )
        if len(ends) == 1:
            days.add(DAYS.index(ends[0]))
        elif len(ends) == 2:
            first, last = DAYS.index(ends[0]), DAYS.index(ends[1])
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        else:
            raise HoursSyntaxError(f"'{item}' in {where} is not a day range; write Mo-Fr")
    if days and holidays:
        raise HoursSyntaxError(f"'{text}' in {where} mixes days and PH; give PH its own rule")
    return frozenset(days), holidays


def parse_hours(text: str) -> OpeningHours:
    """Parse opening hours; raise HoursSyntaxError with a message an editor can act on."""
    stripped = text.strip()
    if stripped == "24/7":
        return OpeningHours(text, (Rule(frozenset(range(7)), False, (Span(0, 1440),)),))
    if not stripped:
        raise HoursSyntaxError("opening hours are empty; write e.g. Mo-Fr 08:00-16:00 or 24/7")
    rules: list[Rule] = []
    for number, part in enumerate(stripped.split(";"), start=1):
        rule_text = part.strip()
        where = f"rule {number} ('{rule_text}')"
        pieces = rule_text.split(None, 1)
        if len(pieces) != 2:
            raise HoursSyntaxError(
                f"{where} needs days and times, e.g. 'Mo-Fr 08:00-16:00'; separate rules with ;"
            )
        days, holidays = _parse_days(pieces[0], where)
        rules.append(Rule(days, holidays, parse_spans(pieces[1], where)))
    return OpeningHours(text, tuple(rules))
