"""The web app: one FastAPI application for residents, counsellors and the JSON API.

`create_app` builds it from a `WebConfig`. Its parts are kept on `app.state` so that each
request handler reaches them the same way: `config`, `live` (the routing library over the
catalogue, reloaded when the catalogue changes: a request takes `live.current()` once),
`db`, `contacts`, `users`, `audit`, `sessions` and `http` (the client that forwards chat
messages to the Rasa server).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from navigator import __version__
from navigator.accounts import Users
from navigator.audit import AuditLog
from navigator.catalog.live import LiveRouter, reload_enabled
from navigator.contact import ContactStore
from navigator.db import Database
from navigator.routing import Router
from navigator.web import api, counsellor, health, resident
from navigator.web.config import MAX_BODY_BYTES, WebConfig
from navigator.web.security import LoginLimiter, LoginRequired, login_url
from navigator.web.sessions import Sessions
from navigator.web.templating import STATIC, globals_for

log = logging.getLogger(__name__)


def create_app(
    config: WebConfig, router: Router | None = None, *, watch: bool | None = None
) -> FastAPI:
    """The web app; `router` may be given to share one already built (tests).

    The catalogue in use is reloaded when its files change (docs/routing.md, "Live
    catalogue reload"): the one under `config.catalog_root`, or the given router's own.
    `watch=False` turns that off; by default it follows `NAVIGATOR_CATALOG_RELOAD`, on
    when unset.
    """
    watching = reload_enabled(default=True) if watch is None else watch

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.monotonic()
        live = _open_parts(app, config, router)
        log.info("web app ready in %.1f s", time.monotonic() - started)
        if watching:
            live.start()
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0)) as client:
                app.state.http = client
                yield
        finally:
            live.stop()

    app = FastAPI(
        title="Navigator",
        version=__version__,
        description="Service navigation for Pohjois-Pohjanmaa: routing, search, the "
        "catalogue and counsellors' contact requests. Errors share one shape: "
        '`{"error": {"code": "...", "message": "..."}}`.',
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN; the page has no third-party requests
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.login_limiter = LoginLimiter()
    app.state.public_limiter = api.PublicLimiter()
    globals_for(version=__version__)
    # The last added runs first: SecurityHeaders wraps BodyLimit, so its 413 has them too.
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(counsellor.router)
    app.include_router(resident.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _to_login)
    return app


def _open_parts(app: FastAPI, config: WebConfig, router: Router | None) -> LiveRouter:
    """Load the catalogue and open the database (migrated to the newest schema)."""
    live = LiveRouter(router) if router else LiveRouter.load(config.catalog_root)
    app.state.live = live
    db = Database(config.resolved_database_url())
    db.migrate()
    app.state.db = db
    app.state.contacts = ContactStore(db)
    app.state.users = Users(db)
    app.state.audit = AuditLog(db)
    app.state.sessions = Sessions(db)
    return live


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"error": {"code": code, "message": message, **extra}}


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    503: "unavailable",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not request.url.path.startswith("/api/") and exc.status_code in (404, 405):
        return await resident.not_found_page(request, exc.status_code)
    code = _CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else code
    return JSONResponse(error_body(code, detail), status_code=exc.status_code, headers=exc.headers)


async def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(login_url(exc.next_path), status_code=303)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"at": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    return JSONResponse(
        error_body("invalid", "the request does not match the API", problems=problems),
        status_code=422,
    )


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` with 413, before a handler reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (
            not declared.isascii() or not declared.isdigit() or int(declared) > self.max_bytes
        ):
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    """A chunked body grew past the limit."""


async def _too_large(send: Send, max_bytes: int) -> None:
    response = JSONResponse(
        error_body("too_large", f"the request body is larger than {max_bytes} bytes"),
        status_code=413,
    )
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


# No third-party requests: every script, style and image comes from this app.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


class SecurityHeaders:
    """Headers every response carries: a strict CSP, no framing, no sniffing, no referrer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                path = scope.get("path", "")
                headers += [
                    (b"content-security-policy", _CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not path.startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
