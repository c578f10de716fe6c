"""What `navigator serve` and the web app run with: embedded defaults, or a YAML file.

The defaults run everything on one machine with nothing else installed: SQLite in a data
directory, the Rasa in-memory tracker store, the shipped catalogue. A production file
(`navigator serve --config production.yml`) names PostgreSQL, Redis and the ports.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from navigator.catalog.loader import default_catalog_root
from navigator.errors import UsageError

#: Minutes a counsellor's session lasts without activity, and at most in all (hours).
SESSION_IDLE_MINUTES = 30
SESSION_MAX_HOURS = 8

#: Failed logins per username (and per client address) allowed in the window below.
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300

#: Largest JSON or form body the web app reads, in bytes.
MAX_BODY_BYTES = 64 * 1024

#: Public contact requests one client address may create per hour (the API's endpoint).
PUBLIC_CONTACT_PER_HOUR = 5


@dataclass
class WebConfig:
    """Where each part listens and what it stores; see docs/settings.md."""

    host: str = "127.0.0.1"
    web_port: int = 8000
    rasa_port: int = 5005
    action_port: int = 5055
    data_dir: Path = field(default_factory=lambda: Path("navigator-data"))
    database_url: str = ""  # empty: SQLite in data_dir
    catalog_root: Path = field(default_factory=default_catalog_root)
    secret_key: str = ""  # empty: made and kept in data_dir
    rasa_url: str = ""  # empty: the Rasa server that `serve` starts on rasa_port
    rasa_token: str = ""  # the Rasa HTTP API's token (`serve` makes one per run)
    tracker_store: dict[str, Any] | None = None  # Rasa endpoints.yml `tracker_store` section
    lock_store: dict[str, Any] | None = None  # Rasa endpoints.yml `lock_store` section
    public_base_url: str = ""  # how residents reach the web app (for links in docs only)

    def resolved_database_url(self) -> str:
        """The configured URL, else NAVIGATOR_DATABASE_URL, else SQLite in the data folder."""
        url = self.database_url or os.environ.get("NAVIGATOR_DATABASE_URL", "")
        return url or f"sqlite:///{(self.data_dir / 'navigator.db').resolve()}"

    def resolved_rasa_url(self) -> str:
        """The Rasa server the chat page talks to (through the web app)."""
        return (self.rasa_url or f"http://127.0.0.1:{self.rasa_port}").rstrip("/")

    def resolved_secret_key(self) -> str:
        """The configured key, else NAVIGATOR_SECRET_KEY, else one kept in the data folder."""
        key = self.secret_key or os.environ.get("NAVIGATOR_SECRET_KEY", "")
        if key:
            return key
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(_fernet_key(), encoding="ascii")
        return path.read_text(encoding="ascii").strip()


def _fernet_key() -> str:
    """A Fernet key (32 random bytes, url-safe base64): it also seals contact details."""
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def load_config(path: Path | None) -> WebConfig:
    """The embedded defaults, with what the YAML file at `path` sets; UsageError if wrong."""
    config = WebConfig()
    if path is None:
        return config
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read the configuration {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: the configuration must be a mapping of settings")
    known = {f.name: f for f in fields(WebConfig)}
    for key, value in data.items():
        if key not in known:
            raise UsageError(f"{path}: unknown setting '{key}'; known: {', '.join(sorted(known))}")
        setattr(config, key, _coerce(path, key, value, getattr(config, key)))
    return config


def _coerce(path: Path, key: str, value: Any, default: Any) -> Any:
    """The value in the type of the default, with a message naming the setting if it cannot."""
    if isinstance(default, Path):
        return Path(str(value))
    if isinstance(default, bool) or default is None:
        if default is None and value is not None and not isinstance(value, dict):
            raise UsageError(f"{path}: '{key}' must be a mapping (as in Rasa's endpoints.yml)")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or not 0 < value < 65536:
            raise UsageError(f"{path}: '{key}' must be a port number, not {value!r}")
        return value
    if not isinstance(value, str):
        raise UsageError(f"{path}: '{key}' must be text, not {value!r}")
    return value
