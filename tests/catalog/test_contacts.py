"""Phone numbers, URLs, e-mail addresses and business ids."""

from __future__ import annotations

import pytest

from navigator.catalog.contacts import (
    ContactValueError,
    check_business_id,
    check_email,
    check_url,
    normalise_phone,
)
from navigator.catalog.services import _catalogue_phone


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("112", "112"),
        ("116 117", "116117"),
        ("116 111", "116111"),
        ("116 016", "116016"),
        ("09 2525 0111", "+358925250111"),
        ("+358 9 2525 0111", "+358925250111"),
        ("080 005 005", "+35880005005"),
        ("0800 147 111", "+358800147111"),
        ("0400 221 180", "+358400221180"),
        ("(08) 558 41999", "+358855841999"),
        ("+46 8 123 456 78", "+46812345678"),
    ],
)
def test_phone_numbers_are_normalised(written: str, normal: str) -> None:
    assert normalise_phone(written) == normal


@pytest.mark.parametrize("bad", ["09 2525 0111 1", "1234", "tel 112", "09-2525-O111", "+358"])
def test_bad_phone_numbers(bad: str) -> None:
    with pytest.raises(ContactValueError):
        normalise_phone(bad)
    for _ in range(2):  # the catalogue's normal forms are cached; its errors are not
        with pytest.raises(ContactValueError):
            _catalogue_phone(bad)


def test_residents_contact_details_are_not_kept_in_a_cache() -> None:
    # navigator.contact checks residents' numbers and addresses with these functions: only
    # the catalogue reader's copies of them (published facts) may keep what they saw.
    assert not hasattr(normalise_phone, "cache_info")
    assert not hasattr(check_email, "cache_info")


def test_urls_must_be_https_with_a_host() -> None:
    assert check_url("https://mieli.fi/helpline") == "https://mieli.fi/helpline"
    for bad, message in [
        ("http://mieli.fi", "uses http"),
        ("mieli.fi", "is not a web address"),
        ("https://localhost/x", "no valid host"),
        ("https://mieli.fi/a b", "contains spaces"),
        ("javascript:alert(1)", "is not a web address"),
    ]:
        with pytest.raises(ContactValueError, match=message):
            check_url(bad)


def test_email() -> None:
    assert check_email("info@mieli.fi") == "info@mieli.fi"
    with pytest.raises(ContactValueError, match="@-sign"):
        check_email("info.mieli.fi")


def test_business_id_check_digit() -> None:
    assert check_business_id("0116510-6") == "0116510-6"
    with pytest.raises(ContactValueError, match="check digit"):
        check_business_id("0116510-5")
    with pytest.raises(ContactValueError, match="seven digits"):
        check_business_id("116510-6")


@pytest.mark.parametrize("raw", ["(", "()", "- -", "( )"])
def test_a_phone_number_without_digits_is_refused_with_a_message(raw: str) -> None:
    with pytest.raises(ContactValueError, match="has no digits"):
        normalise_phone(raw)
