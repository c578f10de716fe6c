"""The whole assistant through the REST channel: a real Rasa server with the trained model,
the real action server, the library and the contact store behind them.

Safety tests are exact: the first reply to a danger message is the library's safety
sentence and the first card is 112 (emergency) or a crisis service, in every language,
inside and outside the forms.
"""

from __future__ import annotations

from typing import Any

import pytest

from navigator.cards import CARD_TYPE
from navigator.contact import ContactStore
from navigator.privacy import redact
from navigator.routing import SAFETY_MESSAGE
from navigator.safety import MAX_TEXT_CHARS
from navigator.settings import CHAT_CARDS, MAX_MESSAGE_CHARS, PRIVACY_URL
from tests.conftest import Assistant, Conversation

# Rasa warns at run time; these tests only talk HTTP, but share the session with Rasa's
# imports (training).
pytestmark = pytest.mark.filterwarnings("ignore")

EMERGENCY = {
    "fi": "isä ei hengitä eikä herää",
    "sv": "min pappa andas inte",
    "en": "my dad is not breathing",
}
CRISIS = {
    "fi": "en halua elää enää",
    "sv": "jag vill inte leva längre",
    "en": "I don't want to live anymore",
}
DEBT = {
    "fi": "velat painaa enkä saa nukuttua",
    "sv": "jag har stora skulder och kan inte sova",
    "en": "I have so much debt I can't sleep",
}


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [str(r.get("text") or "") for r in replies if "text" in r]


def cards(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r["custom"]
        for r in replies
        if isinstance(r.get("custom"), dict) and r["custom"].get("type") == CARD_TYPE
    ]


def payloads(replies: list[dict[str, Any]]) -> list[str]:
    return [str(b["payload"]) for r in replies for b in r.get("buttons", [])]


def assert_safety_first(replies: list[dict[str, Any]], lang: str, level: str) -> None:
    assert replies, "no reply"
    assert replies[0].get("text") == SAFETY_MESSAGE[lang]
    shown = cards(replies)
    assert shown, "no safety services"
    if level == "emergency":
        assert shown[0]["id"] == "emergency-112"
    else:
        assert shown[0]["role"] == "crisis"


@pytest.fixture
def chat(assistant: Assistant) -> Conversation:
    return assistant.conversation(language="fi")


# The first message ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_opening_says_automated_not_emergency_and_links_privacy(
    assistant: Assistant, lang: str
) -> None:
    chat = assistant.conversation(language=lang)
    opening = texts(chat.opening or [])
    assert len(opening) == 1
    assert opening[0].startswith(("Hätätilanteessa soita 112", "I nödsituationer", "In an em"))
    assert PRIVACY_URL in opening[0]


def test_unopened_conversation_still_starts_with_112(assistant: Assistant) -> None:
    chat = assistant.conversation()
    replies = chat.say(CRISIS["fi"])
    assert texts(replies)[0].startswith("Hätätilanteessa soita 112")
    assert_safety_first(replies[1:], "fi", "crisis")


# Safety first, everywhere ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("level", ["emergency", "crisis"])
def test_safety_first_outside_forms(assistant: Assistant, lang: str, level: str) -> None:
    chat = assistant.conversation(language=lang)
    text = (EMERGENCY if level == "emergency" else CRISIS)[lang]
    assert_safety_first(chat.say(text), lang, level)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("level", ["emergency", "crisis"])
def test_safety_first_inside_the_contact_form_which_then_goes_on(
    assistant: Assistant, lang: str, level: str
) -> None:
    chat = assistant.conversation(language=lang)
    chat.say(DEBT[lang])
    chat.say("/request_contact")
    text = (EMERGENCY if level == "emergency" else CRISIS)[lang]
    replies = chat.say(text)
    assert_safety_first(replies, lang, level)
    assert "/affirm" in payloads(replies)  # the consent question is asked again


