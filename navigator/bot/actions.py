"""Custom actions of the resident assistant, run by the rasa_sdk action server.

Rasa decides what to do next; these actions ask the navigator library what to say. The
situation is read from everything the resident wrote since the conversation (re)started,
so that they tell it once and every later answer builds on it.

Run: `python -m rasa_sdk --actions navigator.bot.actions` (`navigator serve` starts it).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process, utils
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    EventType,
    Restarted,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from typing_extensions import override

from navigator.bot.privacy import Sealer
from navigator.cards import card_text, service_card
from navigator.contact import (
    ContactChannel,
    ContactDraft,
    ContactError,
    ContactStore,
    normalise_address,
    summary_text,
)
from navigator.language import LANGUAGES
from navigator.privacy import redact
from navigator.routing import (
    EMERGENCY_FIRST,
    FOR_WHOM,
    SAFETY_MESSAGE,
    Reading,
    Recommendation,
    Router,
    default_router,
)
from navigator.safety import SafetyLevel, Triage
from navigator.settings import (
    CHAT_CARDS,
    CONTACT_FREE_TEXT_MAX_CHARS,
    CONTACT_RETENTION_DAYS,
    DATABASE_URL,
    MAX_MESSAGE_CHARS,
    MAX_QUESTIONS,
    MAX_RECOMMENDATIONS,
    PRIVACY_URL,
)

log = logging.getLogger(__name__)

SKIPPED = "-"  # a question the resident chose not to answer: not asked again
# Intents that interrupt a question rather than answer it; rules handle them.
INTERRUPTIONS = frozenset(
    {
        "emergency",
        "cancel",
        "restart",
        "goodbye",
        "request_contact",
        "ask_human",
        "privacy_question",
        "bot_challenge",
        "change_language",
    }
)
QUESTION_SLOTS = {"need": "needs", "municipality": "municipality", "age": "age"}
# Offered after a second misunderstanding: national lines anyone can call.
HELPLINES = ("mieli-crisis-line", "kirkon-keskusteluapu", "paivystysapu-116117")
# Did-you-mean choices when a message names nothing the taxonomy knows.
COMMON_NEEDS = ("mental_health", "money_debt", "substance_use", "loneliness", "housing")
DID_YOU_MEAN = 4
CONTACT_SLOTS = (
    "contact_consent",
    "contact_address",
    "contact_time",
    "contact_share_text",
    "contact_confirmed",
)
CONTACT_TIME_MAX_CHARS = 200

_sealer = Sealer()
_store: ContactStore | None = None


def contact_store() -> ContactStore:
    """The contact store, opened on first use (NAVIGATOR_DATABASE_URL or the default)."""
    global _store
    if _store is None:
        _store = ContactStore(os.environ.get("NAVIGATOR_DATABASE_URL") or DATABASE_URL)
    return _store


# Reading the conversation ------------------------------------------------------------------


def language_of(tracker: Tracker) -> str:
    """The conversation's language (slot), Finnish by default."""
    lang = tracker.get_slot("language")
    return lang if lang in LANGUAGES else "fi"


# Inside the contact form only these messages still tell the situation (the others are
# answers to its questions: yes, no, a time, a contact detail).
SITUATION_IN_CONTACT_FORM = frozenset({"emergency", "describe_situation"})


def _user_events(tracker: Tracker) -> Iterable[dict[str, Any]]:
    """User messages about the situation since the conversation (re)started."""
    in_contact_form = False
    requested: str | None = None
    for event in tracker.events_after_latest_restart():
        kind = event.get("event")
        if kind == "active_loop":
            in_contact_form = event.get("name") == "contact_form"
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if not in_contact_form or (
                intent in SITUATION_IN_CONTACT_FORM and requested != "contact_address"
            ):
                yield event


def situation_text(tracker: Tracker) -> str:
    """What the resident has written about their situation, oldest first, within the
    routing limit: each message is read from its start, and when they do not all fit, the
    newest messages are kept."""
    texts = [
        str(e.get("text") or "")[:MAX_MESSAGE_CHARS]
        for e in _user_events(tracker)
        if e.get("text") and not str(e["text"]).startswith("/")
    ]
    kept: list[str] = []
    room = MAX_MESSAGE_CHARS
    for text in reversed(texts):
        if len(text) > room and kept:
            break
        kept.insert(0, text[:room])
        room -= len(text) + 1
    return " ".join(kept)


