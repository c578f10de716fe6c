"""No message text at INFO level (or above) in any log: what a resident writes is routed and
passed to the assistant without a line of it reaching the logs, including when the
assistant is down and the web app routes a danger signal itself."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx
import pytest

from navigator.routing import default_router, route

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

# A message with a danger signal (so that triage and the safety answer run), a need, and
# personal data; each word below is one that no log line has any other reason to hold.
MESSAGE = "Velat painaa ja haluan kuolla, asun Isokatu 3 B 14, soita 0401234567"
WORDS = ("Velat", "painaa", "kuolla", "Isokatu", "0401234567")
SENDER = "logtest-12345678"
Handler = Callable[[httpx.Request], httpx.Response]


def assert_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """No record at INFO or above holds the message or any of its words."""
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            line = record.getMessage()
            assert MESSAGE not in line
            assert not [word for word in WORDS if word.lower() in line.lower()], line


def test_routing_logs_no_message_text(caplog: pytest.LogCaptureFixture) -> None:
    default_router()  # the catalogue loads (and may log) before the message is sent
    with caplog.at_level(logging.DEBUG):
        answer = route(MESSAGE, lang="fi")
    assert answer.safety.value != "none"  # the triage saw the message
    assert_not_logged(caplog)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from navigator.web.app import create_app
    from navigator.web.config import WebConfig

    config = WebConfig(
        rasa_url="http://rasa.test", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db"
    )
    app = create_app(config, router=default_router(), watch=False)
    with TestClient(app) as client:
        yield client


def fake_rasa(client: TestClient, handler: Handler) -> None:
    """Answer the app's calls to Rasa with `handler` (as tests/web/test_resident.py does)."""
    from fastapi import FastAPI

    transport = httpx.MockTransport(handler)
    cast(FastAPI, client.app).state.http = httpx.AsyncClient(transport=transport)


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"recipient_id": SENDER, "text": "Kerro lisää."}])


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize("rasa", [_answer, _down], ids=["assistant answers", "assistant down"])
def test_the_chat_endpoint_logs_no_message_text(
    client: TestClient, rasa: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    fake_rasa(client, rasa)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/chat/send", json={"sender": SENDER, "message": MESSAGE, "lang": "fi"}
        )
    assert response.status_code == 200
    assert_not_logged(caplog)


def test_the_route_api_logs_no_message_text(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.post("/api/v1/route", json={"text": MESSAGE, "lang": "fi"})
    assert response.status_code == 200
    assert_not_logged(caplog)
