"""Language identification for short messages: Finnish, Swedish or English.

General-purpose identifiers guess poorly on two-word messages such as "rahat loppu" or
"hjälp skulder". Here every word votes with what we know about it: a function word of a
language (the stop-word lists), a word of the catalogue's vocabulary in that language, or
a word Voikko recognises as Finnish. The letter å votes for Swedish. Ties go to Finnish,
the language of most residents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stop_words import get_stop_words

from navigator.language.analysis import LANGUAGES, Analyzer, analyzer, words

# Short colloquial words the stop-word lists lack.
_EXTRA = {
    "fi": {"mä", "sä", "mun", "sun", "mulla", "mulle", "mua", "oon", "oot", "ei", "kun", "ja"}
    # what a chat hears most: greetings, thanks, yes and no
    | {"moi", "moro", "moikka", "heippa", "hei", "terve", "kiitos", "kiitti", "joo", "juu"}
    | {"jep", "kyllä", "kyl", "okei", "aha", "emt", "huomenta", "iltaa", "apua"},
    "sv": {"jag", "mig", "min", "mitt", "hjälp", "inte", "och", "är", "har", "mår"}
    | {"hej", "hejsan", "hejdå", "tack", "ja", "nej", "visst", "okej", "snälla", "god"}
    | {"morgon", "kväll", "tjena", "hallå"},
    "en": {"i", "im", "i'm", "my", "me", "help", "need", "the", "is", "and", "can't"}
    | {"hi", "hello", "hey", "bye", "thanks", "thank", "yes", "yeah", "yep", "please"}
    | {"sure", "okay", "nope", "sorry"},
}


@dataclass
class LanguageIdentifier:
    """Scores fi/sv/en for a text from word evidence."""

    analyzer: Analyzer
    vocabulary: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for lang in LANGUAGES:
            base = set(get_stop_words(lang)) | _EXTRA[lang]
            self.vocabulary[lang] = base | self.vocabulary.get(lang, set())

    def learn(self, lang: str, texts: Iterable[str]) -> None:
        """Add the words of texts known to be in `lang` (catalogue text, synonyms)."""
        self.vocabulary.setdefault(lang, set()).update(w for t in texts for w in words(t))

    def scores(self, text: str) -> dict[str, float]:
        """Evidence per language (higher is more likely)."""
        result = {lang: 0.0 for lang in LANGUAGES}
        for word in words(text):
            if word.isdigit():
                continue
            for lang in LANGUAGES:
                if word in self.vocabulary[lang]:
                    result[lang] += 1.0
            if "å" in word:
                result["sv"] += 1.5
            if word not in self.vocabulary["fi"] and self.analyzer.knows_finnish(word):
                result["fi"] += 0.8
        return result

    def identify(self, text: str, default: str = "fi") -> str:
        """The most likely language; `default` when there is no evidence."""
        scores = self.scores(text)
        best = max(scores.values())
        if best <= 0:
            return default
        leaders = [lang for lang in LANGUAGES if scores[lang] == best]
        return default if default in leaders else leaders[0]


def identifier() -> LanguageIdentifier:
    """A new identifier over the shared analyser, with no catalogue vocabulary yet."""
    return LanguageIdentifier(analyzer())