def chosen_needs(tracker: Tracker) -> list[str]:
    """Needs the resident picked with a button (payload messages carry no text to read)."""
    chosen: list[str] = []
    for event in _user_events(tracker):
        if str(event.get("text") or "").startswith("/") or not event.get("text"):
            for entity in (event.get("parse_data") or {}).get("entities", []):
                if entity.get("entity") == "need" and isinstance(entity.get("value"), str):
                    chosen.append(entity["value"])
    return list(dict.fromkeys(chosen))


def _age(value: Any) -> int | None:
    try:
        age = int(str(value))
    except ValueError:
        return None
    return age if 0 <= age <= 120 else None


SituationKey = tuple[str, str, str | None, int | None, str | None, tuple[str, ...]]


def situation_key(tracker: Tracker) -> SituationKey:
    """What the reading of the situation depends on: the text, the language and profile
    slots, and the needs chosen with buttons."""
    municipality = _text_slot(tracker, "municipality")
    for_whom = _text_slot(tracker, "for_whom")
    return (
        situation_text(tracker),
        language_of(tracker),
        municipality if municipality != SKIPPED else None,
        _age(tracker.get_slot("age")),
        for_whom if for_whom in FOR_WHOM else None,
        tuple(chosen_needs(tracker)),
    )


def _text_slot(tracker: Tracker, name: str) -> str | None:
    """A text slot's value, or None: a payload typed by hand can set a slot to a list or a
    mapping (`/inform{"municipality": [true]}`), which is no answer."""
    value = tracker.get_slot(name)
    return value if isinstance(value, str) else None


def reading_of(tracker: Tracker, router: Router | None = None) -> Reading:
    """The library's reading of the whole situation, with the profile from the slots."""
    return _read(_cache_for(router or default_router()), *situation_key(tracker))


# One turn reads the same situation several times (the form's slot choice is asked three
# times, then the route): the reading depends only on the key, so it is kept.
@lru_cache(maxsize=256)
def _read(
    router: Router,
    text: str,
    lang: str,
    municipality: str | None,
    age: int | None,
    for_whom: str | None,
    needs: tuple[str, ...],
) -> Reading:
    return router.read(
        text, lang=lang, municipality=municipality, age=age, for_whom=for_whom, needs=needs
    )


_cached_for: Router | None = None


def _cache_for(router: Router) -> Router:
    """`router`, after forgetting what was kept for another one: a catalogue reload makes a
    new Router, and the caches must not keep the old ones (and their indexes) alive."""
    global _cached_for
    if router is not _cached_for:
        _read.cache_clear()
        _open_questions.cache_clear()
        _cached_for = router
    return router


@lru_cache(maxsize=256)
def _open_questions(
    router: Router,
    text: str,
    lang: str,
    municipality: str | None,
    age: int | None,
    for_whom: str | None,
    needs: tuple[str, ...],
) -> tuple[str, ...]:
    return router.open_questions(_read(router, text, lang, municipality, age, for_whom, needs))


def latest_was_cut(tracker: Tracker) -> bool:
    """True if the latest message was longer than the routing limit."""
    return len(str(tracker.latest_message.get("text") or "")) > MAX_MESSAGE_CHARS


# Saying things -----------------------------------------------------------------------------


def response_text(domain: DomainDict, name: str, lang: str, **values: Any) -> dict[str, Any]:
    """A response from the domain in `lang` (its variation with that language condition,
    else the default one), with placeholders filled; for actions that must choose the
    language themselves (the session start, before the language slot is set)."""
    variants: list[dict[str, Any]] = domain.get("responses", {}).get(name, [])
    chosen: dict[str, Any] = next(
        (
            v
            for v in variants
            if any(
                c.get("name") == "language" and c.get("value") == lang
                for c in v.get("condition", [])
            )
        ),
        next((v for v in variants if not v.get("condition")), {"text": name}),
    )
    message: dict[str, Any] = {"text": str(chosen.get("text", "")).format(**values)}
    if chosen.get("buttons"):
        message["buttons"] = [
            {"title": b["title"], "payload": str(b["payload"]).format(**values)}
            for b in chosen["buttons"]
        ]
    return message


