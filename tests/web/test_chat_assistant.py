"""The chat page against the whole product: headless Chromium, the web app, the real Rasa
server and action server, the library and the contact store.

The main test uses the keyboard only: Tab, typing, Enter, Shift+Tab; nothing is clicked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright

from navigator.contact import ContactStore
from navigator.routing import SAFETY_MESSAGE
from navigator.web import texts
from tests.conftest import Assistant
from tests.web.conftest import (
    WebApp,
    assert_accessible,
    bot_texts,
    focused,
    fresh_profile,
    launch_options,
    prepare,
    screenshot,
    tab_to,
    turns,
    wait_turns,
)

# Rasa warns at run time (training and its imports share the session); these tests only
# drive a browser and talk HTTP.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore")]

REFERENCE = re.compile(r"NAV-[A-Z0-9]{4}-[A-Z0-9]{4}")
CRISIS = {
    "fi": "haluan tappaa itseni",
    "sv": "jag vill ta livet av mig",
    "en": "I want to kill myself",
}


def open_chat(page: Page, web: WebApp, lang: str = "fi") -> None:
    """Open the chat and wait for the assistant's opening notice."""
    page.goto(f"{web.url}/?lang={lang}")
    wait_turns(page, 1)
    assert page.locator("#error").inner_text() == "", "the assistant did not answer"


def send_typed(page: Page, text: str) -> list[str]:
    """Type in the focused message box, press Enter; the assistant's new messages."""
    assert focused(page)["id"] == "message"
    before, shown = turns(page), len(bot_texts(page))
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_turns(page, before + 1)
    assert page.locator("#error").inner_text() == ""
    return bot_texts(page)[shown:]


def press_reply(page: Page, title: str) -> list[str]:
    """Reach the quick reply `title` with Shift+Tab from the box, press Enter."""
    before, shown = turns(page), len(bot_texts(page))

    def wanted(f: dict[str, Any]) -> bool:
        return "quick-reply" in str(f["cls"]) and f["text"] == title

    if not wanted(focused(page)):  # after a quick reply, focus is on the next options
        if focused(page)["id"] != "message":
            tab_to(page, lambda f: f["id"] == "message")
        tab_to(page, wanted, backwards=True)
    page.keyboard.press("Enter")
    wait_turns(page, before + 1)
    assert page.locator("#error").inner_text() == ""
    return bot_texts(page)[shown:]


def replies(page: Page) -> list[str]:
    """The quick replies on offer."""
    return page.locator("#quick-replies button").all_inner_texts()


def to_message_box(page: Page) -> None:
    """Tab (forwards) to the message box."""
    tab_to(page, lambda f: f["id"] == "message")


def test_keyboard_only_conversation_to_a_card_and_a_contact_request(
    page: Page, web: WebApp, assistant: Assistant
) -> None:
    open_chat(page, web, "fi")
    assert bot_texts(page)[0].splitlines()[-1].startswith("Hätätilanteessa soita 112")
    page.focus("body")
    to_message_box(page)
    said = send_typed(page, "olen tosi yksinäinen ja masentunut, asun Oulussa")
    # The assistant may ask what else changes the answer (age, what it is about): answer
    # each with the keyboard, as a resident would, until services are shown.
    for _ in range(3):
        if page.locator("#log article.card").count():
            break
        assert replies(page), f"no question and no services: {said}"
        said = press_reply(page, replies(page)[0])
    cards = page.locator("#log article.card")
    assert cards.count() >= 1
    card = cards.first
    assert card.locator("h3").inner_text()
    assert card.locator(".card__level").inner_text()
    assert card.locator("dd").count() >= 1  # provider and why
    assert card.locator("a[href^='tel:'], a[href^='https:']").count() >= 1
    screenshot(page, "conversation-cards")
    assert_accessible(page)

    # One contact: ask for it, consent, number, time, own words, confirm.
    press_reply(page, "Puhu ihmisen kanssa")
    press_reply(page, "Kyllä, saa välittää")
    to_message_box(page)
    send_typed(page, "040 123 4567")
    press_reply(page, "Iltapäivällä")
    summary = press_reply(page, "Ei")  # own words stay out
    assert any("+358401234567" in text for text in summary), summary
    done = press_reply(page, "Lähetä")
    shown = REFERENCE.search(" ".join(done))
    assert shown, f"no reference number: {done}"
    stored = ContactStore(assistant.database_url).get(shown.group(0))
    assert stored is not None and stored.address == "+358401234567"
    assert stored.preferred_time == "Iltapäivällä" and stored.free_text is None
    screenshot(page, "conversation-contact-sent")
    assert_accessible(page)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_danger_gets_112_and_crisis_help_first(page: Page, web: WebApp, lang: str) -> None:
    open_chat(page, web, lang)
    page.focus("#message")
    said = send_typed(page, CRISIS[lang])
    assert said[0].endswith(SAFETY_MESSAGE[lang]), said
    first_card = page.locator("#log article.card").first
    assert "card--crisis" in (first_card.get_attribute("class") or "") or "card--emergency" in (
        first_card.get_attribute("class") or ""
    )
    assert first_card.locator("a[href^='tel:']").count() >= 1
    assert page.locator(".emergency a").inner_text() == texts.UI[lang]["emergency"]
    screenshot(page, f"safety-{lang}")


