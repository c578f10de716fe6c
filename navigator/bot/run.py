"""Starting the assistant's two processes: the rasa_sdk action server and the Rasa server.

Rasa 3.6 has no in-process actions (`actions_module` is silently ignored), so the actions
run in their own server, as Rasa intends; `navigator serve`, the tests and the benchmarks
start both through these functions. A Rasa server takes 35-50 s to load a model on two
cores, so callers wait for readiness rather than sleep.
"""

from __future__ import annotations

import os
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
                raise StartupError(f"{self.url} exited early:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise StartupError(f"{self.url} not ready in {timeout:.0f} s:\n{self._log_tail()}")

    def stop(self) -> None:
        """Terminate, and kill if it does not stop in 20 s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


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
