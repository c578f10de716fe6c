"""`navigator serve`, the README's run command: the whole product from one command.

The end-to-end test runs the real command in a subprocess (training reuses the model the
bot tests trained), waits for every part to be ready, chats through the web app, leaves
nothing behind after Ctrl-C, and checks the messages for a taken port and a bad config.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from navigator.bot.run import free_port
from navigator.errors import UsageError
from navigator.serve import check_ports_free, write_endpoints
from navigator.web.config import WebConfig, load_config
from tests.conftest import REPO

NAVIGATOR = Path(sys.executable).parent / "navigator"


def test_the_embedded_defaults_need_no_server(tmp_path: Path) -> None:
    config = WebConfig(data_dir=tmp_path)
    assert config.resolved_database_url() == f"sqlite:///{(tmp_path / 'navigator.db').resolve()}"
    assert config.resolved_rasa_url() == "http://127.0.0.1:5005"
    key = config.resolved_secret_key()
    assert key == WebConfig(data_dir=tmp_path).resolved_secret_key()  # kept, not remade
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_a_config_file_sets_production_values(tmp_path: Path) -> None:
    path = tmp_path / "production.yml"
    path.write_text(
        "database_url: postgresql://navigator@db/navigator\nweb_port: 8080\n"
        "tracker_store: {type: SQL, dialect: postgresql, url: db}\n"
        "lock_store: {type: redis, url: 127.0.0.1, port: 6379, socket_timeout: 2}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert (config.database_url, config.web_port) == ("postgresql://navigator@db/navigator", 8080)
    endpoints = yaml.safe_load(
        write_endpoints(config, tmp_path / "e.yml", REPO / "endpoints.yml").read_text()
    )
    assert endpoints["action_endpoint"] == {"url": "http://127.0.0.1:5055/webhook"}
    assert endpoints["tracker_store"]["type"] == "SQL"
    assert endpoints["lock_store"]["socket_timeout"] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("web_prot: 80\n", "unknown setting 'web_prot'"),
        ("web_port: eighty\n", "'web_port' must be a port number"),
        ("tracker_store: SQL\n", "'tracker_store' must be a mapping"),
        ("- a list\n", "must be a mapping of settings"),
        ("web_port: [\n", "cannot read the configuration"),
    ],
)
def test_a_wrong_config_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_config(path)


def test_a_taken_port_is_named() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        config = WebConfig(web_port=free_port(), rasa_port=taken, action_port=free_port())
        with pytest.raises(UsageError, match=rf"port {taken} \(rasa_port\) is taken"):
            check_ports_free(config)


def test_serve_exits_with_a_message_when_a_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        result = subprocess.run(
            [str(NAVIGATOR), "serve", "--port", str(taken), "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert f"port {taken} (web_port) is taken by another program" in result.stderr
    assert "Traceback" not in result.stderr


# The whole product ---------------------------------------------------------------------------


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def served(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`navigator serve` on free ports with a temporary data folder, until the module ends."""
    data = tmp_path_factory.mktemp("serve")
    config = data / "config.yml"
    ports = {"web_port": free_port(), "rasa_port": free_port(), "action_port": free_port()}
    config.write_text(yaml.safe_dump(ports), encoding="utf-8")
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(NAVIGATOR), "serve", "--config", str(config), "--data-dir", str(data)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    base = f"http://127.0.0.1:{ports['web_port']}"
    started = time.monotonic()
    try:
        while time.monotonic() - started < 300:
            assert process.poll() is None, (data / "serve.log").read_text(errors="replace")
            try:
                status, _ = _get(base + "/readyz")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(1)
        yield {"base": base, "process": process, "data": data, "ports": ports}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        log.close()


def test_serve_brings_up_every_part(served: dict[str, Any]) -> None:
    status, body = _get(served["base"] + "/readyz")
    assert status == 200, body
    assert body["ready"] is True
    assert set(body["parts"]) == {"database", "rasa", "actions", "catalog"}
    assert body["parts"]["catalog"]["services"] > 0
    assert body["parts"]["rasa"]["model"]
    printed = (served["data"] / "serve.log").read_text(errors="replace")
    assert f"http://127.0.0.1:{served['ports']['web_port']}/counsellor/" in printed


def test_a_resident_chats_through_the_web_app(served: dict[str, Any]) -> None:
    replies = _post(
        served["base"] + "/chat/send",
        {"sender": "serve-test-0001", "message": "haluan kuolla", "lang": "fi"},
    )
    texts = [r.get("text", "") for r in replies]
    assert "112" in next(t for t in texts if t)  # safety first, through every layer


def test_the_rasa_http_api_is_closed_to_callers_without_the_token(served: dict[str, Any]) -> None:
    rasa = f"http://127.0.0.1:{served['ports']['rasa_port']}"
    status, _ = _get(rasa + "/conversations/serve-test-0001/tracker")
    assert status == 401


def test_ctrl_c_stops_every_part(served: dict[str, Any]) -> None:
    process = served["process"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) in (0, 130)
    for port in served["ports"].values():
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"


def test_the_shipped_production_example_is_a_valid_config(tmp_path: Path) -> None:
    config = load_config(REPO / "deploy" / "production.example.yml")
    assert config.database_url.startswith("postgresql://")
    assert config.tracker_store and config.tracker_store["type"].endswith(
        "RedactingSQLTrackerStore"
    )
    assert config.lock_store and config.lock_store["socket_timeout"] == 2
    endpoints = yaml.safe_load(
        write_endpoints(config, tmp_path / "e.yml", REPO / "endpoints.yml").read_text()
    )
    assert endpoints["lock_store"]["type"] == "redis"
