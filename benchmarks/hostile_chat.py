"""Hostile chat input at scale against the whole product, as JSON.

    RASA_TELEMETRY_ENABLED=false python -m benchmarks.hostile_chat \
        [--messages 10000] [--bodies 1000] [--rasa-messages 10000] [--concurrency 2]

Starts what the tests start (the trained model from `.rasa/models/`, trained if needed; the
rasa_sdk action server; the Rasa server; the web app in a uvicorn thread in front of it),
then sends, with the generators of `tests/web/test_hostile.py`:

- `--messages` hostile chat messages through the web app's `/chat/send` (huge, binary-ish,
  control characters, bidi, emoji, HTML/JS, JSON in text, forged postbacks), spread over
  conversations of 25 messages each;
- `--bodies` hostile request bodies to `/chat/send` (wrong types, missing fields, bad
  senders, wrong content types, bodies over the limit, invalid or deeply nested JSON);
- `--rasa-messages` of the same messages straight to Rasa's REST channel, where the web
  app's own checks (length, sender) do not stand in front.

Counted per target: answers that are right (`ok`: 200 with a list of messages; for the web
app, also a 4xx in the API's error shape counts under `client_errors`), server errors (5xx),
dropped connections and answers of the wrong shape. Afterwards: whether both servers still
answer an ordinary message, and the tracebacks (by exception and place) and the errors our
own code caught and logged, in the Rasa server's and the action server's logs. Takes 40-60
minutes on two cores with the defaults (generating the messages takes about 10 of them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from benchmarks.common import REPO, machine, print_json
from navigator.bot.run import endpoints_for, free_port, start_action_server, start_rasa_server
from navigator.bot.run import train as train_model
from navigator.routing import Router
from tests.web.conftest import serve
from tests.web.test_hostile import (
    BODIES,
    MESSAGES,
    OUR_ERROR,
    ChatRequest,
    chat_body,
    verdict,
)

T = TypeVar("T")
CONVERSATION_TURNS = 25
TIMEOUT_S = 60.0


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON)."""
    print(f"[hostile_chat] {message}", file=sys.stderr, flush=True)


def generate(strategy: st.SearchStrategy[T], count: int, start: int) -> list[T]:
    """`count` values of a Hypothesis strategy (generation only, seeded from `start`)."""
    found: list[T] = []

    @settings(
        max_examples=min(count, 2000),
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    round_ = 0
    while len(found) < count:
        seed(start + round_)(collect)()
        round_ += 1
    return found[:count]


# The product ----------------------------------------------------------------------------------


@dataclass
class Product:
    """The running assistant and web app, and where their logs are."""

    rasa_url: str
    web_url: str
    logs: dict[str, Path]


@contextlib.contextmanager
def product(work: Path) -> Iterator[Product]:
    """Train if needed, start the action server, the Rasa server and the web app."""
    from navigator.catalog.loader import default_catalog_root, load_catalog

    with contextlib.redirect_stdout(sys.stderr):
        model = train_model(REPO / ".rasa" / "models")
    env = {"NAVIGATOR_DATABASE_URL": f"sqlite:///{work / 'contacts.db'}"}
    action_port = free_port()
    logs = {"rasa": work / "rasa.log", "actions": work / "actions.log"}
    actions = start_action_server(action_port, logs["actions"], env)
    try:
        endpoints = endpoints_for(action_port, work / "endpoints.yml")
        rasa = start_rasa_server(model, free_port(), logs["rasa"], endpoints=endpoints, env=env)
        try:
            actions.wait_ready("/health")
            rasa.wait_ready("/status")
            router = Router(load_catalog(default_catalog_root()))
            (work / "web").mkdir()
            with contextlib.contextmanager(serve)(rasa.url, work / "web", router) as web:
                yield Product(rasa.url, web.url, logs)
        finally:
            rasa.stop()
    finally:
        actions.stop()


# Sending --------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one target answered."""

    sent: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: str, status: int, why: str, what: str) -> None:
        """Count one answer; keep the first failures' descriptions."""
        with self.lock:
            self.sent += 1
            self.outcomes[outcome] += 1
            self.statuses[status] += 1
            if outcome not in ("ok", "client_error") and len(self.failures) < 20:
                self.failures.append(f"{what}: {why}"[:500])

    def figures(self) -> dict[str, Any]:
        """The tally as JSON."""
        return {
            "messages": self.sent,
            "ok": self.outcomes["ok"],
            "client_errors": self.outcomes["client_error"],
            "server_errors": self.outcomes["server_error"],
            "dropped": self.outcomes["dropped"],
            "wrong_shape": self.outcomes["bad"],
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
        }


