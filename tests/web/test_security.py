"""Login rate limiting, CSRF checks and where a login may return to."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi import HTTPException

from navigator.web.security import LoginLimiter, check_csrf, login_redirect_target
from navigator.web.sessions import Session

NOW = datetime(2026, 11, 23, tzinfo=timezone.utc)


def test_failed_logins_block_each_key_for_the_rest_of_the_window() -> None:
    limiter = LoginLimiter(attempts=3, window_seconds=60)
    for second in (0, 1, 2):
        assert limiter.blocked_for("user:liisa", "ip:10.0.0.1", now=second) == 0
        limiter.failed("user:liisa", "ip:10.0.0.1", now=second)
    assert limiter.blocked_for("user:liisa", now=10) == pytest.approx(50)
    assert limiter.blocked_for("user:pekka", "ip:10.0.0.1", now=10) == pytest.approx(50)
    assert limiter.blocked_for("user:pekka", "ip:10.0.0.2", now=10) == 0
    assert limiter.blocked_for("user:liisa", now=59) == pytest.approx(1)
    assert limiter.blocked_for("user:liisa", now=60.5) == 0  # the first failure left the window


def test_a_correct_password_forgets_the_failures() -> None:
    limiter = LoginLimiter(attempts=2, window_seconds=60)
    limiter.failed("user:liisa", now=0)
    limiter.succeeded("user:liisa")
    limiter.failed("user:liisa", now=1)
    assert limiter.blocked_for("user:liisa", now=1) == 0


def test_a_form_needs_its_sessions_csrf_token() -> None:
    session = Session("liisa", "web", "a" * 43, NOW, NOW)
    check_csrf(session, "a" * 43)
    for wrong in (None, "", "b" * 43, "a" * 42):
        with pytest.raises(HTTPException) as raised:
            check_csrf(session, wrong)
        assert raised.value.status_code == 403


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [
        ("/counsellor/requests?status=new", "/counsellor/requests?status=new"),
        (None, "/counsellor/"),
        ("https://evil.example/counsellor", "/counsellor/"),
        ("//evil.example/counsellor", "/counsellor/"),
        ("/counsellor//evil.example", "/counsellor/"),
        ("/api/v1/contact-requests", "/counsellor/"),
    ],
)
def test_login_returns_only_to_a_workspace_page(asked: str | None, goes_to: str) -> None:
    assert login_redirect_target(asked) == goes_to
