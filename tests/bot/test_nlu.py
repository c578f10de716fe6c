"""The Rasa NLU pipeline with the navigator components: trained for real, then parsed.

Training takes about three minutes on CI's two cores; Rasa's cache (.rasa/) makes a second
run with unchanged data much faster. Rasa, TensorFlow and SQLAlchemy 1.4 raise deprecation
warnings of their own, which these tests ignore (and only these tests).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

# Rasa and what it imports warn at import and run time; imports stay inside the tests so
# that this mark covers them.
pytestmark = pytest.mark.filterwarnings("ignore")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


def _values(entities: list[dict[str, Any]], name: str) -> list[str]:
    return [e["value"] for e in entities if e["entity"] == name]


def test_entities_from_the_library() -> None:
    from navigator.bot.nlu import entities_for

    found = entities_for("mun äijä juo joka päivä, asutaan Olussa ja oon 34")
    assert _values(found, "need")[0] == "substance_use"
    assert _values(found, "municipality") == ["564"]
    assert _values(found, "age") == ["34"]
    assert _values(found, "for_whom") == ["partner"]
    assert _values(found, "language") == ["fi"]
    assert _values(entities_for("tarvitsen velkaneuvontaa"), "safety") == []
    assert _values(entities_for("jag vill inte leva längre"), "safety") == ["crisis"]
    assert _values(entities_for("isä ei hengitä"), "safety") == ["emergency"]


def test_tokens_carry_lemmas() -> None:
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from navigator.bot.nlu import VoikkoTokenizer

    tokenizer = VoikkoTokenizer(VoikkoTokenizer.get_default_config())
    tokens = tokenizer.tokenize(Message(data={TEXT: "apua velkoihin Kempeleessä"}), TEXT)
    assert [t.lemma for t in tokens] == ["apu", "velka", "kempele"]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    output = tmp_path_factory.mktemp("models")
    model = train_nlu(
        config=str(REPO / "config.yml"),
        nlu_data=str(REPO / "nlu"),
        output=str(output),
        domain=str(REPO / "domain.yml"),
        fixed_model_name="nlu",
    )
    assert model and Path(model).is_file()
    return Agent.load(model)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("moikka", "greet"),
        ("kiitti paljon", "thanks"),
        ("mun isä juo ihan liikaa enkä tiedä mitä tehdä", "describe_situation"),
        ("asun Kempeleessä", "inform"),
        ("haluan puhua ihmisen kanssa", "ask_human"),
        ("voiko joku soittaa mulle", "request_contact"),
        ("ootko sä botti", "bot_challenge"),
        ("på svenska tack", "change_language"),
        ("I have so much debt I can't sleep", "describe_situation"),
        ("hej", "greet"),
    ],
)
def test_intents(agent: Any, text: str, intent: str) -> None:
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"]["name"] == intent, parsed["intent"]


def test_parse_carries_the_navigator_entities(agent: Any) -> None:
    parsed = asyncio.run(agent.parse_message("en halua elää enää, asun Raahessa"))
    entities = parsed["entities"]
    assert _values(entities, "safety") == ["crisis"]
    assert _values(entities, "municipality") == ["678"]
    assert {e["extractor"] for e in entities} == {"NavigatorEntities"}
