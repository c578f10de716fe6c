"""The counsellor workspace under test: the real app (FastAPI's TestClient), a real SQLite
file, real stores, and a counsellor who logs in through the login form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from navigator.accounts import Users
from navigator.audit import AuditEntry, AuditLog
from navigator.contact import ContactChannel, ContactDraft, ContactRequest, ContactStore
from navigator.routing import Router
from navigator.web.app import create_app
from navigator.web.config import WebConfig

USER = "liisa.palveluohjaaja"
PASSWORD = "pitkä ja hyvä salasana"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def draft(**changes: Any) -> ContactDraft:
    """A contact request as the resident's chat sends it, with consent."""
    values: dict[str, Any] = {
        "language": "fi",
        "needs": ("mental_health",),
        "municipality": "564",
        "services": ("mieli-crisis-line", "pohde-social-crisis-emergency"),
        "channel": ContactChannel.PHONE,
        "address": "040 123 4567",
        "preferred_time": "arkisin aamupäivisin",
        "consent": True,
        "free_text": "En ole nukkunut viikkoon ja pelottaa.",
    }
    values.update(changes)
    return ContactDraft(**values)


@dataclass
class Workspace:
    """A running app, its browser-like client, and shortcuts to its stores."""

    app: FastAPI
    client: TestClient

    @property
    def users(self) -> Users:
        value: Users = self.app.state.users
        return value

    @property
    def contacts(self) -> ContactStore:
        value: ContactStore = self.app.state.contacts
        return value

    @property
    def audit(self) -> AuditLog:
        value: AuditLog = self.app.state.audit
        return value

    def entries(self, action: str | None = None) -> list[AuditEntry]:
        """The audit log, newest first, optionally of one action."""
        return [e for e in self.audit.list(limit=500) if action is None or e.action == action]

    def login_form(self) -> str:
        """The login page's CSRF token (the page also sets its cookie on the client)."""
        return csrf_of(self.client.get("/counsellor/login").text)

    def login(
        self, username: str = USER, password: str = PASSWORD, next_path: str = "/counsellor/"
    ) -> httpx.Response:
        """Post the login form as a browser would (not following the redirect)."""
        token = self.login_form()
        return self.client.post(
            "/counsellor/login",
            data={"username": username, "password": password, "csrf": token, "next": next_path},
            follow_redirects=False,
        )

    def logged_in(self) -> None:
        """Log the default counsellor in; fail if that does not work."""
        response = self.login()
        assert response.status_code == 303, response.text

    def submit(self, now: datetime | None = None, **changes: Any) -> ContactRequest:
        """A resident's contact request, stored as the chat stores it."""
        return self.contacts.submit(draft(**changes), now=now)


def web_config(data_dir: Path) -> WebConfig:
    """The app's settings for a test: everything in the test's own folder."""
    return WebConfig(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'navigator.db'}",
        secret_key="test-secret-key-for-the-login-form-0123456789",
    )


@contextmanager
def running_workspace(data_dir: Path, router: Router) -> Iterator[Workspace]:
    """The app started (lifespan run), with one counsellor account."""
    app = create_app(web_config(data_dir), router=router)
    with TestClient(app) as client:
        workspace = Workspace(app, client)
        workspace.users.add(USER, PASSWORD)
        yield workspace