_local = threading.local()


def _client() -> httpx.Client:
    client: httpx.Client | None = getattr(_local, "client", None)
    if client is None:
        client = httpx.Client(timeout=httpx.Timeout(TIMEOUT_S))
        _local.client = client
    return client


def _describe(request: ChatRequest) -> str:
    shown = request.message if request.message is not None else request.content[:80]
    return f"{request.kind} {shown!r:.120}"


def to_web(url: str, tally: Tally) -> Callable[[ChatRequest], None]:
    """Send one request to the web app's /chat/send and count its answer."""

    def send(request: ChatRequest) -> None:
        try:
            response = request.send(_client(), url)
        except httpx.HTTPError as exc:
            tally.add("dropped", 0, type(exc).__name__, _describe(request))
            return
        outcome, why = verdict(response)
        tally.add(outcome, response.status_code, why, _describe(request))

    return send


def to_rasa(url: str, tally: Tally) -> Callable[[ChatRequest], None]:
    """Send one message straight to Rasa's REST channel and count its answer."""

    def send(request: ChatRequest) -> None:
        body = json.loads(request.content)
        payload = {
            "sender": body["sender"],
            "message": body["message"],
            "metadata": {"language": body["lang"]},
        }
        try:
            response = _client().post(f"{url}/webhooks/rest/webhook", json=payload)
        except httpx.HTTPError as exc:
            tally.add("dropped", 0, type(exc).__name__, _describe(request))
            return
        status = response.status_code
        if status >= 500:
            tally.add("server_error", status, response.text[:200], _describe(request))
        elif status >= 400:
            tally.add("client_error", status, "", _describe(request))
        else:
            try:
                messages = response.json()
            except ValueError:
                messages = None
            shaped = isinstance(messages, list) and all(isinstance(m, dict) for m in messages)
            why = "" if shaped else f"not a list of messages: {response.text[:200]!r}"
            tally.add("ok" if shaped else "bad", status, why, _describe(request))

    return send


def run_all(
    conversations: list[list[ChatRequest]],
    send: Callable[[ChatRequest], None],
    tally: Tally,
    workers: int,
) -> None:
    """Send every conversation's requests in order, `workers` conversations at a time (one
    conversation's turns never overlap: Rasa would queue them behind its lock)."""
    started = time.perf_counter()
    count = sum(len(c) for c in conversations)

    def one(conversation: list[ChatRequest]) -> None:
        for request in conversation:
            send(request)
            if tally.sent % 500 == 0:
                progress(f"{tally.sent}/{count} in {time.perf_counter() - started:.0f} s")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, conversations))
    tally.seconds = time.perf_counter() - started


def as_conversations(
    messages: list[str], rng: random.Random, prefix: str
) -> list[list[ChatRequest]]:
    """Well-formed bodies for these messages, `CONVERSATION_TURNS` to a conversation."""
    conversations = []
    for start in range(0, len(messages), CONVERSATION_TURNS):
        sender = f"{prefix}-{start:06d}-{rng.randrange(16**8):08x}"
        lang = rng.choice(["fi", "sv", "en"])
        turns = messages[start : start + CONVERSATION_TURNS]
        conversations.append([chat_body(sender, message, lang) for message in turns])
    return conversations


# After the run --------------------------------------------------------------------------------


def still_answering(target: Product) -> bool:
    """Both servers answer an ordinary message."""
    try:
        with httpx.Client(timeout=TIMEOUT_S) as client:
            status = client.get(f"{target.rasa_url}/status").status_code
            request = chat_body("after-the-run-0001", "velat painaa enkä saa nukuttua", "fi")
            response = request.send(client, target.web_url)
            return status == 200 and response.status_code == 200 and bool(response.json())
    except (httpx.HTTPError, ValueError):
        return False


_TRACEBACK = "Traceback (most recent call last):"


