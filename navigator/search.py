"""The catalogue index: BM25 ranking over normalised terms, typo tolerance, filters and facets.

Built once per catalogue load. Each service is a bag of weighted terms from its names,
keywords, summaries, descriptions, provider, and the labels and synonyms of its needs, in
all three languages, normalised by `navigator.language` so that inflected and compound
words meet their base forms. Per term we keep the services that hold it with their BM25
weight already computed (numpy arrays), so a query only adds a few arrays together.
Query words the index has never seen are matched to near terms with rapidfuzz (typos).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from navigator.catalog.loader import Catalog
from navigator.catalog.model import ChannelKind, Service, Text
from navigator.language import LANGUAGES, Analyzer, LanguageIdentifier, analyzer, words
from navigator.settings import MAX_QUERY_CHARS, SEARCH_LIMIT_MAX, TIMEZONE

# Field weights: a word in a service's name says more than one deep in its description.
FIELD_WEIGHTS = {
    "name": 3.0,
    "keywords": 2.0,
    "summary": 1.5,
    "provider": 1.0,
    "need": 0.6,
    "description": 0.6,
    "how_to_get": 0.3,
}
COMPOUND_PART_WEIGHT = 0.5  # "palvelu" inside "mielenterveyspalvelu" counts half
BM25_K1 = 1.2
BM25_B = 0.6
FUZZY_CUTOFF = 82  # rapidfuzz ratio (0-100) for a query word to stand for an index term
FUZZY_MIN_LENGTH = 4

# Finnish and Swedish case endings taken off unknown words before comparing them with
# municipality names (longest first).
_CASE_ENDINGS = (
    "seen",
    "ssa",
    "ssä",
    "sta",
    "stä",
    "lla",
    "llä",
    "lta",
    "ltä",
    "lle",
    "ksi",
    "hin",
    "een",
    "iin",
    "na",
    "nä",
    "aa",
    "ää",
    "an",
    "en",
    "in",
    "a",
    "ä",
    "n",
    "s",
)

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Filters:
    """Conditions a service must meet; the defaults let everything active through."""

    municipality: str | None = None  # municipality code: serves residents there
    needs: tuple[str, ...] = ()  # any of these needs
    level_min: int = 0
    level_max: int = 5
    provider_types: tuple[str, ...] = ()
    target_group: str | None = None  # PTV code, e.g. KR1.1
    age: int | None = None  # serves a person of this age
    language: str | None = None  # served in this language (service or channel)
    channel: str | None = None  # has a channel of this kind
    free: bool = False
    anonymous: bool = False
    no_referral: bool = False
    open_at: datetime | None = None  # reachable at this moment (local time)
    include_inactive: bool = False


@dataclass(frozen=True)
class Hit:
    """One service found, with why it matched."""

    service: Service
    score: float
    terms: tuple[str, ...]  # query terms found in the service
    corrections: tuple[tuple[str, str], ...] = ()  # (word as typed, term it was read as)
    reasons: tuple[str, ...] = ()  # plain explanation: terms, need, area


@dataclass(frozen=True)
class SearchResult:
    """Hits, best first, with the total and the facet counts of everything that matched."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    query_terms: tuple[str, ...]
    implied_municipality: str | None = None


@dataclass
class _QueryWord:
    word: str
    terms: dict[str, float] = field(default_factory=dict)  # term -> weight
    corrected: str | None = None


def _texts(text: Text | None) -> Iterable[tuple[str, str]]:
    if text is None:
        return []
    return [(lang, value) for lang in LANGUAGES if (value := getattr(text, lang))]


