"""Validating and loading a 20,000-service catalogue, as JSON (target: under 10 s).

    python -m benchmarks.catalog_validate [--services 20000] [--repeat 3]

The catalogue is made from the shipped one: each service file is copied again and again
with new ids (`-copyN`) and a number in each Finnish name (so the duplicate checks across
files have real work and nothing to report), into a temporary folder with the shipped
taxonomy. Timed, best of `--repeat`: `check_catalog` (what `navigator catalog validate`
does), `load_catalog` (what `navigator serve` and the live reload do), and the command
`navigator catalog validate` itself in a fresh process (Python start and imports included);
and the CPU time of `check_catalog` (with its reading processes'), which other work on a
shared machine inflates less than the wall clock.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import REPO, machine, print_json
from navigator.catalog.loader import check_catalog, load_catalog

TODAY = date(2026, 12, 7)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=20_000, help="services in all")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    return parser.parse_args()


def _renamed(service: dict[str, Any], copy: int) -> dict[str, Any]:
    """The service under a new id, with the copy number in its Finnish name."""
    name = service["name"]
    if isinstance(name, dict):
        name = {**name, "fi": f"{name['fi']} ({copy})"}
    else:
        name = f"{name} ({copy})"
    return {**service, "id": f"{service['id']}-copy{copy}", "name": name}


def build(root: Path, size: int) -> int:
    """Write a catalogue of `size` services below `root`; the number of files."""
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
    shipped = sorted((REPO / "catalog" / "services").rglob("*.yaml"))
    documents = [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in shipped]
    written = files = copy = 0
    while written < size:
        for path, document in documents:
            services = document["services"][: size - written]
            if not services:
                break
            if copy:
                services = [_renamed(s, copy) for s in services]
            relative = path.relative_to(REPO / "catalog" / "services")
            target = root / "services" / f"copy{copy}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = yaml.safe_dump(
                {**document, "services": services}, allow_unicode=True, sort_keys=False
            )
            target.write_text(text, encoding="utf-8")
            written += len(services)
            files += 1
        copy += 1
    return files


def _cpu_time() -> float:
    """CPU seconds of this process and of its ended children (the catalogue's reading
    processes of a big catalogue are children that have ended when `check_catalog` returns)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _best(seconds: list[float]) -> float:
    return round(min(seconds), 2)


def run(size: int, repeat: int) -> dict[str, Any]:
    """Build the catalogue, then time the validator, the loader and the command."""
    with tempfile.TemporaryDirectory(prefix="catalog_validate-") as temp:
        root = Path(temp) / "catalog"
        files = build(root, size)
        validate: list[float] = []
        validate_cpu: list[float] = []
        load: list[float] = []
        command: list[float] = []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), _cpu_time()
            catalog, problems = check_catalog(root, TODAY)
            validate.append(time.perf_counter() - started)
            validate_cpu.append(_cpu_time() - cpu)
            started = time.perf_counter()
            load_catalog(root)
            load.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = subprocess.run(
                [
                    str(Path(sys.executable).with_name("navigator")),
                    "catalog",
                    "validate",
                    str(root),
                ],
                capture_output=True,
                check=False,
            )
            command.append(time.perf_counter() - started)
            if result.returncode != 0:
                raise SystemExit(result.stdout.decode()[-2000:] + result.stderr.decode())
        return {
            "services": len(catalog.services),
            "files": files,
            "errors": len(problems.errors),
            "warnings": len(problems.items) - len(problems.errors),
            "check_catalog_s": _best(validate),
            # CPU time of this process and its reading processes: on a machine shared with
            # other work, the wall-clock figures also count the time others had the cores.
            "check_catalog_cpu_s": _best(validate_cpu),
            "load_catalog_s": _best(load),
            "validate_command_s": _best(command),
            "target_s": 10,
            "runs": repeat,
        }


def main() -> None:
    """Print the figures as JSON."""
    arguments = _arguments()
    print_json({"machine": machine(), **run(arguments.services, arguments.repeat)})


if __name__ == "__main__":
    main()