def ask_what_it_is_about(dispatcher: CollectingDispatcher, lang: str, router: Router) -> None:
    """The question "what is it about?", with the commonest needs as buttons."""
    buttons = _need_buttons(COMMON_NEEDS, lang, router)
    dispatcher.utter_message(response="utter_ask_needs", buttons=buttons)


def send_cards(dispatcher: CollectingDispatcher, recs: list[Recommendation], lang: str) -> None:
    """One message per service: plain text for any channel, the card as a custom payload
    (its `text` repeats the plain text, so a rich client can hide the duplicate)."""
    for rec in recs:
        card = service_card(rec, lang)
        text = card_text(card, lang)
        dispatcher.utter_message(text=text, json_message={**card, "text": text})


def _need_buttons(needs: Iterable[str], lang: str, router: Router) -> list[dict[str, str]]:
    taxonomy = router.catalog.taxonomy.needs
    return [
        {
            "title": taxonomy[n].label.get(lang),
            "payload": f'/describe_situation{{"need":"{n}"}}',
        }
        for n in needs
        if n in taxonomy
    ]


# Actions -----------------------------------------------------------------------------------


class ActionSessionStart(Action):
    """A new conversation: the notice that this is an automated service, not an emergency
    service, with the privacy notice, in the page's language if it sent one."""

    @override
    def name(self) -> str:
        return "action_session_start"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = tracker.get_slot("session_started_metadata") or {}
        lang = metadata.get("language") if isinstance(metadata, dict) else None
        lang = lang if lang in LANGUAGES else language_of(tracker)
        if _session_just_opened(tracker):
            # The page sent /session_start to a new conversation, whose session Rasa has
            # already started (and greeted): set the page's language, say nothing twice.
            return [*_setting_slots(lang), ActionExecuted("action_listen")]
        dispatcher.utter_message(
            **response_text(domain, "utter_start_notice", lang, privacy_url=PRIVACY_URL)
        )
        return [
            SessionStarted(),
            *_setting_slots(lang),
            ActionExecuted("action_listen"),
        ]


def _session_just_opened(tracker: Tracker) -> bool:
    """True if the latest session start said its notice and the resident has said nothing
    since but /session_start."""
    events = tracker.events
    starts = [
        i
        for i, e in enumerate(events)
        if e.get("event") == "action" and e.get("name") == "action_session_start"
    ]
    since = events[starts[-1] + 1 :] if starts else events
    said_notice = any(e.get("event") == "bot" for e in since)
    user_texts = [str(e.get("text") or "") for e in since if e.get("event") == "user"]
    return said_notice and all(t.startswith("/session_start") for t in user_texts)


def _setting_slots(lang: str) -> list[EventType]:
    return [
        SlotSet("language", lang),
        SlotSet("privacy_url", PRIVACY_URL),
        SlotSet("retention_days", str(CONTACT_RETENTION_DAYS)),
    ]


class ActionRestart(Action):
    """Start again (the "something else" button): forget the situation, keep the language."""

    @override
    def name(self) -> str:
        return "action_restart"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_restart")
        return [Restarted(), *_setting_slots(language_of(tracker))]


