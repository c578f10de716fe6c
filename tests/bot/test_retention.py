"""`navigator conversations purge`: conversations past the retention leave Rasa's SQL tracker
store whole, on SQLite and PostgreSQL. The store is Rasa's own `SQLTrackerStore`, so the
table is the one Rasa makes and the rows the ones it writes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from navigator.bot.retention import RetentionError, purge_conversations
from navigator.cli import cli
from navigator.settings import CONVERSATION_RETENTION_HOURS

pytestmark = pytest.mark.filterwarnings("ignore")  # Rasa's and TensorFlow's own warnings

HOUR = 3600.0


@pytest.fixture
def store(database_url: str) -> Iterator[Any]:
    """Rasa's SQL tracker store on an empty database (it makes its `events` table)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    tracker_store = SQLTrackerStore(Domain.empty(), host=database_url)
    yield tracker_store
    tracker_store.engine.dispose()


def save(store: Any, sender_id: str, *hours_ago: float) -> None:
    """A conversation with one message at each of these times."""
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    now = time.time()
    events = [UserUttered(f"viesti {n}", timestamp=now - h * HOUR) for n, h in enumerate(hours_ago)]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))


def kept(store: Any, sender_id: str) -> int:
    """How many events of the conversation the store still has."""
    tracker = asyncio.run(store.retrieve_full_tracker(sender_id))
    return 0 if tracker is None else len(tracker.events)


def test_a_conversation_goes_whole_when_its_last_message_is_old(
    store: Any, database_url: str
) -> None:
    save(store, "old", 50, 49, 48)
    save(store, "returned", 50, 1)  # started long ago, still going: kept whole
    save(store, "recent", 2)
    purged = purge_conversations(database_url, 24)
    assert (purged.conversations, purged.events) == (1, 3)
    assert (kept(store, "old"), kept(store, "returned"), kept(store, "recent")) == (0, 2, 1)
    # Nothing more to do the second time.
    assert purge_conversations(database_url, 24).conversations == 0


def test_the_command_uses_the_retention_or_older_than(store: Any, database_url: str) -> None:
    save(store, "a", CONVERSATION_RETENTION_HOURS + 1)
    save(store, "b", 3)
    runner = CliRunner()
    result = runner.invoke(cli, ["conversations", "purge", "--tracker-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "deleted 1 conversations (1 events) whose last message was more than "
        f"{CONVERSATION_RETENTION_HOURS} hours ago\n"
    )
    result = runner.invoke(
        cli,
        ["conversations", "purge", "--older-than", "2"],
        env={"NAVIGATOR_TRACKER_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("deleted 1 conversations (1 events)")
    assert (kept(store, "a"), kept(store, "b")) == (0, 0)


def test_a_database_that_is_not_a_tracker_store_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, future=True)
    with engine.begin() as connection:  # an empty database (an SQLite file that exists)
        connection.exec_driver_sql("CREATE TABLE other (id INTEGER)")
    engine.dispose()
    with pytest.raises(RetentionError, match="has no table 'events'"):
        purge_conversations(database_url, 24)
    with pytest.raises(RetentionError, match="no such SQLite file"):
        purge_conversations(f"sqlite:///{tmp_path / 'missing.db'}", 24)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(RetentionError, match="is not a database URL"):
        purge_conversations("not a url", 24)
