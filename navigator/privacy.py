"""Keeping contact details out of what is stored beside a conversation.

Phone numbers and e-mail addresses belong only in the contact store, after consent. The
dialogue's tracker, logs and anything else that keeps conversation data pass text through
`redact` first.
"""

from __future__ import annotations

import re

import phonenumbers

PHONE_MARK = "[puhelinnumero]"
EMAIL_MARK = "[sähköposti]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Digit runs long enough to be a phone number that libphonenumber's matcher may not accept
# (a number typed with an odd spacing): 7 or more digits with spaces, dashes or dots.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s().-]*\d){6,}")


def redact(text: str) -> str:
    """`text` with phone numbers and e-mail addresses replaced by marks."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MARK, text)
    pieces: list[str] = []
    last = 0
    for match in phonenumbers.PhoneNumberMatcher(
        text, "FI", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        pieces += [text[last : match.start], PHONE_MARK]
        last = match.end
    text = "".join(pieces) + text[last:]
    return _DIGIT_RUN.sub(PHONE_MARK, text)
