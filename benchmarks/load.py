"""Load and faults on a production set (issue 7): residents with think time, as JSON.

    python -m benchmarks.load rate --nodes 1        # highest sustained rate, one node
    python -m benchmarks.load rate --nodes 2        # the same on two nodes
    python -m benchmarks.load soak --residents 200 --seconds 120
    python -m benchmarks.load faults                # kill Redis, PostgreSQL, a Rasa node

Each run starts its own production set on this machine (benchmarks.cluster: a private
PostgreSQL and Redis, N `navigator serve --config` nodes) and talks to the nodes' web apps
as the chat page does (POST /chat/send), through `Balancer`, which does what a load
balancer in front of the nodes does: round robin, and a node that refuses connections is
skipped (nginx's `proxy_next_upstream error`).

A resident sends a message, waits for the reply, reads and types for a think time
(uniform, mean THINK_S), and sends the next one; after the last turn of a conversation a
new resident (a new sender) starts. R messages per second are offered by R x THINK_S
residents. Every turn is recorded; afterwards every conversation is compared with what
the shared tracker store in PostgreSQL holds: a reply the resident got that the tracker
does not hold, or a message or reply held twice, is counted as lost or duplicated.

Outcomes per turn: `ok` (200 with the assistant's replies), `try_again` (the web app's
503 "the assistant is not answering; try again in a moment", which the chat page shows
as a friendly line), `dropped` (the node went away while the request was on it: the page
shows the same line), `error` (anything else: a 5xx other than that 503, no node
answering, no answer within TIMEOUT_S).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa

from benchmarks.cluster import Cluster
from benchmarks.common import machine, percentile, print_json
from navigator.privacy import redact

THINK_S = 5.0
TIMEOUT_S = 10.0
P95_TARGET_MS = 300.0
HOLDS_ACHIEVED_SHARE = 0.95
FRIENDLY_WITHIN_S = 2.0
REFERENCE = re.compile(r"NAV-[0-9A-Z]{4}-[0-9A-Z]{4}")

#: Conversations as residents write them (fi, sv, en); the same as benchmarks.bot_latency.
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("fi", "moi|velat painaa enkä saa nukuttua|asun Kempeleessä|kiitos"),
    ("fi", "hei|äiti on muistisairas enkä jaksa hoitaa häntä yksin|Oulussa|/ask_more_options"),
    ("fi", "poika ei käy koulua ja on koko ajan huoneessaan|hän on 15|kiitos"),
    ("fi", "onko tämä botti?|mitä tiedoistani tallennetaan?|olen yksinäinen ja vanha|kiitos"),
    ("sv", "hej|jag har stora skulder och kan inte sova|jag bor i Oulu|tack"),
    ("en", "hi|I feel lonely and I am old|I live in Raahe|thanks"),
)
#: The one-contact flow, ending with a confirmed request (its reference in the reply).
CONTACT_SCRIPT = (
    "fi",
    "asun Oulussa ja velat painaa|voiko joku soittaa mulle|/affirm|040 123 4567"
    "|Iltapäivällä|/deny|/affirm",
)


@dataclass
class Turn:
    """One message and what came back."""

    sender: str
    text: str
    sent: float  # time.monotonic()
    seconds: float = 0.0
    outcome: str = "error"
    status: int = 0
    node: int = -1
    replies: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""  # what went wrong: an HTTP status or an exception's name


class Balancer:
    """Round robin over the nodes' web apps; a node refusing connections is skipped."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self._next = 0

    async def send(
        self, session: aiohttp.ClientSession, body: dict[str, Any]
    ) -> tuple[int, int, Any]:
        """(node index, HTTP status, JSON body); status 0 when no node answered."""
        start = self._next
        self._next += 1
        for step in range(len(self.urls)):  # this node, then each of the others once
            index = (start + step) % len(self.urls)
            try:
                async with session.post(self.urls[index] + "/chat/send", json=body) as response:
                    return index, response.status, await response.json(content_type=None)
            except aiohttp.ClientConnectorError:
                continue  # nothing was sent: the next node may take it
        return -1, 0, None


