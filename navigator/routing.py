"""route(): from a resident's own words to the few services that fit, lowest threshold first.

One function serves the chat, the counsellor API and the CLI. Safety comes first and
cannot be overridden: an emergency answer starts with 112, a crisis answer with crisis
services. Then the threshold ladder: among the services that fit the need, the area and
the person, the lowest levels first, with at most two steps up so that the resident also
sees where to go if that is not enough.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from navigator.catalog.loader import Catalog, default_catalog_root, load_catalog
from navigator.catalog.model import Service
from navigator.catalog.taxonomy import Taxonomy
from navigator.language import LANGUAGES, analyzer, identifier
from navigator.language.identify import LanguageIdentifier
from navigator.needs import NeedDetector, NeedScore
from navigator.safety import SafetyLevel, Triage, triage
from navigator.search import BoolArray, FloatArray, SearchIndex
from navigator.settings import MAX_MESSAGE_CHARS, MAX_RECOMMENDATIONS

if TYPE_CHECKING:
    from navigator.catalog.live import LiveRouter

# Safety lines by id (SAFETY.md). Tests check that every id is in the shipped catalogue.
EMERGENCY_FIRST = ("emergency-112",)
EMERGENCY_BY_TOPIC = {"poisoning": ("myrkytystietokeskus",)}
CRISIS_BY_TOPIC = {
    "violence": ("nollalinja",),
    "sexual_violence": ("seri-tukikeskus-oys", "nollalinja"),
}
CRISIS_LINES = ("mieli-crisis-line", "sekasin-chat", "mll-children-youth-phone")
CRISIS_REGIONAL = ("pohde-social-crisis-emergency",)
CHILDREN_ONLY = frozenset({"mll-children-youth-phone"})  # offered only to the young
MAX_SAFETY_SERVICES = 3
# Words of a request for help that names no need yet ("tarvitsen apua", "I need help"): not
# out of scope, but the resident must be asked what is wrong (lemmas and stems).
HELP_WORDS = frozenset(
    {
        "apu",
        "auttaa",
        "tuki",
        "tukea",
        "neuvo",
        "neuvoa",
        "hätä",
        "ongelma",
        "huoli",
        "help",
        "support",
        "problem",
        "worri",
        "advic",
        "hjälp",
        "stöd",
        "oro",
        "råd",
    }
)
# What a safety signal says about the need: the ladder after crisis help follows it.
TOPIC_NEEDS = {
    "suicide": ("crisis_support", "mental_health"),
    "self_harm": ("crisis_support", "mental_health"),
    "mental_crisis": ("crisis_support", "mental_health"),
    "loss": ("crisis_support",),
    "poisoning": ("illness_symptoms", "crisis_support"),
    "medical": ("illness_symptoms",),
    "violence": ("violence",),
    "sexual_violence": ("violence",),
}
LADDER_STEPS = 2  # levels above the lowest that an answer may show
MAX_PER_PROVIDER = 2
FOR_WHOM = ("self", "child", "parent", "partner", "other")
NEED_SHARE = 0.35  # needs scoring below this share of the best are not routed on
SECOND_NEED_SHARE = 0.5  # a second need this strong gets at least one service of its own
# Ages standing for the age groups a resident may be asked about (the person who needs help).
AGE_GROUPS = {"0-12": 10, "13-17": 15, "18-29": 24, "30-64": 45, "65+": 70}
QUESTIONS_SHOWN = 3  # the services compared when deciding whether a question matters

_AGE = re.compile(
    r"\b(\d{1,3})\s*(?:-?\s*v\b|-?vuotia\w*|v\.|år\w*|years?\b|yrs?\b|y/o\b)", re.IGNORECASE
)
_AGE_PREFIX = re.compile(r"\b(?:olen|oon|i am|i'm|im|jag är)\s+(\d{1,3})\b", re.IGNORECASE)

SAFETY_MESSAGE = {
    "fi": "Jos olet vaarassa nyt, soita 112.",
    "sv": "Om du är i fara nu, ring 112.",
    "en": "If you are in danger now, call 112.",
}
_REASON_WORDS: dict[str, dict[str, str]] = {
    "fi": {
        "free": "maksuton",
        "anonymous": "nimetön",
        "no_referral": "ei lähetettä",
        "no_registration": "ei ajanvarausta",
        "serves": "palvelee: {}",
        "nationwide": "koko maa",
        "county": "koko Pohjois-Pohjanmaa",
        "for": "aihe: {}",
        "emergency": "hätätilanteessa heti",
        "crisis": "kriisiapu",
    },
    "sv": {
        "free": "avgiftsfri",
        "anonymous": "anonym",
        "no_referral": "ingen remiss",
        "no_registration": "ingen tidsbokning",
        "serves": "betjänar: {}",
        "nationwide": "hela landet",
        "county": "hela Norra Österbotten",
        "for": "gäller: {}",
        "emergency": "i nödsituation genast",
        "crisis": "krishjälp",
    },
    "en": {
        "free": "free",
        "anonymous": "anonymous",
        "no_referral": "no referral",
        "no_registration": "no appointment",
        "serves": "serves {}",
        "nationwide": "the whole country",
        "county": "all of North Ostrobothnia",
        "for": "for: {}",
        "emergency": "in an emergency, at once",
        "crisis": "crisis help",
    },
}
LEVEL_WORDS = {
    "fi": (
        "hätänumero",
        "itsehoito, aina saatavilla",
        "nimetöntä apua, ei ilmoittautumista",
        "ilman lähetettä ja ajanvarausta",
        "ajanvarauksella",
        "lähetteellä tai päätöksellä",
    ),
    "sv": (
        "nödnummer",
        "egenvård, alltid tillgänglig",
        "anonym hjälp, ingen anmälan",
        "utan remiss och tidsbokning",
        "med tidsbokning",
        "med remiss eller beslut",
    ),
    "en": (
        "emergency number",
        "self-help, always available",
        "anonymous help, no sign-up",
        "no referral or appointment needed",
        "by appointment",
        "referral or decision needed",
    ),
}


@dataclass(frozen=True)
class Profile:
    """What the answer was fitted to."""

    language: str
    municipality: str | None = None  # code
    age: int | None = None
    for_whom: str | None = None


@dataclass(frozen=True)
class Reading:
    """What one message says, before any service is chosen."""

    text: str  # the message as read (cut to MAX_MESSAGE_CHARS)
    safety: Triage
    profile: Profile
    needs: list[NeedScore]
    text_scores: FloatArray  # the message's BM25 score for every service, for the ladder
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """One recommended service and why, in the resident's language."""

    service: Service
    reason: str
    role: str  # "emergency", "crisis" or "ladder"
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The navigator's answer to one message."""

    safety: SafetyLevel
    needs: list[NeedScore]
    out_of_scope: bool
    profile: Profile
    recommendations: list[Recommendation]
    safety_topics: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    municipality_names: dict[str, str] = field(default_factory=dict)
    clarify: bool = False  # help was asked for but no need named: ask what is wrong

    @property
    def language(self) -> str:
        """The language answered in."""
        return self.profile.language

    def as_json(self) -> dict[str, Any]:
        """The answer in the JSON shape other tools depend on (see `navigator ask --json`)."""
        lang = self.language
        return {
            "safety": self.safety.value,
            "needs": [n.need for n in self.needs],
            "out_of_scope": self.out_of_scope,
            "clarify": self.clarify,
            "language": lang,
            "recommendations": [
                {
                    "id": r.service.id,
                    "name": r.service.name.get(lang),
                    "level": r.service.level,
                    "level_text": LEVEL_WORDS[lang][r.service.level],
                    "provider_type": r.service.provider.type.value,
                    "municipalities": (
                        "all"
                        if r.service.areas.scope != "municipalities"
                        else [self.municipality_names[c] for c in r.service.areas.municipalities]
                    ),
                    "needs": list(r.service.needs),
                    "reason": r.reason,
                    "role": r.role,
                }
                for r in self.recommendations
            ],
            "safety_message": SAFETY_MESSAGE[lang] if self.safety is not SafetyLevel.NONE else None,
            "profile": {
                "municipality": self.profile.municipality,
                "age": self.profile.age,
                "for_whom": self.profile.for_whom,
            },
            "notes": list(self.notes),
        }


