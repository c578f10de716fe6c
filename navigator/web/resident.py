"""The resident's pages: the chat, the privacy notice and the accessibility statement.

The chat page is plain HTML with one script (`static/chat.js`) that talks to `/chat/send`;
this module forwards each message to the Rasa server's REST channel and returns Rasa's
messages as they are. The page's language comes from `?lang=`, else the `lang` cookie
(the only cookie), else Accept-Language, else Finnish.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from navigator.cards import card_text, service_card
from navigator.routing import SAFETY_MESSAGE
from navigator.safety import SafetyLevel
from navigator.search import local_now
from navigator.settings import PRIVACY_URL
from navigator.web import texts
from navigator.web.templating import templates

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

#: Longest chat message passed on to the assistant; the assistant itself reads only the
#: first `MAX_MESSAGE_CHARS` and says so, so a long message is not refused here.
MAX_CHAT_CHARS = 10_000

#: Seconds the language cookie lasts (one year).
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600

_SENDER = re.compile(r"[A-Za-z0-9-]{8,64}")


# Language ------------------------------------------------------------------------------------


def page_language(request: Request) -> str:
    """`?lang=`, else the `lang` cookie, else the best of Accept-Language, else Finnish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in texts.LANGUAGES:
            return candidate
    return accepted_language(request.headers.get("accept-language", ""))


def accepted_language(header: str) -> str:
    """The supported language the Accept-Language header prefers most, else Finnish."""
    best, best_q = texts.DEFAULT_LANGUAGE, 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = _quality(params)
        # Strictly greater: of equal weights the header's first one wins.
        if primary in texts.LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


# Pages ---------------------------------------------------------------------------------------


def _render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A resident page in the page's language, remembering an explicit `?lang=` choice."""
    lang = page_language(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": texts.UI[lang],
            "languages": [(code, texts.LANGUAGE_NAMES[code]) for code in texts.LANGUAGES],
            "privacy_url": PRIVACY_URL,
            **context,
        },
        status_code=status,
    )
    chosen = request.query_params.get("lang")
    if chosen in texts.LANGUAGES and chosen != request.cookies.get("lang"):
        response.set_cookie(
            "lang",
            chosen,
            max_age=LANGUAGE_COOKIE_SECONDS,
            samesite="lax",
            secure=request.url.scheme == "https",
            httponly=True,
        )
    return response


@router.get("/")
async def chat_page(request: Request) -> Response:
    """The chat: the start notice, the conversation, the message box."""
    lang = page_language(request)
    return _render(request, "resident/chat.html", script_texts=texts.script_texts(lang))


@router.get("/privacy")
async def privacy_page(request: Request) -> Response:
    """The privacy notice."""
    lang = page_language(request)
    sections = texts.privacy_sections(lang)
    return _render(request, "resident/notice.html", kind="privacy", sections=sections)


@router.get("/accessibility")
async def accessibility_page(request: Request) -> Response:
    """The accessibility statement (Act on the Provision of Digital Services, 306/2019)."""
    lang = page_language(request)
    return _render(
        request,
        "resident/notice.html",
        kind="accessibility",
        sections=texts.accessibility_sections(lang),
    )


async def not_found_page(request: Request, status: int) -> Response:
    """The page for an unknown address (404) or a method a page does not take (405)."""
    return _render(request, "resident/not_found.html", status=status, status_code=status)


# The chat channel ----------------------------------------------------------------------------


@router.post("/chat/send")
async def chat_send(request: Request) -> Response:
    """Pass one message to the Rasa REST channel; Rasa's messages, or 503 if it is down."""
    from navigator.web.app import error_body  # app imports this module

    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        body = error_body("unsupported_media_type", "send the message as application/json")
        return JSONResponse(body, status_code=415)
    try:
        data = await request.json()
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return JSONResponse(error_body("invalid", "the body is not JSON"), status_code=422)
    problem = chat_problem(data)
    if problem:
        return JSONResponse(error_body("invalid", problem), status_code=422)
    messages = await _ask_rasa(request, data["sender"], data["message"], data["lang"])
    if messages is None:
        messages = safety_without_assistant(request, data["message"], data["lang"])
    if messages is None:
        body = error_body("unavailable", "the assistant is not answering; try again in a moment")
        return JSONResponse(body, status_code=503)
    return JSONResponse(messages)


def safety_without_assistant(request: Request, message: str, lang: str) -> list[Any] | None:
    """When the assistant is down, a message that may signal danger still gets 112 and the
    crisis services first, from the routing library itself; None for any other message."""
    router = request.app.state.live.current()
    answer = router.route(message, lang=lang)
    if answer.safety is SafetyLevel.NONE:
        return None
    now = local_now()
    cards = [service_card(r, lang, now) for r in answer.recommendations if r.role != "ladder"]
    messages: list[Any] = [{"text": SAFETY_MESSAGE[lang]}, {"text": texts.UI[lang]["degraded"]}]
    for card in cards:  # as the assistant sends a card: the text, then the payload
        text = card_text(card, lang)
        messages += [{"text": text}, {"custom": {**card, "text": text}}]
    return messages


def chat_problem(data: Any) -> str | None:
    """What is wrong with a chat message body, or None if it is right."""
    if not isinstance(data, dict):
        return "the body must be an object with sender, message and lang"
    sender, message, lang = data.get("sender"), data.get("message"), data.get("lang")
    if not isinstance(sender, str) or not _SENDER.fullmatch(sender):
        return "sender must be 8-64 letters, digits or dashes"
    if not isinstance(message, str):
        return "message must be text"
    if not message.isascii() and not _utf8(message):
        return "message must be Unicode text (it has a lone surrogate: \\ud800-\\udfff)"
    if len(message) > MAX_CHAT_CHARS:
        return f"message is longer than {MAX_CHAT_CHARS} characters"
    if lang not in texts.LANGUAGES:
        return f"lang must be one of {', '.join(texts.LANGUAGES)}"
    return None


def _utf8(text: str) -> bool:
    """True if the text can be sent on as UTF-8 (JSON lets a lone surrogate through)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def _ask_rasa(request: Request, sender: str, message: str, lang: str) -> Any | None:
    """Rasa's list of messages for this one, or None if it did not answer properly."""
    url = f"{request.app.state.config.resolved_rasa_url()}/webhooks/rest/webhook"
    payload = {"sender": sender, "message": message, "metadata": {"language": lang}}
    client: httpx.AsyncClient = request.app.state.http
    try:
        response = await client.post(url, json=payload)
        response.raise_for_status()
        messages = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        # Never the message text: only what went wrong.
        log.warning("the assistant did not answer a chat message: %s", type(exc).__name__)
        return None
    if not isinstance(messages, list):
        log.warning("the assistant answered with something other than a list of messages")
        return None
    return messages
