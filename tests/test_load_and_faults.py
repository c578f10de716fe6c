"""A short load and fault run on a two-node production set (issue 7).

The set is benchmarks.cluster's: a private PostgreSQL and Redis (so the faults can kill
them) and two `navigator serve --config` nodes. Residents talk to both nodes' web apps
through benchmarks.load's balancer while the set is loaded, then while Redis, PostgreSQL
and one node's Rasa server are killed and started again. The longer runs whose figures
are published are `python -m benchmarks.load rate|soak|faults` (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.cluster import Cluster
from benchmarks.load import (
    Balancer,
    Crowd,
    Turn,
    check_replies,
    confirmed_references,
    fault_run,
    stored_references,
    summary,
)


@pytest.fixture(scope="module")
def cluster(model_path: Path) -> Iterator[Cluster]:
    del model_path  # trained: the nodes start with the newest model as it is
    with Cluster(2) as running:
        yield running


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
def test_two_nodes_under_load_lose_and_duplicate_no_reply(cluster: Cluster) -> None:
    # 40 residents with 2 s think time: about 15-20 messages a second for 20 s, one in
    # ten going through the whole contact flow.
    crowd = Crowd(Balancer([node.url for node in cluster.members]), think_s=2.0)
    crowd.contact_share = 0.1
    started = time.monotonic()
    asyncio.run(crowd.run(40, 20.0))
    # The crowd's clock starts a moment after `started`, so a turn or two may be sent
    # after the 20 s window: the rate is the window's, the replies are every turn's.
    figures = summary(crowd.turns, started, started + 20.0)
    assert figures["messages"] >= 200, figures
    every_turn = summary(crowd.turns, started, float("inf"))
    assert every_turn["ok"] == every_turn["messages"] == len(crowd.turns), every_turn
    assert {t.node for t in crowd.turns} == {0, 1}, "both nodes answered"
    replies = check_replies(crowd.turns, cluster.postgres.url("navigator_conversations"))
    assert replies["lost"] == 0 and replies["duplicated"] == 0, replies
    assert replies["checked_replies"] == len(crowd.turns), replies
    confirmed = confirmed_references(crowd.turns)
    assert confirmed, "some residents confirmed a contact request"
    assert confirmed <= stored_references(cluster.postgres.url())


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
def test_killed_redis_postgresql_and_rasa_node_lose_no_confirmed_request(
    cluster: Cluster,
) -> None:
    result = fault_run(cluster, residents=20, phase_s=8.0)
    phases = result["phases"]
    for name, figures in phases.items():
        # Down or not, a resident hears something within 2 s: a reply or "try again".
        assert figures["errors"] == 0, (name, figures)
        assert figures["not_ok_slower_than_2s"] == 0, (name, figures)
    for name in ("before", "after_redis", "after_postgresql", "after_rasa_node_1"):
        assert phases[name]["ok"] > 0, (name, phases[name])
    # While Redis or PostgreSQL is down no node can answer; with one Rasa node down, the
    # other does (the balancer skips the node that is gone).
    assert phases["redis_down"]["try_again"] > 0, phases["redis_down"]
    assert phases["postgresql_down"]["try_again"] > 0, phases["postgresql_down"]
    assert phases["rasa_node_1_down"]["ok"] > 0, phases["rasa_node_1_down"]
    assert result["lost"] == 0 and result["duplicated"] == 0, result
    assert result["confirmed_requests"] > 0, result
    assert result["confirmed_not_stored"] == 0, result
    # Residents told to try again sent the message again: conversations under way when a
    # part went down went on after it was back.
    assert all(n > 0 for n in result["conversations_going_on_after"].values()), result


def _tracker_database(path: Path, events: list[Event]) -> str:
    """An `events` table as Rasa's SQL tracker store keeps it, with these events."""
    import json

    import sqlalchemy as sa

    url = f"sqlite:///{path}"
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, data TEXT)"
            )
        )
        for sender, event in events:
            connection.execute(
                sa.text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, :t, :d)"),
                {"s": sender, "t": event["event"], "d": json.dumps(event)},
            )
    engine.dispose()
    return url


def _turn(text: str, *replies: dict[str, object], outcome: str = "ok") -> Turn:
    return Turn("resident-1", text, 0.0, outcome=outcome, replies=list(replies))


Event = tuple[str, dict[str, object]]
CARD: dict[str, object] = {
    "event": "bot",
    "text": "Velkalinja",
    "data": {"custom": {"id": "velkalinja"}},
}
HELD: list[Event] = [
    ("resident-1", {"event": "bot", "text": "Hätätilanteessa soita 112."}),
    ("resident-1", {"event": "user", "text": "velat painaa"}),
    ("resident-1", CARD),
    ("resident-1", {"event": "user", "text": "[yhteystieto]"}),
    ("resident-1", {"event": "bot", "text": "Milloin?"}),
]
SENT = [
    _turn(
        "velat painaa",
        {"text": "Hätätilanteessa soita 112."},
        {"text": "Velkalinja"},
        {"custom": {"id": "velkalinja"}},
    ),
    _turn("040 123 4567", {"text": "Milloin?"}),
]


def test_the_reply_check_finds_nothing_wrong_when_all_is_held(tmp_path: Path) -> None:
    url = _tracker_database(tmp_path / "t.db", HELD)
    assert check_replies(SENT, url) == {"checked_replies": 2, "lost": 0, "duplicated": 0}


def test_the_reply_check_counts_a_reply_the_tracker_does_not_hold(tmp_path: Path) -> None:
    url = _tracker_database(tmp_path / "t.db", HELD[:3])  # the second turn never saved
    assert check_replies(SENT, url) == {"checked_replies": 2, "lost": 1, "duplicated": 0}
    other = [SENT[0], _turn("040 123 4567", {"text": "Milloin tänään?"})]
    url = _tracker_database(tmp_path / "u.db", HELD)
    assert check_replies(other, url)["lost"] == 1


def test_the_reply_check_counts_a_message_handled_twice(tmp_path: Path) -> None:
    twice = [*HELD, HELD[3], HELD[4]]
    url = _tracker_database(tmp_path / "t.db", twice)
    assert check_replies(SENT, url) == {"checked_replies": 2, "lost": 0, "duplicated": 1}


def test_the_reply_check_follows_a_resident_who_was_told_to_try_again(tmp_path: Path) -> None:
    url = _tracker_database(tmp_path / "t.db", HELD)
    failed = _turn("040 123 4567", outcome="try_again")
    assert check_replies([SENT[0], failed, failed, SENT[1]], url)["lost"] == 0
    # A failed attempt that was handled all the same is held before the one answered.
    handled_twice = [*HELD[:4], HELD[3], HELD[4]]
    url = _tracker_database(tmp_path / "u.db", handled_twice)
    result = check_replies([SENT[0], failed, SENT[1]], url)
    assert result == {"checked_replies": 2, "lost": 0, "duplicated": 0}
