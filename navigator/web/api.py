"""The JSON API (`/api/v1`), described by the OpenAPI document at `/api/v1/openapi.json`.

Reading the catalogue and routing a message are public. Contact requests are read and
worked on only with a counsellor's bearer token (`POST /api/v1/auth/token`); residents
create them through the assistant or the rate-limited public endpoint. Every error has
the shape `{"error": {"code": "...", "message": "..."}}`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import defaultdict, deque
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from navigator.cards import service_card
from navigator.catalog.model import Service
from navigator.contact import ContactChannel, ContactDraft, ContactError, ContactStore, Status
from navigator.routing import Router
from navigator.search import Filters, local_now
from navigator.settings import MAX_MESSAGE_CHARS, MAX_QUERY_CHARS, SEARCH_LIMIT_MAX
from navigator.web.config import PUBLIC_CONTACT_PER_HOUR
from navigator.web.security import api_session, client_address
from navigator.web.sessions import Session

router = APIRouter(prefix="/api/v1", tags=["api"])

Lang = Literal["fi", "sv", "en"]
ForWhom = Literal["self", "child", "parent", "partner", "other"]
ChannelKindName = Literal["phone", "chat", "web", "eservice", "email", "address"]
ProviderTypeName = Literal["region", "municipality", "ngo", "parish", "national", "company"]

#: Most contact requests one list call returns.
CONTACT_LIST_MAX = 200
#: Largest offset into the contact-request list: far past any inbox, and inside the
#: database's 64-bit integers (a larger one was a server error).
CONTACT_OFFSET_MAX = 1_000_000


class ErrorDetail(BaseModel):
    """What went wrong, in words a caller can act on."""

    code: str
    message: str


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 429, 503)
}


def _router(request: Request) -> Router:
    router_: Router = request.app.state.live.current()
    return router_


def _contacts(request: Request) -> ContactStore:
    store: ContactStore = request.app.state.contacts
    return store


# Routing and the catalogue (public) ------------------------------------------------------


class RouteRequest(BaseModel):
    """A resident's message and what is known about them."""

    text: str = Field(..., max_length=10 * MAX_MESSAGE_CHARS, description="the message")
    lang: Lang | None = Field(None, description="answer language; detected when left out")
    municipality: str | None = Field(None, max_length=60, description="name (any form) or code")
    age: int | None = Field(None, ge=0, le=120)
    for_whom: ForWhom | None = None
    needs: list[str] = Field(default_factory=list, max_items=10, description="need ids chosen")
    exclude: list[str] = Field(default_factory=list, max_items=50, description="service ids")
    limit: int = Field(5, ge=1, le=10)


@router.post("/route", responses=ERRORS, summary="Route a message: safety first, then the ladder")
def route(body: RouteRequest, request: Request) -> dict[str, Any]:
    """The services for a message, lowest threshold first, with cards ready to render."""
    router_ = _router(request)
    unknown = [n for n in body.needs if n not in router_.catalog.taxonomy.needs]
    if unknown:
        raise HTTPException(422, f"unknown need id(s): {', '.join(unknown)}; see /api/v1/needs")
    answer = router_.route(
        body.text,
        lang=body.lang,
        municipality=body.municipality,
        age=body.age,
        for_whom=body.for_whom,
        needs=body.needs,
        exclude=body.exclude,
        limit=body.limit,
    )
    result = answer.as_json()
    now = local_now()
    result["cards"] = [service_card(r, answer.language, now) for r in answer.recommendations]
    return result


