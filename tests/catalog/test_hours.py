"""Opening hours: the syntax editors write and whether a place is open at a moment."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from navigator.catalog.hours import HoursSyntaxError, Span, parse_hours

MONDAY = date(2026, 11, 23)


def at(day_offset: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, 23 + day_offset, hh, mm)


def test_weekday_ranges_and_later_rules_win() -> None:
    hours = parse_hours("Mo-Fr 08:00-16:00; Fr 08:00-14:00")
    assert hours.is_open(at(0, 8))
    assert not hours.is_open(at(0, 16))
    assert hours.is_open(at(4, 13, 59))
    assert not hours.is_open(at(4, 14))
    assert not hours.is_open(at(5, 10))


def test_around_the_clock() -> None:
    hours = parse_hours("24/7")
    assert all(hours.is_open(at(d, h)) for d in range(7) for h in (0, 12, 23))


def test_spans_past_midnight_count_on_the_next_day() -> None:
    hours = parse_hours("Fr 18:00-02:00")
    assert hours.is_open(at(4, 23))
    assert hours.is_open(at(5, 1, 59))
    assert not hours.is_open(at(5, 2))
    assert hours.spans_on(date(2026, 11, 27)) == (Span(18 * 60, 26 * 60),)


def test_lists_wrapping_ranges_and_off() -> None:
    hours = parse_hours("Mo,We 17:00-21:00; Sa-Mo 10:00-12:00; Su off")
    assert hours.is_open(at(2, 18))
    assert hours.is_open(at(5, 11))
    assert not hours.is_open(at(6, 11))
    assert hours.is_open(at(0, 11))


def test_public_holidays_rule() -> None:
    hours = parse_hours("Mo-Fr 08:00-16:00; PH off")
    assert not hours.is_open(at(0, 9), holidays=frozenset({MONDAY}))
    assert hours.is_open(at(0, 9))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mo-Fri 08:00-16:00", "'Fri' in rule 1 ('Mo-Fri 08:00-16:00') is not a day"),
        ("Mo-Fr 8-16", "'8' in rule 1 ('Mo-Fr 8-16') is not a time; write HH:MM"),
        ("Mo-Fr 08:00-25:00", "'25:00' in rule 1 ('Mo-Fr 08:00-25:00') is not a time of day"),
        ("Mo-Fr", "rule 1 ('Mo-Fr') needs days and times"),
        ("Mo 10:00-10:00", "'10:00-10:00' in rule 1 ('Mo 10:00-10:00') starts and ends at once"),
        ("Mo,PH 10:00-12:00", "mixes days and PH"),
        ("", "opening hours are empty"),
    ],
)
def test_syntax_errors_say_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(HoursSyntaxError) as info:
        parse_hours(text)
    assert message in str(info.value)


def test_a_channel_is_open_by_its_exceptions_first_and_past_midnight() -> None:
    from datetime import date, datetime

    from navigator.catalog.hours import parse_hours, parse_spans
    from navigator.catalog.model import Channel, ChannelKind, HoursException

    christmas_eve = date(2026, 12, 24)
    channel = Channel(
        kind=ChannelKind.PHONE,
        value="+358925250111",
        display="09 2525 0111",
        hours=parse_hours("Mo-Su 09:00-17:00"),
        exceptions=(
            HoursException(christmas_eve, christmas_eve, parse_spans("18:00-02:00", "x")),
            HoursException(date(2026, 12, 26), date(2026, 12, 26), ()),
        ),
    )
    assert channel.spans_on(christmas_eve) == parse_spans("18:00-02:00", "x")
    assert channel.is_open(datetime(2026, 12, 24, 10, 0)) is False  # the exception wins
    assert channel.is_open(datetime(2026, 12, 24, 23, 0)) is True
    assert channel.is_open(datetime(2026, 12, 25, 1, 30)) is True  # past midnight
    assert channel.is_open(datetime(2026, 12, 25, 10, 0)) is True  # weekly hours again
    assert channel.is_open(datetime(2026, 12, 26, 10, 0)) is False  # closed that day
    assert Channel(ChannelKind.WEB, "https://x.fi", "x.fi").is_open(datetime(2026, 1, 1)) is None