def test_html_in_a_message_is_shown_as_text(page: Page, web: WebApp) -> None:
    open_chat(page, web)
    page.focus("#message")
    send_typed(page, "<img src=x onerror=alert(1)>")
    log = page.locator("#log")
    assert log.locator("img").count() == 0
    assert log.locator(".msg--user").last.inner_text().endswith("<img src=x onerror=alert(1)>")
    # The page fixture fails the test if any alert() ran.


def test_switching_language_keeps_the_transcript_and_the_assistant_follows(
    page: Page, web: WebApp
) -> None:
    open_chat(page, web, "fi")
    page.focus("#message")
    send_typed(page, "velat painaa enkä saa nukuttua")
    finnish = [text.split("\n", 1)[1] for text in bot_texts(page)]  # without "Opas"
    tab_to(page, lambda f: f["text"] == texts.LANGUAGE_NAMES["sv"], backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/?lang=sv")
    wait_turns(page, 1)  # the page tells the assistant
    assert page.evaluate("document.documentElement.lang") == "sv"
    now = [text.split("\n", 1)[1] for text in bot_texts(page)]
    assert now[: len(finnish)] == finnish  # the Finnish part is still there
    assert any("på svenska" in text for text in now[len(finnish) :]), now
    page.focus("#message")
    said = send_typed(page, "jag bor i Uleåborg")
    assert said and not any("Hätätilanteessa" in text for text in said)
    assert page.locator(".emergency a").inner_text() == "Ring 112 i nödsituationer"


def test_clear_starts_a_new_conversation(page: Page, web: WebApp) -> None:
    open_chat(page, web)
    page.focus("#message")
    send_typed(page, "olen yksinäinen")
    old = page.evaluate("JSON.parse(sessionStorage.getItem('navigator.chat')).sender")
    before = turns(page)
    tab_to(page, lambda f: f["id"] == "clear")
    page.keyboard.press("Enter")  # confirm() is accepted by the page fixture
    wait_turns(page, before + 1)
    assert page.locator("#log .msg--user").count() == 0
    assert page.locator("#log .msg--bot").count() == 1  # a new opening notice
    new = page.evaluate("JSON.parse(sessionStorage.getItem('navigator.chat')).sender")
    assert new != old
    assert focused(page)["id"] == "message"


def test_reload_keeps_the_transcript_but_a_closed_browser_forgets_it(
    playwright: Playwright, web: WebApp, tmp_path: Path
) -> None:
    profile = fresh_profile(tmp_path / "profile")
    # One profile directory for both runs: closing the browser must still forget it.
    for run in ("first", "second"):
        context = prepare(playwright.chromium.launch_persistent_context(
            str(profile), **launch_options(viewport={"width": 1280, "height": 900})
        ))  # fmt: skip
        page = context.pages[0] if context.pages else context.new_page()
        try:
            open_chat(page, web)
            if run == "first":
                page.focus("#message")
                send_typed(page, "olen yksinäinen")
                shown = page.locator("#log .msg").count()
                page.reload()
                wait_turns(page, 0)
                page.wait_for_selector("#log .msg--user")
                assert page.locator("#log .msg").count() == shown
                assert page.locator("#log .msg--user").inner_text().endswith("olen yksinäinen")
            else:
                assert page.locator("#log .msg--user").count() == 0
                assert page.locator("#log .msg--bot").count() == 1
        finally:
            context.close()
