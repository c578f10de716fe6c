"""The chat page itself in headless Chromium: layout, accessibility, rendering.

The assistant's replies are played back from tests/web/recorded/ (real replies, see
record.py) through `page.route`, so these run without Rasa; test_chat_assistant.py runs
the page against the real assistant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route, ViewportSize

from navigator.web import texts
from tests.web.conftest import (
    DESKTOP,
    PHONE,
    ZOOM_200,
    WebApp,
    assert_accessible,
    bot_texts,
    focused,
    no_horizontal_scroll,
    recorded,
    screenshot,
    tab_to,
    turns,
    wait_turns,
)

Reply = Callable[[str, str], list[dict[str, Any]]]


def replay(lang_of_cards: str | None = None) -> Reply:
    """The recorded opening for /session_start, the recorded cards for anything else."""

    def reply(message: str, lang: str) -> list[dict[str, Any]]:
        if message == "/session_start":
            return recorded(f"opening_{lang}")
        return recorded(f"cards_{lang_of_cards or lang}")

    return reply


def fake_assistant(page: Page, reply: Reply) -> list[dict[str, Any]]:
    """Answer the page's /chat/send with `reply`; the bodies the page sent, in order."""
    sent: list[dict[str, Any]] = []

    def handle(route: Route) -> None:
        body: dict[str, Any] = route.request.post_data_json or {}
        sent.append(body)
        answer = reply(body["message"], body["lang"])
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route("**/chat/send", handle)
    return sent


def open_chat(page: Page, web: WebApp, lang: str = "fi") -> None:
    """Open the chat and wait for the opening notice."""
    page.goto(f"{web.url}/?lang={lang}")
    wait_turns(page, 1)


def type_and_send(page: Page, text: str) -> None:
    """Type into the message box with the keyboard, press Enter, wait for the answer."""
    before = turns(page)
    page.focus("#message")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_turns(page, before + 1)


def test_opening_notice_arrives_first_in_the_page_language(page: Page, web_alone: WebApp) -> None:
    sent = fake_assistant(page, replay())
    open_chat(page, web_alone, "sv")
    assert sent == [{"sender": sent[0]["sender"], "message": "/session_start", "lang": "sv"}]
    assert 8 <= len(sent[0]["sender"]) <= 64
    assert bot_texts(page)[0].startswith(texts.UI["sv"]["bot"])
    assert "I nödsituationer, ring 112" in bot_texts(page)[0]
    assert page.locator("#log a").get_attribute("href") == "/privacy"  # its privacy link


def test_cards_render_from_the_payload_without_the_duplicate_text(
    page: Page, web_alone: WebApp
) -> None:
    fake_assistant(page, replay())
    open_chat(page, web_alone)
    type_and_send(page, "olen yksinäinen")
    reply = recorded("cards_fi")
    payloads = [r["custom"] for r in reply if isinstance(r.get("custom"), dict)]
    cards = page.locator("#log article.card")
    assert cards.count() == len(payloads) > 0
    first, data = cards.nth(0), payloads[0]
    assert first.locator("h3").inner_text() == data["name"]
    assert data["level_text"] in first.inner_text()
    assert data["reason"] in first.inner_text()
    assert data["provider"] in first.inner_text()
    hrefs = page.eval_on_selector_all(
        "#log article a", "links => links.map(a => a.getAttribute('href'))"
    )
    expected = [c["href"] for p in payloads for c in p["contacts"] if c["href"]]
    assert hrefs == [h for h in expected if h.startswith(("https:", "tel:", "mailto:"))]
    # The plain text that repeats each card is not shown a second time.
    texts_shown = page.eval_on_selector_all(
        "#log .msg__text", "nodes => nodes.map(n => n.textContent)"
    )
    assert not {p["text"] for p in payloads} & set(texts_shown)
    # The quick replies are real buttons.
    titles = [b["title"] for r in reply for b in r.get("buttons", [])]
    assert page.locator("#quick-replies button").all_inner_texts() == titles


