"""Shared fixtures: small catalogues built from the real taxonomy and fixture files, and
empty databases (SQLite and PostgreSQL) for the store tests."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from navigator.db import Database

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "catalog" / "fixtures"

MakeCatalog = Callable[[dict[str, bytes]], Path]


@pytest.fixture
def make_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeCatalog:
    """Build a catalogue in a temporary folder: the shipped taxonomy plus the given files.

    Keys are paths below `services/`; the working directory becomes the catalogue root so
    that problems name files as `services/…`.
    """

    def build(files: dict[str, bytes]) -> Path:
        root = tmp_path / "catalog"
        shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
        for name, data in files.items():
            path = root / "services" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (root / "services").mkdir(exist_ok=True)
        monkeypatch.chdir(root)
        return root

    return build


SMALL = REPO / "tests" / "fixtures" / "small"


@pytest.fixture
def small_catalog(make_catalog: MakeCatalog) -> Path:
    """A catalogue of five short real entries, one per provider type but company."""
    return make_catalog({f"{p.stem}/{p.name}": p.read_bytes() for p in SMALL.glob("*.yaml")})


# Databases ----------------------------------------------------------------------------------
# Every store test runs on SQLite (a file in the test's folder) and on a real PostgreSQL
# server: a database made for the test session and dropped at its end, with a fresh schema
# per test. CI's machines run PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).
POSTGRESQL_ADMIN_URL = os.environ.get(
    "NAVIGATOR_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """The URL of a PostgreSQL database made for this test session (dropped at its end)."""
    import sqlalchemy as sa

    name = f"navigator_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRESQL_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        pytest.fail(
            f"the store tests need PostgreSQL at {admin.url!r}: {exc.orig}; start it, or set "
            "NAVIGATOR_TEST_POSTGRESQL_URL to a server where this user may create databases",
            pytrace=False,
        )
    yield (
        sa.engine.make_url(POSTGRESQL_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    import sqlalchemy as sa

    base: str = request.getfixturevalue("postgresql_database")
    schema = f"test_{secrets.token_hex(4)}"
    engine = sa.create_engine(base, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    # Tables, and Alembic's version table, go to the test's own schema.
    yield f"{base}?options=-csearch_path%3D{schema}"
    with engine.connect() as connection:  # a test that left a transaction open fails here
        connection.exec_driver_sql("SET lock_timeout = '10s'")
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An empty database at the newest schema, once on SQLite and once on PostgreSQL."""
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


# The assistant for real ---------------------------------------------------------------------
# One trained model and one running assistant (a real rasa_sdk action server and a real Rasa
# server on free ports, talked to over the REST channel) for every test that needs them: the
# bot tests (tests/bot) and the browser tests (tests/web). The model is trained once per
# checkout into `.rasa/models/` (Rasa keeps it while config, domain and data are unchanged,
# and its cache makes a retrain after a small edit quick).

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
MODELS = REPO / ".rasa" / "models"


@pytest.fixture(scope="session")
def model_path() -> Path:
    import warnings

    from navigator.bot.run import train

    with warnings.catch_warnings():  # Rasa's and TensorFlow's own deprecation warnings
        warnings.simplefilter("ignore")
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
