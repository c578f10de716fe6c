"""Rasa NLU components that bring the navigator library into the pipeline.

- `VoikkoTokenizer`: Rasa's whitespace tokenizer, with each token's lemma from Voikko
  (Finnish) or Snowball (Swedish, English), so that count-vector featurizers with
  `use_lemma` see "velka" in "velkoihin".
- `NavigatorEntities`: adds, from the same library the chat, the API and the CLI use, the
  safety level, the needs, the municipality (any inflected or misspelt form), the age, whom
  the help is for, and the message's language, as entities for slots and rules.

Neither learns anything in Rasa: they are deterministic, and their fingerprint includes the
files they read (need synonyms, municipalities, colloquial forms, safety examples), so that
editing those makes `rasa train` rebuild what depends on them.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from navigator.catalog.loader import default_catalog_root
from navigator.catalog.taxonomy import AREAS_FILE, NEEDS_FILE
from navigator.language import analyzer
from navigator.routing import default_router
from navigator.safety import SafetyLevel
from navigator.safety.model import EXAMPLE_FILES


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
    for name in (*EXAMPLE_FILES, "ordinary.txt"):
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
        tokens: list[Token] = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
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
        """Add the library's reading of each message as entities."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(entities_for(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


def entities_for(text: str) -> list[dict[str, Any]]:
    """The entities for one message (spans cover the whole message: they are readings of
    it, not words in it)."""
    reading = default_router().read(text)
    profile = reading.profile
    end = len(text)

    def entity(name: str, value: str) -> dict[str, Any]:
        return {"entity": name, "value": value, "start": 0, "end": end, "confidence": 1.0}

    result = [entity("language", profile.language)]
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
