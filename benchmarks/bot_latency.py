"""Latency, throughput and memory of the assistant against a bare Rasa bot, as JSON.

    RASA_TELEMETRY_ENABLED=false python -m benchmarks.bot_latency [--reuse]

Two bots are trained and served in one run, one after the other, on free local ports:

- navigator: the assistant (config.yml, domain.yml, nlu/; navigator.bot.run's Rasa server
  with the REST channel and the rasa_sdk action server);
- bare: Rasa's default pipeline and policies with our intents and NLU data, one text
  response and one rule per intent, no action server (benchmarks.bare_bot).

For each bot: training time (cold: a new output directory and an empty Rasa cache, unless
--reuse), startup time until /status answers, resident memory (VmRSS) of its servers after
warm-up and after the load, NLU time alone (POST /model/parse), and over the REST channel
(POST /webhooks/rest/webhook), with the same realistic four-turn conversations in fi, sv
and en (a new sender per conversation):

- one client: sequential messages;
- 20 msg/s for 60 s, open loop: messages are sent on schedule whatever the replies, each
  conversation's next turn after its reply and a think time, so many run at once;
- the highest sustained rate: offered rates step up (20 s each) until one fails; a rate
  holds if p95 <= 1000 ms, no error (non-200, exception, or over 10 s) and the achieved
  rate (successful replies per second) is at least 95 % of the offered one.

Open-loop latencies run from the scheduled send time (a queue in the client counts); the
client shares the machine's cores with the servers. A concurrent `rasa test` (another
benchmark) or other processes using over a quarter of the CPU during a phase are noted in
`under_load`. The whole run takes 20-30 minutes on two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.bare_bot import write_project
from benchmarks.common import REPO, machine, percentile, print_json
from navigator.bot.run import (
    endpoints_for,
    free_port,
    start_action_server,
    start_rasa_server,
    train,
)

WEBHOOK = "/webhooks/rest/webhook"
TIMEOUT_S = 10.0
THINK_S = 2.0
SUSTAINED_RATE = 20.0
STEP_RATES = (10.0, 20.0, 30.0, 40.0, 60.0, 80.0, 120.0)
HOLDS_P95_MS = 1000.0
HOLDS_ACHIEVED_SHARE = 0.95
TARGETS = {
    "p95_ms_one_client": 100.0,
    "p95_ms_at_20_per_s": 300.0,
    "errors_at_20_per_s": 0,
    "ratio_highest_rate": 0.8,
}

#: Four turns each, as residents write them; both bots get the same ones.
CONVERSATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("moi", "velat painaa enkä saa nukuttua", "asun Kempeleessä", "kiitos"),
    ("hei", "äiti on muistisairas enkä jaksa hoitaa häntä yksin", "Oulussa", "/ask_more_options"),
    ("velat painaa enkä saa nukuttua", "asun Kempeleessä", "/ask_more_options", "kiitos, moi moi"),
    ("moi", "poika ei käy koulua ja on koko ajan huoneessaan", "hän on 15", "kiitos"),
    ("onko tämä botti?", "mitä tiedoistani tallennetaan?", "olen yksinäinen ja vanha", "kiitos"),
    ("hej", "jag känner mig ensam", "jag bor i Vasa", "tack"),
    ("jag har stora skulder och kan inte sova", "Jakobstad", "/ask_more_options", "tack så mycket"),
    ("hi", "I have so much debt I can't sleep", "I live in Oulu", "thanks"),
    ("hello", "my teenage son has stopped going to school", "/ask_more_options", "bye"),
    ("I feel lonely since my wife died", "I'm 78", "Kempele", "thank you"),
    ("en halua elää enää", "asun Oulussa", "haluan puhua ihmisen kanssa", "kiitos"),
    ("moi", "saanko puhua jonkun ihmisen kanssa", "ei kiitos", "moi moi"),
)


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON)."""
    print(f"[bot_latency] {message}", file=sys.stderr, flush=True)


