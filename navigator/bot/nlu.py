"""Rasa NLU components that bring the navigator library into the pipeline.

- `VoikkoTokenizer`: Rasa's whitespace tokenizer, with each token's lemma from Voikko
  (Finnish) or Snowball (Swedish, English), so that count-vector featurizers with
  `use_lemma` see "velka" in "velkoihin".
- `NavigatorEntities`: adds, from the same library the chat, the API and the CLI use, the
  safety level, the needs, the municipality (any inflected or misspelt form), the age, whom
  the help is for, and the message's language, as entities for slots and rules. A message
  the library's triage reads as a danger signal gets the intent `emergency` with full
  confidence, whatever the intent classifier thought: the safety rule then answers it
  first in any state of the dialogue, and no later step (fallback) can override it.

Neither learns anything in Rasa: they are deterministic, and their fingerprint includes the
files they read (need synonyms, municipalities, colloquial forms, safety examples), so that
editing those makes `rasa train` rebuild what depends on them.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from navigator.bot import speedups
from navigator.catalog.loader import default_catalog_root
from navigator.catalog.taxonomy import AREAS_FILE, NEEDS_FILE
from navigator.language import analyzer
from navigator.routing import default_router
from navigator.safety import SafetyLevel
from navigator.safety.model import EXAMPLE_FILES, ORDINARY_FILES
from navigator.settings import MAX_MESSAGE_CHARS

# The Rasa server imports this module to load the pipeline: the one place our code runs
# in that process before the first turn (docs/benchmarks.md, "Where the time goes").
speedups.install()


def _files_fingerprint() -> str:
    """A hash of every file whose content changes what these components output."""
    digest = hashlib.sha256()
    root = default_catalog_root()
    for relative in (NEEDS_FILE, AREAS_FILE):
        path = root / relative
        digest.update(path.read_bytes() if path.is_file() else relative.encode())
    language = resources.files("navigator.language")
    digest.update(language.joinpath("colloquial_fi.yaml").read_bytes())
    safety = resources.files("navigator.safety")
    for name in (*EXAMPLE_FILES, *ORDINARY_FILES):
        digest.update(safety.joinpath(name).read_bytes())
    return digest.hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VoikkoTokenizer(WhitespaceTokenizer):
    """Whitespace tokens with lemmas from the navigator's normalisation."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Lemmas depend on the colloquial list and Voikko's presence."""
        return f"{_files_fingerprint()}:{analyzer().morphology}"

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenise as Rasa does, then set each token's lemma in the message's language."""
        text = message.get(attribute) or ""
        if len(text) > MAX_MESSAGE_CHARS:
            # The classifiers read what routing reads; the triage reads the whole message.
            message = Message(data={**message.data, attribute: text[:MAX_MESSAGE_CHARS]})
            text = text[:MAX_MESSAGE_CHARS]
        tokens: list[Token] = super().tokenize(message, attribute)
        # The router's identifier knows the catalogue's words in each language.
        lang = default_router().identifier.identify(text) if attribute == TEXT else "fi"
        language = analyzer()
        for token in tokens:
            words = language.tokens(token.text, lang)
            if words:
                token.lemma = words[0].lemmas[0]
        return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class NavigatorEntities(GraphComponent, EntityExtractorMixin):
    """Safety, needs, municipality, age, for-whom and language, from the library."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NavigatorEntities:
        """A new component; it has no state of its own."""
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The taxonomy and safety data decide the entities: editing them must retrain."""
        return _files_fingerprint()

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the library's reading of each message as entities; a danger signal makes the
        intent `emergency`."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(entities_for(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
            if any(e["entity"] == "safety" for e in found):
                # final: nothing downstream may lower the safety reading
                _set_intent(message, EMERGENCY_INTENT)
            elif not found and _intent_name(message) == EMERGENCY_INTENT:
                _unread_is_fallback(message)
            elif _intent_name(message) == FALLBACK_INTENT and any(
                e["entity"] == "need" for e in found
            ):
                # "hello, I need help with my debts": the classifier hesitates between a
                # greeting and a description, but the library reads a need in it.
                _set_intent(message, DESCRIBE_INTENT)
        return messages


EMERGENCY_INTENT = "emergency"
FALLBACK_INTENT = "nlu_fallback"
DESCRIBE_INTENT = "describe_situation"


def _intent_name(message: Message) -> str | None:
    name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    return str(name) if name else None


def _unread_is_fallback(message: Message) -> None:
    """`emergency` from the classifier alone, on a message with no word the library reads
    ("blörp"), becomes `nlu_fallback`: the classifier's guess on such text is noise, and
    the fallback answers an unreadable message with 112 and the languages we read. (Other
    intents stay: the classifier knows many short words the library's word lists lack,
    such as "reset" or "heissan".)"""
    _set_intent(message, FALLBACK_INTENT)


def _set_intent(message: Message, name: str) -> None:
    """Make `name` the intent with full confidence, first in the ranking; the classifier's
    ranking follows, for the record."""
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        r
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get(INTENT_NAME_KEY) not in (name, FALLBACK_INTENT)
    ]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)


# A language the resident names ("på svenska", "in English", "suomeksi") is the one they
# want answers in, whatever language the message itself is written in.
NAMED_LANGUAGES = {
    "fi": ("suomi", "suomeksi", "suomeks", "suomea", "suomee", "suomen", "finska", "finnish"),
    "sv": ("ruotsi", "ruotsiksi", "ruotsiks", "ruotsia", "ruotsii", "svenska", "swedish"),
    "en": (
        *("englanti", "englanniksi", "englanniks", "englantia", "enkuks", "enkkua"),
        *("engelska", "english"),
    ),
}
_LANGUAGE_NAME = re.compile(
    r"\b(" + "|".join(n for names in NAMED_LANGUAGES.values() for n in names) + r")\b",
    re.IGNORECASE,
)


def named_language(text: str) -> str | None:
    """The answer language a message asks for by name, if it names exactly one."""
    named = {
        lang
        for match in _LANGUAGE_NAME.finditer(text)
        for lang, names in NAMED_LANGUAGES.items()
        if match.group(1).lower() in names
    }
    return named.pop() if len(named) == 1 else None


def entities_for(text: str) -> list[dict[str, Any]]:
    """The entities for one message (spans cover the whole message: they are readings of
    it, not words in it).

    `language` is given only when the message names a language or its words show one, so
    that "ok" or an emoji does not switch a conversation's language.
    """
    router = default_router()
    reading = router.read(text)
    profile = reading.profile
    end = len(text)

    def entity(name: str, value: str) -> dict[str, Any]:
        return {"entity": name, "value": value, "start": 0, "end": end, "confidence": 1.0}

    result = []
    language = named_language(text)
    typed_payload = text.lstrip().startswith("/")  # a button payload typed by hand
    if language is None and not typed_payload and max(router.identifier.scores(text).values()) > 0:
        language = profile.language
    if language:
        result.append(entity("language", language))
    if reading.safety.level is not SafetyLevel.NONE:
        result.append(entity("safety", reading.safety.level.value))
    result += [entity("need", n.need) for n in reading.needs]
    if profile.municipality:
        result.append(entity("municipality", profile.municipality))
    if profile.age is not None:
        result.append(entity("age", str(profile.age)))
    if profile.for_whom:
        result.append(entity("for_whom", profile.for_whom))
    return result
