"""Health endpoints for operators and load balancers.

`/healthz` says the web process answers. `/readyz` checks each part the product needs
(the database, the Rasa server, the action server, the catalogue) and answers 503 when
one is not ready, so a load balancer sends residents elsewhere.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The web process is alive")
async def healthz() -> dict[str, str]:
    """Always ok while the process serves requests."""
    return {"status": "ok"}


#: What /readyz answers, 200 when every part is ready and 503 when one is not.
_READINESS: dict[str, Any] = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["ready", "parts"],
                "properties": {
                    "ready": {"type": "boolean"},
                    "parts": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["ok"],
                            "properties": {"ok": {"type": "boolean"}},
                        },
                    },
                },
            }
        }
    }
}


@router.get(
    "/readyz",
    summary="Each part of the product is ready",
    responses={
        200: {**_READINESS, "description": "every part is ready"},
        503: {**_READINESS, "description": "a part is not ready: its entry says why"},
    },
)
async def readyz(request: Request) -> JSONResponse:
    """The state of the database, the assistant's two servers and the catalogue."""
    state = request.app.state
    config = state.config
    database, rasa, actions = await asyncio.gather(
        asyncio.to_thread(_database, state.db.engine),
        _probe(state.http, _rasa_status_url(config), _rasa_model),
        _probe(state.http, f"http://127.0.0.1:{config.action_port}/health", None),
    )
    parts: dict[str, Any] = {
        "database": database,
        "rasa": rasa,
        "actions": actions,
        # A stale catalogue (an edit that could not be used) stays ok: the last good one
        # serves, and every node reads the same files, so failing here would take them all.
        "catalog": {"ok": True, **state.live.status().as_json()},
    }
    ready = all(part["ok"] for part in parts.values())
    return JSONResponse({"ready": ready, "parts": parts}, status_code=200 if ready else 503)


def _database(engine: sa.engine.Engine) -> dict[str, Any]:
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "dialect": engine.dialect.name}


def _rasa_status_url(config: Any) -> str:
    url = f"{config.resolved_rasa_url()}/status"
    return f"{url}?token={config.rasa_token}" if config.rasa_token else url


def _rasa_model(body: Any) -> dict[str, Any]:
    return {"model": body.get("model_file")} if isinstance(body, dict) else {}


async def _probe(client: httpx.AsyncClient, url: str, describe: Any) -> dict[str, Any]:
    try:
        response = await client.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return {"ok": False, "url": url, "error": type(exc).__name__}
    result: dict[str, Any] = {"ok": response.status_code == 200, "url": url}
    if response.status_code != 200:
        result["error"] = f"HTTP {response.status_code}"
    elif describe is not None:
        result.update(describe(response.json()))
    return result
