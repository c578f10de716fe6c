"""Mutation fuzz of the catalogue validator at scale, as JSON.

    python -m benchmarks.catalog_fuzz [--files 10000] [--seed 1] [--batch 50]

The generator of `tests/catalog/test_mutations.py` (the shipped catalogue's files, mutated
1-3 times each: lines deleted, duplicated, swapped, re-indented; values of the wrong type;
unicode junk; truncation; anchors, aliases, tags; huge strings and lists; deep nesting;
BOMs, CRLF, tabs, NUL bytes, invalid UTF-8) with another seed and more files. Each batch is
checked by `check_catalog` with the shipped taxonomy. Counted: files, crashes (the
validator raised), faults (a problem that does not name a checked file's line), files the
validator found errors in, and the time per batch.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import machine, percentile, print_json
from tests.catalog.test_mutations import BATCH, batches, catalogue_root, check_batch


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="mutated files in all")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (CI uses 7)")
    parser.add_argument("--batch", type=int, default=BATCH, help="files per check_catalog call")
    return parser.parse_args()


def run(files: int, seed: int, size: int) -> dict[str, Any]:
    """Check `files` mutated files; the figures."""
    failures: list[str] = []
    seconds: list[float] = []
    mutations: Counter[str] = Counter()
    checked = with_errors = problems = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="catalog_fuzz-") as temp:
        root = catalogue_root(Path(temp))
        here = Path.cwd()
        os.chdir(root)  # problems name files as services/…
        try:
            for batch in batches(seed, files, size):
                result = check_batch(root, batch)
                failures += result.failures
                seconds.append(result.seconds)
                checked += len(batch)
                with_errors += result.files_with_errors
                problems += result.problems
                mutations.update(name for mutant in batch for name in mutant.mutations)
                if checked % 1000 < size:
                    print(f"[catalog_fuzz] {checked} files", file=sys.stderr, flush=True)
        finally:
            os.chdir(here)
    wall = time.perf_counter() - started
    crashes = [f for f in failures if f.startswith("raised") or "batch raised" in f]
    return {
        "files": checked,
        "crashes": len(crashes),
        "faults": len(failures) - len(crashes),
        "failures": failures[:50],
        "files_with_errors": with_errors,
        "problems": problems,
        "mutations": dict(sorted(mutations.items())),
        "batch_size": size,
        "batch_seconds": {
            "p50": round(percentile(seconds, 0.5), 3),
            "p95": round(percentile(seconds, 0.95), 3),
            "max": round(max(seconds), 3),
        },
        "files_per_s": round(checked / wall, 1),
        "seconds": round(wall, 1),
    }


def main() -> dict[str, Any]:
    """Run the fuzz and print the figures."""
    args = _arguments()
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the JSON
        figures = run(args.files, args.seed, args.batch)
    about = machine()
    result = {
        "benchmark": "catalog_fuzz",
        "command": f"python -m benchmarks.catalog_fuzz --files {args.files} --seed {args.seed}",
        "seed": args.seed,
        **figures,
        "passed": figures["crashes"] == 0 and figures["faults"] == 0,
        "date": about["date"],
        "machine": about,
    }
    print_json(result)
    return result


if __name__ == "__main__":
    main()
