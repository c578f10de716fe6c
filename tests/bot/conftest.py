"""The assistant for real: one trained model for every bot test, a real rasa_sdk action
server and a real Rasa server on free ports, talked to over the REST channel.

The model is trained once per checkout into `.rasa/models/` (Rasa keeps it while config,
domain and data are unchanged, and its cache makes a retrain after a small edit quick).
"""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
MODELS = REPO / ".rasa" / "models"


@pytest.fixture(scope="session")
def model_path() -> Path:
    from navigator.bot.run import train

    return train(MODELS)


@dataclass
class Assistant:
    """A running assistant: the Rasa server's URL and the contact database the actions use."""

    url: str
    database_url: str

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return json.loads(response.read())

    def conversation(self, language: str | None = None) -> Conversation:
        """A new conversation; with a language, opened as the chat page opens one."""
        chat = Conversation(self, f"test-{uuid.uuid4().hex[:12]}")
        if language:
            chat.opening = chat.say("/session_start", metadata={"language": language})
        return chat


@dataclass
class Conversation:
    assistant: Assistant
    sender: str
    opening: list[dict[str, Any]] | None = None

    def say(self, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send one message through the REST channel; the bot's replies, in order."""
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        replies: list[dict[str, Any]] = self.assistant.post("/webhooks/rest/webhook", body)
        return replies

    def tracker(self) -> dict[str, Any]:
        """The conversation as the tracker store keeps it."""
        tracker: dict[str, Any] = self.assistant.get(f"/conversations/{self.sender}/tracker")
        return tracker


@pytest.fixture(scope="session")
def assistant(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    from navigator.bot.run import endpoints_for, free_port, start_action_server, start_rasa_server

    work = tmp_path_factory.mktemp("assistant")
    database_url = f"sqlite:///{work / 'contacts.db'}"
    env = {"NAVIGATOR_DATABASE_URL": database_url}
    action_port, rasa_port = free_port(), free_port()
    actions = start_action_server(action_port, work / "actions.log", env)
    endpoints = endpoints_for(action_port, work / "endpoints.yml")
    rasa = start_rasa_server(model_path, rasa_port, work / "rasa.log", endpoints=endpoints, env=env)
    try:
        actions.wait_ready("/health")
        rasa.wait_ready("/status")
        yield Assistant(rasa.url, database_url)
    finally:
        rasa.stop()
        actions.stop()
