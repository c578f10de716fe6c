"""The learned safety net and how it combines with the rules."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import navigator.safety as safety
from navigator.safety import SafetyLevel, triage, triage_by_rules
from navigator.safety.model import EXAMPLE_FILES, SafetyModel, trained_model


def _examples() -> list[dict[str, str]]:
    rows = []
    for name in EXAMPLE_FILES:
        text = resources.files("navigator.safety").joinpath(name).read_text("utf-8")
        rows += [json.loads(line) for line in text.splitlines() if line.strip()]
    return rows


def test_training_is_deterministic() -> None:
    text = "en näe enää mitään syytä jatkaa tätä"
    assert SafetyModel.train().probabilities(text) == trained_model().probabilities(text)


def test_the_model_separates_its_own_examples() -> None:
    """A sanity check that it learned: at an even-odds cut it sorts its examples right.

    (The shipped threshold is much stricter, to keep false alarms down; the rules catch
    what the model is not sure of.)
    """
    rows = _examples()
    risk = [trained_model().probabilities(row["text"])[0] for row in rows]
    risky = [p for p, row in zip(risk, rows, strict=True) if row["safety"] != "none"]
    calm = [p for p, row in zip(risk, rows, strict=True) if row["safety"] == "none"]
    assert sum(p >= 0.5 for p in risky) / len(risky) >= 0.9
    assert sum(p < 0.5 for p in calm) / len(calm) >= 0.9  # the hard ones: figurative, negated


def test_the_model_can_raise_but_never_lower_the_rules() -> None:
    for row in _examples():
        by_rules = triage_by_rules(row["text"]).level
        combined = triage(row["text"]).level
        order = [SafetyLevel.NONE, SafetyLevel.CRISIS, SafetyLevel.EMERGENCY]
        assert order.index(combined) >= order.index(by_rules)


def test_a_failing_model_leaves_the_rules_standing(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def level(self, text: str) -> SafetyLevel:
            raise RuntimeError("model file damaged")

    monkeypatch.setattr(safety, "trained_model", lambda: Broken())
    assert triage("en halua elää").level is SafetyLevel.CRISIS
    assert triage("mulla on velkoja").level is SafetyLevel.NONE


def test_raised_levels_are_marked_in_the_signals(monkeypatch: pytest.MonkeyPatch) -> None:
    class Worried:
        def level(self, text: str) -> SafetyLevel:
            return SafetyLevel.CRISIS

    monkeypatch.setattr(safety, "trained_model", lambda: Worried())
    result = triage("mulla on velkoja")
    assert result.level is SafetyLevel.CRISIS
    assert result.signals == ("model_crisis",)