def test_catalogue_and_assistant_text_is_text_and_links_are_allowlisted(
    page: Page, web_alone: WebApp
) -> None:
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    card = {
        "type": "navigator.service",
        "id": "x",
        "name": "<b onmouseover=alert(3)>Palvelu</b>",
        "summary": hostile,
        "provider": "<i>p</i>",
        "level": 2,
        "level_text": "<u>x</u>",
        "role": "crisis\" onclick=\"alert(4)",
        "reason": hostile,
        "alert": hostile,
        "text": "not shown",
        "contacts": [
            {"kind": "web", "label": "a", "value": "js", "href": "javascript:alert(5)",
             "hours_today": None, "open_now": None},
            {"kind": "web", "label": "b", "value": "http", "href": "http://example.org",
             "hours_today": "<b>10</b>", "open_now": True},
            {"kind": "web", "label": "c", "value": "data", "href": " data:text/html,x",
             "hours_today": None, "open_now": None},
            {"kind": "phone", "label": "d", "value": "112", "href": "tel:112",
             "hours_today": None, "open_now": None},
        ],
    }  # fmt: skip
    fake_assistant(
        page,
        lambda message, lang: (
            [
                {"text": hostile, "buttons": [{"title": hostile, "payload": "/x"}]},
                {"custom": card},
                {"image": "https://example.org/x.png"},
            ]
            if message != "/session_start"
            else []
        ),
    )
    open_chat(page, web_alone)
    type_and_send(page, hostile)
    log = page.locator("#log")
    assert log.locator("img, script, b, i, u").count() == 0
    assert log.get_by_text("<img src=x onerror=alert(1)>", exact=False).count() >= 2
    assert page.eval_on_selector_all("#log a", "a => a.map(x => x.getAttribute('href'))") == [
        "tel:112"
    ]
    assert page.locator("#quick-replies button").inner_text() == hostile
    assert log.locator("article").get_attribute("class") == "card card--ladder"


@pytest.mark.parametrize("lang", texts.LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/no-such-page"])
def test_every_page_has_no_serious_axe_violations(
    page: Page, web_alone: WebApp, lang: str, path: str
) -> None:
    fake_assistant(page, replay())
    page.goto(f"{web_alone.url}{path}?lang={lang}")
    if path == "/":
        wait_turns(page, 1)
        type_and_send(page, "x")  # a conversation with cards and quick replies
    assert page.evaluate("document.documentElement.lang") == lang
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "viewport"), [("desktop", DESKTOP), ("360px", PHONE), ("zoom200", ZOOM_200)]
)
@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility"])
def test_reflows_without_sideways_scrolling_and_112_stays_visible(
    page: Page, web_alone: WebApp, name: str, viewport: ViewportSize, path: str
) -> None:
    page.set_viewport_size(viewport)
    fake_assistant(page, replay())
    page.goto(f"{web_alone.url}{path}?lang=fi")
    if path == "/":
        wait_turns(page, 1)
        type_and_send(page, "olen yksinäinen")
    slug = path.strip("/") or "chat"
    screenshot(page, f"{slug}-{name}")
    assert no_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    emergency = page.locator(".emergency a")
    assert emergency.get_attribute("href") == "tel:112"
    box = emergency.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_focus_is_visible_on_every_control(page: Page, web_alone: WebApp) -> None:
    fake_assistant(page, replay())
    open_chat(page, web_alone)
    type_and_send(page, "x")
    page.reload()  # the conversation stays; Tab starts from the top of the page
    page.wait_for_selector("#log article")
    kinds = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"""
        )
        tag, outline, width = style
        if tag == "BODY":
            break
        assert outline != "none" and float(width.removesuffix("px")) >= 2, style
        kinds.add(tag)
    assert {"A", "BUTTON", "TEXTAREA"} <= kinds


def test_skip_link_goes_to_the_content(page: Page, web_alone: WebApp) -> None:
    fake_assistant(page, replay())
    open_chat(page, web_alone)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == texts.UI["fi"]["skip_link"]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    tab_to(page, lambda f: f["id"] == "message")


def test_shift_enter_is_a_new_line_and_enter_sends(page: Page, web_alone: WebApp) -> None:
    sent = fake_assistant(page, replay())
    open_chat(page, web_alone)
    page.focus("#message")
    page.keyboard.type("eka rivi")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("toka rivi")
    assert len(sent) == 1
    page.keyboard.press("Enter")
    wait_turns(page, 2)
    assert sent[-1]["message"] == "eka rivi\ntoka rivi"
    assert page.input_value("#message") == ""
    assert focused(page)["id"] == "message"  # typing keeps the focus in the box
    assert page.locator("#log .msg--user").inner_text().endswith("eka rivi\ntoka rivi")


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_assistant_down_says_so_in_the_page_language_and_keeps_the_text(
    page: Page, web_alone: WebApp, lang: str
) -> None:
    page.goto(f"{web_alone.url}/?lang={lang}")  # nobody answers at its Rasa address
    wait_turns(page, 1)
    message = texts.UI[lang]["unavailable"]
    assert page.locator("#error").inner_text() == message
    assert "112" in message
    page.focus("#message")
    page.keyboard.type("velat painaa")
    page.keyboard.press("Enter")
    wait_turns(page, 3)  # the opening again, then the message
    assert page.input_value("#message") == "velat painaa"
    assert page.locator("#log .msg").count() == 0
    assert page.locator("#error").get_attribute("role") == "alert"
    screenshot(page, f"chat-unavailable-{lang}")
    assert_accessible(page)
