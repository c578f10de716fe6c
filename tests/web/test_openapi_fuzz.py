"""The JSON API fuzzed from its own OpenAPI document: every operation, with requests made
from the document's schemas, must answer without a server error, with a status the document
declares for it, and with a body that matches the schema declared for that status.

Schemathesis would do this, but no release fits the pinned stack (docs/dependencies.md):
the one pip can resolve next to Rasa's pins (3.14.2) fails to import with Werkzeug 3 and
predates OpenAPI 3.1, which FastAPI writes. So this module does what its three checks
`not_a_server_error`, `status_code_conformance` and `response_schema_conformance` do, with
hypothesis-jsonschema making values from the document's schemas:

- positive cases: parameters and JSON bodies from their schemas (real ids and a real
  contact request's reference mixed in, so that the handlers get past "not found"), with a
  live bearer token on most contact-request calls;
- negative cases: parameters of any text, bodies of any JSON, a schema-valid body with a
  required key dropped or a value of another type, broken or deeply nested JSON, other
  content types, bodies over the 64 KiB limit, and missing or forged tokens.

The app runs in-process (FastAPI's TestClient, its lifespan run) on a temporary SQLite
file with the shipped catalogue and no assistant behind it. The login and public-contact
rate limits are lifted for the run (their 429s are tested in test_api.py), so that the
handlers behind them are fuzzed too. `benchmarks/openapi_fuzz.py` runs the same with many
more examples.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from navigator.routing import Router
from navigator.web.api import PublicLimiter
from navigator.web.app import create_app
from navigator.web.config import MAX_BODY_BYTES, WebConfig
from navigator.web.security import LoginLimiter
from tests.web.counsellor_helpers import PASSWORD, USER, Workspace, running_workspace

#: Methods of an OpenAPI path item that are operations.
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
#: A 503 that is not a server error: the readiness probe saying a part is down (no
#: assistant runs behind the app under test), as the document declares.
READINESS = ("GET", "/readyz")

# The document ---------------------------------------------------------------------------------


def the_document() -> dict[str, Any]:
    """The OpenAPI document as the app serves it (built without starting the app)."""
    document: dict[str, Any] = create_app(WebConfig(data_dir=Path("unused"))).openapi()
    return document


def inline_refs(value: Any, document: dict[str, Any], depth: int = 0) -> Any:
    """`value` with every local `$ref` replaced by what it points to (none are recursive)."""
    assert depth < 50, "a recursive $ref"
    if isinstance(value, dict):
        if "$ref" in value:
            target: Any = document
            for part in value["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            rest = {k: v for k, v in value.items() if k != "$ref"}
            return inline_refs({**target, **rest}, document, depth + 1)
        return {k: inline_refs(v, document, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [inline_refs(v, document, depth + 1) for v in value]
    return value


@dataclass(frozen=True)
class Operation:
    """One method of one path, with its schemas resolved."""

    method: str
    path: str
    parameters: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None  # the JSON body's schema
    body_required: bool
    responses: dict[str, dict[str, Any]] = field(hash=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def secured(self) -> bool:
        """True for the contact-request operations behind the bearer token."""
        return self.path.startswith("/api/v1/contact-requests") and not (
            self.method == "POST" and self.path == "/api/v1/contact-requests"
        )


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of the document."""
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            spec = inline_refs(item[method], document)
            body = spec.get("requestBody")
            schema = body["content"]["application/json"]["schema"] if body else None
            found.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(spec.get("parameters", [])),
                    schema,
                    bool(body and body.get("required")),
                    spec["responses"],
                )
            )
    return found


DOCUMENT = the_document()
OPERATIONS = operations(DOCUMENT)

# Cases ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request to make."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    content: bytes | None
    kind: str  # "positive" or which negative

    def describe(self) -> str:
        """The request, short enough for a failure message."""
        body = "" if self.content is None else f" body={self.content[:300]!r}"
        return (
            f"{self.kind}: {self.method} {self.path} query={list(self.query)!r:.300} "
            f"headers={dict(self.headers)}{body}"
        )


@dataclass(frozen=True)
class Seeds:
    """Real values to mix into generated ones, and the live token."""

    token: str
    references: tuple[str, ...]
    service_ids: tuple[str, ...]
    need_ids: tuple[str, ...]
    municipalities: tuple[str, ...]


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
ANY_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=15,
)
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "-1", "0", "1e999", "NaN", "true", "null", "[]", "{}", "9" * 40]),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "../../etc", "%00", "\u202e"]),
)


