"""Checks and normal forms for contact details: phone numbers, URLs, e-mail, business ids."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import shortnumberinfo

#: Numbers that may stand at level 0 of the ladder.
EMERGENCY_NUMBERS = frozenset({"112"})

_PHONE_CHARS = re.compile(r"^\+?[0-9 ()/-]+$")
_EU_HARMONISED = re.compile(r"^116\d{3}$")


class ContactValueError(ValueError):
    """A contact value is malformed; the message says what to write instead."""


def normalise_phone(raw: str) -> str:
    """Return the phone number in E.164 form (`+358925250111`), or short numbers as digits."""
    text = raw.strip()
    if not _PHONE_CHARS.match(text):
        raise ContactValueError(
            f"'{raw}' is not a phone number; write digits, spaces and an optional leading +"
        )
    digits = re.sub(r"[^0-9+]", "", text)
    if not digits.strip("+"):
        raise ContactValueError(f"'{raw}' is not a phone number: it has no digits")
    if not digits.startswith("+") and not digits.startswith("0"):
        # Short service numbers: 112, 116 117, and the EU's harmonised 116 xxx lines
        # (libphonenumber's data may lag behind new 116 lines such as 116 016).
        if _EU_HARMONISED.match(digits):
            return digits
        try:
            short = phonenumbers.parse(digits, "FI")
        except phonenumbers.NumberParseException:
            short = None  # too short ("8") or too long to be any number
        if short is not None and shortnumberinfo.is_valid_short_number_for_region(short, "FI"):
            return digits
        raise ContactValueError(
            f"'{raw}' is not a Finnish short number; write long numbers with their area "
            "code (09 …) or in international form (+358 …)"
        )
    try:
        number = phonenumbers.parse(text, "FI")
    except phonenumbers.NumberParseException as exc:
        raise ContactValueError(f"'{raw}' is not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise ContactValueError(
            f"'{raw}' is not a valid phone number; check the digits against the source"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def tel_uri(normalised: str) -> str:
    """A `tel:` link for a normalised number."""
    return f"tel:{normalised}"


def check_url(raw: str) -> str:
    """Return the URL if it is an https URL with a host; raise ContactValueError otherwise."""
    text = raw.strip()
    if len(text.split()) > 1:  # str.split splits at every isspace() character, in C
        raise ContactValueError(f"'{raw}' contains spaces; a URL has none (use %20)")
    parts = urlsplit(text)
    if parts.scheme == "http":
        raise ContactValueError(f"'{raw}' uses http; links must use https")
    if parts.scheme != "https":
        raise ContactValueError(f"'{raw}' is not a web address; write it as https://…")
    host = parts.hostname or ""
    if "." not in host or parts.username or parts.password:
        raise ContactValueError(f"'{raw}' has no valid host name after https://")
    return text


def check_email(raw: str) -> str:
    """Return the e-mail address in normal form; raise ContactValueError if malformed."""
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ContactValueError(f"'{raw}' is not an e-mail address: {exc}") from None


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def check_business_id(raw: str) -> str:
    """Return a Finnish business id (Y-tunnus, `1234567-8`) after checking its check digit."""
    text = raw.strip()
    if not re.fullmatch(r"\d{7}-\d", text):
        raise ContactValueError(f"'{raw}' is not a business id; write seven digits, -, a digit")
    remainder = sum(int(d) * w for d, w in zip(text[:7], _WEIGHTS, strict=True)) % 11
    expected = 0 if remainder == 0 else 11 - remainder
    if remainder == 1 or int(text[-1]) != expected:
        raise ContactValueError(f"'{raw}' has a wrong check digit; copy it from the YTJ register")
    return text
