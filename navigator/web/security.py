"""Who may do what: counsellor sessions, CSRF tokens and login rate limiting.

- The workspace uses a session cookie (HttpOnly, SameSite=Strict); every form that
  changes something carries the session's CSRF token, checked here.
- The JSON API takes a bearer token from `POST /api/v1/auth/token`; a cookie is not
  enough there, so a page on another site cannot use a counsellor's browser against it.
- Failed logins are limited per username and per client address (`LOGIN_ATTEMPTS` in
  `LOGIN_WINDOW_SECONDS`), in memory: each web node counts its own (docs/web.md).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from urllib.parse import quote

from fastapi import HTTPException, Request, Response

from navigator.web.config import LOGIN_ATTEMPTS, LOGIN_WINDOW_SECONDS, SESSION_MAX_HOURS
from navigator.web.sessions import Session, Sessions

COOKIE = "navigator_session"


class LoginRequired(Exception):
    """A workspace page was asked for without a live session: the handler redirects."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _sessions(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.sessions
    return sessions


def workspace_session(request: Request) -> Session:
    """The counsellor's session from the cookie; LoginRequired (→ login page) if none."""
    token = request.cookies.get(COOKIE, "")
    session = _sessions(request).get(token, "web") if token else None
    if session is None:
        raise LoginRequired(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    request.state.session = session
    return session


def api_session(request: Request) -> Session:
    """The counsellor's session from `Authorization: Bearer`; 401 if missing or ended."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    session = None
    if scheme.lower() == "bearer" and token.strip():
        session = _sessions(request).get(token.strip(), "api")
    if session is None:
        raise HTTPException(
            status_code=401,
            detail="a counsellor's bearer token is required (POST /api/v1/auth/token); "
            "it is missing, wrong or expired",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return session


def check_csrf(session: Session, token: str | None) -> None:
    """403 unless the form carried this session's CSRF token."""
    if not token or not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise HTTPException(
            status_code=403, detail="the form has expired; reload the page and try again"
        )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The session cookie: not readable by scripts, never sent from other sites."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_MAX_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def login_redirect_target(next_path: str | None) -> str:
    """Where to go after login: only a path of this site's workspace (no open redirect)."""
    if next_path and next_path.startswith("/counsellor") and "//" not in next_path:
        return next_path
    return "/counsellor/"


def login_url(next_path: str) -> str:
    """The login page that returns to `next_path`."""
    return f"/counsellor/login?next={quote(next_path, safe='/')}"


class LoginLimiter:
    """Counts failed logins per key in a sliding window; thread-safe, in memory."""

    def __init__(
        self, attempts: int = LOGIN_ATTEMPTS, window_seconds: float = LOGIN_WINDOW_SECONDS
    ) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked_for(self, *keys: str, now: float | None = None) -> float:
        """Seconds until a login may be tried again for these keys (0 if it may now)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.attempts:
                    wait = max(wait, failures[0] + self.window - now)
        return wait

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count one failed login for each key."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of these keys (a correct password was given)."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures


def client_address(request: Request) -> str:
    """The client's address as the app sees it (behind a proxy: uvicorn's forwarded-allow)."""
    return request.client.host if request.client else "unknown"
