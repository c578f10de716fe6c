"""Conversation tests in Rasa's test-story format (tests/bot/stories/), on the assistant's
trained model, failing on any wrong prediction: safety first in and out of forms, the
one-contact flow, cancel, fallback, language switch, in Finnish, Swedish and English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.filterwarnings("ignore")
STORIES = REPO / "tests" / "bot" / "stories"
MIN_STORIES = 40


def test_there_are_enough_test_stories_in_every_language() -> None:
    import yaml

    stories = [
        story
        for path in sorted(STORIES.glob("*.yml"))
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
    ]
    assert len(stories) >= MIN_STORIES
    names = " ".join(s["story"] for s in stories).lower()
    for word in ("safety", "contact", "cancel", "fallback", "language"):
        assert word in names, f"no test story about {word}"


def _rasa(*arguments: str, timeout: int) -> subprocess.CompletedProcess[str]:
    """Run the venv's `rasa` command in the repository, telemetry off."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        timeout=timeout,
    )


def test_rasa_data_validate_finds_no_error_and_no_story_conflict() -> None:
    result = _rasa(
        *("data", "validate", "--data", "nlu", "--domain", "domain.yml"),
        *("--config", "config.yml"),
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "No story structure conflicts found" in output, output[-3000:]
    assert " ERROR " not in output, output[-3000:]


def test_rasa_test_passes_every_story(model_path: Path, tmp_path: Path) -> None:
    result = _rasa(
        *("test", "core", "--stories", str(STORIES), "--model", str(model_path)),
        *("--fail-on-prediction-errors", "--out", str(tmp_path)),
        timeout=1200,
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = (
        failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert result.returncode == 0, detail
    report = json.loads((tmp_path / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0, report["conversation_accuracy"]


def _story_messages() -> list[tuple[str, str, str]]:
    """(story, text, intent) of the resident messages in the test stories whose intent
    steers the dialogue. Answers to the contact form's questions are left out: the form
    reads them by what they say (an explicit yes or no, a phone number, a time), whatever
    the classifier calls them."""
    import yaml

    found = []
    for path in sorted(STORIES.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            requested = None
            for step in story["steps"]:
                for slots in step.get("slot_was_set", []) or []:
                    requested = slots.get("requested_slot", requested)
                if step.get("active_loop", "") is None:
                    requested = None
                if "user" in step and not str(requested).startswith("contact_"):
                    found.append((story["story"], step["user"].strip(), step["intent"]))
    return found


def test_the_model_reads_every_story_message_as_the_story_says(model_path: Path) -> None:
    # `rasa test core` takes each story's intent as written; this reads the texts with the
    # model, NavigatorEntities included, so that the stories test what residents write.
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    wrong = []
    for story, text, intent in _story_messages():
        parsed = asyncio.run(agent.parse_message(text))
        if parsed["intent"]["name"] != intent:
            wrong.append(f"{story}: {text!r} read as {parsed['intent']['name']}, not {intent}")
    assert wrong == []
