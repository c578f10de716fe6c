"""Shared pieces of the benchmarks: data sets, the machine, a synthetic large catalogue."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from navigator.catalog.loader import Catalog
from navigator.catalog.model import Text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """A labelled data set from tests/data."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def machine() -> dict[str, Any]:
    """Where and when the figures were measured."""
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "system": platform.platform(),
    }


def replicate(catalog: Catalog, size: int) -> Catalog:
    """A synthetic catalogue of `size` services: copies of the real ones under new ids.

    Copies keep the real texts (so term statistics stay realistic) and get a number in
    their name, so that the index and filters do the work of a catalogue that large.
    """
    services = list(catalog.services)
    copies = []
    for number in range(size):
        original = services[number % len(services)]
        if number < len(services):
            copies.append(original)
            continue
        name = original.name
        copies.append(
            replace(
                original,
                id=f"{original.id}-copy{number}",
                name=Text(f"{name.fi} {number}", name.sv, name.en),
            )
        )
    return replace(catalog, services=tuple(copies), by_id={s.id: s for s in copies})


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def print_json(data: dict[str, Any]) -> None:
    """Print the figures."""
    print(json.dumps(data, ensure_ascii=False, indent=2))