def _query_value(value: Any) -> list[str]:
    """A parameter's value as query-string values (lists repeat the key)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for item in value for v in _query_value(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (dict,)):
        return [json.dumps(value)]
    return [str(value)]


def _seeded(parameter: dict[str, Any], seeds: Seeds) -> st.SearchStrategy[Any]:
    """Values for a parameter: from its schema, with real ids where the name asks for one."""
    schema = from_schema(parameter["schema"])
    real = {
        "reference": seeds.references,
        "service_id": seeds.service_ids,
        "need": seeds.need_ids,
        "municipality": seeds.municipalities,
    }.get(parameter["name"])
    if not real:
        return schema
    if parameter["schema"].get("type") == "array":
        return st.one_of(schema, st.lists(st.sampled_from(real), max_size=3))
    return st.one_of(schema, st.sampled_from(real))


def _one_segment(value: Any) -> bool:
    """A path parameter is one non-empty path segment, as the routes match it (an empty
    one or one with "/" is another address: a redirect or another route, not this one)."""
    return bool(str(value)) and "/" not in str(value)


def _path_value(value: str) -> str:
    """A path parameter percent-encoded, dots too: a client would otherwise resolve "." and
    ".." segments itself and call another address."""
    return quote(value, safe="").replace(".", "%2E")


@st.composite
def _parameters(
    draw: st.DrawFn, operation: Operation, seeds: Seeds, negative: bool
) -> tuple[str, tuple[tuple[str, str], ...]]:
    path = operation.path
    query: list[tuple[str, str]] = []
    for parameter in operation.parameters:
        name, where = parameter["name"], parameter["in"]
        wild = negative and draw(st.booleans())
        if where == "path":
            value = draw((ANY_TEXT if wild else _seeded(parameter, seeds)).filter(_one_segment))
            path = path.replace(f"{{{name}}}", _path_value(str(value)))
        elif where == "query":
            if not parameter.get("required") and draw(st.booleans()):
                continue
            value = draw(ANY_TEXT if wild else _seeded(parameter, seeds))
            query += [(name, v) for v in _query_value(value)]
    return path, tuple(query)


def _without_a_key(body: Any, draw: st.DrawFn) -> Any:
    if isinstance(body, dict) and body:
        changed = copy.deepcopy(body)
        key = draw(st.sampled_from(sorted(changed)))
        if draw(st.booleans()):
            del changed[key]
        else:
            changed[key] = draw(ANY_JSON)
        return changed
    return body


_RAW_BODIES = [
    b"",
    b"{not json",
    b"null",
    b"[" * 20_000 + b"]" * 20_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b"\xff\xfe\xfa",
    b'{"text": "\\ud800"}',
    b'{"text": NaN}',
]
_CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
    "application/merge-patch+json",
]


@st.composite
def cases(draw: st.DrawFn, operation: Operation, seeds: Seeds) -> Case:
    """A request for this operation: mostly from its schemas, sometimes not."""
    negative = draw(st.integers(0, 2)) == 0
    path, query = draw(_parameters(operation, seeds, negative))
    headers: dict[str, str] = {}
    kind = "positive"
    if operation.secured:
        auth = draw(st.sampled_from(["live", "live", "live", "none", "forged"]))
        if auth == "live":
            headers["Authorization"] = f"Bearer {seeds.token}"
        elif auth == "forged":
            headers["Authorization"] = "Bearer " + draw(st.text("abcXYZ019-_", max_size=60))
        if auth != "live":
            kind = f"{auth} token"
    content: bytes | None = None
    if operation.body is not None:
        headers["content-type"] = "application/json"
        body = draw(from_schema(operation.body))
        if negative:
            how = draw(st.sampled_from(["any JSON", "changed key", "raw", "type", "too large"]))
            kind = f"negative body: {how}"
            if how == "any JSON":
                body = draw(ANY_JSON)
            elif how == "changed key":
                body = _without_a_key(body, draw)
            elif how == "raw":
                content = draw(st.sampled_from(_RAW_BODIES) | st.binary(max_size=200))
            elif how == "type":
                headers["content-type"] = draw(st.sampled_from(_CONTENT_TYPES))
            else:
                body = {"padding": "x" * (MAX_BODY_BYTES + 1)}
        if content is None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    elif negative:
        kind = "negative parameters"
    return Case(operation.method, path, query, tuple(headers.items()), content, kind)


# The checks -----------------------------------------------------------------------------------


def declared(operation: Operation, status: int) -> dict[str, Any] | None:
    """The response the document declares for this status (exact, `4XX` or default)."""
    responses = operation.responses
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return responses[key]
    return None


def send(client: Any, case: Case) -> httpx.Response | str:
    """The app's answer to the case, or what it raised (the in-process app re-raises)."""
    try:
        response: httpx.Response = client.request(
            case.method,
            case.path,
            params=list(case.query),
            headers=dict(case.headers),
            content=case.content,
            follow_redirects=False,
        )
    except Exception as exc:  # an unhandled exception in the app: a server error
        return f"raised {type(exc).__name__}: {exc!s:.200}"
    return response


