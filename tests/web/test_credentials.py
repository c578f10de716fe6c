"""Counsellor endpoints with missing, expired or forged credentials: 401 (API), the login
page (303) or 403 (workspace forms), and never a contact request's data.

The endpoints are taken from the app's own routes: every `/counsellor/...` route but the
login form, and every `/api/v1/contact-requests...` route but the public one that creates a
request. A route added later is covered without touching this file; a new contact-request
route that is not behind the token fails `test_every_contact_request_route_needs_a_token`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from navigator.contact import ContactChannel, ContactRequest, Status
from navigator.routing import Router
from navigator.web.security import COOKIE, api_session
from tests.web.counsellor_helpers import PASSWORD, USER, Workspace, running_workspace

#: A contact request whose words must never leak: the number in every form it may be shown.
PHONE_TYPED = "040 765 4321"
PHONE_FORMS = ("040 765 4321", "+358407654321", "407654321", "0407654321")
FREE_TEXT = "Salainen kuvaus: naapurin koira haukkuu yöt läpi 7d3f."
PREFERRED_TIME = "tiistaisin klo 13 (salainen aika)"
NOTE_TEXT = "Palveluohjaajan salainen muistiinpano 91ab."
SECRETS = (*PHONE_FORMS, FREE_TEXT, "7d3f", PREFERRED_TIME, NOTE_TEXT, "91ab")

#: Contact-request routes anyone may call (method, path).
PUBLIC = {("POST", "/api/v1/contact-requests")}
LOGIN = "/counsellor/login"
OTHER_USER = "poistuva.ohjaaja"


@dataclass(frozen=True)
class Endpoint:
    """One method of one protected route, with its path parameters filled in."""

    method: str
    template: str
    path: str
    api: bool

    @property
    def changes(self) -> bool:
        """True for a route that changes something (a form post, a status change)."""
        return self.method != "GET"


def protected_routes(app: Any) -> list[tuple[str, APIRoute]]:
    """(method, route) of every counsellor route: the workspace but its login form, and
    the contact-request API but its public endpoint."""
    found = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods):
            workspace = route.path.startswith("/counsellor") and route.path != LOGIN
            api = route.path.startswith("/api/v1/contact-requests")
            if (workspace or api) and (method, route.path) not in PUBLIC:
                found.append((method, route))
    return found


def endpoints(app: Any, reference: str, service_id: str) -> list[Endpoint]:
    """The protected routes with a real request's reference and a real service's id."""
    values = {"reference": reference, "service_id": service_id}
    found = []
    for method, route in protected_routes(app):
        path = route.path
        for name in route.param_convertors:
            assert name in values, f"no value for {{{name}}} in {route.path}: add one here"
            path = path.replace(f"{{{name}}}", values[name])
        found.append(Endpoint(method, route.path, path, route.path.startswith("/api/")))
    return found


@dataclass
class Scene:
    """The app with one contact request (and a note) full of words that must not leak."""

    workspace: Workspace
    stored: ContactRequest
    endpoints: list[Endpoint]

    @property
    def client(self) -> Any:
        return self.workspace.client

    def send(
        self,
        endpoint: Endpoint,
        *,
        cookie: str | None = None,
        headers: dict[str, str] | None = None,
        csrf: str | None = None,
    ) -> httpx.Response:
        """One request with exactly these credentials (the client's cookie jar is reset)."""
        self.client.cookies.clear()
        if cookie is not None:
            self.client.cookies.set(COOKIE, cookie)
        kwargs: dict[str, Any] = {"headers": headers or {}, "follow_redirects": False}
        if endpoint.changes and endpoint.api:
            kwargs["json"] = {"status": "in_progress"}
        elif endpoint.changes:
            form = {"status": "in_progress", "text": "väärennetty muistiinpano"}
            kwargs["data"] = {**form, "csrf": csrf} if csrf is not None else form
        response: httpx.Response = self.client.request(endpoint.method, endpoint.path, **kwargs)
        return response

    def unchanged(self) -> None:
        """The request is as it was stored: nobody moved it or added a note."""
        now = self.workspace.contacts.get(self.stored.reference)
        assert now is not None
        assert now.status is Status.NEW
        assert [n.text for n in now.notes] == [NOTE_TEXT]


@pytest.fixture
def scene(tmp_path: Path, router: Router) -> Iterator[Scene]:
    with running_workspace(tmp_path, router) as workspace:
        stored = workspace.submit(
            channel=ContactChannel.PHONE,
            address=PHONE_TYPED,
            preferred_time=PREFERRED_TIME,
            free_text=FREE_TEXT,
        )
        workspace.contacts.add_note(stored.reference, USER, NOTE_TEXT)
        service_id = router.catalog.active[0].id
        yield Scene(workspace, stored, endpoints(workspace.app, stored.reference, service_id))


def assert_nothing_leaks(response: httpx.Response, what: str) -> None:
    """Neither the body nor any header holds the request's contact details or words."""
    seen = response.text + " " + " ".join(f"{k}: {v}" for k, v in response.headers.items())
    for secret in SECRETS:
        assert secret not in seen, f"{what}: {secret!r} leaked"


def assert_refused(scene: Scene, endpoint: Endpoint, response: httpx.Response, what: str) -> None:
    """401 in the API's shape, or the workspace's way back to the login page."""
    label = f"{endpoint.method} {endpoint.path} with {what}"
    if endpoint.api:
        assert response.status_code == 401, f"{label}: {response.status_code}"
        assert response.json()["error"]["code"] == "unauthorized", label
        assert response.headers["www-authenticate"] == "Bearer", label
    else:
        assert response.status_code == 303, f"{label}: {response.status_code}"
        assert response.headers["location"].startswith(f"{LOGIN}?next=/counsellor"), label
    assert_nothing_leaks(response, label)


# The routes themselves ----------------------------------------------------------------------


def test_every_counsellor_route_is_enumerated(scene: Scene) -> None:
    found = {(e.method, e.template) for e in scene.endpoints}
    assert found >= {
        ("GET", "/counsellor/"),
        ("GET", "/counsellor/search"),
        ("GET", "/counsellor/services/{service_id}"),
        ("GET", "/counsellor/handout"),
        ("GET", "/counsellor/requests"),
        ("GET", "/counsellor/requests/{reference}"),
        ("POST", "/counsellor/requests/{reference}/status"),
        ("POST", "/counsellor/requests/{reference}/notes"),
        ("POST", "/counsellor/logout"),
        ("GET", "/api/v1/contact-requests"),
        ("GET", "/api/v1/contact-requests/{reference}"),
        ("POST", "/api/v1/contact-requests/{reference}/status"),
    }
    assert not any(e.template == LOGIN for e in scene.endpoints)


def test_every_contact_request_route_needs_a_token(scene: Scene) -> None:
    for method, route in protected_routes(scene.workspace.app):
        if route.path.startswith("/api/"):
            calls = {d.call for d in route.dependant.dependencies}
            assert api_session in calls, f"{method} {route.path} is not behind the bearer token"


def test_with_valid_credentials_the_data_is_there(scene: Scene) -> None:
    """The refusals below mean something: the same endpoints do show the data to a
    counsellor who is logged in."""
    token = scene.client.post(
        "/api/v1/auth/token", json={"username": USER, "password": PASSWORD}
    ).json()["access_token"]
    one = next(e for e in scene.endpoints if e.template == "/api/v1/contact-requests/{reference}")
    body = scene.send(one, headers={"Authorization": f"Bearer {token}"}).text
    assert "+358407654321" in body and FREE_TEXT in body and NOTE_TEXT in body
    scene.workspace.logged_in()
    cookie = scene.client.cookies.get(COOKIE)
    page = next(e for e in scene.endpoints if e.template == "/counsellor/requests/{reference}")
    html = scene.send(page, cookie=cookie).text
    assert "407654321" in html and FREE_TEXT in html and NOTE_TEXT in html


# Missing, expired and forged credentials ----------------------------------------------------


def _expired(scene: Scene, kind: str) -> str:
    old = datetime.now(timezone.utc) - timedelta(hours=1)
    token: str = scene.workspace.app.state.sessions.create(USER, kind, now=old)
    return token


def _of_deleted_user(scene: Scene, kind: str) -> str:
    """A live session of an account that is then removed."""
    scene.workspace.users.add(OTHER_USER, PASSWORD)
    token: str = scene.workspace.app.state.sessions.create(OTHER_USER, kind)
    scene.workspace.users.remove(OTHER_USER)
    return token


def _forged_cookies(scene: Scene) -> dict[str, str | None]:
    """What a workspace request may carry instead of a live session cookie."""
    return {
        "no cookie": None,
        "an empty cookie": "",
        "an expired session": _expired(scene, "web"),
        "a random token": secrets.token_urlsafe(32),
        "a short forged token": "forged",
        "an overlong token": "A" * 4000,
        "a token with SQL in it": "x' OR '1'='1",
        "an API token as the cookie": scene.workspace.app.state.sessions.create(USER, "api"),
        "the cookie of a deleted account": _of_deleted_user(scene, "web"),
    }


def _forged_headers(scene: Scene) -> dict[str, dict[str, str]]:
    """What an API request may carry instead of a live bearer token."""
    web = scene.workspace.app.state.sessions.create(USER, "web")
    api = scene.workspace.app.state.sessions.create(USER, "api")
    return {
        "no Authorization": {},
        "an empty bearer": {"Authorization": "Bearer "},
        "an expired token": {"Authorization": f"Bearer {_expired(scene, 'api')}"},
        "a random token": {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
        "an overlong token": {"Authorization": "Bearer " + "A" * 4000},
        "a workspace session as the bearer": {"Authorization": f"Bearer {web}"},
        "the token under another scheme": {"Authorization": f"Basic {api}"},
        "the token without a scheme": {"Authorization": api},
        "a token of a deleted account": {
            "Authorization": f"Bearer {_of_deleted_user(scene, 'api')}"
        },
        "Basic credentials": {"Authorization": "Basic bGlpc2E6cGl0a8OkIGphIGh5dsOk"},
    }


def test_the_workspace_without_a_live_session_is_the_login_page(scene: Scene) -> None:
    workspace = [e for e in scene.endpoints if not e.api]
    for what, cookie in _forged_cookies(scene).items():
        for endpoint in workspace:
            response = scene.send(endpoint, cookie=cookie, csrf="whatever")
            assert_refused(scene, endpoint, response, what)
    scene.unchanged()


def test_the_api_without_a_live_token_is_401(scene: Scene) -> None:
    api = [e for e in scene.endpoints if e.api]
    for what, headers in _forged_headers(scene).items():
        for endpoint in api:
            assert_refused(scene, endpoint, scene.send(endpoint, headers=headers), what)
    # A live workspace cookie is not an API credential either.
    scene.workspace.logged_in()
    cookie = scene.client.cookies.get(COOKIE)
    for endpoint in api:
        response = scene.send(endpoint, cookie=cookie)
        assert_refused(scene, endpoint, response, "a workspace cookie")
    scene.unchanged()


def test_forms_with_a_missing_or_tampered_csrf_token_are_403(scene: Scene) -> None:
    scene.workspace.logged_in()
    cookie = scene.client.cookies.get(COOKIE)
    assert cookie
    other = scene.workspace.app.state.sessions.create(USER, "web")
    other_csrf = scene.workspace.app.state.sessions.get(other, "web").csrf
    own_csrf = scene.workspace.app.state.sessions.get(cookie, "web").csrf
    tampered = {
        "no token": None,
        "an empty token": "",
        "another session's token": other_csrf,
        "the token with one character changed": own_csrf[:-1]
        + ("A" if own_csrf[-1] != "A" else "B"),
        "the token cut short": own_csrf[:10],
        "the token with junk after it": own_csrf + "x",
        "a non-ASCII token": "ä" * len(own_csrf),
    }
    forms = [e for e in scene.endpoints if not e.api and e.changes]
    assert forms
    for what, csrf in tampered.items():
        for endpoint in forms:
            response = scene.send(endpoint, cookie=cookie, csrf=csrf)
            label = f"{endpoint.method} {endpoint.path} with {what}"
            assert response.status_code == 403, f"{label}: {response.status_code}"
            assert_nothing_leaks(response, label)
    scene.unchanged()
    # The session itself still works: a tampered form does not log the counsellor out.
    requests = next(e for e in scene.endpoints if e.template == "/counsellor/requests")
    assert scene.send(requests, cookie=cookie).status_code == 200