# The machine ----------------------------------------------------------------------------------


def _cmdline(pid: str) -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def rasa_tests_running() -> bool:
    """True if a `rasa test` (e.g. the NLU cross-validation) runs on this machine."""
    own = str(os.getpid())
    pids = [p.name for p in Path("/proc").iterdir() if p.name.isdigit() and p.name != own]
    return any("rasa test" in _cmdline(pid) for pid in pids)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(_children(current))
    return found


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the machine so far (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def _own_ticks() -> int:
    """CPU ticks (user + system) of this process and its descendants, the servers."""
    ticks = 0
    for pid in _tree(os.getpid()):
        with contextlib.suppress(OSError):
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks


class LoadWatch:
    """Per phase: whether a `rasa test` ran, and the share of the machine's CPU that other
    processes (not this benchmark, not its servers) used; over 0.25 counts as under load."""

    OTHER_SHARE = 0.25

    def __init__(self) -> None:
        self.samples: list[dict[str, Any]] = []

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        running = rasa_tests_running()
        busy, total = _machine_ticks()
        own = _own_ticks()
        yield
        busy_end, total_end = _machine_ticks()
        others = max(0, (busy_end - busy) - (_own_ticks() - own)) / max(1, total_end - total)
        running = running or rasa_tests_running()
        self.samples.append({"phase": name, "rasa_test": running, "other_cpu": round(others, 2)})
        if running or others > self.OTHER_SHARE:
            progress(f"{name}: under load (rasa test: {running}, other CPU {others:.0%})")

    @property
    def under_load(self) -> bool:
        return any(s["rasa_test"] or s["other_cpu"] > self.OTHER_SHARE for s in self.samples)


def rss_mib(pid: int) -> float:
    """Resident memory (VmRSS) of a process and its descendants, in MiB."""
    kib = 0
    for current in _tree(pid):
        with contextlib.suppress(OSError):
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kib += int(line.split()[1])
    return round(kib / 1024, 1)


def memory(pids: dict[str, int]) -> dict[str, float]:
    """VmRSS per server and their sum, in MiB."""
    figures = {f"{name}_mib": rss_mib(pid) for name, pid in pids.items()}
    return {**figures, "total_mib": round(sum(figures.values()), 1)}


# Training and serving -------------------------------------------------------------------------


def timed_train(output: Path, cache: Path | None, **project: Any) -> tuple[Path, float]:
    """Train with navigator.bot.run.train; the model and the seconds it took."""
    if cache is not None:
        os.environ["RASA_CACHE_DIRECTORY"] = str(cache)
    started = time.perf_counter()
    # Rasa prints its "model saved" line on stdout, which carries only the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        model = train(output, **project)
    return model, round(time.perf_counter() - started, 1)


@dataclass
class Served:
    """A running bot: its Rasa server's URL, its processes and its startup time."""

    url: str
    pids: dict[str, int]
    startup_s: float


@contextlib.contextmanager
def serve_navigator(model: Path, work: Path) -> Iterator[Served]:
    """The assistant's action server and Rasa server, stopped on leaving."""
    env = {"NAVIGATOR_DATABASE_URL": f"sqlite:///{work / 'contacts.db'}"}
    started = time.monotonic()
    action_port = free_port()
    actions = start_action_server(action_port, work / "actions.log", env)
    try:
        endpoints = endpoints_for(action_port, work / "endpoints.yml")
        rasa = start_rasa_server(
            model, free_port(), work / "rasa.log", endpoints=endpoints, env=env
        )
        try:
            actions.wait_ready("/health")
            rasa.wait_ready("/status")
            pids = {"rasa": rasa.process.pid, "actions": actions.process.pid}
            yield Served(rasa.url, pids, round(time.monotonic() - started, 1))
        finally:
            rasa.stop()
    finally:
        actions.stop()


@contextlib.contextmanager
def serve_bare(model: Path, work: Path) -> Iterator[Served]:
    """The bare bot's Rasa server (no action server), stopped on leaving."""
    started = time.monotonic()
    rasa = start_rasa_server(model, free_port(), work / "bare-rasa.log")
    try:
        rasa.wait_ready("/status")
        yield Served(rasa.url, {"rasa": rasa.process.pid}, round(time.monotonic() - started, 1))
    finally:
        rasa.stop()


# Talking to a bot -----------------------------------------------------------------------------


@dataclass
class Reply:
    """One message's fate: latency, success and when it ended (time.perf_counter)."""

    ms: float
    ok: bool
    done: float


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, since: float
) -> Reply:
    """POST one message to the REST channel; the latency runs from `since` (perf_counter).

    Not the event loop's clock: Rasa's import makes it uvloop's, which counts whole ms.
    """
    ok = False
    try:
        body = {"sender": sender, "message": text}
        async with session.post(url + WEBHOOK, json=body) as response:
            await response.read()
            ok = response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok = False
    done = time.perf_counter()
    ms = (done - since) * 1000
    return Reply(ms, ok and ms <= TIMEOUT_S * 1000, done)


