"""Need detection: which of the 24 needs a resident's own words point to, with scores.

Two kinds of evidence, both built from the catalogue when it loads (no training step):

1. The taxonomy's synonyms (`catalog/taxonomy/needs.yaml`), normalised like the text, so
   "päihdeongelmaan" meets the synonym "päihdeongelma" and "en jaksa" meets "ei jaksaa".
   Editors improve detection by adding synonyms; the next load uses them.
2. The catalogue itself: the services whose texts best match the message (the search
   index's BM25), each voting for its needs. This catches words no synonym lists yet.

Synonyms weigh most; the catalogue vote breaks ties and fills gaps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from stop_words import get_stop_words

from navigator.catalog.taxonomy import Taxonomy
from navigator.language import LANGUAGES, Analyzer, Token
from navigator.search import SearchIndex

SYNONYM_WEIGHT = 1.0
PHRASE_BONUS = 0.5  # per extra word of a multiword synonym: longer matches are surer
OTHER_LANGUAGE_WEIGHT = 0.7  # a synonym of another language than the message's
CATALOGUE_WEIGHT = 0.6  # total weight of the catalogue vote
CATALOGUE_HITS = 8
FUZZY_CUTOFF = 86
FUZZY_MIN_LENGTH = 5
SHORT_WORD = 7  # a known Finnish word this short is never taken for a misspelt synonym
MIN_RELATIVE_SCORE = 0.25  # needs below this share of the best score are dropped


@dataclass(frozen=True)
class NeedScore:
    """A detected need, its score and the words that gave it."""

    need: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Synonym:
    need: str
    lang: str
    text: str
    words: tuple[frozenset[str], ...]  # per word: the lemmas that match it


class NeedDetector:
    """Detects needs in free text; built once per catalogue load."""

    def __init__(self, taxonomy: Taxonomy, language: Analyzer, index: SearchIndex | None) -> None:
        self.analyzer = language
        self.index = index
        self.synonyms: list[_Synonym] = []
        # Municipality names: never a need, and never a typo of one.
        self._places = {
            lemma
            for municipality in taxonomy.municipalities.values()
            for name in municipality.name.values()
            for token in language.tokens(name, "fi")
            for lemma in (token.surface, *token.lemmas)
        }
        # Synonym words as written, for typos that no longer analyse ("residense").
        self._surfaces: dict[str, dict[str, frozenset[str]]] = {lang: {} for lang in LANGUAGES}
        self._by_first: dict[tuple[str, str], list[_Synonym]] = defaultdict(list)
        for need in taxonomy.needs.values():
            for lang, phrases in need.synonyms.items():
                for phrase in phrases:
                    tokens = language.tokens(phrase, lang)
                    if not tokens:
                        continue
                    synonym = _Synonym(
                        need.id, lang, phrase, tuple(frozenset(t.lemmas) for t in tokens)
                    )
                    for token in tokens:
                        self._surfaces[lang].setdefault(token.surface, frozenset(token.lemmas))
                    self.synonyms.append(synonym)
                    for lemma in synonym.words[0]:
                        self._by_first[(lang, lemma)].append(synonym)
        self._surface_list = {lang: list(self._surfaces[lang]) for lang in LANGUAGES}
        self._vocabulary = {
            lang: sorted(
                {lemma for (sl, lemma) in self._by_first if sl == lang and len(lemma) >= 4}
            )
            for lang in LANGUAGES
        }

    def _match_words(self, tokens: list[Token], lang: str) -> list[set[str]]:
        """Per text token, the lemmas it matches: its terms, or a near synonym word (typo)."""
        matched: list[set[str]] = []
        for token in tokens:
            lemmas = set(token.terms)
            if lemmas & self._places:
                matched.append(set())  # "Oulussa" is where, not what ("koulu")
                continue
            known = any((lang, lemma) in self._by_first for lemma in lemmas)
            if (
                not known
                and len(token.surface) >= FUZZY_MIN_LENGTH
                and self._may_be_typo(token.surface, lang)
            ):
                guess = process.extractOne(
                    token.lemmas[0],
                    self._vocabulary[lang],
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_CUTOFF,
                )
                if guess:
                    lemmas.add(guess[0])
                else:
                    written = process.extractOne(
                        token.surface,
                        self._surface_list[lang],
                        scorer=fuzz.ratio,
                        score_cutoff=FUZZY_CUTOFF,
                    )
                    if written:
                        lemmas |= self._surfaces[lang][written[0]]
            matched.append(lemmas)
        return matched

    def _may_be_typo(self, word: str, lang: str) -> bool:
        """A function word ("please") or a short word the dictionary knows ("neuvoa") is
        what it says, not a misspelt synonym ("lease", "neuvola"). Long words stay open to
        correction: Voikko reads many misspelt compounds as other compounds
        ("toimentulotuki")."""
        if word in _function_words(lang):
            return False
        short = len(word) <= SHORT_WORD
        return not (lang == "fi" and short and self.analyzer.knows_finnish(word))

    def _synonym_scores(self, text: str, lang: str) -> dict[str, tuple[float, list[str]]]:
        """Synonym matches per need; each word of the text counts once per need (the
        longest phrase it is part of), so one word cannot pile up a need's score."""
        matches: list[tuple[float, str, tuple[int, ...], str]] = []
        for candidate_lang in LANGUAGES:
            tokens = self.analyzer.tokens(text, candidate_lang)
            words = self._match_words(tokens, candidate_lang)
            weight = 1.0 if candidate_lang == lang else OTHER_LANGUAGE_WEIGHT
            for start, lemmas in enumerate(words):
                for lemma in lemmas:
                    for synonym in self._by_first.get((candidate_lang, lemma), ()):
                        positions = _phrase_at(words, start, synonym.words)
                        if positions is not None:
                            gain = weight * (
                                SYNONYM_WEIGHT + PHRASE_BONUS * (len(synonym.words) - 1)
                            )
                            matches.append((gain, synonym.need, positions, synonym.text))
        scores: dict[str, tuple[float, list[str]]] = {}
        used: dict[str, set[int]] = defaultdict(set)
        for gain, need, positions, phrase in sorted(matches, key=lambda m: (-m[0], -len(m[3]))):
            if used[need] & set(positions):
                continue
            used[need].update(positions)
            score, evidence = scores.get(need, (0.0, []))
            scores[need] = (score + gain, [*evidence, phrase])
        return scores

    def _catalogue_vote(
        self, text: str, lang: str, text_scores: npt.NDArray[np.float32] | None
    ) -> dict[str, float]:
        if self.index is None:
            return {}
        if text_scores is None:
            text_scores, _ = self.index.scores(text, lang)
        scores = text_scores * self.index.active
        count = min(CATALOGUE_HITS, len(scores))
        if not count:
            return {}
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top])]
        top = top[scores[top] > 0]
        if not len(top):
            return {}
        total = float(scores[top].sum())
        votes: dict[str, float] = defaultdict(float)
        for doc in top:
            service = self.index.services[int(doc)]
            for need in service.needs:
                votes[need] += float(scores[doc]) / total / len(service.needs)
        return {need: CATALOGUE_WEIGHT * vote for need, vote in votes.items()}

    def detect(
        self,
        text: str,
        lang: str,
        limit: int = 5,
        text_scores: npt.NDArray[np.float32] | None = None,
    ) -> list[NeedScore]:
        """The needs in the text, best first (empty when nothing points to a need)."""
        found = self._synonym_scores(text, lang)
        if not found:
            return []  # the catalogue vote alone is too weak to call a need
        votes = self._catalogue_vote(text, lang, text_scores)
        combined = {
            need: (score + votes.get(need, 0.0), evidence)
            for need, (score, evidence) in found.items()
        }
        for need, vote in votes.items():
            combined.setdefault(need, (vote, ["(catalogue)"]))
        best = max(score for score, _ in combined.values())
        ranked = sorted(combined.items(), key=lambda item: -item[1][0])
        return [
            NeedScore(need, round(score, 3), tuple(dict.fromkeys(evidence)))
            for need, (score, evidence) in ranked
            if score >= MIN_RELATIVE_SCORE * best
        ][:limit]


@cache
def _function_words(lang: str) -> frozenset[str]:
    return frozenset(get_stop_words(lang)) | _POLITE.get(lang, frozenset())


# Courtesy words the stop-word lists lack; never a need.
_POLITE = {
    "en": frozenset({"please", "thanks", "thank", "sorry", "hello"}),
    "sv": frozenset({"tack", "snälla", "förlåt", "hejsan"}),
    "fi": frozenset({"kiitos", "kiitti", "anteeksi", "moikka"}),
}


def _phrase_at(
    words: list[set[str]], start: int, phrase: tuple[frozenset[str], ...]
) -> tuple[int, ...] | None:
    """The positions of the phrase's words from `start`, in order, allowing one word
    between them; None if the phrase is not there."""
    if not words[start] & phrase[0]:
        return None
    positions = [start]
    for alternatives in phrase[1:]:
        window = words[positions[-1] + 1 : positions[-1] + 3]
        step = next((i for i, lemmas in enumerate(window) if lemmas & alternatives), None)
        if step is None:
            return None
        positions.append(positions[-1] + step + 1)
    return tuple(positions)
