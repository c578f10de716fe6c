"""Contact details are kept out of what is stored beside a conversation."""

from __future__ import annotations

import pytest

from navigator.privacy import EMAIL_MARK, PHONE_MARK, redact


@pytest.mark.parametrize(
    "text",
    [
        "soita mulle 040 123 4567",
        "numero on +358401234567 kiitos",
        "ring 050-765 4321",
        "0401234567",
        "call (040) 123-45-67 after six",
    ],
)
def test_phone_numbers_are_redacted(text: str) -> None:
    result = redact(text)
    assert PHONE_MARK in result
    assert not any(run in result for run in ("123", "4567", "765", "401234567"))


def test_email_addresses_are_redacted() -> None:
    assert redact("laita viestiä matti.meikalainen+apu@example.fi ok") == (
        f"laita viestiä {EMAIL_MARK} ok"
    )


@pytest.mark.parametrize(
    "text", ["olen 34-vuotias ja asun Oulussa", "velat painaa", "", "112 hätänumero"]
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text