class ActionSafety(Action):
    """Safety first: 112 or crisis services from the library, then the ladder for the
    needs, whatever state the conversation is in."""

    @override
    def name(self) -> str:
        return "action_safety"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        router = default_router()
        lang = language_of(tracker)
        reading = reading_of(tracker, router)
        if reading.safety.level is SafetyLevel.NONE:
            # The classifier (or a typed /emergency) said emergency and the triage did not:
            # when unsure between two levels, the higher one.
            reading = replace(reading, safety=Triage(SafetyLevel.CRISIS, (), ("intent",)))
        answer = router.answer(reading, limit=MAX_RECOMMENDATIONS)
        dispatcher.utter_message(text=SAFETY_MESSAGE[lang])
        send_cards(dispatcher, answer.recommendations, lang)
        if latest_was_cut(tracker):
            dispatcher.utter_message(response="utter_message_cut", max_chars=MAX_MESSAGE_CHARS)
        if not reading.needs:
            ask_what_it_is_about(dispatcher, lang, router)  # "apua!" and nothing more
        elif not any(r.role == "ladder" for r in answer.recommendations):
            dispatcher.utter_message(response="utter_safety_more")
        return [
            *self._profile_slots(tracker),
            SlotSet("shown", [r.service.id for r in answer.recommendations]),
            SlotSet("routed_needs", [n.need for n in answer.needs]),
        ]

    @staticmethod
    def _profile_slots(tracker: Tracker) -> list[EventType]:
        """The slots this message would have filled had it not been a danger signal (the
        domain's mappings skip `emergency` so that it cannot pass as an answer)."""
        slots: dict[str, Any] = {}
        for entity in tracker.latest_message.get("entities", []):
            name, value = entity.get("entity"), entity.get("value")
            if name in ("municipality", "age", "for_whom"):
                slots[name] = value
            elif name == "need":
                slots.setdefault("needs", []).append(value)
        return [SlotSet(name, value) for name, value in slots.items()]


class ActionRoute(Action):
    """Recommend: at most CHAT_CARDS services in ladder order, then what next."""

    @override
    def name(self) -> str:
        return "action_route"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        router = default_router()
        lang = language_of(tracker)
        reading = reading_of(tracker, router)
        if latest_was_cut(tracker):
            dispatcher.utter_message(response="utter_message_cut", max_chars=MAX_MESSAGE_CHARS)
        safe = reading.safety.level is SafetyLevel.NONE
        answer = router.answer(reading, limit=CHAT_CARDS if safe else MAX_RECOMMENDATIONS)
        if not safe:
            dispatcher.utter_message(text=SAFETY_MESSAGE[lang])
        if answer.recommendations:
            dispatcher.utter_message(response="utter_recommend_intro")
            send_cards(dispatcher, answer.recommendations, lang)
        else:
            dispatcher.utter_message(response="utter_no_services")
        dispatcher.utter_message(response="utter_offer_next")
        return [
            SlotSet("shown", [r.service.id for r in answer.recommendations]),
            SlotSet("routed_needs", [n.need for n in answer.needs]),
            SlotSet("fallbacks", 0),
        ]


class ActionMoreOptions(Action):
    """The next services on the ladder, leaving out those already shown."""

    @override
    def name(self) -> str:
        return "action_more_options"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        router = default_router()
        lang = language_of(tracker)
        reading = reading_of(tracker, router)
        if not reading.needs:
            ask_what_it_is_about(dispatcher, lang, router)
            return []
        shown = [s for s in tracker.get_slot("shown") or [] if isinstance(s, str)]
        answer = router.answer(reading, exclude=shown, limit=CHAT_CARDS)
        if answer.recommendations:
            dispatcher.utter_message(response="utter_more_intro")
            send_cards(dispatcher, answer.recommendations, lang)
        else:
            dispatcher.utter_message(response="utter_no_more_options")
        dispatcher.utter_message(response="utter_offer_next")
        return [SlotSet("shown", shown + [r.service.id for r in answer.recommendations])]


class ActionAskNeeds(Action):
    """The question "what is it about?", with buttons from the need taxonomy."""

    @override
    def name(self) -> str:
        return "action_ask_needs"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ask_what_it_is_about(dispatcher, language_of(tracker), default_router())
        return []


class ActionFallback(Action):
    """Low confidence: did-you-mean buttons from the need taxonomy; the second time in a
    row, the national helplines and the contact request."""

    @override
    def name(self) -> str:
        return "action_fallback"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        router = default_router()
        lang = language_of(tracker)
        count = int(tracker.get_slot("fallbacks") or 0) + 1
        text = str(tracker.latest_message.get("text") or "")
        if count >= 2:
            dispatcher.utter_message(response="utter_fallback_again")
            reading = reading_of(tracker, router)
            send_cards(dispatcher, router.recommend(HELPLINES, reading.profile), lang)
            return [SlotSet("fallbacks", 0)]
        if _unreadable(text, router):
            # Nothing in it is Finnish, Swedish or English: say which languages we read,
            # and where to call in an emergency, in all three.
            dispatcher.utter_message(response="utter_unreadable")
            send_cards(
                dispatcher, router.recommend(EMERGENCY_FIRST, reading_of(tracker).profile), lang
            )
            return [SlotSet("fallbacks", count)]
        needs = did_you_mean(text, lang, router)
        dispatcher.utter_message(
            response="utter_fallback", buttons=_need_buttons(needs, lang, router)
        )
        return [SlotSet("fallbacks", count)]


