"""Live catalogue reload in the running web app: an edit reaches the API within 2 s, and a bad
edit shows in /readyz as stale while the last good catalogue keeps serving."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from navigator.catalog.loader import load_catalog
from navigator.routing import Router
from navigator.web.app import create_app
from tests.web.counsellor_helpers import web_config

SERVICE = "/api/v1/services/mieli-crisis-line"


def _until(read: Callable[[], Any], wanted: Callable[[Any], bool], limit: float) -> float:
    """Seconds until `wanted(read())`; fails after `limit` seconds."""
    started = time.monotonic()
    while not wanted(read()):
        assert time.monotonic() - started < limit, "not seen in time"
        time.sleep(0.02)
    return time.monotonic() - started


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reaches_the_running_app_and_a_bad_one_shows_as_stale(
    small_catalog: Path, tmp_path: Path
) -> None:
    app = create_app(web_config(tmp_path / "data"), router=Router(load_catalog(small_catalog)))
    ngo = small_catalog / "services" / "ngo" / "ngo.yaml"
    with TestClient(app) as client:
        # No assistant here: its probes answer at once, so /readyz is quick and ready.
        app.state.http = httpx.AsyncClient(
            transport=httpx.MockTransport(lambda _: httpx.Response(200, json={}))
        )
        assert client.get(SERVICE).json()["name"]["fi"] == "MIELI Kriisipuhelin"
        before = client.get("/readyz").json()["parts"]["catalog"]
        assert before["watching"] is True and before["stale"] is False

        _edit(ngo, "MIELI Kriisipuhelin", "MIELI Kriisipuhelin 24/7")
        seconds = _until(
            lambda: client.get(SERVICE).json()["name"]["fi"],
            lambda name: name == "MIELI Kriisipuhelin 24/7",
            limit=10,
        )
        assert seconds <= 2.0

        _edit(ngo, "needs: [crisis_support, mental_health]", "needs: [no_such_need]")
        _until(lambda: client.get("/readyz"), lambda r: r.json()["parts"]["catalog"]["stale"], 10)
        response = client.get("/readyz")
        assert response.status_code == 200  # the last good catalogue serves: still ready
        catalog = response.json()["parts"]["catalog"]
        assert catalog["ok"] is True and catalog["version"] != before["version"]
        assert any(
            p.startswith("services/ngo/ngo.yaml:") and "no_such_need" in p
            for p in catalog["problems"]
        )
        assert client.get(SERVICE).json()["name"]["fi"] == "MIELI Kriisipuhelin 24/7"
    assert not app.state.live.watching  # stopped with the app
