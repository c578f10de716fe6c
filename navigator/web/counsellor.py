"""The counsellor workspace: search, service detail, handouts and the contact-request inbox.

Server-rendered pages and plain forms only: the workspace works without JavaScript and
under the app's CSP (no inline scripts or styles). Every page but the login page needs a
live session (`security.workspace_session`; without one the app redirects to the login
page), every form that changes something carries the session's CSRF token, and every view
and change is written to the audit log, never with personal data in it.

Handlers are plain `def`s: the stores and the search are synchronous, so FastAPI runs
them in its thread pool instead of blocking the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from navigator.accounts import Users
from navigator.audit import AuditLog
from navigator.catalog.model import Service
from navigator.contact import MOVES, ContactError, ContactRequest, ContactStore, Status
from navigator.routing import LEVEL_WORDS, Router
from navigator.search import Filters, Hit, SearchResult, local_now
from navigator.settings import CHECKED_MAX_AGE_DAYS, CONTACT_NOTE_MAX_CHARS, SEARCH_LIMIT_MAX
from navigator.web.security import (
    COOKIE,
    LoginLimiter,
    LoginRequired,
    check_csrf,
    client_address,
    login_redirect_target,
    set_session_cookie,
    workspace_session,
)
from navigator.web.sessions import Session, Sessions
from navigator.web.templating import templates
from navigator.web.workspace import (
    CHANNEL_KINDS,
    CONTACT_CHANNELS,
    COST_WORDS,
    HANDOUT_LANGUAGE_NAMES,
    HANDOUT_LANGUAGES,
    HANDOUT_WORDS,
    PROVIDER_TYPES,
    SERVICE_STATUS_WORDS,
    STATUS_ACTIONS,
    STATUS_WORDS,
    channel_view,
    format_date,
    format_moment,
    handout_item,
    language_name,
    localised,
)

router = APIRouter(prefix="/counsellor", include_in_schema=False)

WorkspaceSession = Annotated[Session, Depends(workspace_session)]

PAGE_SIZE = 20  # search hits per page; the search returns at most SEARCH_LIMIT_MAX
INBOX_PAGE_SIZE = 25
HANDOUT_MAX_SERVICES = 12  # more than fits a few printed pages
LOGIN_CSRF_COOKIE = "navigator_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600
_FI = "fi"


# The app's parts ----------------------------------------------------------------------


def _router(request: Request) -> Router:
    value: Router = request.app.state.live.current()
    return value


def _audit(request: Request) -> AuditLog:
    value: AuditLog = request.app.state.audit
    return value


def _contacts(request: Request) -> ContactStore:
    value: ContactStore = request.app.state.contacts
    return value


def _users(request: Request) -> Users:
    value: Users = request.app.state.users
    return value


def _sessions(request: Request) -> Sessions:
    value: Sessions = request.app.state.sessions
    return value


def _limiter(request: Request) -> LoginLimiter:
    """The app's one login limiter: failures count across every login request."""
    value: LoginLimiter = request.app.state.login_limiter
    return value


def _page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    session: Session | None,
    status: int = 200,
) -> Response:
    """A workspace page; the base template's navigation needs the user and CSRF token."""
    values = {
        "user": session.username if session else None,
        "csrf": session.csrf if session else "",
        "nav": "",
        **context,
    }
    return templates.TemplateResponse(request, f"counsellor/{template}", values, status_code=status)


def _message(
    request: Request, session: Session | None, status: int, title: str, text: str
) -> Response:
    """A page that only says what went wrong (not found, expired form, missing choice)."""
    return _page(request, "message.html", {"title": title, "text": text}, session, status)


def _csrf_ok(session: Session, token: str) -> bool:
    """True if the form carried the session's CSRF token."""
    try:
        check_csrf(session, token)
    except HTTPException:
        return False
    return True


def _expired_form(request: Request, session: Session) -> Response:
    return _message(
        request,
        session,
        403,
        "Lomake on vanhentunut",
        "Lomakkeen tarkiste puuttui tai ei täsmännyt, joten mitään ei tallennettu. "
        "Palaa sivulle, lataa se uudelleen ja yritä uudestaan.",
    )


def _acting_session(request: Request, back: str) -> Session:
    """The session of a form post; without one, the login page returns to `back` (the page
    the form was on: after login the browser asks with GET, which the post URL refuses)."""
    try:
        return workspace_session(request)
    except LoginRequired:
        raise LoginRequired(back) from None