# Who the help is for, by the lemmas and stems that name them (fi, sv, en); the first group
# that matches wins, so "my son's father" reads as child.
FOR_WHOM_WORDS: dict[str, frozenset[str]] = {
    "child": frozenset(
        {
            "lapsi",
            "poika",
            "tytär",
            "tyttö",
            "vauva",
            "taapero",
            "teini",
            "nuori",
            "barn",
            "son",
            "dotter",
            "bebis",
            "child",
            "kid",
            "daughter",
            "babi",
            "toddler",
            "teenag",
        }
    ),
    "parent": frozenset(
        {
            "äiti",
            "isä",
            "isoäiti",
            "isoisä",
            "vanhempi",
            "mamma",
            "pappa",
            "mormor",
            "farmor",
            "morfar",
            "farfar",
            "föräldr",
            "mother",
            "mum",
            "mom",
            "father",
            "dad",
            "grandma",
            "grandmoth",
            "grandfath",
            "grandpa",
            "parent",
        }
    ),
    "partner": frozenset(
        {
            "mies",
            "vaimo",
            "puoliso",
            "kumppani",
            "avomies",
            "avovaimo",
            "poikaystävä",
            "tyttöystävä",
            "maka",
            "sambo",
            "fru",
            "pojkvän",
            "flickvän",
            "partner",
            "husband",
            "wife",
            "boyfriend",
            "girlfriend",
            "spous",
        }
    ),
    "other": frozenset(
        {
            "ystävä",
            "kaveri",
            "naapuri",
            "sisko",
            "veli",
            "sisar",
            "vän",
            "kompis",
            "granne",
            "syster",
            "bror",
            "friend",
            "neighbour",
            "neighbor",
            "sister",
            "brother",
        }
    ),
}


