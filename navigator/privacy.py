"""Keeping personal data out of what is stored beside a conversation.

Contact details belong only in the contact store, after consent; identity codes, bank
accounts and home addresses belong nowhere in Navigator. The dialogue's tracker, the text
passed with a contact request and anything else that keeps conversation data pass text
through `redact` first, which replaces each of these with a mark:

- `[henkilötunnus]`: a Finnish personal identity code, DDMMYY, the century sign (+, -, A, or
  since 2023 B-F and U-Y), a three-digit number and the check character. One counts when its
  date is a real day and its check character is right; and also, by default, when only the
  check character is wrong (see "Mistyped codes").
- `[tilinumero]`: an IBAN (ISO 13616) of any registered country, with or without spaces,
  whose mod-97 check holds, or, by default, all-digit with the right length for its country.
- `[sähköposti]`: an e-mail address, also spelt out ("matti(at)gmail.com", "sara dot k at
  gmail dot com").
- `[puhelinnumero]`: a phone number (libphonenumber's matcher, and any run of 7 or more
  digits spaced with blanks, dashes, dots or brackets), but not a service number: 112,
  116 xxx, 118, 0100/0200/0300/0600/0700/0800 numbers reach a service, never a person.
- `[osoite]`: a street address with a number, in Finnish ("Isokatu 3 b 14", "asun
  Rautatienkadulla 7", "Torikatu 5:ssä"), Swedish ("Storgatan 12 B 5", "Kyrkogatan 21 lgh
  1203") or English ("12 Baker Street") form, with a staircase, flat and "90100 Oulu" that
  follow it; and a postal code followed by a known municipality ("90570 Oulu").

Kept on purpose, as they identify nobody: dates, times and their ranges, years, ages,
amounts, Navigator's reference numbers (NAV-XXXX-XXXX), a postal code alone, a street name
without a number. Every address is redacted, a service's as well as the resident's: the
text cannot tell whose it is.

Mistyped codes: a resident who mistypes their identity code or account number has still
typed personal data, and a string of exactly that shape with a real date is nothing else.
So by default a code with a real date (an IBAN of the right length, all digits) is redacted
whatever its check character; `mistyped_codes=False` redacts only codes whose check holds.
Both are measured on tests/data/redaction_corpus.jsonl by `benchmarks/redaction.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

import phonenumbers

Kind = Literal["hetu", "iban", "email", "address", "phone"]

PHONE_MARK = "[puhelinnumero]"
EMAIL_MARK = "[sähköposti]"
HETU_MARK = "[henkilötunnus]"
IBAN_MARK = "[tilinumero]"
ADDRESS_MARK = "[osoite]"
MARKS: dict[Kind, str] = {
    "hetu": HETU_MARK,
    "iban": IBAN_MARK,
    "email": EMAIL_MARK,
    "address": ADDRESS_MARK,
    "phone": PHONE_MARK,
}
# Findings that overlap are redacted as one, marked with the kind that comes first here:
# an identity code's or an account's digits also read as a phone number.
_PRIORITY: tuple[Kind, ...] = ("hetu", "iban", "email", "address", "phone")


@dataclass(frozen=True)
class Finding:
    """Personal data of one kind at text[start:end]."""

    start: int
    end: int
    kind: Kind


def redact(text: str, *, mistyped_codes: bool = True) -> str:
    """`text` with its personal data replaced by marks (see the module docstring)."""
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for found in find_personal_data(text, mistyped_codes=mistyped_codes):
        pieces += [text[last : found.start], MARKS[found.kind]]
        last = found.end
    return "".join(pieces) + text[last:]


def find_personal_data(text: str, *, mistyped_codes: bool = True) -> list[Finding]:
    """Where `text` holds personal data: non-overlapping findings, in text order."""
    if not any(char.isdigit() for char in text):
        # Every kind but e-mail addresses has digits: most messages stop here.
        return _merged([Finding(s, e, "email") for s, e in _emails(text)])
    found = [
        *(Finding(s, e, "hetu") for s, e in _hetus(text, mistyped_codes)),
        *(Finding(s, e, "iban") for s, e in _ibans(text, mistyped_codes)),
        *(Finding(s, e, "email") for s, e in _emails(text)),
        *(Finding(s, e, "address") for s, e in _addresses(text)),
        *(Finding(s, e, "phone") for s, e in _phones(text)),
    ]
    return _merged(found)


def _merged(found: list[Finding]) -> list[Finding]:
    """Overlapping findings joined into one, of the kind first in _PRIORITY."""
    merged: list[Finding] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and item.start < merged[-1].end:
            last = merged[-1]
            kind = min(last.kind, item.kind, key=_PRIORITY.index)
            merged[-1] = Finding(last.start, max(last.end, item.end), kind)
        else:
            merged.append(item)
    return merged


# Finnish personal identity codes (henkilötunnus) --------------------------------------------

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# The century sign: + the 1800s; - and (since 2023) Y X W V U the 1900s; A and B-F the 2000s.
_CENTURY = {"+": 1800, "-": 1900, "A": 2000}
_CENTURY |= {sign: 1900 for sign in "YXWVU"} | {sign: 2000 for sign in "BCDEF"}
_HETU = re.compile(r"(?<![\w-])(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)", re.IGNORECASE)
# The same typed without the century sign: the check still covers date and number.
_HETU_BARE = re.compile(r"(?<![\w-])(\d{6})(\d{3})([0-9A-Y])(?!\w)", re.IGNORECASE)


def is_valid_hetu(code: str) -> bool:
    """True for a Finnish personal identity code with a real date and the right check."""
    match = _HETU.fullmatch(code.strip())
    if not match:
        return False
    digits, sign, number, check = match.groups()
    return _hetu_date(digits, _CENTURY[sign.upper()]) is not None and (
        _hetu_check(digits + number) == check.upper()
    )


def _hetu_check(nine_digits: str) -> str:
    """The check character of DDMMYY followed by the individual number."""
    return _HETU_CHECK[int(nine_digits) % 31]


def _hetu_date(digits: str, century: int) -> date | None:
    """The birth date of DDMMYY in that century, or None if there is no such day."""
    try:
        return date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None


def _hetus(text: str, mistyped: bool) -> Iterator[tuple[int, int]]:
    """Spans of identity codes: with a real date, and the right check unless `mistyped`."""
    for match in _HETU.finditer(text):
        digits, sign, number, check = match.groups()
        if _hetu_date(digits, _CENTURY[sign.upper()]) is None:
            continue
        if mistyped or _hetu_check(digits + number) == check.upper():
            yield match.span()
    for match in _HETU_BARE.finditer(text):
        digits, number, check = match.groups()
        # Without the sign the shape is weak: the check must hold, and an all-digit code
        # that starts with 0 is left to the phone rule (which redacts it too), so that a
        # phone number is not marked as an identity code by chance.
        if _hetu_check(digits + number) != check.upper():
            continue
        if check.isdigit() and digits.startswith("0"):
            continue
        if any(_hetu_date(digits, century) for century in (1900, 2000)):
            yield match.span()


# IBANs ------------------------------------------------------------------------------------

# The length of an IBAN in each country of the SWIFT IBAN registry.
# fmt: off
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
# fmt: on
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})")


def is_valid_iban(code: str) -> bool:
    """True for an IBAN (spaces allowed) of a registered length whose mod-97 check holds."""
    compact = "".join(code.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", compact):
        return False
    return _IBAN_LENGTHS.get(compact[:2]) == len(compact) and _mod97(compact) == 1


def _mod97(compact: str) -> int:
    """ISO 7064 mod 97-10 of an upper-case IBAN: 1 when its check digits are right."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def _ibans(text: str, mistyped: bool) -> Iterator[tuple[int, int]]:
    """Spans of IBANs: the country's length, and a right check unless `mistyped` (then an
    all-digit account number of the right length counts too)."""
    for start in _IBAN_START.finditer(text):
        length = _IBAN_LENGTHS.get(start.group(1).upper())
        if length is None:
            continue
        taken = _take_alphanumerics(text, start.end(), length - 4)
        if taken is None:
            continue
        end, account = taken
        compact = (start.group(1) + start.group(2) + account).upper()
        if _mod97(compact) == 1 or (mistyped and account.isdigit()):
            yield start.start(), end