# Login and logout ---------------------------------------------------------------------
#
# The login form has no session yet, so its CSRF token is a signed double-submit cookie:
# a random nonce with an HMAC of it (keyed by the app's secret) goes both in a cookie
# (HttpOnly, SameSite=Strict) and in the form. A post must carry the same token in both,
# and the signature must be ours: another site can neither read the cookie nor plant one
# it could sign, so it cannot log a counsellor's browser into another account.


def _login_key(request: Request) -> bytes:
    """The HMAC key of login-form tokens, derived from the app's secret (kept per app)."""
    key: bytes | None = getattr(request.app.state, "counsellor_login_key", None)
    if key is None:
        secret: str = request.app.state.config.resolved_secret_key()
        key = hashlib.sha256(b"navigator login form\0" + secret.encode()).digest()
        request.app.state.counsellor_login_key = key
    return key


def _signature(request: Request, nonce: str) -> str:
    return hmac.new(_login_key(request), nonce.encode(), hashlib.sha256).hexdigest()


def _login_token(request: Request) -> str:
    """The browser's login token if it is ours, else a new one."""
    current = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if _login_token_valid(request, current):
        return current
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(request, nonce)}"


def _login_token_valid(request: Request, token: str) -> bool:
    nonce, _, signature = token.partition(".")
    return (
        bool(nonce)
        and len(token) < 200
        and hmac.compare_digest(signature.encode(), _signature(request, nonce).encode())
    )