def detect_for_whom(text: str) -> str | None:
    """Whom the message is about: child, parent, partner, other; None if it does not say."""
    language = analyzer()
    terms = {
        term
        for lang in LANGUAGES
        for token in language.tokens(text[:MAX_MESSAGE_CHARS], lang)
        for term in (token.surface, *token.terms)
    }
    return next((who for who, names in FOR_WHOM_WORDS.items() if terms & names), None)


def detect_age(text: str) -> int | None:
    """An age stated in the text ("olen 16-vuotias", "15v", "I'm 17", "jag är 16 år")."""
    for pattern in (_AGE, _AGE_PREFIX):
        match = pattern.search(text)
        if match and 0 < int(match.group(1)) < 120:
            return int(match.group(1))
    return None


def need_words_identifier(taxonomy: Taxonomy) -> LanguageIdentifier:
    """A language identifier that knows the function words and the need synonyms of each
    language (the router adds the services' words to it)."""
    languages = identifier()
    for need in taxonomy.needs.values():
        for lang, synonyms in need.synonyms.items():
            languages.learn(lang, synonyms)
    return languages


class Router:
    """Everything route() needs, built once per catalogue load."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.analyzer = analyzer()
        self.identifier = need_words_identifier(catalog.taxonomy)
        for service in catalog.services:
            for text in (service.name, service.summary):
                for lang in LANGUAGES:
                    value = getattr(text, lang)
                    if value:
                        self.identifier.learn(lang, [value])
        self.index = SearchIndex(catalog, self.analyzer, self.identifier)
        self.needs = NeedDetector(catalog.taxonomy, self.analyzer, self.index)
        self._doc_of = {s.id: doc for doc, s in enumerate(self.index.services)}
        self.municipality_names = {
            code: m.name.fi for code, m in catalog.taxonomy.municipalities.items()
        }

    # Profile -----------------------------------------------------------------------------

    def resolve_municipality(self, value: str | None) -> str | None:
        """A municipality code from a code or any form of a name; None if unknown."""
        if not value:
            return None
        value = value.strip()
        if value in self.municipality_names:
            return value
        return self.index.municipality_in(value, "fi")

    # Routing -----------------------------------------------------------------------------

    def read(
        self,
        text: str,
        *,
        lang: str | None = None,
        municipality: str | None = None,
        age: int | None = None,
        for_whom: str | None = None,
        needs: Sequence[str] = (),
    ) -> Reading:
        """What a message says (safety, language, profile, needs), before any service is
        chosen; the assistant's NLU uses this much, `route` goes on to the services.

        `needs` are need ids the resident chose (a button): they come first.
        """
        notes: list[str] = []
        text = text if isinstance(text, str) else ""  # callers outside Python's types (JSON)
        safety = triage(text)  # on the whole message, before anything is cut
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[:MAX_MESSAGE_CHARS]
            notes.append(f"message cut to its first {MAX_MESSAGE_CHARS} characters")
        language = lang if lang in LANGUAGES else self.identifier.identify(text)
        code = self.resolve_municipality(municipality)
        if municipality and code is None:
            notes.append(f"unknown municipality '{municipality[:40]}' ignored")
        code = code or self.index.municipality_in(text, language)
        profile = Profile(
            language=language,
            municipality=code,
            age=age if age is not None else detect_age(text),
            for_whom=for_whom if for_whom in FOR_WHOM else detect_for_whom(text),
        )
        text_scores, _ = self.index.scores(text, language)
        found = self.needs.detect(text, language, text_scores=text_scores)
        if found:
            best = found[0].score
            found = [n for n in found if n.score >= NEED_SHARE * best]
        unknown = [n for n in needs if n not in self.catalog.taxonomy.needs]
        if unknown:
            notes.append(f"unknown need '{str(unknown[0])[:40]}' ignored")
        chosen = [n for n in needs if n in self.catalog.taxonomy.needs]
        found = _with_chosen_needs(_with_topic_needs(found, safety), chosen)
        return Reading(text, safety, profile, found, text_scores, tuple(notes))

    def route(
        self,
        text: str,
        *,
        lang: str | None = None,
        municipality: str | None = None,
        age: int | None = None,
        for_whom: str | None = None,
        needs: Sequence[str] = (),
        exclude: Collection[str] = (),
        limit: int = MAX_RECOMMENDATIONS,
    ) -> Answer:
        """Answer one message: safety first, then the ladder for the needs found.

        `needs` are need ids the resident chose; `exclude` are services already shown (for
        "more options"); `limit` caps the recommendations, safety services included.
        """
        reading = self.read(
            text, lang=lang, municipality=municipality, age=age, for_whom=for_whom, needs=needs
        )
        return self.answer(reading, exclude=exclude, limit=limit)

    def answer(
        self, reading: Reading, *, exclude: Collection[str] = (), limit: int = MAX_RECOMMENDATIONS
    ) -> Answer:
        """The services for a reading: safety first, then the ladder."""
        safety, profile, needs = reading.safety, reading.profile, reading.needs
        asks_help = not needs and self._asks_for_help(reading.text)
        out_of_scope = safety.level is SafetyLevel.NONE and not needs and not asks_help
        recommendations: list[Recommendation] = []
        if safety.level is not SafetyLevel.NONE:
            recommendations = [
                r for r in self._safety_services(safety, profile) if r.service.id not in exclude
            ][:limit]
        if needs:
            taken = {r.service.id for r in recommendations} | set(exclude)
            room = limit - len(recommendations)
            recommendations += self._ladder(reading.text_scores, needs, profile, taken, room)
        return Answer(
            safety=safety.level,
            needs=needs,
            out_of_scope=out_of_scope,
            profile=profile,
            recommendations=recommendations,
            safety_topics=safety.topics,
            notes=reading.notes,
            municipality_names=self.municipality_names,
            clarify=asks_help,
        )

    def recommend(self, service_ids: Sequence[str], profile: Profile) -> list[Recommendation]:
        """Named services (such as the national helplines) as recommendations for this
        person; ids not in the catalogue or not active are left out."""
        chosen = []
        for service_id in service_ids:
            doc = self._doc_of.get(service_id)
            if doc is not None and self.index.active[doc]:
                service = self.index.services[doc]
                chosen.append(
                    Recommendation(service, self._reason(service, profile, "ladder", ()), "ladder")
                )
        return chosen

    def open_questions(self, reading: Reading) -> tuple[str, ...]:
        """What the resident has not told that would change the services shown, most
        useful first: "need" (nothing to route on yet), "municipality", "age".

        A question is worth asking only if some answer to it changes the first
        QUESTIONS_SHOWN services; otherwise the resident is not bothered with it.
        """
        if reading.safety.level is not SafetyLevel.NONE:
            return ()  # danger is answered at once, never with a question first
        if not reading.needs:
            return ("need",)
        questions: list[str] = []
        profile = reading.profile
        if profile.municipality is None:
            options = [replace(profile, municipality=code) for code in self.municipality_names]
            if self._differs(reading, profile, options):
                questions.append("municipality")
        if profile.age is None:
            options = [replace(profile, age=age) for age in AGE_GROUPS.values()]
            if self._differs(reading, profile, options):
                questions.append("age")
        return tuple(questions)

    def _differs(self, reading: Reading, profile: Profile, options: list[Profile]) -> bool:
        """True if any of the profiles gets other services than `profile` does."""

        def shown(who: Profile) -> list[str]:
            ladder = self._ladder(reading.text_scores, reading.needs, who, set(), QUESTIONS_SHOWN)
            return [r.service.id for r in ladder]

        now = shown(profile)
        return any(shown(option) != now for option in options)

    def _asks_for_help(self, text: str) -> bool:
        """True if the text asks for help without naming a need ("tarvitsen apua")."""
        return any(
            term in HELP_WORDS
            for lang in LANGUAGES
            for token in self.analyzer.tokens(text[:MAX_MESSAGE_CHARS], lang)
            for term in token.terms
        )

    def _person_mask(self, profile: Profile) -> BoolArray:
        """Active services for this person: their area (or, without one, those serving
        everyone) and their age."""
        index = self.index
        mask: BoolArray
        if profile.municipality is None:
            mask = index.active & index.everywhere
        else:
            mask = index.active & index.municipality_mask[profile.municipality]
        if profile.age is not None:
            mask &= (index.age_min <= profile.age) & (index.age_max >= profile.age)
        return mask

    def _safety_services(self, safety: Triage, profile: Profile) -> list[Recommendation]:
        ids: list[str] = []
        role = "crisis"
        if safety.level is SafetyLevel.EMERGENCY:
            role = "emergency"
            ids += EMERGENCY_FIRST
            for topic in safety.topics:
                ids += EMERGENCY_BY_TOPIC.get(topic, ())
        for topic in safety.topics:
            ids += CRISIS_BY_TOPIC.get(topic, ())
        ids += CRISIS_LINES
        ids += CRISIS_REGIONAL
        chosen: list[Recommendation] = []
        fits = self._person_mask(profile)
        limit = MAX_SAFETY_SERVICES + (1 if role == "emergency" else 0)  # 112 comes on top
        for service_id in dict.fromkeys(ids):
            doc = self._doc_of.get(service_id)
            if doc is None or not fits[doc]:
                continue
            service = self.index.services[doc]
            if service_id in CHILDREN_ONLY and not _is_young(profile):
                continue
            if len(chosen) >= limit:
                break
            this_role = "emergency" if service_id in EMERGENCY_FIRST else role
            chosen.append(
                Recommendation(service, self._reason(service, profile, this_role, ()), this_role)
            )
        return chosen

    def _candidates(self, profile: Profile, needs: dict[str, float], taken: set[str]) -> BoolArray:
        """Services that may stand on the ladder for this person and these needs."""
        index = self.index
        mask = self._person_mask(profile) & (index.level > 0)
        mask &= index.need_weight_sum(needs) > 0
        for service_id in taken:
            doc = self._doc_of.get(service_id)
            if doc is not None:
                mask[doc] = False
        return mask

    def _ladder(
        self,
        text_scores: FloatArray,
        needs: list[NeedScore],
        profile: Profile,
        taken: set[str],
        room: int,
    ) -> list[Recommendation]:
        """The lowest levels first, at most LADDER_STEPS above the lowest, best first."""
        if room <= 0:
            return []
        index = self.index
        best = needs[0].score
        weights = {n.need: n.score / best for n in needs}
        main = needs[0].need
        mask = self._candidates(profile, weights, taken)
        if not mask.any():
            return []
        top_text = float(text_scores[mask].max()) or 1.0
        relevance = index.need_weight_sum(weights) + 0.3 * text_scores / top_text
        relevance += (
            0.1 * ~index.everywhere
        )  # a local service is closer at hand than a national one
        serves_main = index.need_mask[main] & mask
        lowest = int(
            index.level[serves_main].min() if serves_main.any() else index.level[mask].min()
        )
        allowed = mask & (index.level >= lowest) & (index.level <= lowest + LADDER_STEPS)
        shortlist: list[tuple[float, Service, tuple[str, ...]]] = []
        for level in range(lowest, lowest + LADDER_STEPS + 1):
            docs = np.flatnonzero(allowed & (index.level == level))
            # main need first, then relevance; a short list per level is all the picker needs
            key = serves_main[docs] * 1000.0 + relevance[docs]
            for doc in docs[np.argsort(-key, kind="stable")][: room * 4]:
                service = index.services[int(doc)]
                matched = tuple(n for n in weights if n in service.needs)
                shortlist.append((float(relevance[doc]), service, matched))
        shortlist.sort(key=lambda c: (-(main in c[2]), -c[0]))
        picked = _pick_across_levels(shortlist, lowest, room)
        picked = _cover_second_need(picked, shortlist, needs)
        picked.sort(key=lambda c: (c[1].level, -(main in c[2]), -c[0]))
        return [
            Recommendation(
                service, self._reason(service, profile, "ladder", matched), "ladder", matched
            )
            for _, service, matched in picked
        ]

    def _reason(self, service: Service, profile: Profile, role: str, needs: tuple[str, ...]) -> str:
        w = _REASON_WORDS[profile.language]
        traits = [w[role]] if role in ("emergency", "crisis") else []
        if service.free:
            traits.append(w["free"])
        if service.anonymous:
            traits.append(w["anonymous"])
        if not service.referral:
            traits.append(w["no_referral"])
        if service.level == 3 and not service.registration:
            traits.append(w["no_registration"])
        parts = [", ".join(traits)] if traits else []
        if service.areas.scope == "municipalities":
            served = (
                [profile.municipality]
                if profile.municipality in service.areas.municipalities
                else list(service.areas.municipalities)
            )
            parts.append(w["serves"].format(", ".join(self.municipality_names[c] for c in served)))
        else:
            parts.append(w["serves"].format(w[service.areas.scope]))
        labels = [
            self.catalog.taxonomy.needs[n].label.get(profile.language).lower()
            for n in needs[:2]
            if n in self.catalog.taxonomy.needs
        ]
        if labels:
            parts.append(w["for"].format(", ".join(labels)))
        return "; ".join(parts)


def _with_topic_needs(needs: list[NeedScore], safety: Triage) -> list[NeedScore]:
    """Put the needs a safety signal names first: "otin kaikki pillerit" is crisis support
    even when no synonym of any need was written."""
    topical = [n for topic in safety.topics for n in TOPIC_NEEDS.get(topic, ())]
    return _needs_first(needs, topical, "safety: {need}")


def _with_chosen_needs(needs: list[NeedScore], chosen: list[str]) -> list[NeedScore]:
    """Needs the resident chose (a button) come first, at the top score."""
    return _needs_first(needs, chosen, "chosen")


def _needs_first(needs: list[NeedScore], first: list[str], evidence: str) -> list[NeedScore]:
    """`first` ahead of the detected needs, at the top score, with `evidence` (formatted
    with the need id) as the reason."""
    if not first:
        return needs
    top = max([n.score for n in needs] + [1.0])
    ahead = [NeedScore(n, top, (evidence.format(need=n),)) for n in dict.fromkeys(first)]
    return ahead + [n for n in needs if n.need not in set(first)]


def _cover_second_need(
    picked: list[tuple[float, Service, tuple[str, ...]]],
    shortlist: list[tuple[float, Service, tuple[str, ...]]],
    needs: list[NeedScore],
) -> list[tuple[float, Service, tuple[str, ...]]]:
    """A strong second need ("he drinks, and the money is gone") gets at least one service:
    the best one for it takes the place of the last pick."""
    if len(needs) < 2 or len(picked) < 2 or needs[1].score < SECOND_NEED_SHARE * needs[0].score:
        return picked
    second = needs[1].need
    if any(second in matched for _, _, matched in picked):
        return picked
    best = next((c for c in shortlist if second in c[2] and c not in picked), None)
    return picked if best is None else [*picked[:-1], best]


def _is_young(profile: Profile) -> bool:
    return (profile.age is not None and profile.age < 18) or profile.for_whom == "child"


def _pick_across_levels(
    allowed: list[tuple[float, Service, tuple[str, ...]]], lowest: int, room: int
) -> list[tuple[float, Service, tuple[str, ...]]]:
    """Up to `room` services: most from the lowest level, and one per step above it."""
    quotas = {lowest: max(1, room - LADDER_STEPS)}
    for step in range(1, LADDER_STEPS + 1):
        quotas[lowest + step] = 1
    picked: list[tuple[float, Service, tuple[str, ...]]] = []
    providers: dict[str, int] = {}

    def take(candidate: tuple[float, Service, tuple[str, ...]]) -> bool:
        provider = candidate[1].provider.name.fi
        if providers.get(provider, 0) >= MAX_PER_PROVIDER or candidate in picked:
            return False
        providers[provider] = providers.get(provider, 0) + 1
        picked.append(candidate)
        return True

    for level, quota in quotas.items():
        for candidate in [c for c in allowed if c[1].level == level]:
            if quota <= 0 or len(picked) >= room:
                break
            if take(candidate):
                quota -= 1
    for candidate in allowed:  # fill what the quotas left, best first
        if len(picked) >= room:
            break
        take(candidate)
    return picked


_default: Router | None = None
_live: LiveRouter | None = None  # set instead of _default when live reload is on
_default_lock = threading.Lock()


def default_router() -> Router:
    """The router over the default catalogue, built on first use.

    With live reload on for the process (`NAVIGATOR_CATALOG_RELOAD=1`, which `navigator
    serve` sets for the Rasa server and the action server), the Router of the newest good
    catalogue: take it once per message and use it to the end.
    """
    live, fixed = _live, _default  # the usual case takes no lock
    if live is not None:
        return live.current()
    if fixed is not None:
        return fixed
    return _first_default_router()


def _first_default_router() -> Router:
    global _default, _live
    from navigator.catalog.live import LiveRouter, reload_enabled  # it imports this module

    with _default_lock:
        if _live is not None:
            return _live.current()
        if _default is not None:
            return _default
        if reload_enabled():
            _live = LiveRouter.load(default_catalog_root()).start()
            return _live.current()
        _default = Router(load_catalog())
        return _default


def route(
    text: str,
    *,
    lang: str | None = None,
    municipality: str | None = None,
    age: int | None = None,
    for_whom: str | None = None,
    needs: Sequence[str] = (),
    exclude: Collection[str] = (),
    limit: int = MAX_RECOMMENDATIONS,
) -> Answer:
    """Route one message with the default catalogue (see `Router.route`)."""
    return default_router().route(
        text,
        lang=lang,
        municipality=municipality,
        age=age,
        for_whom=for_whom,
        needs=needs,
        exclude=exclude,
        limit=limit,
    )


__all__ = [
    "Answer",
    "Profile",
    "Reading",
    "Recommendation",
    "Router",
    "detect_age",
    "detect_for_whom",
    "route",
]