def new_sender() -> str:
    """A sender id nobody used: a new conversation."""
    return f"bench-{uuid.uuid4().hex[:12]}"


def latency(values: list[float]) -> dict[str, float]:
    """p50, p95, mean and max of latencies in ms."""
    if not values:
        return {}
    return {
        "p50_ms": round(percentile(values, 0.5), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "mean_ms": round(sum(values) / len(values), 1),
        "max_ms": round(max(values), 1),
    }


async def converse(session: aiohttp.ClientSession, url: str, count: int) -> list[Reply]:
    """`count` messages from one client, one after the other, four turns a conversation."""
    replies: list[Reply] = []
    number = 0
    while len(replies) < count:
        sender = new_sender()
        for text in CONVERSATIONS[number % len(CONVERSATIONS)][: count - len(replies)]:
            replies.append(await send(session, url, sender, text, time.perf_counter()))
        number += 1
    return replies


async def one_client(session: aiohttp.ClientSession, url: str, count: int) -> dict[str, Any]:
    """Latency of sequential messages from one client."""
    replies = await converse(session, url, count)
    errors = sum(not r.ok for r in replies)
    return {"messages": len(replies), "errors": errors, **latency([r.ms for r in replies])}


async def parse_times(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    """Latency of the NLU alone (POST /model/parse) over the distinct messages."""
    texts = sorted({text for turns in CONVERSATIONS for text in turns})
    times = []
    for text in texts:
        started = time.perf_counter()
        async with session.post(url + "/model/parse", json={"text": text}) as response:
            await response.read()
            response.raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return {"messages": len(texts), **latency(times)}


@dataclass(frozen=True)
class Turn:
    """The next message of a conversation."""

    sender: str
    script: tuple[str, ...]
    index: int

    @property
    def text(self) -> str:
        return self.script[self.index]


class Conversations:
    """Turns for an open-loop load: a waiting conversation's next turn (its reply came and
    its think time passed), else a new conversation."""

    def __init__(self, think_s: float) -> None:
        self.think_s = think_s
        self.started = 0
        self._waiting: deque[tuple[float, Turn]] = deque()

    def next_turn(self, now: float) -> Turn:
        if self._waiting and self._waiting[0][0] <= now:
            return self._waiting.popleft()[1]
        script = CONVERSATIONS[self.started % len(CONVERSATIONS)]
        self.started += 1
        return Turn(new_sender(), script, 0)

    def replied(self, turn: Turn, reply: Reply) -> None:
        """The conversation goes on after a reply (not after a failure)."""
        if reply.ok and turn.index + 1 < len(turn.script):
            self._waiting.append(
                (reply.done + self.think_s, Turn(turn.sender, turn.script, turn.index + 1))
            )


async def _take_turn(
    session: aiohttp.ClientSession, url: str, pool: Conversations, turn: Turn, at: float
) -> Reply:
    reply = await send(session, url, turn.sender, turn.text, at)
    pool.replied(turn, reply)
    return reply


async def open_loop(
    session: aiohttp.ClientSession, url: str, rate: float, seconds: float
) -> dict[str, Any]:
    """Offer `rate` messages a second for `seconds`, on schedule whatever the replies."""
    pool = Conversations(THINK_S)
    count = round(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for number in range(count):
        at = start + number / rate
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        turn = pool.next_turn(time.perf_counter())
        tasks.append(asyncio.create_task(_take_turn(session, url, pool, turn, at)))
    replies = await asyncio.gather(*tasks)
    succeeded = sum(r.ok for r in replies)
    elapsed = max(count / rate, max(r.done for r in replies) - start)
    return {
        "offered_rate": rate,
        "seconds": seconds,
        "messages": count,
        "conversations": pool.started,
        "errors": count - succeeded,
        "achieved_rate": round(succeeded / elapsed, 1),
        **latency([r.ms for r in replies]),
    }


def holds(figures: dict[str, Any]) -> bool:
    """The bot sustains this offered rate."""
    return bool(
        figures["errors"] == 0
        and figures["p95_ms"] <= HOLDS_P95_MS
        and figures["achieved_rate"] >= HOLDS_ACHIEVED_SHARE * figures["offered_rate"]
    )


async def settle(session: aiohttp.ClientSession, url: str, limit_s: float = 180.0) -> None:
    """Wait until the bot has worked off a backlog: a message answered within 1 s."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        reply = await send(session, url, new_sender(), "moi", time.perf_counter())
        if reply.ok and reply.ms < 1000:
            return
        await asyncio.sleep(1.0)
    progress(f"{url} still slow after {limit_s:.0f} s")


async def highest_rate(
    session: aiohttp.ClientSession, url: str, seconds: float, watch: LoadWatch, name: str
) -> dict[str, Any]:
    """Step the offered rate up until a step does not hold; the highest that held."""
    steps = []
    for rate in STEP_RATES:
        with watch.phase(f"{name}: {rate:.0f} msg/s"):
            figures = await open_loop(session, url, rate, seconds)
        figures["holds"] = holds(figures)
        steps.append(figures)
        progress(f"{name}: {rate:.0f} msg/s: {_brief(figures)}")
        await settle(session, url)
        if not figures["holds"]:
            break
    held = [s["offered_rate"] for s in steps if s["holds"]]
    return {
        "msg_per_s": max(held, default=0.0),
        "top_of_ladder": bool(held) and max(held) == STEP_RATES[-1],
        "steps": steps,
    }


def _brief(figures: dict[str, Any]) -> str:
    return (
        f"p50 {figures.get('p50_ms')} ms, p95 {figures.get('p95_ms')} ms, "
        f"errors {figures['errors']}, achieved {figures.get('achieved_rate')} msg/s"
    )


async def measure(
    served: Served, name: str, args: argparse.Namespace, watch: LoadWatch
) -> dict[str, Any]:
    """Every figure of one running bot."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=512)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        progress(f"{name}: warm-up")
        await converse(session, served.url, 4 * len(CONVERSATIONS))
        rss_warm = memory(served.pids)
        parse = await parse_times(session, served.url)
        with watch.phase(f"{name}: one client"):
            one = await one_client(session, served.url, args.sequential)
        progress(f"{name}: one client: {_brief(one)}")
        with watch.phase(f"{name}: {SUSTAINED_RATE:.0f} msg/s"):
            rate, seconds = SUSTAINED_RATE, args.sustained_seconds
            sustained = await open_loop(session, served.url, rate, seconds)
        progress(f"{name}: {SUSTAINED_RATE:.0f} msg/s: {_brief(sustained)}")
        await settle(session, served.url)
        highest = await highest_rate(session, served.url, args.step_seconds, watch, name)
    return {
        "startup_s": served.startup_s,
        "rss_after_warm_up": rss_warm,
        "rss_after_load": memory(served.pids),
        "nlu_parse": parse,
        "one_client": one,
        "at_20_per_s": sustained,
        "highest_rate": highest,
    }


# The run --------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep models in .rasa/ (warm)")
    parser.add_argument("--sequential", type=int, default=200, help="one-client messages")
    parser.add_argument("--sustained-seconds", type=float, default=60.0)
    parser.add_argument("--step-seconds", type=float, default=20.0)
    return parser.parse_args()


def _targets(navigator: dict[str, Any], ratio: float | None) -> dict[str, bool]:
    sustained = navigator["at_20_per_s"]
    return {
        "p95_one_client": navigator["one_client"]["p95_ms"] <= TARGETS["p95_ms_one_client"],
        "at_20_per_s": sustained["p95_ms"] <= TARGETS["p95_ms_at_20_per_s"]
        and sustained["errors"] <= TARGETS["errors_at_20_per_s"],
        "ratio_highest_rate": ratio is not None and ratio >= TARGETS["ratio_highest_rate"],
    }


def run(work: Path, args: argparse.Namespace, watch: LoadWatch) -> dict[str, dict[str, Any]]:
    """Train both bots, then serve and measure one after the other."""
    base = REPO / ".rasa" if args.reuse else work
    progress("navigator: training")
    with watch.phase("navigator: training"):
        navigator_model, navigator_train = timed_train(
            base / "models", None if args.reuse else work / "cache-navigator"
        )
    project = write_project(work / "bare")
    progress("bare: training")
    with watch.phase("bare: training"):
        bare_model, bare_train = timed_train(
            base / "models-bare",
            None if args.reuse else work / "cache-bare",
            config=project.config,
            domain=project.domain,
            data=project.data,
            name="bare",
        )
    progress("navigator: starting")
    with serve_navigator(navigator_model, work) as served:
        navigator = asyncio.run(measure(served, "navigator", args, watch))
    progress("bare: starting")
    with serve_bare(bare_model, work) as served:
        bare = asyncio.run(measure(served, "bare", args, watch))
    return {
        "navigator": {"training_s": navigator_train, **navigator},
        "bare": {"training_s": bare_train, **bare},
    }


def main() -> dict[str, Any]:
    """Measure both bots and print the figures."""
    args = _arguments()
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    watch = LoadWatch()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bot_latency-") as temp:
        bots = run(Path(temp), args, watch)
    navigator_rate = bots["navigator"]["highest_rate"]["msg_per_s"]
    bare_rate = bots["bare"]["highest_rate"]["msg_per_s"]
    ratio = round(navigator_rate / bare_rate, 2) if bare_rate else None
    figures = {
        "benchmark": "bot_latency",
        "date": datetime.now(timezone.utc).date().isoformat(),
        "machine": machine(),
        "command": "python -m benchmarks.bot_latency" + (" --reuse" if args.reuse else ""),
        "under_load": watch.under_load,
        "load_samples": watch.samples,
        "wall_s": round(time.perf_counter() - started),
        "conversations": [list(turns) for turns in CONVERSATIONS],
        "settings": {
            "timeout_s": TIMEOUT_S,
            "think_s": THINK_S,
            "step_rates": list(STEP_RATES),
            "step_seconds": args.step_seconds,
            "sustained_seconds": args.sustained_seconds,
            "holds": f"p95 <= {HOLDS_P95_MS:.0f} ms, 0 errors, achieved >= "
            f"{HOLDS_ACHIEVED_SHARE:.0%} of offered",
            "training": "warm (.rasa/)" if args.reuse else "cold (new directory, empty cache)",
        },
        **bots,
        "ratio_highest_rate": ratio,
        "targets": TARGETS,
        "meets": _targets(bots["navigator"], ratio),
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