def judge(operation: Operation, case: Case, response: httpx.Response | str) -> list[str]:
    """What is wrong with the answer (empty if nothing), check by check."""
    if isinstance(response, str):
        return [f"not_a_server_error: {response}"]
    status = response.status_code
    problems = []
    if status >= 500 and not (status == 503 and (case.method, case.path) == READINESS):
        problems.append(f"not_a_server_error: {status} {response.text[:200]!r}")
    spec = declared(operation, status)
    if spec is None:
        problems.append(
            f"status_code_conformance: {status} is not declared "
            f"(declared: {sorted(operation.responses)}) {response.text[:200]!r}"
        )
        return problems
    content = spec.get("content")
    if not content:
        return problems
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media not in content:
        problems.append(
            f"content_type_conformance: {media!r} for {status}; declared {sorted(content)}"
        )
        return problems
    schema = content[media].get("schema")
    if schema:
        try:
            body = response.json()
        except ValueError:
            return [*problems, f"response_schema_conformance: {status} body is not JSON"]
        for error in list(jsonschema.Draft202012Validator(schema).iter_errors(body))[:3]:
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(
                f"response_schema_conformance: {status} at '{where}': {error.message[:200]}"
            )
    return problems


def check(client: Any, operation: Operation, case: Case) -> list[str]:
    """Send the case; what is wrong with the answer (empty if nothing)."""
    return judge(operation, case, send(client, case))


# The app under test ---------------------------------------------------------------------------


@dataclass
class Target:
    """The running app, its client, and the seeds for its cases."""

    workspace: Workspace
    seeds: Seeds


def seeds_for(workspace: Workspace, router: Router) -> Seeds:
    """A live token, a stored contact request, and the catalogue's ids."""
    stored = workspace.submit()
    response = workspace.client.post(
        "/api/v1/auth/token", json={"username": USER, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    catalog = router.catalog
    return Seeds(
        token=response.json()["access_token"],
        references=(stored.reference,),
        service_ids=tuple(s.id for s in catalog.active[:20]),
        need_ids=tuple(catalog.taxonomy.needs),
        municipalities=("Oulu", "564", "Kempeleessä", "Vaasa"),
    )


def lift_rate_limits(workspace: Workspace) -> None:
    """No 429 after a handful of calls: the handlers behind the limits get fuzzed too."""
    workspace.app.state.login_limiter = LoginLimiter(attempts=10**9)
    workspace.app.state.public_limiter = PublicLimiter(per_hour=10**9)


@contextmanager
def fuzz_target(data_dir: Path, router: Router) -> Iterator[Target]:
    """The app started on a temporary database, ready to be fuzzed."""
    with running_workspace(data_dir, router) as workspace:
        seeds = seeds_for(workspace, router)
        lift_rate_limits(workspace)
        yield Target(workspace, seeds)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, router: Router) -> Iterator[Target]:
    with fuzz_target(tmp_path_factory.mktemp("openapi"), router) as target:
        yield target


# The tests ------------------------------------------------------------------------------------

#: Examples per operation in CI (about half a minute for all of them on two cores).
CI_EXAMPLES = 60


def test_the_document_has_every_operation_and_declares_errors() -> None:
    found = {str(o) for o in OPERATIONS}
    assert len(found) >= 11, found
    for operation in OPERATIONS:
        if operation.path.startswith("/api/") and (operation.parameters or operation.body):
            assert "422" in operation.responses, f"{operation} declares no 422"


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_operation_answers_as_documented(target: Target, operation: Operation) -> None:
    client = target.workspace.client

    @settings(
        max_examples=CI_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, target.seeds))
    def one(case: Case) -> None:
        problems = check(client, operation, case)
        assert not problems, f"{case.describe()}\n" + "\n".join(problems)

    one()


#: Bodies every run sends as well (ones the fuzz has found trouble with), by operation.
KNOWN_BODIES: dict[str, list[Any]] = {
    "POST /api/v1/contact-requests": [
        {"channel": "phone", "address": address, "consent": True}
        for address in ("( )", "-", "+", "8", "(8)", "1" * 30, "0", "+0", "112", "@", "a@b")
    ]
    + [{"channel": "email", "address": address, "consent": True} for address in ("@", "a@", "( )")],
    "POST /api/v1/route": [
        {"text": ""},
        {"text": "\x00" * 1000},
        {"text": "a" * 20_000},
        {"text": "moi", "municipality": "", "needs": [""], "exclude": [""]},
    ],
    "POST /api/v1/auth/token": [
        {"username": "", "password": ""},
        {"username": "\x00", "password": "x"},
    ],
}


@pytest.mark.parametrize("operation", [o for o in OPERATIONS if str(o) in KNOWN_BODIES], ids=str)
def test_known_bodies_answer_as_documented(target: Target, operation: Operation) -> None:
    client = target.workspace.client
    for body in KNOWN_BODIES[str(operation)]:
        content = json.dumps(body).encode()
        case = Case(
            operation.method,
            operation.path,
            (),
            (("content-type", "application/json"),),
            content,
            "known",
        )
        problems = check(client, operation, case)
        assert not problems, f"{case.describe()}\n" + "\n".join(problems)
