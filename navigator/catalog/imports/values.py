"""Small conversions the importers share: texts, language codes, phone numbers."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
import pycountry

from navigator.catalog.contacts import normalise_phone

LANGS = ("fi", "sv", "en")


def text_value(texts: dict[str, str]) -> str | dict[str, str]:
    """A catalogue *text*: a plain string when only Finnish is given."""
    return texts["fi"] if set(texts) == {"fi"} else {k: texts[k] for k in LANGS if k in texts}


@lru_cache(maxsize=256)
def known_language(code: str) -> bool:
    """True for an ISO 639-1 or 639-3 code (any case)."""
    code = code.lower()
    return (len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None) or (
        len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None
    )


def phone_display(raw: str) -> str:
    """The number as Finns write it (`044 7943552`), after the catalogue's own check
    (raises ContactValueError); short and foreign numbers as given."""
    normalised = normalise_phone(raw)
    if not normalised.startswith("+358"):
        return raw.strip()
    parsed = phonenumbers.parse(normalised, "FI")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