def _login_page(
    request: Request,
    next_path: str,
    *,
    error: str = "",
    ended: bool = False,
    status: int = 200,
    wait_minutes: int = 0,
) -> Response:
    token = _login_token(request)
    context = {
        "next": login_redirect_target(next_path),
        "login_csrf": token,
        "error": error,
        "ended": ended,
        "wait_minutes": wait_minutes,
        "idle_minutes": int(_sessions(request).idle.total_seconds() // 60),
    }
    response = _page(request, "login.html", context, None, status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/counsellor/login",
    )
    if wait_minutes:
        response.headers["Retry-After"] = str(wait_minutes * 60)
    return response


def _live_session(request: Request) -> Session | None:
    token = request.cookies.get(COOKIE, "")
    return _sessions(request).get(token, "web") if token else None


@router.get("/login")
def login_form(request: Request, next: str = "/counsellor/", ended: str = "") -> Response:
    """The login page; a counsellor already logged in goes on to the workspace."""
    if _live_session(request) is not None:
        return RedirectResponse(login_redirect_target(next), status_code=303)
    return _login_page(request, next, ended=bool(ended))


WRONG_LOGIN = "Väärä käyttäjätunnus tai salasana."


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/counsellor/",
) -> Response:
    """Check the password (rate limited per username and address) and start a session."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (
        cookie
        and hmac.compare_digest(cookie.encode(), csrf.encode())
        and _login_token_valid(request, cookie)
    ):
        error = "Kirjautumislomake oli vanhentunut. Kirjaudu uudelleen."
        return _login_page(request, next, error=error, status=403)
    name = username.strip().lower()[:64]
    keys = (f"user:{name}", f"ip:{client_address(request)}")
    limiter = _limiter(request)
    wait = limiter.blocked_for(*keys)
    if wait > 0:
        _audit(request).record("-", "login.blocked", detail={"username": name})
        minutes = max(1, math.ceil(wait / 60))
        return _login_page(request, next, status=429, wait_minutes=minutes)
    if not _users(request).verify(name, password):
        limiter.failed(*keys)
        # No user enumeration: the same words whether the name exists or not.
        _audit(request).record("-", "login.failed", detail={"username": name})
        return _login_page(request, next, error=WRONG_LOGIN)
    # Only this username's failures are forgotten: one good account must not clear the
    # count of an address that is guessing others.
    limiter.succeeded(keys[0])
    return _start_session(request, name, next)


def _start_session(request: Request, username: str, next_path: str) -> Response:
    """A new session (never the one the browser brought: no session fixation)."""
    old = request.cookies.get(COOKIE, "")
    if old:
        _sessions(request).end(old)
    token = _sessions(request).create(username, "web")
    _audit(request).record(username, "login")
    response = RedirectResponse(login_redirect_target(next_path), status_code=303)
    set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/counsellor/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session and go back to the login page."""
    session = _acting_session(request, "/counsellor/")
    if not _csrf_ok(session, csrf):
        return _expired_form(request, session)
    _sessions(request).end(request.cookies.get(COOKIE, ""))
    _audit(request).record(session.username, "logout")
    response = RedirectResponse("/counsellor/login?ended=1", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# Search -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchForm:
    """The search page's query string, checked: values not in the catalogue are dropped."""

    q: str = ""
    municipality: str = ""  # code
    need: str = ""
    level_min: int = 0
    level_max: int = 5
    provider_type: str = ""
    channel: str = ""
    language: str = ""
    free: bool = False
    anonymous: bool = False
    no_referral: bool = False
    open_now: bool = False
    explain: bool = False
    page: int = 1
    pick: tuple[str, ...] = ()  # services picked for a handout, kept across searches

    def query(self, **changes: Any) -> str:
        """The query string of this form with some values changed (defaults left out)."""
        changed = replace(self, **changes)
        pairs: list[tuple[str, str]] = []
        for item in fields(SearchForm):
            value = getattr(changed, item.name)
            if value == item.default:
                continue
            if isinstance(value, tuple):
                pairs += [(item.name, v) for v in value]
            elif isinstance(value, bool):
                pairs.append((item.name, "1"))
            else:
                pairs.append((item.name, str(value)))
        return urlencode(pairs)

    def href(self, **changes: Any) -> str:
        """The search page with this form, some values changed."""
        query = self.query(**changes)
        return "/counsellor/search" + (f"?{query}" if query else "")


def _number(value: str | None, low: int, high: int, default: int) -> int:
    """An integer query value within bounds; the default if it is not one."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return min(max(number, low), high)


def _search_form(request: Request, router_: Router) -> SearchForm:
    params = request.query_params
    taxonomy = router_.catalog.taxonomy
    municipality = router_.resolve_municipality(params.get("municipality", "")[:60]) or ""
    need = params.get("need", "")
    provider_type = params.get("provider_type", "")
    channel = params.get("channel", "")
    language = params.get("language", "").strip().lower()[:8]
    picks = [p for p in params.getlist("pick") if p in router_.catalog.by_id]
    return SearchForm(
        q=params.get("q", "").strip()[:500],
        municipality=municipality,
        need=need if need in taxonomy.needs else "",
        level_min=_number(params.get("level_min"), 0, 5, 0),
        level_max=_number(params.get("level_max"), 0, 5, 5),
        provider_type=provider_type if provider_type in PROVIDER_TYPES else "",
        channel=channel if channel in CHANNEL_KINDS else "",
        language=language if language.isalpha() else "",
        free=bool(params.get("free")),
        anonymous=bool(params.get("anonymous")),
        no_referral=bool(params.get("no_referral")),
        open_now=bool(params.get("open_now")),
        explain=bool(params.get("explain")),
        page=_number(params.get("page"), 1, SEARCH_LIMIT_MAX // PAGE_SIZE, 1),
        pick=tuple(dict.fromkeys(picks))[:HANDOUT_MAX_SERVICES],
    )


def _filters(form: SearchForm) -> Filters:
    """The routing core's filters for the form (the same ones `navigator search` builds)."""
    return Filters(
        municipality=form.municipality or None,
        needs=(form.need,) if form.need else (),
        level_min=form.level_min,
        level_max=form.level_max,
        provider_types=(form.provider_type,) if form.provider_type else (),
        language=form.language or None,
        channel=form.channel or None,
        free=form.free,
        anonymous=form.anonymous,
        no_referral=form.no_referral,
        open_at=local_now() if form.open_now else None,
    )


@dataclass(frozen=True)
class FacetLink:
    """One facet value: a link that sets the filter, with the count of services."""

    label: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True)
class FacetGroup:
    """One facet (need, level, …) with its values, most services first."""

    title: str
    links: list[FacetLink] = field(default_factory=list)


_CONDITIONS = (("free", "maksuton"), ("anonymous", "nimetön"), ("no_referral", "ei lähetettä"))


