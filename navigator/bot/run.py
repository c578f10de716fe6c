"""Starting the assistant's two processes: the rasa_sdk action server and the Rasa server.

Rasa 3.6 has no in-process actions (`actions_module` is silently ignored), so the actions
run in their own server, as Rasa intends; `navigator serve`, the tests and the benchmarks
start both through these functions. A Rasa server takes 35-50 s to load a model on two
cores, so callers wait for readiness rather than sleep.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from navigator.errors import NavigatorError

REPO = Path(__file__).resolve().parents[2]
ACTIONS_MODULE = "navigator.bot.actions"
DEFAULT_ACTION_URL = "http://localhost:5055/webhook"
STARTUP_SECONDS = 180


class StartupError(NavigatorError):
    """A server did not come up; the message holds the end of its log."""


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A started server process, its readiness URL and its log file."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def wait_ready(self, path: str, timeout: float = STARTUP_SECONDS) -> float:
        """Seconds until `url + path` answered; StartupError if it exits or times out."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise StartupError(f"{self.url} exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise StartupError(f"{self.url} not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Terminate, and kill if it does not stop in 20 s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self) -> str:
        """The end of the server's log, for an error message."""
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


#: One situation per language: a turn through NLU, the form, the action server and the
#: routing library, so that each is loaded and traced before the first resident arrives.
WARM_UP_MESSAGES: tuple[tuple[str, str], ...] = (
    ("fi", "velat painaa enkä saa nukuttua, asun Oulussa"),
    ("sv", "jag är ensam och orkar inte, jag bor i Uleåborg"),
    ("en", "my mother has dementia and I am tired, we live in Raahe"),
)


def warm_up(rasa_url: str, timeout: float = STARTUP_SECONDS) -> float:
    """Send the warm-up conversations through the REST channel; seconds they took.

    A new Rasa server takes 5-10 s over its first turns (TensorFlow traces its graphs,
    the action server loads the catalogue); a node reports ready only after this, so a
    load balancer sends residents to a warm node. The conversations are kept in the
    tracker store like any other (no personal data) and go with the retention purge.
    """
    started = time.monotonic()
    for lang, text in WARM_UP_MESSAGES:
        sender = f"navigator-warm-up-{secrets.token_hex(6)}"
        body = json.dumps({"sender": sender, "message": text, "metadata": {"language": lang}})
        request = urllib.request.Request(
            f"{rasa_url}/webhooks/rest/webhook",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise StartupError(f"{rasa_url} did not answer its warm-up message: {exc}") from None
    return time.monotonic() - started


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", **(extra or {})}


def _popen(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def start_action_server(port: int, log: Path, env: dict[str, str] | None = None) -> Server:
    """The rasa_sdk action server with the navigator's actions."""
    command = [sys.executable, "-m", "rasa_sdk", "--actions", ACTIONS_MODULE, "--port", str(port)]
    return Server(_popen(command, _environment(env), log), f"http://127.0.0.1:{port}", log)


def endpoints_for(action_port: int, target: Path, source: Path = REPO / "endpoints.yml") -> Path:
    """A copy of endpoints.yml pointing at an action server on `action_port`."""
    text = source.read_text(encoding="utf-8")
    target.write_text(
        text.replace(DEFAULT_ACTION_URL, f"http://127.0.0.1:{action_port}/webhook"),
        encoding="utf-8",
    )
    return target


def start_rasa_server(
    model: Path,
    port: int,
    log: Path,
    *,
    endpoints: Path | None = None,
    credentials: Path = REPO / "credentials.yml",
    env: dict[str, str] | None = None,
    token: str | None = None,
) -> Server:
    """A Rasa server with the REST channel and the HTTP API on 127.0.0.1:`port`; with a
    `token`, the HTTP API (trackers, status) answers only requests that carry it."""
    rasa = Path(sys.executable).parent / "rasa"
    command = [str(rasa), "run", "--enable-api", "--model", str(model)]
    command += ["--credentials", str(credentials), "--port", str(port), "--interface", "127.0.0.1"]
    if endpoints is not None:
        command += ["--endpoints", str(endpoints)]
    if token:
        command += ["--auth-token", token]
    return Server(_popen(command, _environment(env), log), f"http://127.0.0.1:{port}", log)


def train(
    output: Path,
    *,
    config: Path = REPO / "config.yml",
    domain: Path = REPO / "domain.yml",
    data: Path = REPO / "nlu",
    name: str = "navigator",
) -> Path:
    """Train the assistant (Rasa reuses a model whose config and data are unchanged)."""
    from rasa.model_training import train as rasa_train

    result = rasa_train(
        domain=str(domain),
        config=str(config),
        training_files=[str(data)],
        output=str(output),
        fixed_model_name=name,
    )
    if result.code != 0 or not result.model:
        raise StartupError(f"training failed (code {result.code}); see the log above")
    return Path(result.model)
