"""A production set on one machine, for the load and fault runs (issue 7).

`Cluster` starts a private PostgreSQL (its own data directory and port) and a private
Redis, then N navigator nodes, each one `navigator serve --config node-N.yml` exactly as
deploy/production.example.yml describes: web app, Rasa server and action server, the
contact store and the Rasa tracker store on PostgreSQL, the lock store on Redis.

Private servers, not the machine's own: the fault runs kill them with SIGKILL and start
them again, which must not disturb anything else using the machine's PostgreSQL and Redis.
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks.common import REPO
from navigator.bot.run import free_port

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SECRET_KEY = "bmF2aWdhdG9yLWxvYWQtYW5kLWZhdWx0cy1rZXktMzI="  # a Fernet key for the run
READY_SECONDS = 240.0


class ClusterError(RuntimeError):
    """A part of the cluster did not start; the message says which and where its log is."""


def _pg_bin() -> Path:
    found = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")))
    if not found:
        raise ClusterError(
            "PostgreSQL's server programs are not installed (looked in "
            f"{PG_BIN_GLOB}); on Debian: apt-get install postgresql"
        )
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _wait(check: Callable[[], bool], what: str, timeout: float, log: Path | None = None) -> float:
    """Seconds until `check()` is true; ClusterError after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise ClusterError(f"{what} not ready in {timeout:.0f} s (log: {log})\n{tail}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of our own in `directory`, listening on 127.0.0.1:`port`."""

    directory: Path
    port: int = field(default_factory=free_port)
    databases: tuple[str, ...] = ("navigator", "navigator_conversations")

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgres.log"

    def url(self, database: str = "navigator") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        initdb = [str(_pg_bin() / "initdb"), "-D", str(self.data), "-U", "postgres"]
        subprocess.run(
            _as_postgres([*initdb, "--auth=trust", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        self.start()
        for name in self.databases:
            command = [str(_pg_bin() / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
            subprocess.run(
                [*command, "-U", "postgres", "-c", f"CREATE DATABASE {name}"],
                check=True,
                capture_output=True,
            )

    def start(self) -> float:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        pg_ctl = [str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        subprocess.run(
            _as_postgres([*pg_ctl, "-o", options, "start"]), check=True, capture_output=True
        )
        return _wait(self.ready, "PostgreSQL", 60, self.log)

    def ready(self) -> bool:
        command = [str(_pg_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)]
        command += ["-U", "postgres"]
        return subprocess.run(command, capture_output=True).returncode == 0

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends: a crash, not a shutdown."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().split()[0])
        subprocess.run(["pkill", "-KILL", "-P", str(pid)], capture_output=True)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait(lambda: not _alive(pid), "PostgreSQL's death", 10)

    def stop(self) -> None:
        pg_ctl = [str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(pg_ctl), capture_output=True)


@dataclass
class PrivateRedis:
    """A Redis server of our own on 127.0.0.1:`port`, keeping nothing on disk."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.directory / "redis.log"

    def start(self) -> float:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ClusterError("redis-server is not installed; on Debian: apt-get install redis")
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--logfile", str(self.log)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        return _wait(self.ready, "Redis", 30, self.log)

    def ready(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        self.kill()


@dataclass
class Node:
    """One `navigator serve --config` node of the production set."""

    number: int
    directory: Path
    config: dict[str, object]
    process: subprocess.Popen[bytes] | None = None
    _launched: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.config['web_port']}"

    @property
    def log(self) -> Path:
        return self.directory / "serve.log"

    def start(self) -> float:
        """Start the node and wait until /readyz says ready; seconds it took."""
        self.launch()
        return self.wait_ready()

    def launch(self) -> None:
        """Start `navigator serve` for this node with the trained model as it is."""
        self.directory.mkdir(parents=True, exist_ok=True)
        config_file = self.directory / "node.yml"
        config_file.write_text(yaml.safe_dump(self.config), encoding="utf-8")
        navigator = Path(sys.executable).with_name("navigator")
        command = [str(navigator), "serve", "--config", str(config_file), "--no-train"]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        self._launched = time.monotonic()

    def wait_ready(self) -> float:
        """Seconds from launch until /readyz answered 200; ClusterError if the node stops."""

        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise ClusterError(f"node {self.number} stopped (log: {self.log})\n{tail}")
            return _answers(self.url + "/readyz")

        _wait(ready, f"node {self.number}", READY_SECONDS, self.log)
        return time.monotonic() - self._launched

    def rasa_pid(self) -> int | None:
        """The process id of this node's Rasa server (found by its port)."""
        port = str(self.config["rasa_port"])
        for entry in Path("/proc").iterdir():
            if not entry.name.isdecimal():
                continue
            with contextlib.suppress(OSError):
                words = (entry / "cmdline").read_bytes().split(b"\0")
                rasa = any(word.endswith(b"rasa") for word in words)
                if rasa and b"run" in words and port.encode() in words:
                    return int(entry.name)
        return None

    def kill_rasa(self) -> None:
        """SIGKILL this node's Rasa server; `navigator serve` then stops the whole node."""
        pid = self.rasa_pid()
        if pid is None:
            raise ClusterError(f"node {self.number} has no Rasa server running")
        os.kill(pid, signal.SIGKILL)

    def wait_stopped(self, timeout: float = 30) -> None:
        if self.process is not None:
            self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


@dataclass
class Cluster:
    """PostgreSQL, Redis and N nodes; a context manager that stops everything."""

    nodes: int
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cluster-")))
    postgres: PrivatePostgres = field(init=False)
    redis: PrivateRedis = field(init=False)
    members: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o755)  # the postgres user must reach its data directory
        self.postgres = PrivatePostgres(self.directory / "postgres")
        self.redis = PrivateRedis(self.directory / "redis")

    def node_config(self, number: int) -> dict[str, object]:
        """As deploy/production.example.yml, with this machine's private servers."""
        return {
            "host": "127.0.0.1",
            "web_port": free_port(),
            "rasa_port": free_port(),
            "action_port": free_port(),
            "data_dir": str(self.directory / f"node-{number}"),
            "catalog_root": str(REPO / "catalog"),
            "database_url": self.postgres.url(),
            "secret_key": SECRET_KEY,
            "tracker_store": {
                "type": "navigator.bot.privacy.RedactingSQLTrackerStore",
                "dialect": "postgresql",
                "url": "127.0.0.1",
                "port": self.postgres.port,
                "db": "navigator_conversations",
                "username": "postgres",
            },
            "lock_store": {
                "type": "redis",
                "url": "127.0.0.1",
                "port": self.redis.port,
                "db": 0,
                "key_prefix": "navigator",
                "socket_timeout": 2,
            },
        }

    def start(self) -> dict[str, float]:
        """Start everything; seconds each part took to be ready."""
        seconds = {"postgres": time.monotonic()}
        self.postgres.create()
        seconds["postgres"] = time.monotonic() - seconds["postgres"]
        seconds["redis"] = self.redis.start()
        for number in range(1, self.nodes + 1):
            node = Node(number, self.directory / f"node-{number}", self.node_config(number))
            self.members.append(node)
            node.launch()
            if number == 1:  # the first node migrates the database; the others wait for it
                seconds["node_1"] = node.wait_ready()
        for node in self.members[1:]:
            seconds[f"node_{node.number}"] = node.wait_ready()
        return seconds

    def stop(self) -> None:
        for node in self.members:
            node.stop()
        self.redis.stop()
        self.postgres.stop()

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(nodes: int, directory: Path | None = None) -> Iterator[Cluster]:
    """A started cluster of `nodes` nodes, stopped on leaving the block."""
    cluster = Cluster(nodes, directory or Path(tempfile.mkdtemp(prefix="cluster-")))
    with cluster:
        yield cluster