def _value_facet(
    title: str, counts: dict[str, int], name: str, words: Mapping[str, str], form: SearchForm
) -> FacetGroup:
    """A facet whose values set one form field (need, provider type, channel kind)."""
    return FacetGroup(
        title,
        [
            FacetLink(
                words.get(value, value),
                count,
                form.href(**{name: value, "page": 1}),
                getattr(form, name) == value,
            )
            for value, count in sorted(counts.items(), key=lambda item: -item[1])
        ],
    )


def _level_facet(counts: dict[str, int], form: SearchForm) -> FacetGroup:
    """Levels: a level's link narrows the search to that one level."""
    links = []
    for level, count in ((int(key), n) for key, n in counts.items() if n):
        href = form.href(level_min=level, level_max=level, page=1)
        active = form.level_min == form.level_max == level
        links.append(FacetLink(f"{level} – {LEVEL_WORDS[_FI][level]}", count, href, active))
    return FacetGroup("Taso", links)


def _condition_facet(facets: dict[str, dict[str, int]], form: SearchForm) -> FacetGroup:
    """Free, anonymous, no referral: each link turns its condition on."""
    return FacetGroup(
        "Ehdot",
        [
            FacetLink(
                label,
                facets[key]["true"],
                form.href(**{key: True, "page": 1}),
                bool(getattr(form, key)),
            )
            for key, label in _CONDITIONS
            if facets[key]["true"]
        ],
    )


