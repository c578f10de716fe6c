"""The resident pages and the chat channel over HTTP (no browser, no Rasa: a fake one)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx
import pytest
from fastapi import FastAPI

from navigator.routing import Router
from navigator.settings import CONTACT_RETENTION_DAYS, CONVERSATION_RETENTION_HOURS
from navigator.web import texts
from navigator.web.resident import MAX_CHAT_CHARS, accepted_language

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

RASA = "http://rasa.test"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def client(tmp_path: Path, router: Router) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from navigator.web.app import create_app
    from navigator.web.config import WebConfig

    config = WebConfig(rasa_url=RASA, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db")
    with TestClient(create_app(config, router=router)) as client:
        yield client


def fake_rasa(client: TestClient, handler: Handler) -> None:
    """Answer the app's calls to Rasa with `handler`."""
    app = cast(FastAPI, client.app)
    app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))


def html_lang(page: str) -> str:
    match = re.search(r'<html lang="(\w+)">', page)
    assert match, "no <html lang>"
    return match.group(1)


# Language --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("", "fi"),
        ("sv-FI,sv;q=0.9,en;q=0.8", "sv"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("en;q=0.4,sv;q=0.6", "sv"),
        ("fi;q=0, de", "fi"),
        ("en;q=bad", "fi"),
        ("*", "fi"),
    ],
)
def test_accept_language_picks_the_best_supported(header: str, lang: str) -> None:
    assert accepted_language(header) == lang


def test_language_from_query_then_cookie_then_header(client: TestClient) -> None:
    assert html_lang(client.get("/", headers={"accept-language": "sv"}).text) == "sv"
    chosen = client.get("/?lang=en", headers={"accept-language": "sv"})
    assert html_lang(chosen.text) == "en"
    assert "lang=en" in chosen.headers["set-cookie"]
    assert "httponly" in chosen.headers["set-cookie"].lower()
    # The cookie now decides over the header; the query decides over the cookie.
    assert html_lang(client.get("/", headers={"accept-language": "sv"}).text) == "en"
    assert html_lang(client.get("/privacy?lang=fi").text) == "fi"


def test_an_unknown_language_is_ignored(client: TestClient) -> None:
    response = client.get("/?lang=de")
    assert html_lang(response.text) == "fi"
    assert "set-cookie" not in response.headers


# Pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_chat_page_has_the_emergency_line_notice_and_footer(client: TestClient, lang: str) -> None:
    page = client.get(f"/?lang={lang}").text
    ui = texts.UI[lang]
    assert f'<a href="tel:112">{ui["emergency"]}</a>' in page
    assert ui["start_notice"] in page
    assert 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="message">' in page
    assert f">{ui['send']}</button>" in page and f">{ui['clear']}</button>" in page
    assert 'href="/privacy"' in page and 'href="/accessibility"' in page
    assert "<script>" not in page and "style=" not in page  # the CSP allows neither


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/privacy", "/accessibility", "/nowhere"):
        page = client.get(path).text
        assets = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', page)
        assert assets and all(a.startswith("/static/") for a in assets), (path, assets)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_privacy_notice_says_what_the_code_does(
    client: TestClient, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for fact in texts.OPERATOR_FACTS.values():
        monkeypatch.delenv(fact.variable, raising=False)
    page = client.get(f"/privacy?lang={lang}").text
    assert str(CONVERSATION_RETENTION_HOURS) in page and str(CONTACT_RETENTION_DAYS) in page
    assert texts.CONTROLLER[lang] in page and 'href="https://pohde.fi"' in page
    assert texts.OMBUDSMAN_WEB[lang] in page
    assert "sessionStorage" in page
    # Facts the repository does not know are visibly marked, not made up.
    assert page.count('<mark class="to-be-filled">') == 2
    assert texts.UI[lang]["to_be_filled_note"] in page


def test_operator_facts_come_from_the_environment(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_DPO_CONTACT", "tietosuoja@example.fi")
    monkeypatch.setenv("NAVIGATOR_DATA_REQUESTS_CONTACT", "kirjaamo@example.fi")
    monkeypatch.setenv("NAVIGATOR_ACCESSIBILITY_EMAIL", "saavutettavuus@example.fi")
    assert "to-be-filled" not in client.get("/privacy").text
    page = client.get("/accessibility").text
    assert '<a href="mailto:saavutettavuus@example.fi">saavutettavuus@example.fi</a>' in page
    assert "to-be-filled" not in page


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_accessibility_statement_is_honest(client: TestClient, lang: str) -> None:
    page = client.get(f"/accessibility?lang={lang}").text
    assert "306/2019" in page and "WCAG 2.1" in page and "Traficom" in page
    assert texts.statement_date(lang) in page
    assert texts.SUPERVISOR_WEB[lang] in page
    assert {"fi": "osittain", "sv": "delvis", "en": "partially"}[lang] in page
    assert "axe-core" in page


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_unknown_address_gets_a_page_in_the_language(client: TestClient, lang: str) -> None:
    response = client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert html_lang(response.text) == lang
    assert texts.UI[lang]["not_found_title"] in response.text
    assert texts.UI[lang]["emergency"] in response.text


def test_wrong_method_on_a_page_is_405_page(client: TestClient) -> None:
    response = client.post("/privacy")
    assert response.status_code == 405
    assert texts.UI["fi"]["not_allowed_title"] in response.text


# The chat channel ------------------------------------------------------------------------------

GOOD = {"sender": "0123456789abcdef", "message": "olen yksinäinen", "lang": "sv"}


def test_chat_forwards_to_rasa_and_returns_its_messages(client: TestClient) -> None:
    seen: list[httpx.Request] = []
    answer = [{"recipient_id": GOOD["sender"], "text": "Hej", "buttons": [{"title": "Ja"}]}]

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    fake_rasa(client, rasa)
    response = client.post("/chat/send", json=GOOD)
    assert response.status_code == 200
    assert response.json() == answer
    assert str(seen[0].url) == f"{RASA}/webhooks/rest/webhook"
    assert json.loads(seen[0].content) == {
        "sender": GOOD["sender"],
        "message": GOOD["message"],
        "metadata": {"language": "sv"},
    }


def test_a_long_message_goes_to_the_assistant_which_cuts_it(client: TestClient) -> None:
    fake_rasa(client, lambda request: httpx.Response(200, json=[]))
    response = client.post("/chat/send", json={**GOOD, "message": "x" * MAX_CHAT_CHARS})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"sender": "short"}, "sender"),
        ({"sender": "a" * 65}, "sender"),
        ({"sender": "../../etc/passwd"}, "sender"),
        ({"sender": 12345678}, "sender"),
        ({"message": None}, "message"),
        ({"message": "x" * (MAX_CHAT_CHARS + 1)}, "message"),
        ({"lang": "de"}, "lang"),
        ({"lang": None}, "lang"),
    ],
)
def test_bad_chat_input_is_422_in_the_api_shape(
    client: TestClient, change: dict[str, object], problem: str
) -> None:
    fake_rasa(client, lambda request: pytest.fail("nothing should reach Rasa"))
    response = client.post("/chat/send", json={**GOOD, **change})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith(problem)