async def send_turn(
    session: aiohttp.ClientSession, balancer: Balancer, sender: str, lang: str, text: str
) -> Turn:
    turn = Turn(sender, text, time.monotonic())
    try:
        body = {"sender": sender, "message": text, "lang": lang}
        turn.node, turn.status, data = await asyncio.wait_for(
            balancer.send(session, body), TIMEOUT_S
        )
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
        turn.outcome = "dropped"  # the node went away with the request: the page says try again
        turn.detail, data = type(exc).__name__, None
    except (asyncio.TimeoutError, aiohttp.ClientError, ValueError) as exc:
        turn.detail, data = type(exc).__name__, None
    turn.seconds = time.monotonic() - turn.sent
    if turn.status == 200 and isinstance(data, list) and data:
        turn.outcome, turn.replies = "ok", data
    elif turn.status == 503 and isinstance(data, dict) and "try again" in str(data):
        turn.outcome = "try_again"
    elif turn.outcome == "error" and not turn.detail:
        turn.detail = f"HTTP {turn.status}" if turn.status else "no node answered"
    return turn


@dataclass
class Crowd:
    """Residents talking to the nodes until `stop` is set; every turn in `turns`."""

    balancer: Balancer
    think_s: float = THINK_S
    contact_share: float = 0.0
    retry: bool = False  # send a message again after "try again" (the fault runs)
    seed: int = 7
    turns: list[Turn] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    _count: int = 0

    def _script(self, rng: random.Random) -> tuple[str, list[str]]:
        lang, text = CONTACT_SCRIPT if rng.random() < self.contact_share else rng.choice(SCRIPTS)
        return lang, text.split("|")

    async def resident(self, session: aiohttp.ClientSession, number: int, delay: float) -> None:
        rng = random.Random(self.seed * 100_003 + number)
        await asyncio.sleep(delay)
        while not self.stop.is_set():
            self._count += 1
            sender = f"load-{self.seed}-{number}-{self._count}"
            lang, texts = self._script(rng)
            for text in texts:
                while True:  # a resident told to try again sends the message again
                    if self.stop.is_set():
                        return
                    turn = await send_turn(session, self.balancer, sender, lang, text)
                    self.turns.append(turn)
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think_s)
                    if turn.outcome == "ok" or not self.retry:
                        break

    async def run(self, residents: int, seconds: float) -> None:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            tasks = [
                asyncio.create_task(self.resident(session, n, self.think_s * n / residents))
                for n in range(residents)
            ]
            with contextlib.suppress(asyncio.TimeoutError):  # or until told to stop
                await asyncio.wait_for(self.stop.wait(), seconds)
            self.stop.set()
            await asyncio.gather(*tasks)


def summary(turns: list[Turn], start: float, end: float) -> dict[str, Any]:
    """Figures of the turns sent in [start, end)."""
    window = [t for t in turns if start <= t.sent < end]
    ok = [t.seconds * 1000 for t in window if t.outcome == "ok"]
    outcomes = Counter(t.outcome for t in window)
    return {
        "messages": len(window),
        "achieved_per_s": round(len(ok) / (end - start), 2),
        "ok": outcomes["ok"],
        "try_again": outcomes["try_again"],
        "dropped": outcomes["dropped"],
        "errors": outcomes["error"],
        "error_kinds": dict(Counter(t.detail for t in window if t.outcome == "error")),
        "p50_ms": round(percentile(ok, 0.50), 1) if ok else None,
        "p95_ms": round(percentile(ok, 0.95), 1) if ok else None,
        "max_ms": round(max(ok), 1) if ok else None,
    }


# --- what the tracker store holds ------------------------------------------------------


def _tracker_events(database_url: str, senders: set[str]) -> dict[str, list[dict[str, Any]]]:
    engine = sa.create_engine(database_url, future=True)
    events: dict[str, list[dict[str, Any]]] = {sender: [] for sender in senders}
    query = sa.text(
        "SELECT sender_id, data FROM events WHERE type_name IN ('user', 'bot') ORDER BY id"
    )
    with engine.connect() as connection:
        for sender, data in connection.execute(query):
            if sender in events:
                events[sender].append(json.loads(data))
    engine.dispose()
    return events