def _facet_groups(result: SearchResult, form: SearchForm, router_: Router) -> list[FacetGroup]:
    """The facets as filter links; a value's link narrows the current search to it."""
    facets = result.facets
    need_words = {n: need.label.fi for n, need in router_.catalog.taxonomy.needs.items()}
    groups = [
        _value_facet("Tarve", facets["need"], "need", need_words, form),
        _level_facet(facets["level"], form),
        _value_facet("Järjestäjä", facets["provider_type"], "provider_type", PROVIDER_TYPES, form),
        _value_facet("Yhteystapa", facets["channel"], "channel", CHANNEL_KINDS, form),
        _condition_facet(facets, form),
    ]
    return [g for g in groups if g.links]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in use, with the link that removes it."""

    label: str
    remove_href: str


def _active_filters(form: SearchForm, router_: Router) -> list[ActiveFilter]:
    taxonomy = router_.catalog.taxonomy
    active: list[ActiveFilter] = []

    def add(label: str, **reset: Any) -> None:
        active.append(ActiveFilter(label, form.href(page=1, **reset)))

    if form.municipality:
        add(f"kunta: {taxonomy.municipalities[form.municipality].name.fi}", municipality="")
    if form.need:
        add(f"tarve: {taxonomy.needs[form.need].label.fi}", need="")
    if form.level_min > 0 or form.level_max < 5:
        add(f"taso {form.level_min}–{form.level_max}", level_min=0, level_max=5)
    if form.provider_type:
        add(f"järjestäjä: {PROVIDER_TYPES[form.provider_type]}", provider_type="")
    if form.channel:
        add(f"yhteystapa: {CHANNEL_KINDS[form.channel]}", channel="")
    if form.language:
        add(f"kieli: {language_name(form.language)}", language="")
    for key, label in (*_CONDITIONS, ("open_now", "auki nyt")):
        if getattr(form, key):
            add(label, **{key: False})
    return active


# The search explains hits in English words; the workspace speaks Finnish.
_REASON_PREFIXES = (
    ("matched its needs' words: ", "osui palvelun tarpeiden sanoihin: "),
    ("matched: ", "osuvat sanat: "),
    ("read as: ", "tulkittu: "),
)


def _explanation(hit: Hit, form: SearchForm, router_: Router, implied: str | None) -> list[str]:
    """Why a hit matched, in Finnish: the words, the need and the area filters."""
    lines: list[str] = []
    for reason in hit.reasons:
        for english, finnish in _REASON_PREFIXES:
            if reason.startswith(english):
                lines.append(finnish + reason[len(english) :])
                break
    taxonomy = router_.catalog.taxonomy
    if form.need and form.need in hit.service.needs:
        lines.append(f"tarve: {taxonomy.needs[form.need].label.fi}")
    code = form.municipality or implied
    if code:
        origin = " (mainittu hakusanoissa)" if implied else ""
        lines.append(
            f"alue: palvelee kuntaa {taxonomy.municipalities[code].name.fi}{origin}, "
            f"{_area_words(hit.service, router_)}"
        )
    lines.append(f"pisteet: {hit.score:.2f}")
    return lines


def _area_words(service: Service, router_: Router) -> str:
    """Where a service can be used, in Finnish."""
    if service.areas.scope == "nationwide":
        return "koko maa"
    if service.areas.scope == "county":
        return "koko Pohjois-Pohjanmaa"
    names = router_.catalog.taxonomy.municipalities
    return ", ".join(names[c].name.fi if c in names else c for c in service.areas.municipalities)


@dataclass(frozen=True)
class HitView:
    """One search hit as the results list shows it."""

    service: Service
    level_words: str
    provider_type: str
    flags: list[str]
    reasons: list[str]
    picked: bool


def _flags(service: Service) -> list[str]:
    """The short facts a counsellor scans for: free, anonymous, no referral."""
    flags = []
    if service.free:
        flags.append("maksuton")
    if service.anonymous:
        flags.append("nimetön")
    if not service.referral:
        flags.append("ei lähetettä")
    if not service.active:
        flags.append("ei käytössä")
    return flags


def _search_context(form: SearchForm, result: SearchResult, router_: Router) -> dict[str, Any]:
    start = (form.page - 1) * PAGE_SIZE
    shown = result.hits[start : start + PAGE_SIZE]
    reachable = min(result.total, SEARCH_LIMIT_MAX)
    taxonomy = router_.catalog.taxonomy
    on_page = {h.service.id for h in shown}
    return {
        "nav": "search",
        "form": form,
        "result": result,
        "hits": [
            HitView(
                service=h.service,
                level_words=LEVEL_WORDS[_FI][h.service.level],
                provider_type=PROVIDER_TYPES.get(h.service.provider.type.value, ""),
                flags=_flags(h.service),
                reasons=_explanation(h, form, router_, result.implied_municipality)
                if form.explain
                else [],
                picked=h.service.id in form.pick,
            )
            for h in shown
        ],
        "picked_elsewhere": [router_.catalog.by_id[p] for p in form.pick if p not in on_page],
        "first": start + 1,
        "last": start + len(shown),
        "pages": max(1, math.ceil(reachable / PAGE_SIZE)),
        "capped": result.total > SEARCH_LIMIT_MAX,
        "facet_groups": _facet_groups(result, form, router_),
        "active_filters": _active_filters(form, router_),
        "implied": taxonomy.municipalities[result.implied_municipality].name.fi
        if result.implied_municipality
        else "",
        "municipalities": sorted(
            ((c, m.name.fi) for c, m in taxonomy.municipalities.items()), key=lambda x: x[1]
        ),
        "needs": sorted(((n, d.label.fi) for n, d in taxonomy.needs.items()), key=lambda x: x[1]),
        "levels": list(enumerate(LEVEL_WORDS[_FI])),
        "provider_types": PROVIDER_TYPES,
        "channel_kinds": CHANNEL_KINDS,
        "languages": {code: language_name(code) for code in _served_languages(router_)},
        "handout_languages": HANDOUT_LANGUAGE_NAMES,
    }


def _served_languages(router_: Router) -> list[str]:
    """The languages some service declares it is given in: fi, sv, en first."""
    declared = {
        code
        for service in router_.catalog.services
        for code in (*service.languages, *(c for ch in service.channels for c in ch.languages))
    }
    return [c for c in ("fi", "sv", "en") if c in declared] + sorted(declared - {"fi", "sv", "en"})


@router.get("/")
@router.get("/search")
def search_page(request: Request, session: WorkspaceSession) -> Response:
    """Search the catalogue with the routing core's filters; facets narrow the search."""
    router_ = _router(request)
    form = _search_form(request, router_)
    # With "open now" the search counts only the hits it made, so it makes all it may.
    limit = SEARCH_LIMIT_MAX if form.open_now else form.page * PAGE_SIZE
    result = router_.index.search(form.q, _filters(form), limit=limit)
    last_page = max(1, math.ceil(min(result.total, SEARCH_LIMIT_MAX) / PAGE_SIZE))
    form = replace(form, page=min(form.page, last_page))
    # The words searched may name a resident: the log keeps only what was found.
    _audit(request).record(
        session.username, "search", detail={"results": result.total, "page": form.page}
    )
    return _page(request, "search.html", _search_context(form, result, router_), session)


