"""Latency of route() at the shipped catalogue and at a synthetic large one, as JSON.

    python -m benchmarks.route_latency [--size 20000]

Every dev-set message is routed once to warm caches (as a running service is warm), then
timed; the figures are per message.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import machine, percentile, print_json, read_jsonl, replicate
from navigator.catalog.loader import load_catalog
from navigator.routing import Router
from navigator.safety import triage, triage_by_rules


def timed(router: Router, texts: list[str]) -> list[float]:
    for text in texts:
        router.route(text)
    times = []
    for text in texts:
        started = time.perf_counter()
        router.route(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _timed_calls(function: Callable[[str], object], texts: list[str]) -> list[float]:
    for text in texts:
        function(text)
    times = []
    for text in texts:
        started = time.perf_counter()
        function(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    texts = [row["text"] for row in read_jsonl("routing_dev.jsonl")]
    catalog = load_catalog()
    small = timed(Router(catalog), texts)
    big_catalog = replicate(catalog, args.size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    big = Router(big_catalog)
    build = time.perf_counter() - started
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    large = timed(big, texts)
    triage_ms = _timed_calls(triage, texts)
    rules_ms = _timed_calls(triage_by_rules, texts)
    figures = {
        "benchmark": "route_latency",
        "machine": machine(),
        "messages": len(texts),
        "shipped": {
            "services": len(catalog.services),
            "p50_ms": round(percentile(small, 0.5), 3),
            "p95_ms": round(percentile(small, 0.95), 3),
        },
        "triage": {
            "p50_ms": round(percentile(triage_ms, 0.5), 3),
            "p95_ms": round(percentile(triage_ms, 0.95), 3),
        },
        "triage_rules_only": {
            "p50_ms": round(percentile(rules_ms, 0.5), 3),
            "p95_ms": round(percentile(rules_ms, 0.95), 3),
        },
        "large": {
            "services": args.size,
            "p50_ms": round(percentile(large, 0.5), 3),
            "p95_ms": round(percentile(large, 0.95), 3),
            "build_s": round(build, 2),
            "peak_rss_growth_mb": round(peak / 2**20, 1),
        },
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
