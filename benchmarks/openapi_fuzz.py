"""The JSON API fuzzed from its OpenAPI document at scale, as JSON.

    python -m benchmarks.openapi_fuzz [--examples 1000] [--seed 1]

The generator and checks of `tests/web/test_openapi_fuzz.py` (the counterparts of
Schemathesis' `not_a_server_error`, `status_code_conformance` and
`response_schema_conformance`, plus the response's media type), with `--examples` cases
per operation (about a third of them negative: bodies and parameters outside the schemas,
missing or forged tokens) against the app in-process on a temporary SQLite database with
the shipped catalogue and no assistant. Counted per operation: requests, status codes,
server errors, undeclared status codes and schema violations, with the first few failures.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from benchmarks.common import machine, print_json
from navigator.catalog.loader import default_catalog_root, load_catalog
from navigator.routing import Router
from tests.web.test_openapi_fuzz import (
    OPERATIONS,
    Case,
    Operation,
    Target,
    cases,
    fuzz_target,
    judge,
    send,
)

#: Which check each kind of problem belongs to, and the figure it counts toward.
FIGURES = {
    "not_a_server_error": "server_errors",
    "status_code_conformance": "undeclared_status",
    "response_schema_conformance": "schema_violations",
    "content_type_conformance": "schema_violations",
}


@dataclass
class Tally:
    """What one operation answered."""

    requests: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        """The tally as JSON."""
        return {
            "requests": self.requests,
            **{figure: self.problems[figure] for figure in sorted(set(FIGURES.values()))},
            "statuses": dict(sorted(self.statuses.items())),
            "kinds": dict(sorted(self.kinds.items())),
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
        }


def fuzz(target: Target, operation: Operation, examples: int, start: int) -> Tally:
    """Send `examples` generated cases to one operation, counting every problem."""
    tally = Tally()
    client = target.workspace.client

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, target.seeds))
    def one(case: Case) -> None:
        response = send(client, case)
        tally.requests += 1
        tally.kinds[case.kind.split(":")[0]] += 1
        tally.statuses[str(getattr(response, "status_code", "raised"))] += 1
        for problem in judge(operation, case, response):
            tally.problems[FIGURES[problem.split(":")[0]]] += 1
            if len(tally.failures) < 5:
                tally.failures.append(f"{case.describe()[:400]} -> {problem[:300]}")

    started = time.perf_counter()
    seed(start)(one)()
    tally.seconds = time.perf_counter() - started
    return tally


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="cases per operation")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def main() -> dict[str, Any]:
    """Fuzz every operation and print the figures."""
    args = _arguments()
    started = time.perf_counter()
    router = Router(load_catalog(default_catalog_root()))
    by_operation: dict[str, dict[str, Any]] = {}
    with (
        contextlib.redirect_stdout(sys.stderr),
        tempfile.TemporaryDirectory(prefix="openapi_fuzz-") as temp,
        fuzz_target(Path(temp), router) as target,
    ):
        for number, operation in enumerate(OPERATIONS):
            print(f"[openapi_fuzz] {operation}", file=sys.stderr, flush=True)
            tally = fuzz(target, operation, args.examples, args.seed * 1000 + number)
            by_operation[str(operation)] = tally.figures()

    def total(key: str) -> int:
        return sum(int(figures[key]) for figures in by_operation.values())

    about = machine()
    result = {
        "benchmark": "openapi_fuzz",
        "command": f"python -m benchmarks.openapi_fuzz --examples {args.examples} "
        f"--seed {args.seed}",
        "generator": "hypothesis-jsonschema over the OpenAPI document (Schemathesis does not "
        "fit the pinned stack; see docs/dependencies.md)",
        "operations": len(by_operation),
        "requests": total("requests"),
        "server_errors": total("server_errors"),
        "undeclared_status": total("undeclared_status"),
        "schema_violations": total("schema_violations"),
        "passed": total("server_errors") + total("undeclared_status") + total("schema_violations")
        == 0,
        "by_operation": by_operation,
        "seconds": round(time.perf_counter() - started, 1),
        "date": about["date"],
        "machine": about,
    }
    print_json(result)
    return result


if __name__ == "__main__":
    main()