# Service detail -----------------------------------------------------------------------


def _service_context(service: Service, router_: Router) -> dict[str, Any]:
    taxonomy = router_.catalog.taxonomy
    return {
        "nav": "search",
        "service": service,
        "texts": [
            (
                lang,
                HANDOUT_LANGUAGE_NAMES[lang],
                getattr(service.name, lang),
                getattr(service.summary, lang),
                getattr(service.how_to_get, lang),
            )
            for lang in HANDOUT_LANGUAGES
        ],
        "description": service.description,
        "provider_type": PROVIDER_TYPES.get(service.provider.type.value, ""),
        "level_words": LEVEL_WORDS[_FI][service.level],
        "needs": [taxonomy.needs[n].label.fi if n in taxonomy.needs else n for n in service.needs],
        "areas": _area_words(service, router_),
        "channels": [channel_view(c, _FI, CHANNEL_KINDS) for c in service.channels],
        "languages": [language_name(code) for code in service.languages],
        "target_groups": [
            taxonomy.target_groups[g].name.fi if g in taxonomy.target_groups else g
            for g in service.target_groups
        ],
        "service_classes": [
            taxonomy.service_classes[c].name.fi if c in taxonomy.service_classes else c
            for c in service.service_classes
        ],
        "cost": COST_WORDS[service.cost.type.value],
        "cost_text": localised(service.cost.text, _FI),
        "status": SERVICE_STATUS_WORDS[service.status.value],
        "checked": format_date(service.checked),
        # Counsellors weigh an old fact before passing it on: the same 12 months as editors.
        "checked_old": (local_now().date() - service.checked).days > CHECKED_MAX_AGE_DAYS,
        "review_by": format_date(service.review_by) if service.review_by else "",
        "keywords": [w for words in service.keywords.values() for w in words],
        "handout_languages": HANDOUT_LANGUAGE_NAMES,
    }


@router.get("/services/{service_id}")
def service_page(service_id: str, request: Request, session: WorkspaceSession) -> Response:
    """Everything the catalogue says about one service, for a counsellor."""
    router_ = _router(request)
    service = router_.catalog.by_id.get(service_id)
    if service is None:
        return _message(
            request,
            session,
            404,
            "Palvelua ei löytynyt",
            f"Luettelossa ei ole palvelua tunnuksella {service_id[:80]}. "
            "Se on voitu poistaa tai tunnus on kirjoitettu väärin.",
        )
    _audit(request).record(session.username, "service.view", target=service.id[:64])
    return _page(request, "service.html", _service_context(service, router_), session)


# Handout ------------------------------------------------------------------------------


@router.get("/handout")
def handout_page(request: Request, session: WorkspaceSession) -> Response:
    """A printable page of the picked services in Finnish, Swedish or English."""
    router_ = _router(request)
    lang = request.query_params.get("lang", _FI)
    lang = lang if lang in HANDOUT_LANGUAGES else _FI
    ids = [s for s in request.query_params.getlist("service") if s in router_.catalog.by_id]
    ids = list(dict.fromkeys(ids))[:HANDOUT_MAX_SERVICES]
    if not ids:
        return _message(
            request,
            session,
            400,
            "Valitse palvelut",
            "Tiedotteeseen ei ollut valittu yhtään palvelua. Valitse palvelut hakutuloksista "
            "tai palvelun sivulta.",
        )
    today = local_now().date()
    items = [handout_item(router_.catalog.by_id[i], lang, today) for i in ids]
    _audit(request).record(
        session.username,
        "handout.print",
        detail={"services": ",".join(ids), "count": len(ids), "lang": lang},
    )
    picks = urlencode([("service", i) for i in ids])
    context = {
        "nav": "search",
        "lang": lang,
        "words": HANDOUT_WORDS[lang],
        "items": items,
        "printed": format_date(today, lang),
        "languages": [
            (code, name, f"/counsellor/handout?{picks}&lang={code}")
            for code, name in HANDOUT_LANGUAGE_NAMES.items()
        ],
        "edit_href": "/counsellor/search?" + urlencode([("pick", i) for i in ids]),
    }
    return _page(request, "handout.html", context, session)


