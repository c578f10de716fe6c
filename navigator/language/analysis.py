"""Normalisation: words to the terms that catalogue text and residents' text share.

Finnish inflects and compounds heavily ("mielenterveyspalveluihin" → mielenterveyspalvelu,
mielenterveys, palvelu), so Finnish words go through Voikko, the Finnish morphology used by
LibreOffice. Without Voikko, a Snowball stemmer stands in (with a warning): inflected forms
still meet, compounds no longer split. Swedish and English use Snowball stemmers, which
suit their lighter inflection.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

import snowballstemmer
import yaml

log = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}


@dataclass(frozen=True)
class Token:
    """A word of the text: its surface form and the terms it is matched by."""

    surface: str
    lemmas: tuple[str, ...]  # base forms (Finnish: from Voikko; else the stem)
    terms: tuple[str, ...]  # lemmas plus compound parts: what indexes and rules compare


def fold(text: str) -> str:
    """Lower case, NFC, typographic apostrophes and dashes made plain."""
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("’", "'").replace("–", "-").replace("—", "-")


def words(text: str) -> list[str]:
    """The words of a text, folded; hyphenated compounds stay one word."""
    return _WORD.findall(fold(text))


class Morphology(Protocol):
    """What the Finnish analyser needs of Voikko (so tests can see which one is used)."""

    def analyze(self, word: str) -> list[dict[str, str]]:
        """Voikko's analyses of one word."""
        ...


def _load_voikko() -> Morphology | None:
    try:
        import libvoikko

        voikko: Any = libvoikko.Voikko("fi")
        return voikko  # type: ignore[no-any-return]
    except Exception as exc:  # OSError when libvoikko1 or voikko-fi is missing
        log.warning(
            "Voikko is not available (%s): Finnish words are stemmed with Snowball instead, "
            "so compounds are not split; install the Debian packages libvoikko1 and voikko-fi",
            type(exc).__name__,
        )
        return None


