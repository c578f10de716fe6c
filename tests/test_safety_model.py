"""The learned safety net and how it combines with the rules."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import navigator.safety as safety
from navigator.safety import SafetyLevel, triage, triage_by_rules
from navigator.safety.model import SafetyModel, model


def _examples() -> list[dict[str, str]]:
    text = resources.files("navigator.safety").joinpath("examples.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_training_is_deterministic() -> None:
    text = "en näe enää mitään syytä jatkaa tätä"
    assert SafetyModel.train().probabilities(text) == model().probabilities(text)


def test_the_model_separates_its_own_examples() -> None:
    rows = _examples()
    levels = [model().level(row["text"]) for row in rows]
    risky = [lvl for lvl, row in zip(levels, rows, strict=True) if row["safety"] != "none"]
    calm = [lvl for lvl, row in zip(levels, rows, strict=True) if row["safety"] == "none"]
    # A sanity check that it learned: its high threshold keeps false alarms down, so it
    # misses some of its own positives (the rules catch those).
    assert sum(lvl is not SafetyLevel.NONE for lvl in risky) / len(risky) >= 0.85
    assert sum(lvl is SafetyLevel.NONE for lvl in calm) / len(calm) >= 0.95


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

    monkeypatch.setattr(safety, "model", lambda: Broken())
    assert triage("en halua elää").level is SafetyLevel.CRISIS
    assert triage("mulla on velkoja").level is SafetyLevel.NONE


def test_raised_levels_are_marked_in_the_signals(monkeypatch: pytest.MonkeyPatch) -> None:
    class Worried:
        def level(self, text: str) -> SafetyLevel:
            return SafetyLevel.CRISIS

    monkeypatch.setattr(safety, "model", lambda: Worried())
    result = triage("mulla on velkoja")
    assert result.level is SafetyLevel.CRISIS
    assert result.signals == ("model_crisis",)
