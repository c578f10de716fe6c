"""The JSON API on the real app: routing, search, services, needs, the counsellor token and
contact requests, with one error shape and the OpenAPI document that describes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from navigator.routing import Router
from tests.web.counsellor_helpers import PASSWORD, USER, Workspace, running_workspace


@pytest.fixture
def api(tmp_path: Path, router: Router) -> Iterator[Workspace]:
    with running_workspace(tmp_path, router) as workspace:
        yield workspace


def token(api: Workspace) -> str:
    response = api.client.post("/api/v1/auth/token", json={"username": USER, "password": PASSWORD})
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body


# Public: routing and the catalogue --------------------------------------------------------


def test_route_answers_danger_with_112_first_in_every_language(api: Workspace) -> None:
    for text, lang in [
        ("en jaksa enää elää, haluan kuolla", "fi"),
        ("jag vill inte leva längre", "sv"),
        ("I want to kill myself tonight", "en"),
    ]:
        body = api.client.post("/api/v1/route", json={"text": text, "lang": lang}).json()
        assert body["safety"] != "none", text
        assert body["safety_message"] and "112" in body["safety_message"], text
        assert body["recommendations"][0]["role"] in ("emergency", "crisis"), text
        assert body["cards"][0]["contacts"], "a card says how to reach the service"


def test_route_gives_the_ladder_with_cards(api: Workspace) -> None:
    body = api.client.post(
        "/api/v1/route",
        json={"text": "velat kasvaa enkä saa maksettua laskuja", "municipality": "Oulussa"},
    ).json()
    assert body["safety"] == "none"
    assert body["needs"][0] == "money_debt"
    levels = [r["level"] for r in body["recommendations"]]
    assert levels == sorted(levels), "lowest threshold first"
    assert [c["id"] for c in body["cards"]] == [r["id"] for r in body["recommendations"]]
    assert body["profile"]["municipality"] == "564"


def test_search_has_hits_reasons_and_facets(api: Workspace) -> None:
    body = api.client.get(
        "/api/v1/search", params={"q": "kriisipuhlein", "free": "true", "limit": 3}
    ).json()
    assert body["total"] >= 1 and len(body["hits"]) <= 3
    assert any("kriisipuhelin" in r for r in body["hits"][0]["reasons"]), body["hits"][0]
    assert set(body["facets"]) >= {"level", "provider_type"}


def test_search_refuses_an_unknown_municipality_and_need_by_name(api: Workspace) -> None:
    body = assert_error(
        api.client.get("/api/v1/search", params={"municipality": "Tampere"}), 422, "invalid"
    )
    assert "'Tampere' is not a municipality of the county" in body["error"]["message"]
    body = assert_error(api.client.get("/api/v1/search", params={"need": "flying"}), 422, "invalid")
    assert "flying" in body["error"]["message"]


def test_a_service_has_every_field_and_an_unknown_one_is_404(
    api: Workspace, router: Router
) -> None:
    service = router.catalog.active[0]
    body = api.client.get(f"/api/v1/services/{service.id}").json()
    assert body["id"] == service.id
    assert body["name"]["fi"] == service.name.fi
    assert body["source"] == service.source and body["checked"] == service.checked.isoformat()
    assert "origin" not in body  # where the editors wrote it is not the API's business
    assert_error(api.client.get("/api/v1/services/no-such-service"), 404, "not_found")


def test_needs_lists_the_taxonomy(api: Workspace, router: Router) -> None:
    body = api.client.get("/api/v1/needs").json()
    assert [n["id"] for n in body["needs"]] == list(router.catalog.taxonomy.needs)
    assert all(n["label"]["fi"] and n["label"]["sv"] and n["label"]["en"] for n in body["needs"])


def test_bad_requests_share_one_error_shape(api: Workspace) -> None:
    body = assert_error(api.client.post("/api/v1/route", json={"lang": "de"}), 422, "invalid")
    assert {p["at"] for p in body["error"]["problems"]} >= {"body.text", "body.lang"}
    assert_error(
        api.client.post(
            "/api/v1/route", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid",
    )
    assert_error(api.client.get("/api/v1/search", params={"limit": 1000}), 422, "invalid")
    assert_error(api.client.get("/api/v1/nothing-here"), 404, "not_found")
    too_big = {"text": "a" * 70_000}
    assert_error(api.client.post("/api/v1/route", json=too_big), 413, "too_large")


def test_the_openapi_document_describes_every_endpoint(api: Workspace) -> None:
    document = api.client.get("/api/v1/openapi.json").json()
    paths = set(document["paths"])
    assert paths >= {
        "/api/v1/route",
        "/api/v1/search",
        "/api/v1/services/{service_id}",
        "/api/v1/needs",
        "/api/v1/auth/token",
        "/api/v1/contact-requests",
        "/api/v1/contact-requests/{reference}",
        "/healthz",
        "/readyz",
    }
    assert not any(p.startswith("/counsellor") for p in paths)  # pages are not the API


# Counsellors: the token and contact requests ---------------------------------------------


def test_contact_requests_need_a_token(api: Workspace) -> None:
    api.submit()
    for headers in ({}, bearer("forged-token"), {"Authorization": "Basic dXNlcjpwdw=="}):
        response = api.client.get("/api/v1/contact-requests", headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
        assert "040" not in response.text


def test_a_workspace_cookie_is_not_an_api_token(api: Workspace) -> None:
    api.logged_in()  # the client now holds the session cookie
    assert_error(api.client.get("/api/v1/contact-requests"), 401, "unauthorized")


def test_a_counsellor_reads_and_moves_requests_with_a_token(api: Workspace) -> None:
    stored = api.submit()
    api.submit(municipality="091", needs=("money_debt",))
    headers = bearer(token(api))
    listed = api.client.get(
        "/api/v1/contact-requests", params={"municipality": "Oulu"}, headers=headers
    ).json()
    assert listed["total"] == 1 and listed["items"][0]["reference"] == stored.reference
    one = api.client.get(f"/api/v1/contact-requests/{stored.reference}", headers=headers).json()
    assert one["address"] == "+358401234567" and one["status"] == "new"
    moved = api.client.post(
        f"/api/v1/contact-requests/{stored.reference}/status",
        json={"status": "in_progress"},
        headers=headers,
    )
    assert moved.json() == {"reference": stored.reference, "status": "in_progress"}
    views = api.entries("contact.view")
    assert views[0].actor == USER and views[0].target == stored.reference
    assert "+358" not in repr(api.entries())  # the audit log holds no contact details


def test_an_expired_token_is_refused(api: Workspace) -> None:
    sessions = api.app.state.sessions
    old = datetime.now(timezone.utc) - timedelta(hours=1)
    expired = sessions.create(USER, "api", now=old)
    assert_error(
        api.client.get("/api/v1/contact-requests", headers=bearer(expired)), 401, "unauthorized"
    )


def test_wrong_passwords_are_limited(api: Workspace) -> None:
    for _ in range(5):
        response = api.client.post(
            "/api/v1/auth/token", json={"username": USER, "password": "wrong password!"}
        )
        assert_error(response, 401, "unauthorized")
    response = api.client.post("/api/v1/auth/token", json={"username": USER, "password": PASSWORD})
    assert_error(response, 429, "too_many_requests")
    assert int(response.headers["retry-after"]) > 0


def test_the_public_endpoint_stores_with_consent_and_is_rate_limited(api: Workspace) -> None:
    body = {
        "language": "sv",
        "needs": ["money_debt"],
        "municipality": "Kempele",
        "channel": "email",
        "address": "anna@example.fi",
        "consent": True,
    }
    refused = api.client.post("/api/v1/contact-requests", json={**body, "consent": False})
    assert_error(refused, 422, "invalid")
    bad = api.client.post("/api/v1/contact-requests", json={**body, "address": "anna@"})
    assert_error(bad, 422, "invalid")
    assert api.contacts.count() == 0  # nothing stored for either
    created = api.client.post("/api/v1/contact-requests", json=body)
    assert created.status_code == 201, created.text
    stored = api.contacts.get(created.json()["reference"])
    assert stored is not None and stored.municipality == "244"
    for _ in range(2):  # five an hour, the refused and the malformed ones counted too
        assert api.client.post("/api/v1/contact-requests", json=body).status_code == 201
    assert_error(api.client.post("/api/v1/contact-requests", json=body), 429, "too_many_requests")
    assert api.contacts.count() == 3


# Every response -----------------------------------------------------------------------------


def test_every_response_forbids_framing_sniffing_and_third_party_content(api: Workspace) -> None:
    for path in ("/", "/api/v1/needs", "/counsellor/login", "/healthz"):
        headers = api.client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"


def test_readiness_names_the_part_that_is_down(api: Workspace) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    response = api.client.get("/readyz")
    assert response.status_code == 503  # no assistant runs behind this app
    parts = response.json()["parts"]
    assert parts["database"] == {"ok": True, "dialect": "sqlite"}
    assert parts["rasa"]["ok"] is False and parts["actions"]["ok"] is False
    assert parts["catalog"]["services"] > 0 and parts["catalog"]["version"]