@router.get("/search", responses=ERRORS, summary="Search the catalogue with filters and facets")
def search(
    request: Request,
    q: str = Query("", max_length=MAX_QUERY_CHARS, description="words; typos welcome"),
    municipality: str | None = Query(None, max_length=60),
    need: list[str] = Query([], description="need ids (any of them)"),
    level_min: int = Query(0, ge=0, le=5),
    level_max: int = Query(5, ge=0, le=5),
    provider_type: list[ProviderTypeName] = Query([]),
    target_group: str | None = Query(None, max_length=20),
    age: int | None = Query(None, ge=0, le=120),
    language: Lang | None = None,
    channel: ChannelKindName | None = None,
    free: bool = False,
    anonymous: bool = False,
    no_referral: bool = False,
    open_now: bool = False,
    lang: Lang | None = Query(None, description="language of names in the hits"),
    limit: int = Query(10, ge=1, le=SEARCH_LIMIT_MAX),
) -> dict[str, Any]:
    """Services matching the words and filters, best first, with why each matched."""
    router_ = _router(request)
    code = router_.resolve_municipality(municipality)
    if municipality and code is None:
        raise HTTPException(422, f"'{municipality}' is not a municipality of the county")
    unknown = [n for n in need if n not in router_.catalog.taxonomy.needs]
    if unknown:
        raise HTTPException(422, f"unknown need id(s): {', '.join(unknown)}; see /api/v1/needs")
    filters = Filters(
        municipality=code,
        needs=tuple(need),
        level_min=level_min,
        level_max=level_max,
        provider_types=tuple(provider_type),
        target_group=target_group,
        age=age,
        language=language,
        channel=channel,
        free=free,
        anonymous=anonymous,
        no_referral=no_referral,
        open_at=local_now() if open_now else None,
    )
    result = router_.index.search(q, filters, limit=limit, lang=lang)
    shown = lang or "fi"
    return {
        "total": result.total,
        "implied_municipality": result.implied_municipality,
        "hits": [
            {
                "id": h.service.id,
                "name": h.service.name.get(shown),
                "summary": h.service.summary.get(shown),
                "level": h.service.level,
                "provider_type": h.service.provider.type.value,
                "score": round(h.score, 3),
                "reasons": list(h.reasons),
            }
            for h in result.hits
        ],
        "facets": result.facets,
    }


@router.get("/services/{service_id}", responses=ERRORS, summary="One service, every field")
def service(service_id: str, request: Request) -> dict[str, Any]:
    """A service as the catalogue holds it (texts in every language, channels, hours)."""
    found = _router(request).catalog.by_id.get(service_id)
    if found is None:
        raise HTTPException(404, f"no service '{service_id[:80]}' in the catalogue")
    return service_json(found)


@router.get("/needs", summary="The need taxonomy")
def needs(request: Request) -> dict[str, Any]:
    """Every need id with its label and description in fi, sv and en."""
    taxonomy = _router(request).catalog.taxonomy
    return {
        "needs": [
            {
                "id": n.id,
                "label": _jsonable(n.label),
                "description": _jsonable(n.description),
            }
            for n in taxonomy.needs.values()
        ]
    }


def service_json(service: Service) -> dict[str, Any]:
    """A service as JSON: every field but where in which file it was written."""
    data = _jsonable(service)
    data.pop("origin", None)
    for channel, raw in zip(service.channels, data["channels"], strict=True):
        if channel.hours is not None:
            raw["hours"] = channel.hours.text  # the editor's words; the parsed rules are internal
    return dict(data)


def _jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and tuples as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# Counsellors' token ------------------------------------------------------------------------


class TokenRequest(BaseModel):
    """A counsellor's username and password."""

    username: str = Field(..., max_length=64)
    password: str = Field(..., max_length=1024)


