"""The learned safety net: a classifier over lemmas and character n-grams.

The rules (`rules.py`) are precise but know only the words in their lists; a message that
says the same thing in other words slips past them. This model is trained at start-up
(about three seconds) on the labelled examples in `examples*.jsonl` and the everyday texts
in `ordinary.txt`, and generalises to phrasings, inflections and typos it has not seen, at the
price of being less sure. It can only raise a level the rules gave, never lower one.

The thresholds were chosen on the routing dev set (tests/data/routing_dev.jsonl) as the
lowest that keep its false alarms within SAFETY.md's 5 %; docs/benchmarks.md has the figures,
including those on a held-out set that was never used to choose anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_union

from navigator.language import analyzer, words
from navigator.safety.rules import MAX_TEXT_CHARS, SafetyLevel

RISK_THRESHOLD = 0.95  # probability of crisis-or-emergency above which the model says crisis
EMERGENCY_THRESHOLD = 0.95  # probability of emergency above which it says emergency
# Labelled examples, each file by a different author (variety teaches more than volume).
EXAMPLE_FILES = ("examples.jsonl", "examples_more.jsonl", "examples_third.jsonl")
# Examples of 'none': everyday help-seeking texts, and the short replies of a dialogue.
ORDINARY_FILES = ("ordinary.txt", "dialogue_replies.txt")


def _lemmas(text: str) -> str:
    """The message as Finnish lemmas and Swedish and English stems, for word features."""
    language = analyzer()
    terms: list[str] = []
    for word in words(text[:MAX_TEXT_CHARS]):
        terms.extend(language.token(word, "fi").lemmas)
        terms.append(language.token(word, "sv").lemmas[0])
        terms.append(language.token(word, "en").lemmas[0])
    return " ".join(terms)


def _features() -> FeatureUnion:
    return make_union(
        TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            sublinear_tf=True,
            token_pattern=r"\S+",
            preprocessor=_lemmas,
        ),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True),
    )


def _examples() -> tuple[list[str], list[str]]:
    package = resources.files("navigator.safety")
    texts: list[str] = []
    labels: list[str] = []
    for name in EXAMPLE_FILES:
        for line in package.joinpath(name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["safety"])
    for name in ORDINARY_FILES:
        for line in package.joinpath(name).read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line)
                labels.append("none")
    return texts, labels


@dataclass
class SafetyModel:
    """Two logistic regressions: danger at all (crisis or emergency), and emergency."""

    features: FeatureUnion
    risk: LogisticRegression
    emergency: LogisticRegression

    @classmethod
    def train(cls) -> SafetyModel:
        """Train on the packaged examples; deterministic (same data, same model)."""
        texts, labels = _examples()
        features = _features()
        matrix = features.fit_transform(texts)
        risk = LogisticRegression(C=4, class_weight="balanced", max_iter=2000)
        risk.fit(matrix, [label != "none" for label in labels])
        emergency = LogisticRegression(C=4, class_weight="balanced", max_iter=2000)
        emergency.fit(matrix, [label == "emergency" for label in labels])
        return cls(features, risk, emergency)

    def probabilities(self, text: str) -> tuple[float, float]:
        """(probability of crisis or emergency, probability of emergency)."""
        matrix = self.features.transform([text[:MAX_TEXT_CHARS]])
        return (
            float(self.risk.predict_proba(matrix)[0, 1]),
            float(self.emergency.predict_proba(matrix)[0, 1]),
        )

    def level(self, text: str) -> SafetyLevel:
        """The level the model would give on its own."""
        risk, emergency = self.probabilities(text)
        if emergency >= EMERGENCY_THRESHOLD:
            return SafetyLevel.EMERGENCY
        if risk >= RISK_THRESHOLD:
            return SafetyLevel.CRISIS
        return SafetyLevel.NONE


@lru_cache(maxsize=1)
def trained_model() -> SafetyModel:
    """The model, trained on first use and kept for the life of the process."""
    return SafetyModel.train()