# Contact-request inbox ----------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilter:
    """The inbox's query string, checked against the statuses and the taxonomy."""

    status: str = ""
    municipality: str = ""
    need: str = ""
    page: int = 1

    def href(self, **changes: Any) -> str:
        """The inbox with these filters, some changed (defaults left out)."""
        changed = replace(self, **changes)
        pairs = [
            (f.name, str(getattr(changed, f.name)))
            for f in fields(InboxFilter)
            if getattr(changed, f.name) != f.default
        ]
        return "/counsellor/requests" + (f"?{urlencode(pairs)}" if pairs else "")


def _inbox_filter(request: Request, router_: Router) -> InboxFilter:
    params = request.query_params
    taxonomy = router_.catalog.taxonomy
    status = params.get("status", "")
    municipality = params.get("municipality", "")
    need = params.get("need", "")
    return InboxFilter(
        status=status if status in STATUS_WORDS else "",
        municipality=municipality if municipality in taxonomy.municipalities else "",
        need=need if need in taxonomy.needs else "",
        page=_number(params.get("page"), 1, 100_000, 1),
    )


@dataclass(frozen=True)
class RequestRow:
    """One contact request in the inbox list (no contact details: the list is scanned)."""

    reference: str
    href: str
    created: str
    status: str
    status_word: str
    needs: list[str]
    municipality: str
    channel: str
    language: str
    notes: int


def _need_labels(needs: tuple[str, ...], router_: Router) -> list[str]:
    taxonomy = router_.catalog.taxonomy
    return [taxonomy.needs[n].label.fi if n in taxonomy.needs else n for n in needs]


def _municipality_name(code: str | None, router_: Router) -> str:
    names = router_.catalog.taxonomy.municipalities
    if not code:
        return "ei kerrottu"
    return names[code].name.fi if code in names else code


def _request_href(reference: str) -> str:
    return f"/counsellor/requests/{quote(reference, safe='')}"


def _row(item: ContactRequest, router_: Router) -> RequestRow:
    return RequestRow(
        reference=item.reference,
        href=_request_href(item.reference),
        created=format_moment(item.created_at),
        status=item.status.value,
        status_word=STATUS_WORDS[item.status.value],
        needs=_need_labels(item.needs, router_),
        municipality=_municipality_name(item.municipality, router_),
        channel=CONTACT_CHANNELS[item.channel.value],
        language=language_name(item.language),
        notes=len(item.notes),
    )


@router.get("/requests")
def inbox_page(request: Request, session: WorkspaceSession) -> Response:
    """Contact requests, newest first, filtered by status, municipality and need."""
    router_ = _router(request)
    contacts = _contacts(request)
    chosen = _inbox_filter(request, router_)
    where = {"municipality": chosen.municipality or None, "need": chosen.need or None}
    counts = {s: contacts.count(status=s, **where) for s in STATUS_WORDS}
    total = counts[chosen.status] if chosen.status else sum(counts.values())
    pages = max(1, math.ceil(total / INBOX_PAGE_SIZE))
    page = min(chosen.page, pages)
    items = contacts.list(
        status=chosen.status or None,
        limit=INBOX_PAGE_SIZE,
        offset=(page - 1) * INBOX_PAGE_SIZE,
        **where,
    )
    _audit(request).record(
        session.username,
        "contact.list",
        detail={
            "status": chosen.status or None,
            "municipality": chosen.municipality or None,
            "need": chosen.need or None,
            "page": page,
            "shown": len(items),
        },
    )
    taxonomy = router_.catalog.taxonomy
    context = {
        "nav": "requests",
        "chosen": replace(chosen, page=page),
        "rows": [_row(item, router_) for item in items],
        "counts": [
            (s, STATUS_WORDS[s], n, chosen.href(status=s, page=1)) for s, n in counts.items()
        ],
        "all_href": chosen.href(status="", page=1),
        "total": total,
        "pages": pages,
        "status_words": STATUS_WORDS,
        "municipalities": sorted(
            ((c, m.name.fi) for c, m in taxonomy.municipalities.items()), key=lambda x: x[1]
        ),
        "needs": sorted(((n, d.label.fi) for n, d in taxonomy.needs.items()), key=lambda x: x[1]),
    }
    return _page(request, "requests.html", context, session)


_SAVED = {"status": "Tila on päivitetty.", "note": "Muistiinpano on tallennettu."}