class TokenResponse(BaseModel):
    """A bearer token for the contact-request endpoints."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(..., description="seconds of idle time before it expires")


@router.post("/auth/token", response_model=TokenResponse, responses=ERRORS, tags=["auth"])
def token(body: TokenRequest, request: Request) -> TokenResponse:
    """Log in for the API; failed attempts are limited per user and per address."""
    limiter = request.app.state.login_limiter
    keys = (f"user:{body.username.lower()}", f"ip:{client_address(request)}")
    wait = limiter.blocked_for(*keys)
    if wait > 0:
        raise HTTPException(
            429,
            f"too many failed logins; try again in {int(wait) + 1} s",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    audit = request.app.state.audit
    if not request.app.state.users.verify(body.username, body.password):
        limiter.failed(*keys)
        audit.record("-", "login.failed", detail={"via": "api", "username": body.username[:64]})
        raise HTTPException(401, "wrong username or password")
    limiter.succeeded(*keys)
    username = body.username.lower()
    audit.record(username, "login", detail={"via": "api"})
    sessions = request.app.state.sessions
    return TokenResponse(
        access_token=sessions.create(username, "api"),
        expires_in=int(sessions.idle.total_seconds()),
    )


# Contact requests --------------------------------------------------------------------------


def _request_json(item: Any, catalog_router: Router) -> dict[str, Any]:
    data = _jsonable(item)
    data["created_at"] = item.created_at.isoformat()
    return dict(data)


@router.get("/contact-requests", responses=ERRORS, tags=["contact requests"])
def contact_requests(
    request: Request,
    session: Session = Depends(api_session),
    status: Status | None = None,
    municipality: str | None = Query(None, max_length=60),
    need: str | None = Query(None, max_length=60),
    limit: int = Query(50, ge=1, le=CONTACT_LIST_MAX),
    offset: int = Query(0, ge=0, le=CONTACT_OFFSET_MAX),
) -> dict[str, Any]:
    """Contact requests, newest first, with filters (counsellor token required)."""
    router_ = _router(request)
    code = router_.resolve_municipality(municipality) if municipality else None
    if municipality and code is None:
        raise HTTPException(422, f"'{municipality}' is not a municipality of the county")
    store = _contacts(request)
    items = store.list(status=status, municipality=code, need=need, limit=limit, offset=offset)
    total = store.count(status=status, municipality=code, need=need)
    request.app.state.audit.record(
        session.username, "contact.list", detail={"via": "api", "count": len(items)}
    )
    return {"total": total, "items": [_request_json(i, router_) for i in items]}


@router.get("/contact-requests/{reference}", responses=ERRORS, tags=["contact requests"])
def contact_request(
    reference: str, request: Request, session: Session = Depends(api_session)
) -> dict[str, Any]:
    """One contact request with its notes (counsellor token required; the view is audited)."""
    item = _contacts(request).get(reference[:32])
    if item is None:
        raise HTTPException(404, f"no contact request {reference[:32]}")
    request.app.state.audit.record(
        session.username, "contact.view", target=item.reference, detail={"via": "api"}
    )
    return _request_json(item, _router(request))


class StatusChange(BaseModel):
    """The new status of a request."""

    status: Status


@router.post("/contact-requests/{reference}/status", responses=ERRORS, tags=["contact requests"])
def set_status(
    reference: str,
    body: StatusChange,
    request: Request,
    session: Session = Depends(api_session),
) -> dict[str, Any]:
    """Move a request along: new → in progress → done (counsellor token required)."""
    try:  # the store writes the audit entry in the same transaction
        _contacts(request).set_status(reference[:32], body.status, session.username)
    except ContactError as exc:
        raise HTTPException(404 if "no contact request" in str(exc) else 422, str(exc)) from None
    return {"reference": reference[:32], "status": body.status.value}


class PublicContactRequest(BaseModel):
    """A contact request from a client other than the assistant (consent is required)."""

    language: Lang = "fi"
    needs: list[str] = Field(default_factory=list, max_items=10)
    municipality: str | None = Field(None, max_length=60)
    services: list[str] = Field(default_factory=list, max_items=10)
    channel: Literal["phone", "email"]
    address: str = Field(..., max_length=320, description="phone number or e-mail address")
    preferred_time: str = Field("", max_length=200)
    consent: bool = Field(..., description="the resident agreed to pass this to a counsellor")
    free_text: str | None = Field(None, max_length=2000)


class PublicLimiter:
    """At most `per_hour` requests per client address, in a sliding hour, in memory."""

    def __init__(self, per_hour: int = PUBLIC_CONTACT_PER_HOUR) -> None:
        self.per_hour = per_hour
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one request for `key`; False if the hour's allowance is used up."""
        now = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen[key]
            while seen and seen[0] <= now - 3600:
                seen.popleft()
            if len(seen) >= self.per_hour:
                return False
            seen.append(now)
            return True


@router.post(
    "/contact-requests",
    status_code=201,
    responses=ERRORS,
    tags=["contact requests"],
    summary="Leave a contact request (public, rate-limited)",
)
def create_contact_request(body: PublicContactRequest, request: Request) -> JSONResponse:
    """Store a contact request; the reference is returned only after it is committed."""
    router_ = _router(request)
    limiter: PublicLimiter = request.app.state.public_limiter
    if not limiter.allow(client_address(request)):
        raise HTTPException(429, "too many contact requests from this address; try again later")
    if not body.consent:
        raise HTTPException(422, "consent is required: nothing was stored")
    code = router_.resolve_municipality(body.municipality) if body.municipality else None
    if body.municipality and code is None:
        raise HTTPException(422, f"'{body.municipality}' is not a municipality of the county")
    unknown = [n for n in body.needs if n not in router_.catalog.taxonomy.needs]
    unknown += [s for s in body.services if s not in router_.catalog.by_id]
    if unknown:
        raise HTTPException(422, f"unknown need or service id(s): {', '.join(unknown)}")
    draft = ContactDraft(
        language=body.language,
        needs=tuple(body.needs),
        municipality=code,
        services=tuple(body.services),
        channel=ContactChannel(body.channel),
        address=body.address,
        preferred_time=body.preferred_time,
        consent=True,
        free_text=body.free_text,
    )
    try:
        stored = _contacts(request).submit(draft)
    except ContactError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSONResponse({"reference": stored.reference}, status_code=201)
