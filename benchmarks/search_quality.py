"""Search quality and speed against the naive baseline, printed as JSON.

    python -m benchmarks.search_quality [--size 20000]

For each counsellor query in tests/data/search_queries.jsonl: recall@3 (share of queries
with a relevant service in the top 3) and MRR (mean reciprocal rank of the first relevant
service), for Navigator's search and for the baseline the issue names,
`fuzzywuzzy.process.extract` over service names (with python-Levenshtein), in the same run.
Latency is measured at the shipped catalogue and at a synthetic catalogue of --size services.
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

from fuzzywuzzy import process as fuzzy_process

from benchmarks.common import machine, percentile, print_json, read_jsonl, replicate
from navigator.catalog.loader import Catalog, load_catalog
from navigator.language import analyzer, identifier
from navigator.search import Filters, SearchIndex


def quality(ranked: list[list[str]], queries: list[dict[str, Any]]) -> dict[str, float]:
    """recall@3 and MRR of ranked id lists against the labelled relevant ids."""
    hits = 0
    reciprocal = 0.0
    for ids, query in zip(ranked, queries, strict=True):
        relevant = set(query["relevant"])
        if relevant & set(ids[:3]):
            hits += 1
        rank = next((i for i, sid in enumerate(ids, start=1) if sid in relevant), None)
        reciprocal += 1 / rank if rank else 0.0
    return {
        "recall_at_3": round(hits / len(queries), 4),
        "mrr": round(reciprocal / len(queries), 4),
    }


def navigator_run(
    index: SearchIndex, queries: list[dict[str, Any]]
) -> tuple[list[list[str]], list[float]]:
    ranked, times = [], []
    for query in queries:
        filters = Filters(**query.get("filters", {}))
        started = time.perf_counter()
        result = index.search(query["query"], filters, limit=10, lang=query.get("lang"))
        times.append((time.perf_counter() - started) * 1000)
        ranked.append([h.service.id for h in result.hits])
    return ranked, times


def baseline_run(
    catalog: Catalog, queries: list[dict[str, Any]]
) -> tuple[list[list[str]], list[float]]:
    names = {s.id: s.name.fi for s in catalog.active}
    ranked, times = [], []
    for query in queries:
        started = time.perf_counter()
        found = fuzzy_process.extract(query["query"], names, limit=10)
        times.append((time.perf_counter() - started) * 1000)
        ranked.append([key for _, _, key in found])
    return ranked, times


def latency(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(times, 0.5), 3), "p95_ms": round(percentile(times, 0.95), 3)}


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=20,
        help="queries timed for the baseline at --size (it is slow)",
    )
    args = parser.parse_args()
    queries = read_jsonl("search_queries.jsonl")
    catalog = load_catalog()
    ident = identifier()
    index = SearchIndex(catalog, analyzer(), ident)
    navigator_run(index, queries)  # warm the analyser's cache, as a running service would
    ranked, times = navigator_run(index, queries)
    base_ranked, base_times = baseline_run(catalog, queries)

    big = replicate(catalog, args.size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    big_index = SearchIndex(big, analyzer(), ident)
    build_seconds = time.perf_counter() - started
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    navigator_run(big_index, queries)
    _, big_times = navigator_run(big_index, queries)
    _, big_base_times = baseline_run(big, queries[: args.baseline_queries])

    ours = quality(ranked, queries)
    base = quality(base_ranked, queries)
    typo = [i for i, q in enumerate(queries) if q.get("typo")]
    ours["typo_recall_at_3"] = quality([ranked[i] for i in typo], [queries[i] for i in typo])[
        "recall_at_3"
    ]
    base["typo_recall_at_3"] = quality([base_ranked[i] for i in typo], [queries[i] for i in typo])[
        "recall_at_3"
    ]
    figures = {
        "benchmark": "search_quality",
        "machine": machine(),
        "queries": len(queries),
        "typo_queries": sum(1 for q in queries if q.get("typo")),
        "navigator": {
            **ours,
            "shipped": {"services": len(catalog.services), **latency(times)},
            "large": {
                "services": args.size,
                **latency(big_times),
                "index_build_s": round(build_seconds, 2),
                "index_peak_rss_growth_mb": round(peak / 2**20, 1),
            },
        },
        "baseline_fuzzywuzzy": {
            **base,
            "shipped": {**latency(base_times)},
            "large": {
                "services": args.size,
                "queries_timed": len(big_base_times),
                **latency(big_base_times),
            },
        },
        "ratios": {
            "speedup_p50_large": round(
                percentile(big_base_times, 0.5) / percentile(big_times, 0.5), 1
            ),
            "speedup_p95_large": round(
                percentile(big_base_times, 0.95) / percentile(big_times, 0.95), 1
            ),
            "recall_at_3_gain": round(ours["recall_at_3"] - base["recall_at_3"], 4),
        },
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