class SearchIndex:
    """An index over a catalogue's services; immutable once built."""

    def __init__(
        self,
        catalog: Catalog,
        language: Analyzer | None = None,
        identifier: LanguageIdentifier | None = None,
    ) -> None:
        self.catalog = catalog
        self.analyzer = language or analyzer()
        self.identifier = identifier
        self.services: list[Service] = list(catalog.services)
        self._postings: dict[str, tuple[npt.NDArray[np.int32], FloatArray]] = {}
        self._build_terms()
        self._build_columns()
        self._municipality_names = self._municipality_lookup()
        self._municipality_keys = list(self._municipality_names)

    # Building ----------------------------------------------------------------------------

    def _service_fields(self, service: Service) -> Iterable[tuple[str, str, str]]:
        """(field, language, text) for every piece of text that describes the service."""
        for name, text in (
            ("name", service.name),
            ("summary", service.summary),
            ("description", service.description),
            ("how_to_get", service.how_to_get),
            ("provider", service.provider.name),
        ):
            for lang, value in _texts(text):
                yield name, lang, value
        for lang, keywords in service.keywords.items():
            yield "keywords", lang, " ".join(keywords)

    def _build_need_terms(self) -> None:
        """The needs' labels and synonyms, indexed once per need rather than per service.

        A service scores for a need's words through the needs it serves: a (needs ×
        services) matrix turns per-need scores into per-service scores in one product.
        """
        need_ids = list(self.catalog.taxonomy.needs)
        weights: dict[str, npt.NDArray[np.float32]] = {}
        for row, need_id in enumerate(need_ids):
            need = self.catalog.taxonomy.needs[need_id]
            texts = [*_texts(need.label)]
            texts += [(lang, " ".join(words_)) for lang, words_ in need.synonyms.items()]
            counts: dict[str, float] = defaultdict(float)
            for lang, text in texts:
                for term, count in self._text_terms(text, lang).items():
                    counts[term] += count
            for term, tf in counts.items():
                vector = weights.setdefault(term, np.zeros(len(need_ids), dtype=np.float32))
                vector[row] = FIELD_WEIGHTS["need"] * tf * (BM25_K1 + 1) / (tf + BM25_K1)
        for vector in weights.values():
            spread = int((vector > 0).sum())  # a word of many needs says little about one
            vector *= float(np.log(1 + (len(need_ids) - spread + 0.5) / (spread + 0.5)))
        self._need_terms = weights
        self._term_needs = {
            term: frozenset(need_ids[i] for i in np.flatnonzero(vector))
            for term, vector in weights.items()
        }
        # Which service serves which need, once: rows are need_ids. The bool rows are the
        # need filters, the float copy turns per-need scores into per-service scores.
        serves = np.array(
            [[need_id in s.needs for s in self.services] for need_id in need_ids], dtype=bool
        ).reshape(len(need_ids), self.size)
        self.need_mask: dict[str, BoolArray] = dict(zip(need_ids, serves, strict=True))
        self._need_matrix = serves.astype(np.float32)

    def _text_terms(self, text: str, lang: str) -> dict[str, float]:
        """Term counts of one text (compound parts count half); cached, as texts repeat:
        provider names, need synonyms, shared descriptions."""
        key = (text, lang)
        cached = self._text_cache.get(key)
        if cached is None:
            cached = defaultdict(float)
            for token in self.analyzer.tokens(text, lang):
                lemmas = set(token.lemmas)
                for term in token.terms:
                    cached[term] += 1.0 if term in lemmas else COMPOUND_PART_WEIGHT
            self._text_cache[key] = cached
        return cached

    def _build_terms(self) -> None:
        self._text_cache: dict[tuple[str, str], dict[str, float]] = {}
        self.size = len(self.services)
        term_docs: dict[str, list[int]] = defaultdict(list)
        term_tfs: dict[str, list[float]] = defaultdict(list)
        lengths = np.zeros(self.size, dtype=np.float32)
        for doc, service in enumerate(self.services):
            counts: dict[str, float] = defaultdict(float)
            for field_name, lang, text in self._service_fields(service):
                weight = FIELD_WEIGHTS[field_name]
                for term, count in self._text_terms(text, lang).items():
                    counts[term] += weight * count
            for term, tf in counts.items():
                term_docs[term].append(doc)
                term_tfs[term].append(tf)
            lengths[doc] = sum(counts.values())
        self._build_need_terms()
        del self._text_cache
        norms = BM25_K1 * (1 - BM25_B + BM25_B * lengths / (lengths.mean() if self.size else 1.0))
        for term, doc_list in term_docs.items():
            docs = np.array(doc_list, dtype=np.int32)  # ascending: searchsorted finds a doc
            tfs = np.array(term_tfs[term], dtype=np.float32)
            idf = float(np.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5)))
            self._postings[term] = (docs, idf * tfs * (BM25_K1 + 1) / (tfs + norms[docs]))
        self.vocabulary = sorted(set(self._postings) | set(self._need_terms))
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.vocabulary:
            if not term.isdigit():  # numbers are never typos of words
                self._by_length[len(term)].append(term)

    def _holds(self, doc: int, term: str) -> bool:
        """True if the service's own text (not only its needs) has the term."""
        postings = self._postings.get(term)
        if postings is None:
            return False
        docs = postings[0]
        position = int(np.searchsorted(docs, doc))
        return position < len(docs) and int(docs[position]) == doc

    @property
    def need_ids(self) -> list[str]:
        """The need ids in the order of the need matrix's rows."""
        return list(self.catalog.taxonomy.needs)

    def need_weight_sum(self, weights: dict[str, float]) -> FloatArray:
        """Per service: the sum of the given weights of the needs it serves."""
        vector = np.array([weights.get(n, 0.0) for n in self.need_ids], dtype=np.float32)
        result: FloatArray = vector @ self._need_matrix
        return result

    def _build_columns(self) -> None:
        """Per-service values as arrays, so filters and facets are vector operations."""
        services = self.services
        self.level = np.array([s.level for s in services], dtype=np.int8)
        self.active = np.array([s.active for s in services], dtype=bool)
        self.free = np.array([s.free for s in services], dtype=bool)
        self.anonymous = np.array([s.anonymous for s in services], dtype=bool)
        self.referral = np.array([s.referral for s in services], dtype=bool)
        self.provider_type = np.array([s.provider.type.value for s in services])
        self._type_names = sorted({s.provider.type.value for s in services})
        self._type_codes = np.array(
            [self._type_names.index(s.provider.type.value) for s in services], dtype=np.int8
        )
        everywhere = np.array([s.areas.scope != "municipalities" for s in services], dtype=bool)
        self.everywhere = everywhere
        self.age_min = np.array(
            [s.age.min if s.age and s.age.min is not None else 0 for s in services], dtype=np.int16
        )
        self.age_max = np.array(
            [s.age.max if s.age and s.age.max is not None else 200 for s in services],
            dtype=np.int16,
        )
        self.municipality_mask = {
            code: everywhere
            | np.array([code in s.areas.municipalities for s in services], dtype=bool)
            for code in self.catalog.taxonomy.municipalities
        }
        self.channel_mask: dict[str, BoolArray] = {
            kind.value: np.array(
                [any(c.kind is kind for c in s.channels) for s in services], dtype=bool
            )
            for kind in ChannelKind
        }
        self._channel_matrix = np.array(list(self.channel_mask.values()), dtype=np.float32)

    def _municipality_lookup(self) -> dict[str, str]:
        """Lemma of each municipality name (fi, sv, en) -> code."""
        lookup: dict[str, str] = {}
        for code, municipality in self.catalog.taxonomy.municipalities.items():
            for lang, name in _texts(municipality.name):
                for token in self.analyzer.tokens(name, lang if lang != "en" else "fi"):
                    for lemma in token.lemmas:
                        lookup.setdefault(lemma, code)
                    lookup.setdefault(token.surface, code)
        return lookup

    # Querying ----------------------------------------------------------------------------

    def municipality_in(self, text: str, lang: str) -> str | None:
        """The code of a municipality named in the text (any inflected or misspelt form).

        Known words must match a name exactly ("Kempeleessä" → Kempele), so that everyday
        words never pass for places ("koulussa" is not Oulu). Words no dictionary knows may
        be misspelt names: their case ending is taken off and the rest compared with the
        names ("Olussa" → "olu" ~ Oulu).
        """
        for word in words(text[:MAX_QUERY_CHARS]):
            if word.isdigit():
                continue
            for token in (self.analyzer.token(word, lang), self.analyzer.token(word, "fi")):
                for lemma in (token.surface, *token.lemmas):
                    if lemma in self._municipality_names:
                        return self._municipality_names[lemma]
            if len(word) < 4 or self.analyzer.knows_finnish(word):
                continue
            stems = [word] + [
                word[: -len(ending)]
                for ending in _CASE_ENDINGS
                if word.endswith(ending) and len(word) - len(ending) >= 3
            ]
            for stem in stems:
                match = process.extractOne(
                    stem, self._municipality_keys, scorer=fuzz.ratio, score_cutoff=80
                )
                if match:
                    return self._municipality_names[match[0]]
        return None

    def _fuzzy(self, word: str) -> str | None:
        if len(word) < FUZZY_MIN_LENGTH:
            return None
        candidates = [
            t for n in range(len(word) - 2, len(word) + 3) for t in self._by_length.get(n, ())
        ]
        match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return match[0] if match else None

    def _query_words(self, query: str, lang: str) -> list[_QueryWord]:
        result: list[_QueryWord] = []
        for word in words(query[:MAX_QUERY_CHARS]):
            qword = _QueryWord(word)
            for candidate_lang in dict.fromkeys((lang, *LANGUAGES)):
                token = self.analyzer.token(word, candidate_lang)
                lemmas = set(token.lemmas)
                for term in token.terms:
                    if term in self._postings or term in self._need_terms:
                        weight = 1.0 if term in lemmas else COMPOUND_PART_WEIGHT
                        qword.terms[term] = max(weight, qword.terms.get(term, 0.0))
                if qword.terms:
                    break
            if not qword.terms:
                corrected = self._fuzzy(word)
                if corrected is None and lang == "fi":
                    lemma = self.analyzer.token(word, "fi").lemmas[0]
                    corrected = self._fuzzy(lemma) if lemma != word else None
                if corrected:
                    qword.terms[corrected] = 0.8
                    qword.corrected = corrected
            result.append(qword)
        return result

    def mask(self, filters: Filters) -> BoolArray:
        """Services that pass the filters (everything but `open_at`, checked on hits)."""
        mask = np.ones(self.size, dtype=bool) if filters.include_inactive else self.active.copy()
        if filters.municipality:
            mask &= self.municipality_mask.get(
                filters.municipality, np.zeros(self.size, dtype=bool)
            )
        if filters.needs:
            any_need = np.zeros(self.size, dtype=bool)
            for need in filters.needs:
                any_need |= self.need_mask.get(need, np.zeros(self.size, dtype=bool))
            mask &= any_need
        if filters.level_min > 0 or filters.level_max < 5:
            mask &= (self.level >= filters.level_min) & (self.level <= filters.level_max)
        if filters.provider_types:
            mask &= np.isin(self.provider_type, filters.provider_types)
        if filters.channel:
            mask &= self.channel_mask.get(filters.channel, np.zeros(self.size, dtype=bool))
        if filters.free:
            mask &= self.free
        if filters.anonymous:
            mask &= self.anonymous
        if filters.no_referral:
            mask &= ~self.referral
        if filters.age is not None:
            mask &= (self.age_min <= filters.age) & (self.age_max >= filters.age)
        if filters.target_group or filters.language:
            mask &= np.array([self._fits_person(s, filters) for s in self.services], dtype=bool)
        return mask

    @staticmethod
    def _fits_person(service: Service, filters: Filters) -> bool:
        group = filters.target_group
        if (
            group
            and service.target_groups
            and not any(
                g == group or g.startswith(group + ".") or group.startswith(g + ".")
                for g in service.target_groups
            )
        ):
            return False
        if filters.language:
            # Only a language the entry declares counts: "served in Swedish" is a promise.
            served = set(service.languages) | {lg for c in service.channels for lg in c.languages}
            if filters.language not in served:
                return False
        return True

    def scores(self, query: str, lang: str) -> tuple[FloatArray, list[_QueryWord]]:
        """BM25 score of every service for a query (0 where nothing matched)."""
        qwords = self._query_words(query, lang)
        scores = np.zeros(self.size, dtype=np.float32)
        need_scores = np.zeros(len(self._need_matrix), dtype=np.float32)
        for qword in qwords:
            # A word counts once per service: the best of its terms (lemma or compound part).
            word_scores = np.zeros(self.size, dtype=np.float32)
            word_needs = np.zeros(len(self._need_matrix), dtype=np.float32)
            for term, weight in qword.terms.items():
                if term in self._postings:
                    docs, weights = self._postings[term]  # docs are unique within a term
                    word_scores[docs] = np.maximum(word_scores[docs], weights * weight)
                if term in self._need_terms:
                    word_needs = np.maximum(word_needs, self._need_terms[term] * weight)
            scores += word_scores
            need_scores += word_needs
        if need_scores.any():
            scores += need_scores @ self._need_matrix
        return scores, qwords

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        *,
        limit: int = 10,
        lang: str | None = None,
        imply_municipality: bool = True,
    ) -> SearchResult:
        """Services matching a query, best first, with explanations and facet counts.

        A municipality named in the query ("päihdepalvelut oulu") becomes the municipality
        filter when none is set, rather than a word to match.
        """
        filters = filters or Filters()
        limit = max(1, min(limit, SEARCH_LIMIT_MAX))
        lang = lang or (self.identifier.identify(query) if self.identifier else "fi")
        implied = None
        if imply_municipality and filters.municipality is None:
            implied = self.municipality_in(query, lang)
            if implied:
                filters = replace(filters, municipality=implied)
                query = " ".join(
                    w for w in words(query) if self.municipality_in(w, lang) != implied
                )
        mask = self.mask(filters)
        if query.strip():
            scores, qwords = self.scores(query, lang)
            matched = mask & (scores > 0)
        else:  # no words: list what the filters let through, lowest level first
            qwords = []
            scores = (6 - self.level).astype(np.float32)
            matched = mask
        order = np.flatnonzero(matched)
        order = order[np.argsort(-scores[order], kind="stable")]
        hits: list[Hit] = []
        for doc in order:
            service = self.services[int(doc)]
            if filters.open_at is not None and not reachable_at(service, filters.open_at):
                continue
            hits.append(self._hit(int(doc), float(scores[doc]), qwords, filters, implied))
            if len(hits) >= limit:
                break
        total = int(matched.sum()) if filters.open_at is None else len(hits)
        all_terms = tuple(t for q in qwords for t in q.terms)
        return SearchResult(hits, total, self.facets(matched), all_terms, implied)

    def _hit(
        self,
        doc: int,
        score: float,
        qwords: list[_QueryWord],
        filters: Filters,
        implied: str | None,
    ) -> Hit:
        service = self.services[doc]
        own = {t for q in qwords for t in q.terms if self._holds(doc, t)}
        via_needs = {
            t
            for q in qwords
            for t in q.terms
            if t not in own and self._term_needs.get(t, frozenset()) & set(service.needs)
        }
        terms = tuple(t for q in qwords for t in q.terms if t in own or t in via_needs)
        corrections = tuple(
            (q.word, q.corrected) for q in qwords if q.corrected and q.corrected in terms
        )
        reasons: list[str] = []
        if own:
            reasons.append("matched: " + ", ".join(t for t in dict.fromkeys(terms) if t in own))
        if via_needs:
            reasons.append(
                "matched its needs' words: "
                + ", ".join(t for t in dict.fromkeys(terms) if t in via_needs)
            )
        if corrections:
            reasons.append(
                "read as: " + ", ".join(f"{typed} → {term}" for typed, term in corrections)
            )
        needs = [n for n in filters.needs if n in service.needs]
        if needs:
            reasons.append("need: " + ", ".join(needs))
        if filters.municipality:
            name = self.catalog.taxonomy.municipalities[filters.municipality].name.fi
            scope = {"nationwide": "nationwide", "county": "whole county"}.get(
                service.areas.scope, name
            )
            origin = " (named in the query)" if implied else ""
            reasons.append(f"area: serves {name}{origin} ({scope})")
        return Hit(service, score, terms, corrections, tuple(reasons))

    def facets(self, matched: BoolArray) -> dict[str, dict[str, int]]:
        """Counts of the matched services by provider type, level, need and channel kind."""
        levels = np.bincount(self.level[matched], minlength=6)
        weights = matched.astype(np.float32)  # one matrix product per facet, not a loop
        need_counts = np.rint(self._need_matrix @ weights)
        channel_counts = np.rint(self._channel_matrix @ weights)
        types = np.bincount(self._type_codes[matched], minlength=len(self._type_names))
        return {
            "provider_type": {
                name: int(count)
                for name, count in zip(self._type_names, types, strict=True)
                if count
            },
            "level": {str(i): int(levels[i]) for i in range(6)},
            "need": {
                need: int(count)
                for need, count in zip(self.need_ids, need_counts, strict=True)
                if count
            },
            "channel": {
                kind: int(count)
                for kind, count in zip(self.channel_mask, channel_counts, strict=True)
                if count
            },
            "free": {"true": int((self.free & matched).sum())},
            "anonymous": {"true": int((self.anonymous & matched).sum())},
            "no_referral": {"true": int((~self.referral & matched).sum())},
        }


def local_now() -> datetime:
    """Now, as a wall-clock time where the services are (opening hours are local time)."""
    return datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)


def reachable_at(service: Service, moment: datetime) -> bool:
    """True if a channel is open at `moment` by its hours and exceptions.

    Self-help on the web (level 1) is always open; other channels without hours are not
    counted, because we do not know when someone answers.
    """
    for channel in service.channels:
        if service.level <= 1 and channel.kind in (ChannelKind.WEB, ChannelKind.ESERVICE):
            return True
        if channel.is_open(moment):
            return True
    return False