def _take_alphanumerics(text: str, pos: int, count: int) -> tuple[int, str] | None:
    """`count` ASCII letters and digits from `pos`, a single space or dash between them
    allowed: where they end and what they are; None if there are fewer, or more without a
    break."""
    taken: list[str] = []
    while len(taken) < count and pos < len(text):
        if _is_alphanumeric(text[pos]):
            taken.append(text[pos])
        elif not (text[pos] in " -" and pos + 1 < len(text) and _is_alphanumeric(text[pos + 1])):
            break
        pos += 1
    if len(taken) < count or (pos < len(text) and _is_alphanumeric(text[pos])):
        return None
    return pos, "".join(taken)


def _is_alphanumeric(char: str) -> bool:
    return char.isascii() and char.isalnum()


# E-mail addresses and phone numbers ---------------------------------------------------------

# Starting only where a word starts: the same matches, without rescanning a long word from
# each of its letters.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# An address spelt out to dodge spam filters: "matti(at)gmail.com", "sara dot k at gmail dot
# com", "matti piste v ät gmail piste com". The domain must end in a common top-level domain,
# so that "look at this" is not one.
_SPELT_DOT = r"(?:\.|\s*[(\[]\s*(?:dot|piste|punkt)\s*[)\]]\s*|\s+(?:dot|piste|punkt)\s+)"
_SPELT_AT = r"(?:\s*[(\[]\s*(?:at|ät)\s*[)\]]\s*|\s+(?:at|ät)\s+|\s*@\s*)"
_EMAIL_SPELT = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_SPELT_DOT}[\w+-]+)*{_SPELT_AT}[\w-]+(?:{_SPELT_DOT}[\w-]+)*"
    rf"{_SPELT_DOT}(?:com|fi|net|org|se|eu|info|io|me|uk|de|ee|no|dk)(?!\w)",
    re.IGNORECASE,
)
# Digit runs long enough to be a phone number that libphonenumber's matcher may not accept
# (a number typed with an odd spacing): 7 or more digits with spaces, dashes or dots.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s().-]*\d){6,}")
# Numbers that read as digit runs but are not phone numbers, hidden from the phone rules:
# dates (12.3.2024, 5.11.), times and their ranges (8.00-16.00), ISO dates, ranges of years
# (2015-2020), large amounts (1 200 000 €), Navigator's reference numbers, and the number
# after "viitenumero" or "reference" (an invoice's reference, which debts bring up).
_NOT_PHONES = re.compile(
    r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?(?!\d)"
    r"|(?<![\d.:])\d{1,2}[.:]\d{2}(?![\d.:]?\d)"
    r"|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"
    r"|(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?:(?:19|20)\d{2}|\d{2})(?!\d)"
    r"|(?<!\d)\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?=\s*(?:€|e\b|eur|kr\b))"
    r"|\bNAV-[A-Z0-9]{4}-[A-Z0-9]{4}\b"
    r"|(?<!\w)(?:viite|viitenumero|viitenro|ref|reference|referens|referensnummer)\.?"
    r"\s*:?\s*(?:RF\d{2}\s?)?\d[\d ]*\d",
    re.IGNORECASE,
)
# Prefixes (national form) of numbers that reach a service, never a person: the EU's
# 116 xxx lines, directory enquiries, and Finland's national service numbers.
_SERVICE_PREFIXES = ("116", "118", "0100", "0200", "0300", "0600", "0700", "0800")
_MIN_PHONE_DIGITS = 7  # fewer is a service number (112), a postal code or an amount


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """Spans of e-mail addresses, written plainly or spelt out."""
    for pattern in (_EMAIL, _EMAIL_SPELT):
        yield from (match.span() for match in pattern.finditer(text))


