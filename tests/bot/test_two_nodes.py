"""Two Rasa nodes share one PostgreSQL tracker store and one Redis lock store (issue 7).

One conversation whose messages alternate between the nodes goes through the situation
form and the whole contact form, and the request lands once in the PostgreSQL contact
store: the state lives in the shared stores, not in a node.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from navigator.bot.run import Server, free_port, start_action_server, start_rasa_server
from navigator.contact import ContactStore
from navigator.serve import write_endpoints
from navigator.web.config import WebConfig
from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore")]

REDIS = {"host": "127.0.0.1", "port": 6379}


def _post(url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies: list[dict[str, Any]] = json.loads(response.read())
        return replies


def _check_redis_takes_writes() -> None:
    """Fail at once, naming the cause, if the machine's Redis refuses the lock store's
    writes (it does after a failed snapshot while stop-writes-on-bgsave-error is on)."""
    import redis  # type: ignore[import-untyped]

    client = redis.Redis(**REDIS, socket_timeout=2)
    try:
        client.set(f"navigator-test-probe-{secrets.token_hex(4)}", "1", px=1000)
    except redis.RedisError as exc:
        pytest.fail(f"the Redis at {REDIS} refuses writes: {exc}", pytrace=False)
    finally:
        client.close()


@pytest.fixture(scope="module")
def two_nodes(
    model_path: Path, postgresql_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[Server], str]]:
    """Two Rasa servers and one action server on the shared PostgreSQL and Redis."""
    _check_redis_takes_writes()
    work = tmp_path_factory.mktemp("two-nodes")
    url = sa.engine.make_url(postgresql_database)
    config = WebConfig(
        action_port=free_port(),
        tracker_store={
            "type": "navigator.bot.privacy.RedactingSQLTrackerStore",
            "dialect": "postgresql",
            "url": url.host,
            "port": url.port or 5432,
            "db": url.database,
            "username": url.username,
        },
        lock_store={
            "type": "redis",
            "url": REDIS["host"],
            "port": REDIS["port"],
            "key_prefix": f"navigator-test-{secrets.token_hex(4)}",
            "socket_timeout": 2,
        },
    )
    endpoints = write_endpoints(config, work / "endpoints.yml", REPO / "endpoints.yml")
    env = {
        "NAVIGATOR_DATABASE_URL": postgresql_database,
        "NAVIGATOR_SECRET_KEY": "bmF2aWdhdG9yLXR3by1ub2Rlcy10ZXN0LWtleS0zMmI=",  # any Fernet key
    }
    actions = start_action_server(config.action_port, work / "actions.log", env)
    nodes = [
        start_rasa_server(
            model_path, free_port(), work / f"rasa-{n}.log", endpoints=endpoints, env=env
        )
        for n in (1, 2)
    ]
    try:
        actions.wait_ready("/health")
        for node in nodes:
            node.wait_ready("/status")
        yield nodes, postgresql_database
    finally:
        for node in nodes:
            node.stop()
        actions.stop()


def test_a_conversation_alternating_between_nodes_keeps_its_state(
    two_nodes: tuple[list[Server], str],
) -> None:
    nodes, database_url = two_nodes
    sender = f"two-nodes-{secrets.token_hex(6)}"
    turn = 0

    def say(text: str, metadata: dict[str, Any] | None = None) -> list[str]:
        nonlocal turn
        node = nodes[turn % 2]  # node 1, node 2, node 1, …
        turn += 1
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            replies = _post(node.url + "/webhooks/rest/webhook", body)
        except urllib.error.HTTPError as exc:  # the node's log says which store failed
            pytest.fail(f"turn {turn} on {node.url}: {exc}\n{node.log_tail()}", pytrace=False)
        return [str(r.get("text") or "") for r in replies]

    say("/session_start", {"language": "fi"})
    say("asun Oulussa ja velat painaa")
    say("voiko joku soittaa mulle")
    say("/affirm")  # consent, on the other node than the question
    say("040 123 4567")  # the sealed detail, read back by the same action server
    say("Iltapäivällä")
    summary = say("/deny")  # no free text
    assert any("+358401234567" in t for t in summary), summary
    assert any("raha ja velat" in t.lower() for t in summary), summary
    done = say("/affirm")
    stored = [r for r in ContactStore(database_url).list() if r.address == "+358401234567"]
    assert len(stored) == 1, "stored exactly once"
    assert stored[0].reference in " ".join(done)
    assert stored[0].municipality == "564" and stored[0].preferred_time == "Iltapäivällä"


def test_the_shared_tracker_store_keeps_no_contact_details(
    two_nodes: tuple[list[Server], str],
) -> None:
    _, database_url = two_nodes
    engine = sa.create_engine(database_url, future=True)
    with engine.connect() as connection:
        events = connection.execute(sa.text("SELECT data FROM events")).scalars().all()
    engine.dispose()
    assert events, "the conversation is in PostgreSQL"
    kept = " ".join(events)
    assert "123 4567" not in kept and "401234567" not in kept
