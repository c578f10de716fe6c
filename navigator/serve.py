"""`navigator serve`: the whole product on one machine, or one node of a production set.

It migrates the database, trains the assistant if its config, domain or data changed,
starts the action server and the Rasa server, waits until both are ready, then runs the
web app in this process. Ctrl-C stops everything; a part that fails to start or stops
later ends the whole run with a message saying which part and why.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click
import yaml

from navigator.errors import UsageError
from navigator.settings import CATALOG_RELOAD_ENV
from navigator.web.config import WebConfig, load_config

log = logging.getLogger(__name__)


def _say(message: str) -> None:
    click.echo(message, err=True)


def check_ports_free(config: WebConfig) -> None:
    """UsageError naming the first port another program already listens on."""
    for name, port in (
        ("web_port", config.web_port),
        ("rasa_port", config.rasa_port),
        ("action_port", config.action_port),
    ):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((config.host if name == "web_port" else "127.0.0.1", port))
            except OSError:
                raise UsageError(
                    f"port {port} ({name}) is taken by another program: stop it, or set "
                    f"'{name}' in a file given with --config"
                ) from None


def write_endpoints(config: WebConfig, target: Path, source: Path) -> Path:
    """Rasa's endpoints.yml for this run: the repository's, with this run's action server,
    and the tracker and lock stores of the configuration when it names them."""
    endpoints: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{config.action_port}/webhook"}
    if config.tracker_store:
        endpoints["tracker_store"] = config.tracker_store
    if config.lock_store:
        endpoints["lock_store"] = config.lock_store
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def _child_environment(config: WebConfig) -> dict[str, str]:
    """What the action server must share with the web app: database, key, catalogue, and
    live catalogue reload (on unless the environment turns it off)."""
    return {
        "NAVIGATOR_DATABASE_URL": config.resolved_database_url(),
        "NAVIGATOR_SECRET_KEY": config.resolved_secret_key(),
        "NAVIGATOR_CATALOG": str(Path(config.catalog_root).resolve()),
        CATALOG_RELOAD_ENV: os.environ.get(CATALOG_RELOAD_ENV) or "1",
        # Rasa's lock on a conversation lasts 60 s unless told otherwise: when a node dies
        # in the middle of a turn, that conversation would wait a minute on the other
        # nodes. A turn takes well under a second; 5 s leaves room for a busy node.
        "TICKET_LOCK_LIFETIME": os.environ.get("TICKET_LOCK_LIFETIME") or "5",
    }


def run(config: WebConfig, *, train_model: bool = True) -> int:
    """Run every part until Ctrl-C or until one fails; returns the exit status."""
    from navigator.bot.run import (
        REPO,
        Server,
        StartupError,
        start_action_server,
        start_rasa_server,
        train,
        warm_up,
    )
    from navigator.db import Database, mask_url

    check_ports_free(config)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    logs = config.data_dir / "logs"
    _say(f"Database: {mask_url(config.resolved_database_url())}")
    Database(config.resolved_database_url()).migrate()
    models = REPO / ".rasa" / "models"
    if train_model:
        _say("Training the assistant if its config, domain or data changed (first time: ~5 min)…")
        model = train(models)
    else:
        model = _newest_model(models)
    config.rasa_token = config.rasa_token or secrets.token_urlsafe(24)
    environment = _child_environment(config)
    endpoints = write_endpoints(config, config.data_dir / "endpoints.yml", REPO / "endpoints.yml")
    servers: list[tuple[str, Server]] = []
    try:
        _say(f"Starting the action server on port {config.action_port}…")
        actions = start_action_server(config.action_port, logs / "actions.log", environment)
        servers.append(("action server", actions))
        _say(f"Starting the Rasa server on port {config.rasa_port} (loading takes ~40 s)…")
        rasa = start_rasa_server(
            model,
            config.rasa_port,
            logs / "rasa.log",
            endpoints=endpoints,
            env=environment,
            token=config.rasa_token,
        )
        servers.append(("Rasa server", rasa))
        actions.wait_ready("/health")
        seconds = rasa.wait_ready("/")
        _say(f"Assistant loaded in {seconds:.0f} s; warming it up…")
        _say(f"Assistant ready ({warm_up(rasa.url):.0f} s to warm up).")
        return _serve_web(config, servers)
    except StartupError as exc:
        _say(f"error: a part failed to start: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        for name, server in reversed(servers):
            _say(f"Stopping the {name}…")
            server.stop()


def _serve_web(config: WebConfig, servers: list[tuple[str, Any]]) -> int:
    """Run the web app here until Ctrl-C, or until a child server stops by itself."""
    import uvicorn

    from navigator.web.app import create_app

    os.environ.update(_child_environment(config))
    app = create_app(config)
    server = uvicorn.Server(
        # No websockets: the chat uses plain HTTP, and Rasa pins a websockets too old for
        # uvicorn's own.
        uvicorn.Config(app, host=config.host, port=config.web_port, log_level="warning", ws="none")
    )
    failed: list[str] = []

    def watch() -> None:
        while not server.should_exit:
            for name, child in servers:
                if child.process.poll() is not None:
                    failed.append(f"the {name} stopped (log: {child.log})")
                    server.should_exit = True
                    return
            time.sleep(1)

    threading.Thread(target=watch, name="watch-children", daemon=True).start()
    base = f"http://{config.host}:{config.web_port}"
    _say(
        f"Navigator is running:\n"
        f"  residents' chat     {base}/\n"
        f"  counsellors         {base}/counsellor/  (accounts: navigator users add NAME)\n"
        f"  API (OpenAPI)       {base}/api/v1/openapi.json\n"
        f"  readiness           {base}/readyz\n"
        f"Logs in {config.data_dir / 'logs'}. Ctrl-C stops everything."
    )
    server.run()
    if failed:
        _say("error: " + "; ".join(failed))
        return 1
    return 0


def _newest_model(models: Path) -> Path:
    found = sorted(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise UsageError(f"no trained model in {models}; run without --no-train")
    return found[-1]


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a YAML file of production settings (docs/settings.md); default: embedded",
)
@click.option("--host", help="the web app's interface (default 127.0.0.1)")
@click.option("--port", type=click.IntRange(1, 65535), help="the web app's port (default 8000)")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-train", is_flag=True, help="use the newest trained model as it is")
def serve(
    config_path: Path | None,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    no_train: bool,
) -> None:
    """Run the navigator: the chat page, the counsellor workspace, the API and the assistant."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per plugin otherwise
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per chat turn otherwise
    config = load_config(config_path)
    if host:
        config.host = host
    if port:
        config.web_port = port
    if data_dir:
        config.data_dir = data_dir
    sys.exit(run(config, train_model=not no_train))