def _phones(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers that may reach a person."""
    masked = _NOT_PHONES.sub(lambda m: "#" * len(m.group()), text)
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            masked, "FI", leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    spans += [match.span() for match in _DIGIT_RUN.finditer(masked)]
    for start, end in spans:
        if _is_personal_number(masked[start:end]):
            yield start, end


def _is_personal_number(number: str) -> bool:
    """False for numbers too short to reach a person and for service numbers."""
    digits = re.sub(r"\D", "", number)
    if len(digits) < _MIN_PHONE_DIGITS:
        return False
    if number.lstrip().startswith("+") or digits.startswith("00"):
        international = digits.removeprefix("00")
        if not international.startswith("358"):
            return True  # a foreign number: its services are not known here
        digits = "0" + international.removeprefix("358")
    return not digits.startswith(_SERVICE_PREFIXES)


# Street addresses ---------------------------------------------------------------------------

# How Finnish street names end (the base word and its common inflections), and Swedish ones.
# fmt: off
_FI_STREET_ENDINGS = [
    "katu", "kadun", "kadulla", "kadulle", "kadulta", "kadussa", "kadusta", "katua", "tie", "tien",
    "tiellä", "tielle", "tieltä", "tiessä", "tietä", "polku", "polun", "polulla", "polulle",
    "polulta", "polkua", "kuja", "kujan", "kujalla", "kujalle", "kujalta", "kujaa", "raitti",
    "raitin", "raitilla", "raitille", "raitilta", "raittia", "väylä", "väylän", "väylällä",
    "väylälle", "väylältä", "väylää", "puistikko", "puistikon", "puistikolla", "puistikolle",
    "puistikkoa", "ranta", "rannan", "rannalla", "rannalle", "rannalta", "rannassa", "rantaa",
    "rinne", "rinteen", "rinteellä", "rinteelle", "rinteessä", "rinnettä", "tanhua", "tanhuan",
    "tanhualla", "tanhualle", "aukio", "aukion", "aukiolla", "aukiolle", "aukiota", "tori", "torin",
    "torilla", "torille", "torilta", "kaari", "kaaren", "kaarella", "kaarelle", "kaarta", "kaarre",
    "kaarteen", "kaarteella", "kaarteelle", "mäki", "mäen", "mäellä", "mäelle", "mäkeä",
    "esplanadi", "esplanadin", "esplanadilla", "bulevardi", "bulevardin", "bulevardilla",
]
# fmt: on
# fmt: off
_SV_STREET_ENDINGS = [
    "gatan", "gata", "vägen", "väg", "gränden", "gränd", "torget", "torg", "stigen", "stig",
    "allén", "allé", "backen", "backe", "gången", "kajen", "esplanaden",
]
# fmt: on
# General words that end like a street name and are followed by a number without being an
# address: highways ("valtatie 4"), railways, cycle paths, "the main street".
# fmt: off
_NOT_STREETS = {
    "valta", "kanta", "seutu", "moottori", "maan", "rauta", "pyörä", "pää", "sivu", "koti", "ostos",
    "kävely", "halv",
}
# fmt: on
# Municipalities whose name may follow a postal code: the county's (fi and sv), the towns
# inside Oulu that are postal areas, and Finland's larger towns.
# fmt: off
_TOWNS = [
    "Alavieska", "Haapajärvi", "Haapavesi", "Hailuoto", "Karlö", "Ii", "Ijo", "Kalajoki", "Kempele",
    "Kuusamo", "Kärsämäki", "Liminka", "Limingo", "Lumijoki", "Merijärvi", "Muhos", "Nivala",
    "Oulainen", "Oulu", "Uleåborg", "Pudasjärvi", "Pyhäjoki", "Pyhäjärvi", "Pyhäntä", "Raahe",
    "Brahestad", "Reisjärvi", "Sievi", "Siikajoki", "Vaala", "Siikalatva", "Taivalkoski", "Tyrnävä",
    "Utajärvi", "Ylivieska", "Oulunsalo", "Haukipudas", "Kiiminki", "Yli-Ii", "Helsinki",
    "Helsingfors", "Espoo", "Esbo", "Vantaa", "Vanda", "Tampere", "Tammerfors", "Turku", "Åbo",
    "Jyväskylä", "Kuopio", "Lahti", "Lahtis", "Pori", "Björneborg", "Kajaani", "Kajana", "Kokkola",
    "Karleby", "Vaasa", "Vasa", "Rovaniemi", "Tornio", "Torneå", "Kemi", "Joensuu", "Seinäjoki",
    "Pietarsaari", "Jakobstad",
]
# fmt: on


def _alternatives(words: list[str]) -> str:
    """A regex alternation of the words, longest first so that none hides a longer one."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _is_street_name(word: str) -> bool:
    """True for a word that ends like a Finnish or Swedish street name after at least two
    letters of its own ("Isokatu", "Rautatienkadulla", "Storgatan"; not "katu", "valtatie")."""
    lower = word.lower()
    for ending in _STREET_ENDINGS:
        if lower.endswith(ending):
            prefix = lower[: -len(ending)].rstrip("-")
            if len(prefix) >= 2 and prefix not in _NOT_STREETS:
                return True
    return False


_LETTER = r"[^\W\d_]"
_POSTAL = rf"(?:FI-)?\d{{5}}\s+(?:{_alternatives(_TOWNS)}){_LETTER}{{0,4}}(?!{_LETTER})"
# After the house number: units that make it a count ("Isokadulla 3 tuntia"), not a house.
_UNITS = (
    r"€|%|eur|euro|euroa|euros|kr|min|tuntia|tunnin|päivää|viikkoa|kk|kuukautta|vuotta|"
    r"v|kertaa|krt|km|m|kg|mg|kpl|yötä|timmar|minuter|dagar|veckor|år|gånger|hours|minutes|"
    r"days|weeks|years|times|nights"
)
_NUMBER = (
    r"\s*(?:n:o\s*|nro\.?\s*|no\.?\s*)?"
    # The house number, a range of them, or one with its staircase letter and flat ("6a 3").
    r"\d{1,4}(?:\s?[-–]\s?\d{1,4})?(?:[a-z](?!" + _LETTER + r")(?:\s?\d{1,3}(?!\d))?)?(?!\d)"
    rf"(?!\s*(?:{_UNITS})(?!{_LETTER}))"
)
# A staircase and flat: "A 5", "b14", "B" alone (capital, or lower-case b-h), "as. 3",
# "lgh 1203".
_FLAT = (
    r"\s*(?:,\s*)?(?:[a-h]\s?\d{1,3}(?!\d)|(?-i:[A-H]|[b-h])(?!" + _LETTER + r")"
    r"|(?:as\.?|asunto|lgh\.?|lägenhet|bostad|apt\.?|flat)\s*\d{1,4}(?!\d))"
)
_TAIL = (
    # An inflected number: "Torikatu 5:ssä", "Strandvägen 9:an".
    r"(?::[a-zåäö]{1,4})?"
    # The postal code, with its municipality or alone.
    rf"(?:\s*(?:,\s*)?(?:{_POSTAL}|\d{{5}}(?!\d)))?"
)
# A word followed by a house number; `_is_street_name` then checks the word's ending (in
# Python: a regex of prefix and endings backtracks over every word, four times slower).
_STREET = re.compile(
    rf"(?<!{_LETTER})(?:(?:pohjoinen|eteläinen|itäinen|läntinen|vanha|uusi|norra|södra|östra"
    rf"|västra|stora|lilla|gamla|nya)\s+)?"
    rf"(?P<word>{_LETTER}+(?:-{_LETTER}+)*){_NUMBER}(?:{_FLAT})?{_TAIL}",
    re.IGNORECASE,
)
_STREET_ENDINGS = tuple(_FI_STREET_ENDINGS + _SV_STREET_ENDINGS)
# "Isok. 3 b 14", "Kauppurienk. 12 A 5": katu shortened to k. The shape is weak ("at work. 3
# kids"), so only with a staircase or flat after the number.
_STREET_SHORT = re.compile(
    rf"(?<!{_LETTER}){_LETTER}{{2,}}k\.{_NUMBER}{_FLAT}{_TAIL}", re.IGNORECASE
)
_EN_KINDS = r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Way|Close|Court|Crescent|Place"
_EN_KINDS += r"|Square|Terrace|Gardens|Boulevard|Blvd"
_ENGLISH = re.compile(
    # "12 Baker Street": the name capitalised, so that "2 blocks down the road" is not one.
    rf"(?<![\w])(?:(?:[Ff]lat|[Aa]partment|[Aa]pt\.?)\s*\d{{1,4}}[A-Za-z]?,?\s+)?"
    rf"\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}(?:{_EN_KINDS})\b\.?"
    # "12 baker street", lower-case: one name word only.
    r"|(?<![\w])\d{1,4}[a-z]?\s+[a-z]{3,}\s+(?:street|road|avenue|lane)\b"
    # "Baker Street 12", as addresses are written in Finland.
    rf"|\b(?:[A-Z][a-z'’]+\s+){{1,2}}(?:Street|Road|Avenue|Lane|Drive)\s+\d{{1,4}}[A-Za-z]?(?!\d)"
)
_POSTAL_ALONE = re.compile(rf"(?<![\w-]){_POSTAL}", re.IGNORECASE)


def _addresses(text: str) -> Iterator[tuple[int, int]]:
    """Spans of street addresses with a number, and of postal codes with a municipality."""
    for match in _STREET.finditer(text):
        if _is_street_name(match.group("word")):
            yield match.span()
    for pattern in (_STREET_SHORT, _ENGLISH, _POSTAL_ALONE):
        yield from (match.span() for match in pattern.finditer(text))