def _request_context(item: ContactRequest, router_: Router) -> dict[str, Any]:
    catalog = router_.catalog
    services = [
        (
            s,
            catalog.by_id[s].name.fi if s in catalog.by_id else "",
            LEVEL_WORDS[_FI][catalog.by_id[s].level] if s in catalog.by_id else "",
        )
        for s in item.services
    ]
    href = ("tel:" if item.channel.value == "phone" else "mailto:") + item.address
    return {
        "nav": "requests",
        "item": item,
        "href": _request_href(item.reference),
        "created": format_moment(item.created_at),
        "updated": format_moment(item.updated_at) if item.updated_at else "",
        "status_word": STATUS_WORDS[item.status.value],
        "needs": _need_labels(item.needs, router_),
        "municipality": _municipality_name(item.municipality, router_),
        "services": services,
        "channel": CONTACT_CHANNELS[item.channel.value],
        "contact_href": href,
        "language": language_name(item.language),
        "notes": [(n.author, format_moment(n.created_at), n.text) for n in item.notes],
        "moves": [(s.value, STATUS_ACTIONS[s.value]) for s in MOVES[item.status]],
        "note_max": CONTACT_NOTE_MAX_CHARS,
        "handout_href": "/counsellor/handout?"
        + urlencode(
            [("service", s) for s in item.services if s in catalog.by_id]
            + [("lang", item.language if item.language in HANDOUT_LANGUAGES else _FI)]
        ),
        "has_services": any(s in catalog.by_id for s in item.services),
    }


def _request_page(
    request: Request,
    session: Session,
    reference: str,
    *,
    error: str = "",
    note_text: str = "",
    status: int = 200,
) -> Response:
    """One request with its forms; every time it is shown, the audit log says who saw it."""
    item = _contacts(request).get(reference)
    if item is None:
        return _message(
            request,
            session,
            404,
            "Pyyntöä ei löytynyt",
            f"Yhteydenottopyyntöä {reference[:40]} ei ole. Tarkista viite; pyynnöt "
            "poistetaan säilytysajan jälkeen.",
        )
    # The reference only: never the resident's contact details or words.
    _audit(request).record(session.username, "contact.view", target=item.reference)
    saved = _SAVED.get(request.query_params.get("saved", ""), "")
    context = {
        **_request_context(item, _router(request)),
        "saved": "" if error else saved,
        "error": error,
        "note_text": note_text,
    }
    return _page(request, "request.html", context, session, status)


@router.get("/requests/{reference}")
def request_page(reference: str, request: Request, session: WorkspaceSession) -> Response:
    """One contact request: the summary, contact details, notes, and forms to act on it."""
    return _request_page(request, session, reference)


@router.post("/requests/{reference}/status")
def set_status(
    reference: str,
    request: Request,
    status: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Move the request to another status (the store writes the audit entry)."""
    session = _acting_session(request, _request_href(reference))
    if not _csrf_ok(session, csrf):
        return _expired_form(request, session)
    if status not in STATUS_WORDS:
        return _request_page(request, session, reference, error="Tuntematon tila.", status=400)
    try:
        _contacts(request).set_status(reference, Status(status), session.username)
    except ContactError:
        return _request_page(
            request,
            session,
            reference,
            error="Tilaa ei voinut muuttaa: pyyntö on voitu juuri siirtää toiseen tilaan.",
            status=409,
        )
    return RedirectResponse(f"{_request_href(reference)}?saved=status", status_code=303)


@router.post("/requests/{reference}/notes")
def add_note(
    reference: str,
    request: Request,
    text: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Add a note to the request (the store writes the audit entry, without the words)."""
    session = _acting_session(request, _request_href(reference))
    if not _csrf_ok(session, csrf):
        return _expired_form(request, session)
    if not text.strip() or len(text.strip()) > CONTACT_NOTE_MAX_CHARS:
        error = (
            "Muistiinpano on tyhjä."
            if not text.strip()
            else f"Muistiinpano on liian pitkä: enintään {CONTACT_NOTE_MAX_CHARS} merkkiä."
        )
        return _request_page(request, session, reference, error=error, note_text=text, status=400)
    try:
        _contacts(request).add_note(reference, session.username, text)
    except ContactError:
        return _request_page(request, session, reference, note_text=text, status=404)
    return RedirectResponse(f"{_request_href(reference)}?saved=note#notes", status_code=303)
