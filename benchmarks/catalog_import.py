"""Time `navigator catalog import ptv` on 20,000 PTV-shaped services, as JSON.

    python -m benchmarks.catalog_import [--services 20000] [--per-channel 10] [--page 500]

The input is made from the real PTV records in ../shared/data/ptv-samples: the service
record is copied under new ids and names, spread over the county's municipalities (some
nationwide), and every `--per-channel` services share a copy of the real service-location
channel (its own id, street number, phone numbers and coordinates), as an organisation's
services share its offices. Records are written as paged API responses of `--page` items.
Measured: the first import (every file written) and a re-import (every file unchanged),
as wall time and as this process's CPU time, with the machine's load average.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, machine, print_json
from navigator.catalog.imports.ptv import import_ptv
from navigator.catalog.problems import Problems
from navigator.catalog.taxonomy import load_taxonomy

SHARED = Path(os.environ.get("NAVIGATOR_SHARED", REPO.parent / "shared"))
SAMPLES = SHARED / "data" / "ptv-samples"
NAMESPACE = uuid.UUID("6f1f3c1e-8d0b-4f43-9a55-5b0c2f6d7a10")  # fixed: the same ids every run


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--per-channel", type=int, default=10)
    parser.add_argument("--page", type=int, default=500)
    return parser.parse_args()


def _id(kind: str, number: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}-{number}"))


def _channel(template: dict[str, Any], number: int) -> dict[str, Any]:
    channel = copy.deepcopy(template)
    channel["id"] = _id("channel", number)
    channel["services"] = []
    for offset, phone in enumerate(channel["phoneNumbers"]):
        phone["number"] = f"44{(7_000_000 + number * 2 + offset) % 10_000_000:07d}"
    street = channel["addresses"][0]["streetAddress"]
    street["streetNumber"] = str(1 + number % 90)
    street["latitude"] = str(6_834_688 + number % 5_000)
    street["longitude"] = str(503_879 + number % 3_000)
    return channel


def _service(template: dict[str, Any], number: int, channel_id: str, codes: list[str]) -> Any:
    service = copy.deepcopy(template)
    service["id"] = _id("service", number)
    for name in service["serviceNames"]:
        name["value"] = f"{name['value']} {number}"
    service["serviceChannels"] = [
        {"serviceChannel": {"id": channel_id, "name": "Otavan Opisto / Otavia"}}
    ]
    if number % 4:  # three in four serve one or two municipalities of the county
        chosen = [codes[number % len(codes)], codes[(number * 7) % len(codes)]]
        service["areaType"] = "LimitedType"
        service["areas"] = [
            {"type": "Municipality", "code": code, "municipalities": [{"code": code}]}
            for code in dict.fromkeys(chosen)
        ]
    return service


def generate(folder: Path, services: int, per_channel: int, page: int, codes: list[str]) -> int:
    """Write the paged input files; returns their total size in bytes."""
    service = json.loads((SAMPLES / "service_etalukio.json").read_text(encoding="utf-8"))
    channel = json.loads(
        (SAMPLES / "channel_service_location_otava.json").read_text(encoding="utf-8")
    )
    records: list[Any] = []
    size = 0
    for number in range(services):
        if number % per_channel == 0:
            records.append(_channel(channel, number // per_channel))
        records.append(_service(service, number, _id("channel", number // per_channel), codes))
    for start in range(0, len(records), page):
        data = {"pageNumber": start // page + 1, "itemList": records[start : start + page]}
        path = folder / f"page-{start // page + 1:04d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        size += path.stat().st_size
    return size


def main() -> None:
    arguments = _arguments()
    if not SAMPLES.is_dir():
        sys.exit(f"no PTV samples at {SAMPLES}; set NAVIGATOR_SHARED")
    with tempfile.TemporaryDirectory(prefix="navigator-import-") as temporary:
        work = Path(temporary)
        root = work / "catalog"
        shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
        codes = sorted(load_taxonomy(root, Problems()).municipalities)
        (work / "in").mkdir()
        size = generate(
            work / "in", arguments.services, arguments.per_channel, arguments.page, codes
        )
        paths = sorted((work / "in").glob("*.json"))
        figures: dict[str, Any] = {
            "services": arguments.services,
            "channels": -(-arguments.services // arguments.per_channel),
            "input_files": len(paths),
            "input_mb": round(size / 1e6, 1),
        }
        for run in ("first", "again"):
            started, cpu = time.perf_counter(), time.process_time()
            report = import_ptv(paths, root)
            seconds = time.perf_counter() - started
            load = os.getloadavg()[0]
            figures[run] = {
                "seconds": round(seconds, 2),
                # CPU time of this process: the machine is shared, so wall time varies.
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "load_average_1min_after": round(load, 2),
                "services_per_second": round(report.imported / seconds),
                "written": report.written,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "problems": len(report.problems),
            }
    print_json({"benchmark": "catalog_import", "machine": machine(), **figures})


if __name__ == "__main__":
    main()