def test_chat_body_must_be_a_json_object(client: TestClient) -> None:
    assert client.post("/chat/send", json=["x"]).status_code == 422
    broken = client.post(
        "/chat/send", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "invalid"
    form = client.post("/chat/send", data={"message": "hei"})
    assert form.status_code == 415
    assert form.json()["error"]["code"] == "unsupported_media_type"


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("slow", request=request)


@pytest.mark.parametrize(
    "rasa",
    [
        _refused,
        _timeout,
        lambda request: httpx.Response(500, text="boom"),
        lambda request: httpx.Response(200, text="<html>"),
        lambda request: httpx.Response(200, json={"not": "a list"}),
    ],
)
def test_assistant_down_is_503_and_the_message_is_not_logged(
    client: TestClient, rasa: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    fake_rasa(client, rasa)
    secret = "minun salaisuuteni 040 123 4567"
    with caplog.at_level(logging.DEBUG):
        response = client.post("/chat/send", json={**GOOD, "message": secret})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert caplog.records, "the failure is logged"
    assert secret not in caplog.text and "salaisuuteni" not in caplog.text


@pytest.mark.parametrize(
    ("message", "lang", "first", "services"),
    [
        (
            "en halua enää elää",
            "fi",
            "Jos olet vaarassa nyt, soita 112.",
            ["mieli-crisis-line", "sekasin-chat", "pohde-social-crisis-emergency"],
        ),
        (
            "jag vill ta livet av mig",
            "sv",
            "Om du är i fara nu, ring 112.",
            ["mieli-crisis-line", "sekasin-chat", "pohde-social-crisis-emergency"],
        ),
        (
            "I am going to kill myself tonight",
            "en",
            "If you are in danger now, call 112.",
            ["emergency-112", "mieli-crisis-line", "sekasin-chat", "pohde-social-crisis-emergency"],
        ),
    ],
)
def test_danger_gets_112_and_crisis_help_even_with_the_assistant_down(
    client: TestClient, message: str, lang: str, first: str, services: list[str]
) -> None:
    fake_rasa(client, _refused)
    response = client.post("/chat/send", json={**GOOD, "message": message, "lang": lang})
    assert response.status_code == 200
    messages = response.json()
    assert messages[:2] == [{"text": first}, {"text": texts.UI[lang]["degraded"]}]
    cards = [m["custom"] for m in messages if "custom" in m]
    assert [card["id"] for card in cards] == services  # the safety services only, in order
    assert all(card["contacts"] for card in cards)


def test_an_ordinary_message_with_the_assistant_down_is_still_503(client: TestClient) -> None:
    fake_rasa(client, _refused)
    response = client.post("/chat/send", json={**GOOD, "message": "velat kasvaa", "lang": "fi"})
    assert response.status_code == 503