Reply = tuple[str, bool]  # a message's text (redacted as the store keeps it), a payload?
#: What the store put in place of personal data: "[puhelinnumero]", "[yhteystieto]", …
PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,40}\]")


#: The store keeps the whole message typed in answer to the contact question as one mark.
CONTACT_ANSWER = "[]"


def _comparable(text: str) -> str:
    """A text as the tracker store keeps it, with any redaction placeholder alike (the
    contact form keeps "[yhteystieto]" where the redactor writes "[puhelinnumero]")."""
    return PLACEHOLDER.sub("[]", redact(text))


def _sent(message: dict[str, Any]) -> Reply:
    """A message as the REST channel sent it: a text, or a custom payload."""
    if message.get("text"):
        return _comparable(str(message["text"])), False
    return "", bool(message.get("custom"))


def _held(event: dict[str, Any]) -> list[Reply]:
    """The messages a held bot event went out as: Rasa's REST channel sends a text with a
    custom payload as two messages, the text first."""
    custom = (event.get("data") or {}).get("custom")
    sent = [(_comparable(str(event["text"])), False)] if event.get("text") else []
    return sent + ([("", True)] if custom else [])


def check_replies(turns: list[Turn], database_url: str) -> dict[str, int]:
    """Compare every conversation with the tracker store: lost and duplicated replies.

    The tracker must hold each message that got replies exactly once, in order, with
    exactly the replies the resident got after it. Messages that got no reply (a fault)
    may be held or not, but never twice.
    """
    by_sender: dict[str, list[Turn]] = {}
    for turn in turns:
        by_sender.setdefault(turn.sender, []).append(turn)
    events = _tracker_events(database_url, set(by_sender))
    lost = duplicated = checked = 0
    examples: list[str] = []
    for sender, sent in by_sender.items():
        held = events[sender]
        # The tracker's messages, each with the replies that followed it (a session's
        # opening notice is held before the first message; see _opening).
        held_turns: list[tuple[str, list[Reply]]] = []
        for event in held:
            if event["event"] == "user":
                held_turns.append((_comparable(str(event.get("text") or "")), []))
            elif held_turns:
                held_turns[-1][1].extend(_held(event))
        position = 0
        for number, turn in enumerate(sent):
            expected = _comparable(turn.text)
            if turn.outcome != "ok":
                # Handled, but the reply did not reach the resident? Then it is held here;
                # if the resident sent it again, the next one is held after it, too.
                again = number + 1 < len(sent) and sent[number + 1].text == turn.text
                exact = [i for i in (position, position + 1) if i < len(held_turns)]
                held_at = [i for i in exact if held_turns[i][0] == expected]
                if position in held_at and (not again or position + 1 in held_at):
                    position += 1
                continue
            matches = [
                i
                for i in range(position, len(held_turns))
                if held_turns[i][0] in (expected, CONTACT_ANSWER)
            ]
            checked += 1
            if not matches or matches[0] != position:
                lost += 1
                examples.append(
                    f"{sender}: {turn.text!r} not held where expected; sent "
                    f"{[(t.text, t.outcome) for t in sent]}, held {[h[0] for h in held_turns]}"
                )
                continue
            replies = held_turns[position][1]
            got = [_sent(m) for m in turn.replies]
            # A first turn's reply also carries the opening notice held before the message.
            if replies != got and not (position == 0 and _opening(held, got, replies)):
                lost += 1
                examples.append(f"{sender}: {turn.text!r} got {got} but {replies} are held")
            position += 1
        # Whatever the tracker holds beyond what was sent was processed twice.
        duplicated += max(0, len(held_turns) - position - _unanswered_tail(sent))
    if examples:
        print("\n".join(["lost replies, for example:", *examples[:5]]), file=sys.stderr)
    return {"checked_replies": checked, "lost": lost, "duplicated": duplicated}


def _opening(held: list[dict[str, Any]], got: list[Reply], after: list[Reply]) -> bool:
    """True if `got` is the bot events before the first message followed by `after`."""
    first_user = next(i for i, e in enumerate(held) if e["event"] == "user")
    notice = [m for e in held[:first_user] if e["event"] == "bot" for m in _held(e)]
    return got == notice + after


