"""Rasa NLU components that bring the navigator library into the pipeline.

- `VoikkoTokenizer`: Rasa's whitespace tokenizer, with each token's lemma from Voikko
  (Finnish) or Snowball (Swedish, English), so that count-vector featurizers with
  `use_lemma` see "velka" in "velkoihin".
- `KnownWords`: remembers the words of the training examples, and marks a message none
  of whose words it knows, even misspelt ("blabla", "ghhhh"): the classifier's intent for
  such text is noise, and it must not read as a yes inside the contact form.
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

import functools
import hashlib
import json
import re
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process
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
from rasa.shared.nlu.training_data.training_data import TrainingData

from navigator.bot import speedups
from navigator.catalog.loader import default_catalog_root
from navigator.catalog.problems import Problems
from navigator.catalog.taxonomy import AREAS_FILE, NEEDS_FILE, load_taxonomy
from navigator.language import analyzer, words
from navigator.language.identify import LanguageIdentifier
from navigator.routing import default_router, need_words_identifier
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
        lang = _lemma_language().identify(text) if attribute == TEXT else "fi"
        language = analyzer()
        for token in tokens:
            words = language.tokens(token.text, lang)
            if words:
                token.lemma = words[0].lemmas[0]
        return tokens


@functools.cache
def _lemma_language() -> LanguageIdentifier:
    """The identifier that picks each message's lemmatiser: function words and the need
    synonyms, not the router's, which also knows every service's words. The model's
    features then depend only on files the fingerprint covers, so a catalogue edit neither
    retrains the model nor gives a served message other lemmas than training saw."""
    return need_words_identifier(load_taxonomy(default_catalog_root(), Problems()))


#: Set on a message none of whose words the training examples hold (KnownWords).
UNREAD = "navigator_unread"
#: A word this close to a known one (rapidfuzz ratio) is that word misspelt: "kitos".
MISSPELT_RATIO = 80
#: Shorter words are known only as written: at 3 letters one edit is another word.
SHORTEST_FUZZY = 4


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class KnownWords(GraphComponent):
    """The vocabulary of the training examples; marks messages with no word in it."""

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: frozenset[str]
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._know(vocabulary)

    def _know(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        # rapidfuzz looks for misspellings among the longer words with the same first
        # letter: typos rarely hit the first one, and without it "plugh" passed as "laugh".
        self._choices: dict[str, list[str]] = {}
        for word in sorted(w for w in vocabulary if len(w) >= SHORTEST_FUZZY):
            self._choices.setdefault(word[0], []).append(word)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnownWords:
        """A component that knows no words until trained."""
        return cls(model_storage, resource, frozenset())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnownWords:
        """The vocabulary stored with the model."""
        with model_storage.read_from(resource) as directory:
            stored = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        return cls(model_storage, resource, frozenset(stored))

    def train(self, training_data: TrainingData) -> Resource:
        """Store every word of the training examples."""
        vocabulary = {
            word
            for example in training_data.training_examples
            for word in words(example.get(TEXT) or "")
        }
        with self._model_storage.write_to(self._resource) as directory:
            text = json.dumps(sorted(vocabulary), ensure_ascii=False)
            (directory / "vocabulary.json").write_text(text, encoding="utf-8")
        self._know(frozenset(vocabulary))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to the training examples."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark each message with letters but no known word. A message with a digit or an
        @ is left alone: numbers and addresses are read by what they are (the contact form)."""
        for message in messages:
            text = message.get(TEXT) or ""
            if "@" in text or any(c.isdigit() for c in text):
                continue
            spoken = [w for w in words(text) if w.isalpha()]
            if spoken and not any(self.knows(w) for w in spoken):
                message.set(UNREAD, True)
        return messages

    def knows(self, word: str) -> bool:
        """True if the word, or a misspelling of it, is in the training examples."""
        if word in self.vocabulary:
            return True
        if len(word) < SHORTEST_FUZZY:
            return False
        match = process.extractOne(
            word, self._choices.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=MISSPELT_RATIO
        )
        return match is not None


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
            elif not found and (message.get(UNREAD) or _intent_name(message) == EMERGENCY_INTENT):
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
    """A message the library reads nothing in and whose words no training example holds
    ("blabla"), or `emergency` from the classifier alone on a message the library reads
    nothing in ("blörp"), becomes `nlu_fallback`: the classifier's guess on such text is
    noise, and the fallback answers it with 112 and the languages we read. (Other intents
    stay: the classifier knows many short words the library's word lists lack, such as
    "reset" or "heissan", and KnownWords knows them from the training examples.)"""
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
