"""The Rasa NLU pipeline with the navigator components: trained for real, then parsed.

The model is the assistant's one (tests/conftest.py trains it once for every bot
test). Rasa, TensorFlow and SQLAlchemy 1.4 raise deprecation
warnings of their own, which these tests ignore (and only these tests).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

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
def agent(model_path: Path) -> Any:
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


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
        # bare pleas the safety rules leave to the classifier (tests/test_safety.py)
        ("help!", "emergency"),
        ("HELP ME", "emergency"),
        ("hjälp!", "emergency"),
        # unsure between greeting and description: the need the library reads decides
        ("hello, I need help with my debts, I live in Oulu", "describe_situation"),
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


@pytest.mark.parametrize(
    ("text", "lang"),
    [("haluan kuolla", "fi"), ("jag vill dö", "sv"), ("I want to kill myself", "en")],
)
def test_a_danger_signal_is_the_emergency_intent_whatever_the_classifier_says(
    agent: Any, text: str, lang: str
) -> None:
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"] == {"name": "emergency", "confidence": 1.0}
    assert parsed["intent_ranking"][0]["name"] == "emergency"
    assert _values(parsed["entities"], "safety") == ["crisis"]


def test_a_named_language_is_the_language_asked_for() -> None:
    from navigator.bot.nlu import entities_for

    assert _values(entities_for("can we speak Swedish"), "language") == ["sv"]
    assert _values(entities_for("voitko puhua englantia"), "language") == ["en"]
    assert _values(entities_for("på finska tack"), "language") == ["fi"]
    # No evidence, no language: "ok" or an emoji does not switch the conversation.
    assert _values(entities_for("😢"), "language") == []


@pytest.mark.parametrize(("text", "intent"), [("hej", "greet"), ("yes please", "affirm")])
def test_short_everyday_words_are_read_not_dropped(agent: Any, text: str, intent: str) -> None:
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"]["name"] == intent


def test_known_words_are_those_of_the_training_examples_misspelt_or_not(tmp_path: Path) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from navigator.bot.nlu import UNREAD, KnownWords

    storage = LocalModelStorage(tmp_path)
    resource = Resource("known_words")
    context = ExecutionContext(GraphSchema({}), "test")
    examples = [Message(data={TEXT: t, "intent": "thanks"}) for t in ("kiitos paljon", "ty")]
    trained = KnownWords.create({}, storage, resource, context)
    trained.train(TrainingData(examples))
    known = KnownWords.load({}, storage, resource, context)  # as the server loads it

    assert known.vocabulary == trained.vocabulary == {"kiitos", "paljon", "ty"}
    assert trained.knows("kitos")
    assert known.knows("kitos")  # one letter missing
    assert not known.knows("tyy")  # short words only as written
    assert not known.knows("piitos")  # nor with another first letter
    messages = [Message(data={TEXT: t}) for t in ("kitos", "blabla ghhhh", "040 123", "a@b.fi")]
    known.process(messages)
    assert [bool(m.get(UNREAD)) for m in messages] == [False, True, False, False]


@pytest.mark.parametrize("text", ["blabla", "ghhhh", "blah blah", "xyzzy plugh", "bla bla bla"])
def test_words_nobody_wrote_are_a_fallback_not_a_guess(agent: Any, text: str) -> None:
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"]["name"] == "nlu_fallback", parsed["intent_ranking"][:3]
