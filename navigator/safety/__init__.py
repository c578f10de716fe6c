"""Safety triage: does a message signal danger now (emergency) or a crisis?

`triage()` runs on every resident message, in Finnish, Swedish and English at once, before
and independently of anything else (SAFETY.md). Two independent nets, and the higher level
wins, so neither can lower what the other found:

- `rules.py`: concepts and rules with negation and time ("en halua kuolla" is not a crisis,
  "en halua elää" is; "viime vuonna yritin" is a crisis, not an emergency), with topics
  (poisoning, violence…) that choose the matching line;
- `model.py`: a classifier trained on labelled examples, for phrasings the rules lack.
"""

from __future__ import annotations

import logging

from navigator.safety.model import trained_model
from navigator.safety.rules import (
    COMBOS,
    CONCEPTS,
    MAX_TEXT_CHARS,
    RULES,
    TOPICS,
    SafetyLevel,
    Triage,
    concept_names,
    explain,
)
from navigator.safety.rules import triage as triage_by_rules

log = logging.getLogger(__name__)
_RANK = {SafetyLevel.NONE: 0, SafetyLevel.CRISIS: 1, SafetyLevel.EMERGENCY: 2}


# The learned net reads character patterns; on a single word ("ja", "kyllä") it has too
# little to go on and false alarms follow. One-word danger signals ("itsari") are the
# rules' job, and they know them.
MIN_MODEL_WORDS = 2


def _enough_for_the_model(text: object) -> bool:
    return isinstance(text, str) and len(text.split()) >= MIN_MODEL_WORDS


def triage(text: str) -> Triage:
    """Triage one message: the higher of the rules' and the model's levels."""
    by_rules = triage_by_rules(text)
    if by_rules.level is SafetyLevel.EMERGENCY or not _enough_for_the_model(text):
        return by_rules
    try:
        learned = trained_model().level(text if isinstance(text, str) else "")
    except Exception as exc:  # never let the second net take the first one down
        log.error("safety model failed (%s); the rules' level stands", type(exc).__name__)
        return by_rules
    if _RANK[learned] > _RANK[by_rules.level]:
        return Triage(learned, by_rules.topics, (*by_rules.signals, f"model_{learned.value}"))
    return by_rules


__all__ = [
    "COMBOS",
    "CONCEPTS",
    "MAX_TEXT_CHARS",
    "RULES",
    "TOPICS",
    "SafetyLevel",
    "Triage",
    "concept_names",
    "explain",
    "triage",
    "triage_by_rules",
]