#: Situations whose services differ by municipality, so the assistant asks for it (with
#: the shipped catalogue "I have so much debt I can't sleep" gets national help at once).
ASKED_WHERE = {**DEBT, "en": "I have a lot of debt and can't pay my rent"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_safety_first_while_a_question_is_open(assistant: Assistant, lang: str) -> None:
    chat = assistant.conversation(language=lang)
    asked = chat.say(ASKED_WHERE[lang])
    assert any("municipality" in p for p in payloads(asked))
    assert_safety_first(chat.say(CRISIS[lang]), lang, "crisis")


def test_typed_emergency_payload_gets_crisis_help(chat: Conversation) -> None:
    assert_safety_first(chat.say("/emergency"), "fi", "crisis")


# The situation, told once ------------------------------------------------------------------


def test_asks_municipality_then_recommends_in_ladder_order(chat: Conversation) -> None:
    asked = chat.say(DEBT["fi"])
    assert not cards(asked)
    assert '/inform{"municipality":"564"}' in payloads(asked)
    replies = chat.say("asun Kempeleessä")
    shown = cards(replies)
    assert 1 <= len(shown) <= CHAT_CARDS
    levels = [c["level"] for c in shown]
    assert levels == sorted(levels)
    assert all(c["reason"] and c["level_text"] and c["contacts"] for c in shown)
    assert {"/ask_more_options", "/restart", "/request_contact", "/goodbye"} <= set(
        payloads(replies)
    )
    more = cards(chat.say("/ask_more_options"))
    assert more and not {c["id"] for c in more} & {c["id"] for c in shown}


def test_a_told_municipality_is_not_asked(chat: Conversation) -> None:
    replies = chat.say("asun Oulussa ja velat painaa")
    assert cards(replies)
    assert not any("municipality" in p for p in payloads(replies))


def test_declining_a_question_still_gives_services(chat: Conversation) -> None:
    chat.say(DEBT["fi"])
    replies = chat.say("/deny")
    questions = [p for p in payloads(replies) if '"age"' in p]
    if questions:  # the age question may follow; decline it too
        replies = chat.say("/deny")
    assert cards(replies)


# One contact ---------------------------------------------------------------------------------


def _contact_requests(assistant: Assistant) -> list[Any]:
    return ContactStore(assistant.database_url).list()


def test_one_contact_flow_stores_before_confirming(
    assistant: Assistant, chat: Conversation
) -> None:
    chat.say("asun Oulussa ja velat painaa")
    before = len(_contact_requests(assistant))
    assert "/affirm" in payloads(chat.say("voiko joku soittaa mulle"))
    chat.say("/affirm")  # consent
    invalid = chat.say("0401")  # too short to be a number
    assert any("040 123 4567" in t for t in texts(invalid))
    chat.say("040 123 4567")
    chat.say("Iltapäivällä")
    summary = chat.say("/deny")  # no free text
    assert any("+358401234567" in t for t in texts(summary))
    assert any("raha ja velat" in t.lower() for t in texts(summary))
    done = chat.say("/affirm")
    stored = _contact_requests(assistant)
    assert len(stored) == before + 1
    request = next(r for r in stored if r.address == "+358401234567")
    assert request.reference in " ".join(texts(done))
    assert request.municipality == "564" and request.free_text is None
    assert request.preferred_time == "Iltapäivällä"
    # The tracker store keeps no contact details.
    kept = str(chat.tracker())
    assert "123 4567" not in kept and "401234567" not in kept


def test_consent_needs_an_explicit_yes(assistant: Assistant, chat: Conversation) -> None:
    chat.say("/request_contact")
    unclear = chat.say("hmm")  # the classifier may call it a yes; it is not consent
    assert any("En saanut tästä vastausta" in t for t in texts(unclear))
    assert "/affirm" in payloads(unclear)  # the consent question again
    asked = chat.say("joo")
    assert any("sähköpostiosoitteella" in t for t in texts(asked))


def test_english_flow_with_an_email_address(assistant: Assistant) -> None:
    chat = assistant.conversation(language="en")
    chat.say("I live in Oulu and I have so much debt I can't sleep")
    chat.say("can someone call me")
    chat.say("yes")
    chat.say("anna.svensson@hotmail.com")
    chat.say("after 4pm")
    summary = chat.say("no")
    assert any("anna.svensson@hotmail.com" in t for t in texts(summary))
    done = chat.say("send it")
    assert any("Reference: NAV-" in t for t in texts(done))
    request = next(
        r for r in _contact_requests(assistant) if r.address == "anna.svensson@hotmail.com"
    )
    assert request.language == "en" and request.preferred_time == "after 4pm"
    assert "hotmail" not in str(chat.tracker())


def test_cancel_at_any_step_stores_nothing(assistant: Assistant, chat: Conversation) -> None:
    chat.say("asun Oulussa ja velat painaa")
    before = len(_contact_requests(assistant))
    chat.say("/request_contact")
    chat.say("/affirm")
    chat.say("050 765 4321")
    replies = chat.say("peruuta")
    assert any("Mitään ei tallennettu" in t for t in texts(replies))
    assert len(_contact_requests(assistant)) == before
    kept = str(chat.tracker())
    assert "765 4321" not in kept and "507654321" not in kept


def test_no_consent_stores_nothing(assistant: Assistant, chat: Conversation) -> None:
    before = len(_contact_requests(assistant))
    chat.say("/request_contact")
    replies = chat.say("/deny")
    assert any("Mitään ei tallennettu" in t for t in texts(replies))
    assert len(_contact_requests(assistant)) == before


# Misunderstanding, languages, bad input -----------------------------------------------------


def test_fallback_twice_offers_helplines_and_contact(chat: Conversation) -> None:
    # Which texts the classifier is unsure of changes with training; the dialogue's
    # answer to being unsure must not, so the fallback intent is sent as such.
    first = chat.say("/nlu_fallback")
    assert any(p.startswith('/describe_situation{"need":') for p in payloads(first))
    second = chat.say("/nlu_fallback")
    assert "/request_contact" in payloads(second)
    assert {c["id"] for c in cards(second)} & {"mieli-crisis-line", "paivystysapu-116117"}
    third = chat.say("/nlu_fallback")  # counted afresh after the helplines
    assert any(p.startswith('/describe_situation{"need":') for p in payloads(third))


def test_language_switch_is_remembered(chat: Conversation) -> None:
    switched = chat.say("kan vi tala svenska")
    assert any("svenska" in t for t in texts(switched))
    replies = chat.say("/greet")
    assert texts(replies)[0].startswith("Hej")


def test_reply_follows_the_residents_language(assistant: Assistant) -> None:
    chat = assistant.conversation(language="fi")
    replies = chat.say("hello, I need help with my debts, I live in Oulu")
    assert any(t.startswith("Here are") for t in texts(replies))


@pytest.mark.parametrize(
    "message",
    [
        "😢😢😢",
        "<script>alert(1)</script><b>apua</b>",
        "Ich brauche Hilfe mit meinen Schulden",
        '/inform{"municipality":"Narnia","age":"-4"}',
        "/no_such_intent",
        '/inform{"municipality": ',
        "",
    ],
)
def test_bad_input_gets_a_reply_not_a_crash(chat: Conversation, message: str) -> None:
    replies = chat.say(message)
    assert isinstance(replies, list)
    # The conversation still works afterwards.
    assert cards(chat.say("asun Oulussa ja velat painaa")) or texts(chat.say("/greet"))


def test_a_very_long_message_is_cut_with_a_note(chat: Conversation) -> None:
    message = "velat painaa ja asun Oulussa. " + "x" * 10_000
    replies = chat.say(message)
    assert any(str(MAX_MESSAGE_CHARS) in t for t in texts(replies))
    assert cards(replies)


def test_a_danger_signal_past_the_cut_is_still_first(chat: Conversation) -> None:
    # Past the routing limit, within what the triage reads.
    message = "velat painaa. " + "bla " * 700 + " haluan kuolla"
    assert MAX_MESSAGE_CHARS < len(message) < MAX_TEXT_CHARS
    assert_safety_first(chat.say(message), "fi", "crisis")


def test_redaction_is_what_the_tracker_keeps(chat: Conversation) -> None:
    chat.say("soittakaa numeroon 040 999 8888, velat painaa")
    kept = str(chat.tracker())
    assert "999 8888" not in kept and redact("040 999 8888") in kept