@lru_cache(maxsize=1)
def _colloquial() -> dict[str, tuple[str, ...]]:
    text = resources.files("navigator.language").joinpath("colloquial_fi.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {str(k): tuple(str(v).split()) for k, v in data.items()}


def _compound_parts(wordbases: str) -> list[str]:
    """Compound parts from Voikko's WORDBASES.

    "+mielen(mieli)+terve(terve)+ys(+ys)+palvel(palvella)+u(+u)" gives mieli, terveys,
    palvelu and the joins mielenterveys, terveyspalvelu. A base in parentheses starting
    with "+" (or none) is a derivational suffix that belongs to the part before it.
    """
    segments = re.findall(r"\+([^+(]*)(?:\(([^)]*)\))?", wordbases)
    parts: list[tuple[str, str]] = []  # (surface, base form) per compound part
    for surface, base in segments:
        if parts and (not base or base.startswith("+")):
            previous_surface, _ = parts[-1]
            joined = previous_surface + surface
            parts[-1] = (joined, joined)  # a derived word: its base is its surface
        else:
            parts.append((surface, base or surface))
    if len(parts) < 2:
        return []
    result = [base for _, base in parts]
    result += [parts[i][0] + parts[i + 1][1] for i in range(len(parts) - 1)]
    return [p.lower().strip("-") for p in result if len(p.strip("-")) >= 3]


class _OneAtATime:
    """Voikko, one call at a time: a Voikko handle must not be used by two threads at once,
    and request threads share it with a catalogue reload building its index (and with the
    safety rules, which ask it directly)."""

    def __init__(self, voikko: Morphology) -> None:
        self._voikko = voikko
        self._lock = threading.Lock()

    def analyze(self, word: str) -> list[dict[str, str]]:
        """Voikko's analyses of one word."""
        with self._lock:
            return self._voikko.analyze(word)


class Analyzer:
    """Turns text into tokens with terms, per language; one instance serves a whole process."""

    def __init__(self, use_voikko: bool = True) -> None:
        voikko = _load_voikko() if use_voikko else None
        self.voikko: Morphology | None = None if voikko is None else _OneAtATime(voikko)
        self._stemmers = {lang: snowballstemmer.stemmer(name) for lang, name in _STEMMERS.items()}
        self._stemming = threading.Lock()  # a Snowball stemmer keeps its word in itself
        self._cache: dict[tuple[str, str], Token] = {}

    @property
    def morphology(self) -> str:
        """Which Finnish analyser is in use: 'voikko' or 'snowball'."""
        return "voikko" if self.voikko is not None else "snowball"

    def knows_finnish(self, word: str) -> bool:
        """True if the word is Finnish by the dictionary or the colloquial list."""
        if word in _colloquial():
            return True
        return bool(self.voikko and self.voikko.analyze(word))

    def token(self, word: str, lang: str) -> Token:
        """The token for one folded word."""
        key = (word, lang)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._finnish(word) if lang == "fi" else self._stemmed(word, lang)
            if len(self._cache) < 200_000:
                self._cache[key] = cached
        return cached

    def tokens(self, text: str, lang: str) -> list[Token]:
        """Tokens of a text in a language."""
        return [self.token(w, lang) for w in words(text)]

    def terms(self, text: str, lang: str) -> list[str]:
        """All terms of a text, in order (a word may give several)."""
        return [t for token in self.tokens(text, lang) for t in token.terms]

    def _stem(self, word: str, lang: str) -> str:
        with self._stemming:
            stem: str = self._stemmers[lang].stemWord(word)
        return stem

    def _stemmed(self, word: str, lang: str) -> Token:
        stem = self._stem(word, lang)
        return Token(word, (stem,), tuple(dict.fromkeys((stem, word))))

    def _finnish(self, word: str) -> Token:
        colloquial = _colloquial().get(word)
        if colloquial:
            return Token(word, colloquial, colloquial)
        lemmas: list[str] = []
        parts: list[str] = []
        if self.voikko is not None:
            analyses = self.voikko.analyze(word)
            for standard in [] if analyses else _spoken_to_standard(word):
                analyses = self.voikko.analyze(standard)
                if analyses:
                    break
            for analysis in analyses:
                base = analysis.get("BASEFORM", "").lower()
                if base:
                    lemmas.append(base)
                    parts.extend(_compound_parts(analysis.get("WORDBASES", "")))
                    if analysis.get("PARTICIPLE"):  # "juonut" also means "juoda"
                        verb = re.match(r"\+[^(]*\(([^)+]+)\)", analysis.get("WORDBASES", ""))
                        if verb:
                            lemmas.append(verb.group(1).lower())
            if not lemmas and "-" in word:  # "kela-raha": analyse the parts
                for piece in word.split("-"):
                    sub = self._finnish(piece)
                    parts.extend(sub.terms)
        if not lemmas:
            stem = self._stem(word, "fi")
            lemmas = [stem] if self.voikko is None else [word]
            if self.voikko is not None and stem != word:
                parts.append(stem)  # unknown word: its stem meets other unknown forms
        unique_lemmas = tuple(dict.fromkeys(lemmas))
        return Token(word, unique_lemmas, tuple(dict.fromkeys([*unique_lemmas, *parts])))


# Spoken Finnish endings and the written forms they stand for: "asumistukee" (asumistukea),
# "apuu" (apua), "juonu" (juonut), "ollu" (ollut). Tried only on words Voikko does not know.
_SPOKEN_ENDINGS = (
    ("ee", ("ea", "eä")),
    ("ii", ("ia", "iä")),
    ("uu", ("ua",)),
    ("yy", ("yä",)),
    ("nu", ("nut",)),
    ("ny", ("nyt",)),
    ("lu", ("lut",)),
    ("ly", ("lyt",)),
    ("ru", ("rut",)),
    ("su", ("sut",)),
)


def _spoken_to_standard(word: str) -> list[str]:
    """Written-Finnish candidates for a spoken form, most likely first."""
    return [
        word[: -len(spoken)] + written
        for spoken, writtens in _SPOKEN_ENDINGS
        if word.endswith(spoken) and len(word) > len(spoken) + 2
        for written in writtens
    ]


@lru_cache(maxsize=2)
def analyzer(use_voikko: bool = True) -> Analyzer:
    """The shared analyser (Voikko is loaded once per process)."""
    return Analyzer(use_voikko)
