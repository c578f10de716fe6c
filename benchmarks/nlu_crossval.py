"""Intent macro-F1 of 5-fold cross-validation: our pipeline against `rasa init`'s, as JSON.

    RASA_TELEMETRY_ENABLED=false python -m benchmarks.nlu_crossval

Both pipelines are cross-validated on the same data (nlu/, all three languages) in one run,
each with `rasa test nlu --cross-validation --folds 5` in a subprocess:

- navigator: the project's config.yml (Voikko lemmas, DIET, the navigator entities);
- rasa_init: the config.yml that `rasa init` writes, read from the installed Rasa package,
  with only `language` set to `fi` (its pipeline is empty, so Rasa fills in its default one).

The figures are Rasa's intent report over the accumulated test folds. A fallback is scored
as the intent ranked next (Rasa's evaluation undoes the FallbackClassifier's prediction,
`rasa.nlu.test`), so the figure is the classifier's best guess. Rasa shuffles the folds
without a seed, so figures move a little between runs. Training needs the bot extra (Rasa);
the whole run takes tens of minutes on two cores.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import REPO, machine, print_json

NLU = REPO / "nlu"
FOLDS = 5
TARGET_MACRO_F1 = 0.90
SUMMARY_KEYS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON)."""
    print(f"[nlu_crossval] {message}", file=sys.stderr, flush=True)


def count_examples() -> dict[str, int]:
    """NLU examples per language directory under nlu/."""
    counts = {}
    for path in sorted(NLU.glob("*/nlu.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lines = [
            line
            for item in data.get("nlu", [])
            for line in str(item.get("examples", "")).splitlines()
            if line.strip().startswith("- ")
        ]
        counts[path.parent.name] = len(lines)
    return counts


def fingerprint() -> str:
    """A hash of the NLU data and config.yml: both pipelines must see the same inputs."""
    digest = hashlib.sha256()
    for path in [*sorted(NLU.glob("*/nlu.yml")), REPO / "config.yml"]:
        digest.update(path.relative_to(REPO).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rasa_init_config(directory: Path) -> Path:
    """`rasa init`'s config.yml from the installed package, with `language: fi`, in directory."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Rasa is not installed: install the bot extra (make .venv/.dev)")
    package = Path(next(iter(spec.submodule_search_locations)))
    source = package / "cli" / "initial_project" / "config.yml"
    text, replaced = re.subn(
        r"^language:.*$", "language: fi", source.read_text(encoding="utf-8"), flags=re.M
    )
    if replaced != 1:
        raise RuntimeError(f"expected one 'language:' line in {source}, found {replaced}")
    target = directory / "config.yml"
    target.write_text(text, encoding="utf-8")
    return target


def cross_validate(config: Path, out: Path, cache: Path) -> tuple[dict[str, Any], float]:
    """Run Rasa's cross-validation with config; its intent report and the wall time."""
    command = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", "nlu"]
    command += ["--config", str(config), "--cross-validation", "--folds", str(FOLDS)]
    command += ["--out", str(out), "--no-plot"]
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", RASA_CACHE_DIRECTORY=str(cache))
    progress(" ".join(command))
    started = time.perf_counter()
    # Rasa's own output goes to stderr too, so that stdout stays one JSON object.
    subprocess.run(command, cwd=REPO, env=env, stdout=sys.stderr, check=True)
    seconds = time.perf_counter() - started
    reports = sorted(out.rglob("intent_report.json"))
    if not reports:
        raise RuntimeError(f"Rasa wrote no intent_report.json under {out}")
    report: dict[str, Any] = json.loads(reports[0].read_text(encoding="utf-8"))
    return report, seconds


def summarise(report: dict[str, Any], seconds: float, config: str) -> dict[str, Any]:
    """The figures of one pipeline from Rasa's intent report."""
    intents = {
        name: round(values["f1-score"], 4)
        for name, values in sorted(report.items())
        if name not in SUMMARY_KEYS and isinstance(values, dict)
    }
    accuracy = report.get("accuracy", report.get("micro avg", {}).get("f1-score"))
    return {
        "config": config,
        "seconds": round(seconds, 1),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 4),
        "accuracy": round(accuracy, 4) if accuracy is not None else None,
        "intent_f1": intents,
        "intents_below_0_8": sorted(name for name, f1 in intents.items() if f1 < 0.8),
    }


def main() -> dict[str, Any]:
    """Cross-validate both pipelines and print their intent figures."""
    examples = count_examples()
    progress(f"examples per language: {examples}")
    inputs = {}
    with tempfile.TemporaryDirectory(prefix="nlu_crossval-") as temp:
        work = Path(temp)
        pipelines = {
            "navigator": (REPO / "config.yml", "config.yml"),
            "rasa_init": (
                rasa_init_config(work),
                "rasa/cli/initial_project/config.yml, language: fi",
            ),
        }
        results = {}
        for name, (config, label) in pipelines.items():
            progress(f"{name}: {FOLDS}-fold cross-validation")
            # Rasa reads the data once, when it starts: both runs must start on the same.
            inputs[name] = fingerprint()
            report, seconds = cross_validate(config, work / f"out-{name}", work / f"cache-{name}")
            results[name] = summarise(report, seconds, label)
            progress(f"{name}: macro F1 {results[name]['macro_f1']} in {seconds:.0f} s")
    changed = len(set(inputs.values())) > 1
    if changed:
        progress("WARNING: nlu/ or config.yml changed between the runs: not comparable")
    figures = {
        "benchmark": "nlu_crossval",
        "date": datetime.now(timezone.utc).date().isoformat(),
        "machine": machine(),
        "command": "rasa test nlu --nlu nlu --config <config> --cross-validation "
        f"--folds {FOLDS} --out <tmp> --no-plot",
        "folds": FOLDS,
        "examples": examples,
        "inputs_sha256": inputs["navigator"],
        "inputs_changed_between_pipelines": changed,
        "navigator": results["navigator"],
        "rasa_init": results["rasa_init"],
        "target_macro_f1": TARGET_MACRO_F1,
        "meets_target": results["navigator"]["macro_f1"] >= TARGET_MACRO_F1,
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