def _unanswered_tail(sent: list[Turn]) -> int:
    """Messages at the end that got no reply: they may be held without a duplicate."""
    count = 0
    for turn in reversed(sent):
        if turn.outcome == "ok":
            break
        count += 1
    return count


def confirmed_references(turns: list[Turn]) -> set[str]:
    """References the residents were given: requests the navigator confirmed."""
    found: set[str] = set()
    for turn in turns:
        for message in turn.replies:
            found.update(REFERENCE.findall(str(message.get("text") or "")))
    return found


def stored_references(database_url: str) -> set[str]:
    engine = sa.create_engine(database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT reference FROM contact_requests")).scalars()
        found = set(rows)
    engine.dispose()
    return found


# --- the runs ------------------------------------------------------------------------


def rate_run(cluster: Cluster, rates: Sequence[float], step_s: float) -> dict[str, Any]:
    """Offer each rate in turn until one does not hold; the highest that held."""
    balancer = Balancer([node.url for node in cluster.members])
    steps = []
    highest = 0.0
    for number, rate in enumerate(rates):
        residents = max(1, round(rate * THINK_S))
        crowd = Crowd(balancer, seed=number + 1)
        started = time.monotonic()
        warm = THINK_S * 1.5  # every resident has started and sent a message or two
        asyncio.run(crowd.run(residents, warm + step_s))
        figures = summary(crowd.turns, started + warm, started + warm + step_s)
        holds = (
            figures["errors"] == 0
            and figures["try_again"] == 0
            and figures["dropped"] == 0
            and figures["p95_ms"] is not None
            and figures["p95_ms"] <= P95_TARGET_MS
            and figures["achieved_per_s"] >= HOLDS_ACHIEVED_SHARE * rate
        )
        steps.append({"offered_per_s": rate, "residents": residents, **figures, "holds": holds})
        print(json.dumps(steps[-1]), file=sys.stderr, flush=True)  # progress
        if not holds:
            break
        highest = rate
    return {"steps": steps, "highest_sustained_per_s": highest}


def soak_run(cluster: Cluster, residents: int, seconds: float, think_s: float) -> dict[str, Any]:
    balancer = Balancer([node.url for node in cluster.members])
    crowd = Crowd(balancer, think_s=think_s, contact_share=0.1)
    started = time.monotonic()
    asyncio.run(crowd.run(residents, seconds))
    figures = summary(crowd.turns, started, started + seconds)
    database = cluster.postgres.url("navigator_conversations")
    confirmed = confirmed_references(crowd.turns)
    stored = stored_references(cluster.postgres.url())
    return {
        "residents": residents,
        "seconds": seconds,
        "think_s": think_s,
        "conversations": len({t.sender for t in crowd.turns}),
        **figures,
        **check_replies(crowd.turns, database),
        "confirmed_requests": len(confirmed),
        "confirmed_not_stored": len(confirmed - stored),
    }


@dataclass
class Fault:
    name: str
    kill: Any
    restart: Any


def fault_run(cluster: Cluster, residents: int, phase_s: float) -> dict[str, Any]:
    """Kill Redis, then PostgreSQL, then one node's Rasa server, each for `phase_s`, under
    load; each is started again and the same conversations go on."""
    balancer = Balancer([node.url for node in cluster.members])
    crowd = Crowd(balancer, think_s=2.0, contact_share=0.3, retry=True, seed=11)
    node = cluster.members[0]

    def restart_node() -> None:
        node.wait_stopped()
        node.start()

    faults = [
        Fault("redis", cluster.redis.kill, cluster.redis.start),
        Fault("postgresql", cluster.postgres.kill, cluster.postgres.start),
        Fault("rasa_node_1", node.kill_rasa, restart_node),
    ]
    marks: list[tuple[str, float]] = []

    async def drive() -> None:
        load = asyncio.create_task(crowd.run(residents, 10_000))
        loop = asyncio.get_running_loop()
        marks.append(("before", time.monotonic()))
        await asyncio.sleep(phase_s)
        for fault in faults:
            marks.append((f"{fault.name}_down", time.monotonic()))
            await loop.run_in_executor(None, fault.kill)
            await asyncio.sleep(phase_s)
            marks.append((f"{fault.name}_restarting", time.monotonic()))
            await loop.run_in_executor(None, fault.restart)
            marks.append((f"after_{fault.name}", time.monotonic()))
            await asyncio.sleep(phase_s)
        marks.append(("end", time.monotonic()))
        crowd.stop.set()
        await load

    asyncio.run(drive())
    phases = {}
    for (name, start), (_, end) in itertools.pairwise(marks):
        window = [t for t in crowd.turns if start <= t.sent < end]
        slow = [t for t in window if t.outcome != "ok" and t.seconds > FRIENDLY_WITHIN_S]
        phases[name] = {
            **summary(crowd.turns, start, end),
            "seconds": round(end - start, 1),
            "not_ok_slower_than_2s": len(slow),
            "slowest_not_ok_s": round(
                max((t.seconds for t in window if t.outcome != "ok"), default=0.0), 2
            ),
        }
    confirmed = confirmed_references(crowd.turns)
    stored = stored_references(cluster.postgres.url())
    database = cluster.postgres.url("navigator_conversations")
    return {
        "residents": residents,
        "phases": phases,
        **check_replies(crowd.turns, database),
        "confirmed_requests": len(confirmed),
        "stored_requests": len(stored),
        "confirmed_not_stored": len(confirmed - stored),
        "conversations_going_on_after": _going_on(crowd.turns, marks),
    }


def _going_on(turns: list[Turn], marks: list[tuple[str, float]]) -> dict[str, int]:
    """Conversations that went on over a fault (with their state: the tracker check
    compares every reply): answered before Redis or PostgreSQL went down and again after
    it was back; answered by node 1 before it went down and then by the other node. And
    the turns node 1 answered after its restart."""
    at = dict(marks)
    ok = [t for t in turns if t.outcome == "ok"]
    found = {}
    for name in ("redis", "postgresql"):
        before = {t.sender for t in ok if t.sent < at[f"{name}_down"]}
        after = {t.sender for t in ok if t.sent >= at[f"after_{name}"]}
        found[name] = len(before & after)
    down = at["rasa_node_1_down"]
    on_node_1 = {t.sender for t in ok if t.sent < down and t.node == 0}
    found["rasa_node_1_to_node_2"] = len(on_node_1 & {t.sender for t in ok if t.sent >= down})
    found["node_1_answers_after_restart"] = sum(
        1 for t in ok if t.sent >= at["after_rasa_node_1"] and t.node == 0
    )
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rate = commands.add_parser("rate", help="the highest sustained rate")
    rate.add_argument("--nodes", type=int, default=1)
    rate.add_argument("--rates", default="10,15,20,25,30,40,50,60")
    rate.add_argument("--step-seconds", type=float, default=30.0)
    soak = commands.add_parser("soak", help="many concurrent conversations")
    soak.add_argument("--nodes", type=int, default=2)
    soak.add_argument("--residents", type=int, default=200)
    soak.add_argument("--seconds", type=float, default=120.0)
    soak.add_argument("--think-seconds", type=float, default=10.0)
    faults = commands.add_parser("faults", help="kill Redis, PostgreSQL and a Rasa node")
    faults.add_argument("--residents", type=int, default=30)
    faults.add_argument("--phase-seconds", type=float, default=15.0)
    parser.add_argument("--directory", type=Path, help="where the cluster lives (temp dir)")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM, still stop the cluster (its servers run in their own sessions).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    nodes = 2 if args.command == "faults" else args.nodes
    cluster = Cluster(nodes, args.directory) if args.directory else Cluster(nodes)
    with cluster:
        if args.command == "rate":
            rates = [float(r) for r in args.rates.split(",")]
            result = rate_run(cluster, rates, args.step_seconds)
        elif args.command == "soak":
            result = soak_run(cluster, args.residents, args.seconds, args.think_seconds)
        else:
            result = fault_run(cluster, args.residents, args.phase_seconds)
    print_json(
        {"benchmark": f"load {args.command}", "nodes": nodes, "machine": machine(), **result}
    )


if __name__ == "__main__":
    main()
