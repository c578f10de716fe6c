"""Language identification on short messages."""

from __future__ import annotations

import pytest

from navigator.language import identifier


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mä en jaksa enää", "fi"),
        ("rahat loppu", "fi"),
        ("velkaa", "fi"),
        ("apua", "fi"),
        ("jag mår dåligt", "sv"),
        ("min man dricker", "sv"),
        ("hjälp", "sv"),
        ("my mom has dementia", "en"),
        ("help", "en"),
        ("", "fi"),
        ("🙂", "fi"),
    ],
)
def test_short_messages(text: str, lang: str) -> None:
    assert identifier().identify(text) == lang


def test_learned_vocabulary_decides() -> None:
    ident = identifier()
    assert ident.identify("skulder") == "fi"  # nothing known about it yet: the default
    ident.learn("sv", ["Hjälp med skulder"])
    assert ident.identify("skulder") == "sv"