def _unreadable(text: str, router: Router) -> bool:
    """True if the text has words and none of them is Finnish, Swedish or English."""
    has_words = any(ch.isalpha() for ch in text) and not text.lstrip().startswith("/")
    return has_words and not any(router.identifier.scores(text).values())


def did_you_mean(text: str, lang: str, router: Router) -> list[str]:
    """Needs the message may be about: those the library reads in it, else the closest
    need labels and synonyms, else the commonest needs."""
    reading = router.read(text, lang=lang)
    found = [n.need for n in reading.needs][:DID_YOU_MEAN]
    if found:
        return found
    choices = {
        f"{need_id}\t{i}": phrase
        for need_id, need in router.catalog.taxonomy.needs.items()
        for i, phrase in enumerate([need.label.get(lang), *need.synonyms.get(lang, [])])
    }
    close = process.extract(
        text[:200], choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=20
    )
    fuzzy = [key.split("\t")[0] for _, score, key in close if score >= 70]
    return list(dict.fromkeys(fuzzy))[:DID_YOU_MEAN] or list(COMMON_NEEDS)


class ValidateSituationForm(FormValidationAction):
    """Ask only what changes the answer, at most MAX_QUESTIONS questions, and take any reply
    to a question (or "I'd rather not say") as its answer so that nobody is stuck."""

    @override
    def name(self) -> str:
        return "validate_situation_form"

    @override
    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        requested = tracker.get_slot("requested_slot")
        asked = _asked_in_form(tracker)
        result = [requested] if requested in domain_slots else []
        room = MAX_QUESTIONS - len(asked)
        for question in _open_questions(_cache_for(default_router()), *situation_key(tracker)):
            slot = QUESTION_SLOTS[question]
            if slot in result or slot in asked or tracker.get_slot(slot) is not None:
                continue
            if room <= 0:
                break
            result.append(slot)
            room -= 1
        return result

    def _answer_or_skip(self, slot: str, tracker: Tracker, skipped: Any) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        if _intent(tracker) in INTERRUPTIONS:
            return {}  # reject: a rule answers the interruption
        return {slot: skipped}

    async def extract_needs(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A reply to "what is it about?" that names no need: asked, not told."""
        return self._answer_or_skip("needs", tracker, [])

    async def extract_municipality(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A reply to the municipality question that names none: not told."""
        return self._answer_or_skip("municipality", tracker, SKIPPED)

    async def extract_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The age question answered with a number ("16", "poika on 16", "he's 16"), or
        not told."""
        answer = self._answer_or_skip("age", tracker, SKIPPED)
        if answer:
            text = str(tracker.latest_message.get("text") or "")
            numbers = [int(n) for n in re.findall(r"\b(\d{1,3})\b", text) if int(n) <= 120]
            if len(numbers) == 1:
                return {"age": str(numbers[0])}
        return answer

    async def validate_needs(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keep need ids the taxonomy knows (a hand-typed payload may name others)."""
        known = default_router().catalog.taxonomy.needs
        values = value if isinstance(value, list) else [value]
        return {"needs": [v for v in values if isinstance(v, str) and v in known]}

    async def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A municipality code of the county, or not told."""
        if value == SKIPPED:
            return {"municipality": SKIPPED}
        code = default_router().resolve_municipality(str(value)) if value else None
        return {"municipality": code or SKIPPED}

    async def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An age in years (0-120), or not told."""
        age = _age(value)
        return {"age": str(age) if age is not None else SKIPPED}


def _asked_in_form(tracker: Tracker) -> list[str]:
    """Slots the situation form has asked for since it was last activated."""
    asked: list[str] = []
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == "situation_form":
            asked = []
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            value = event.get("value")
            if value and value not in asked:
                asked.append(value)
    return asked


# Explicit answers. Consent and sending need one of these (or a button), because the
# classifier also calls "hmm" or "qwerty" a yes.
YES_WORDS = frozenset(
    {
        *("kyllä", "kyl", "joo", "juu", "jep", "jees", "ok", "okei", "käy", "sopii", "saa"),
        *("lähetä", "lähettää", "ja", "jo", "visst", "okej", "gärna", "skicka"),
        *("yes", "yeah", "yep", "okay", "sure", "send"),
    }
)
NO_WORDS = frozenset({"ei", "en", "älä", "nej", "inte", "no", "not", "don't", "dont", "never"})
# Words that make a message an answer to "when may we call?" in any of the languages.
TIME_WORDS = re.compile(
    r"\d|klo|kello|aamu|päiv|ilta|yö|milloin|arki|viikonlop|huomen|"
    r"förmiddag|eftermiddag|kväll|morgon|när som|vardag|helg|"
    r"morning|afternoon|evening|night|any ?time|weekday|weekend|tomorrow|"
    r"maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|"
    r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    re.IGNORECASE,
)
# Intents that interrupt the contact form's questions; rules answer them.
CONTACT_INTERRUPTIONS = frozenset(
    {"emergency", "cancel", "deny", "restart", "goodbye", "privacy_question", "bot_challenge"}
)


def explicit_answer(tracker: Tracker) -> bool | None:
    """True for an explicit yes, False for an explicit no, None for anything else."""
    text = str(tracker.latest_message.get("text") or "").strip().lower()
    if text.startswith("/affirm"):
        return True
    if text.startswith("/deny"):
        return False
    words = set(re.findall(r"[\w']+", text))
    if words & (NO_WORDS - {"no"}):
        return False
    if words & YES_WORDS:
        return True  # "no joo", "no kyllä": Finnish "no" before a yes is a yes
    return False if "no" in words else None


def _intent(tracker: Tracker) -> str | None:
    name = (tracker.latest_message.get("intent") or {}).get("name")
    return str(name) if name else None


class ValidateContactForm(FormValidationAction):
    """The one contact: consent and sending by an explicit yes only; the address checked and
    sealed; the time kept short and free of contact details."""

    @override
    def name(self) -> str:
        return "validate_contact_form"

    @staticmethod
    def _asked(slot: str, tracker: Tracker) -> bool:
        return bool(tracker.get_slot("requested_slot") == slot)

    async def extract_contact_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Consent is an explicit yes; a no, or anything else, is left to the rules."""
        if self._asked("contact_consent", tracker) and explicit_answer(tracker) is True:
            return {"contact_consent": True}
        return {}

    async def extract_contact_address(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A phone number or e-mail address is the answer whatever the classifier says
        (it has called an e-mail address "cancel"); other text is checked and refused."""
        if not self._asked("contact_address", tracker) or _intent(tracker) == "emergency":
            return {}
        text = str(tracker.latest_message.get("text") or "")
        try:
            parse_contact(text)
        except ContactError:
            if _intent(tracker) in CONTACT_INTERRUPTIONS | {"change_language"}:
                return {}
        return {"contact_address": text}

    async def extract_contact_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Words of time are the answer whatever the classifier says (it has called "after
        4pm" cancel); other words too ("ei väliä"), unless they interrupt."""
        if not self._asked("contact_time", tracker) or _intent(tracker) == "emergency":
            return {}
        text = str(tracker.latest_message.get("text") or "")
        if text.startswith("/") or not text.strip():
            return {}
        interrupting = _intent(tracker) in CONTACT_INTERRUPTIONS - {"deny"}
        if interrupting and not TIME_WORDS.search(text):
            return {}
        return {"contact_time": text}

    async def extract_contact_share_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The resident's own words go only with an explicit yes; an explicit no is no."""
        answer = explicit_answer(tracker)
        if not self._asked("contact_share_text", tracker) or answer is None:
            return {}
        if answer is False and _intent(tracker) == "cancel":
            return {}  # "peruuta" cancels the request, not just the words
        return {"contact_share_text": answer}

    async def extract_contact_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sending is an explicit yes ("send it", a button); anything else is left to the
        rules (no and cancel cancel)."""
        if self._asked("contact_confirmed", tracker) and explicit_answer(tracker) is True:
            return {"contact_confirmed": True}
        return {}

    async def validate_contact_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Check the phone number or e-mail address, then seal it."""
        if isinstance(value, str) and _sealer.open(value) is not None:
            return {"contact_address": value}
        try:
            channel, address = parse_contact(str(value or ""))
        except ContactError:
            dispatcher.utter_message(response="utter_invalid_contact_address")
            return {"contact_address": None}
        return {"contact_address": _sealer.seal(f"{channel.value}:{address}")}

    async def validate_contact_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The preferred time, short and without contact details."""
        text = redact(" ".join(str(value or "").split()))[:CONTACT_TIME_MAX_CHARS]
        return {"contact_time": text or None}


def parse_contact(text: str) -> tuple[ContactChannel, str]:
    """The channel and normalised address a resident typed; ContactError if neither a phone
    number nor an e-mail address."""
    text = " ".join(text.split())[:320]
    channel = ContactChannel.EMAIL if "@" in text else ContactChannel.PHONE
    return channel, normalise_address(channel, text)


def _draft(tracker: Tracker, address: str) -> ContactDraft:
    channel, _, value = address.partition(":")
    municipality = tracker.get_slot("municipality")
    free_text = None
    if tracker.get_slot("contact_share_text"):
        free_text = redact(situation_text(tracker))[-CONTACT_FREE_TEXT_MAX_CHARS:] or None
    return ContactDraft(
        language=language_of(tracker),
        needs=tuple(tracker.get_slot("routed_needs") or ()),
        municipality=municipality if municipality not in (None, SKIPPED) else None,
        services=tuple(tracker.get_slot("shown") or ()),
        channel=ContactChannel(channel),
        address=value,
        preferred_time=str(tracker.get_slot("contact_time") or ""),
        consent=bool(tracker.get_slot("contact_consent")),
        free_text=free_text,
    )


class ActionAskContactConfirmed(Action):
    """Show exactly what will be sent, then ask to send or cancel."""

    @override
    def name(self) -> str:
        return "action_ask_contact_confirmed"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        address = _sealer.open(tracker.get_slot("contact_address"))
        if address is None:
            dispatcher.utter_message(response="utter_contact_expired")
            dispatcher.utter_message(response="utter_ask_contact_address")
            return [SlotSet("contact_address", None), SlotSet("requested_slot", "contact_address")]
        draft = _draft(tracker, address)
        dispatcher.utter_message(text=summary_text(draft, default_router().catalog))
        dispatcher.utter_message(response="utter_ask_contact_confirmed")
        return []


class ActionSubmitContact(Action):
    """Store the request durably, then confirm with its reference; nothing is confirmed
    that was not stored."""

    @override
    def name(self) -> str:
        return "action_submit_contact"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        address = _sealer.open(tracker.get_slot("contact_address"))
        if address is None or not tracker.get_slot("contact_confirmed"):
            dispatcher.utter_message(response="utter_contact_expired")
            return _clear_contact()
        try:
            request = contact_store().submit(_draft(tracker, address))
        except Exception as exc:  # refused, or the database is down: say so, store nothing
            refused = isinstance(exc, ContactError)
            log.log(
                logging.WARNING if refused else logging.ERROR,
                "contact request %s: %s",
                "refused" if refused else "not stored",
                type(exc).__name__,
            )
            dispatcher.utter_message(response="utter_contact_failed")
            return _clear_contact()
        dispatcher.utter_message(response="utter_contact_saved", reference=request.reference)
        return _clear_contact()


class ActionCancelContact(Action):
    """Cancel the contact request at any step: nothing is stored."""

    @override
    def name(self) -> str:
        return "action_cancel_contact"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_contact_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *_clear_contact()]


def _clear_contact() -> list[EventType]:
    return [SlotSet(slot, None) for slot in CONTACT_SLOTS]
