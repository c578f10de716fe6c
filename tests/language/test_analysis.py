"""Normalisation: inflected, compound and colloquial Finnish meet the base forms."""

from __future__ import annotations

import logging

import pytest

from navigator.language import Analyzer, analyzer, words


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("mielenterveyspalveluihin", {"mielenterveyspalvelu", "mielenterveys", "palvelu"}),
        ("päihdeongelmaan", {"päihdeongelma", "päihde", "ongelma"}),
        ("omaishoitajana", {"omaishoitaja", "hoitaja"}),
        ("velkaneuvontaa", {"velkaneuvonta", "velka", "neuvonta"}),
        ("Kempeleessä", {"kempele"}),
        ("itsarii", {"itsemurha"}),
        ("mun", {"minä"}),
        ("kela-rahat", {"kela", "raha"}),
    ],
)
def test_finnish_words_meet_their_base_forms(word: str, expected: set[str]) -> None:
    (token,) = analyzer().tokens(word, "fi")
    assert expected <= set(token.terms)


def test_swedish_and_english_are_stemmed() -> None:
    assert analyzer().tokens("skulderna", "sv")[0].lemmas == ("skuld",)
    assert analyzer().tokens("debts", "en")[0].lemmas == ("debt",)


def test_words_fold_case_and_keep_hyphenated_compounds() -> None:
    assert words("Mä EN jaksa – kela-rahat!") == ["mä", "en", "jaksa", "kela-rahat"]


def test_without_voikko_a_stemmer_stands_in_and_simple_inflections_still_meet() -> None:
    fallback = Analyzer(use_voikko=False)
    assert fallback.morphology == "snowball"
    for inflected, base in [
        ("päihdeongelmaan", "päihdeongelma"),
        ("terveysasemalle", "terveysasema"),
    ]:
        assert fallback.token(inflected, "fi").terms == fallback.token(base, "fi").terms
    # What the fallback loses (documented): compounds stay whole, gradation is not undone.
    assert fallback.token("velkoja", "fi").terms != fallback.token("velka", "fi").terms


def test_missing_voikko_is_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import libvoikko

    def broken(language: str) -> None:
        raise OSError("libvoikko.so.1: cannot open shared object file")

    monkeypatch.setattr(libvoikko, "Voikko", broken)
    with caplog.at_level(logging.WARNING):
        fallback = Analyzer()
    assert fallback.morphology == "snowball"
    assert "install the Debian packages libvoikko1 and voikko-fi" in caplog.text


def test_this_machine_has_voikko() -> None:
    """make installs Voikko; without it Finnish matching is weaker, so CI must notice."""
    assert analyzer().morphology == "voikko"