def traceback_summary(text: str) -> Counter[str]:
    """Each traceback in a log as its exception line and the innermost frame of our own
    code (or of any code, if none is ours), counted."""
    found: Counter[str] = Counter()
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if not line.startswith(_TRACEBACK):
            continue
        frame, ours = "", ""
        for following in lines[start + 1 :]:
            stripped = following.strip()
            if stripped.startswith("File "):
                frame = stripped
                if "/navigator/" in stripped:
                    ours = stripped
            elif following and not following[0].isspace():
                where = (ours or frame).replace(str(REPO) + "/", "")
                found[f"{following[:160]} [{where[:160]}]"] += 1
                break
    return found


def our_errors(text: str) -> Counter[str]:
    """The errors our own code caught and logged (logger and message), counted."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        match = OUR_ERROR.search(line)
        if match:
            found[line[match.start() :].strip()[:160]] += 1
    return found


def tracebacks(logs: dict[str, Path]) -> dict[str, Any]:
    """How many tracebacks and errors of ours each log holds, by kind."""
    found: dict[str, Any] = {}
    for name, path in logs.items():
        text = path.read_text("utf-8", "replace") if path.exists() else ""
        summary = traceback_summary(text)
        errors = our_errors(text)
        found[name] = {
            "tracebacks": sum(summary.values()),
            "kinds": dict(summary.most_common(10)),
            "our_errors": sum(errors.values()),
            "our_error_kinds": dict(errors.most_common(10)),
            "bytes": len(text.encode()),
        }
    return found


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="through the web app")
    parser.add_argument("--bodies", type=int, default=1_000, help="hostile bodies, web app")
    parser.add_argument("--rasa-messages", type=int, default=10_000, help="straight to Rasa")
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def main() -> dict[str, Any]:
    """Run the product, send everything, print the figures."""
    args = _arguments()
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    started = time.perf_counter()
    rng = random.Random(args.seed)
    progress("generating")
    messages = generate(MESSAGES, max(args.messages, args.rasa_messages), args.seed * 1000)
    bodies = generate(BODIES, args.bodies, args.seed * 1000 + 500)
    web, web_bodies, rasa = Tally(), Tally(), Tally()
    with tempfile.TemporaryDirectory(prefix="hostile_chat-") as temp:
        work = Path(temp)
        progress("starting the assistant and the web app")
        with product(work) as target:
            progress(f"{args.messages} messages through the web app")
            run_all(
                as_conversations(messages[: args.messages], rng, "web"),
                to_web(target.web_url, web),
                web,
                args.concurrency,
            )
            progress(f"{args.bodies} hostile bodies through the web app")
            run_all(
                [[body] for body in bodies],
                to_web(target.web_url, web_bodies),
                web_bodies,
                args.concurrency,
            )
            progress(f"{args.rasa_messages} messages straight to Rasa")
            run_all(
                as_conversations(messages[: args.rasa_messages], rng, "rasa"),
                to_rasa(target.rasa_url, rasa),
                rasa,
                args.concurrency,
            )
            answering = still_answering(target)
            logs = tracebacks(target.logs)
    tallies = {"web_messages": web, "web_bodies": web_bodies, "rasa_messages": rasa}
    figures = {name: tally.figures() for name, tally in tallies.items()}

    def total(key: str) -> int:
        return sum(int(f[key]) for f in figures.values())

    about = machine()
    result = {
        "benchmark": "hostile_chat",
        "command": (
            f"python -m benchmarks.hostile_chat --messages {args.messages} --bodies "
            f"{args.bodies} --rasa-messages {args.rasa_messages} --concurrency "
            f"{args.concurrency} --seed {args.seed}"
        ),
        "messages": total("messages"),
        "ok": total("ok"),
        "client_errors": total("client_errors"),
        "server_errors": total("server_errors"),
        "dropped": total("dropped"),
        "wrong_shape": total("wrong_shape"),
        "still_answering": answering,
        "logs": logs,
        "passed": (
            total("server_errors") == 0
            and total("dropped") == 0
            and total("wrong_shape") == 0
            and answering
            and all(log["tracebacks"] == 0 and log["our_errors"] == 0 for log in logs.values())
        ),
        **figures,
        "seconds": round(time.perf_counter() - started, 1),
        "date": about["date"],
        "machine": about,
    }
    print_json(result)
    return result


if __name__ == "__main__":
    main()
