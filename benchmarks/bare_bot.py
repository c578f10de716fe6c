"""A bare Rasa project with the navigator's intents and NLU data, for comparison.

The project has no custom part: `rasa init`'s config.yml (read from the installed Rasa
package, `language: fi`, so Rasa's default pipeline and policies), a domain with the intents
of domain.yml and one plain text response per intent, one rule per intent (intent →
utter_<intent>; not for `restart`, which Rasa's own rule answers with action_restart, as
the navigator's does) and a copy of nlu/{fi,sv,en}/nlu.yml. No action server, no forms, no
slots.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import REPO
from benchmarks.nlu_crossval import rasa_init_config

LANGUAGES = ("fi", "sv", "en")
#: Rasa's default pipeline ends with a FallbackClassifier; this rule answers its intent as
#: the navigator's `low confidence` rule does, so that both bots reply to every message.
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Project:
    """The files `navigator.bot.run.train` needs."""

    config: Path
    domain: Path
    data: Path


def intents(domain: Path = REPO / "domain.yml") -> list[str]:
    """The intent names of a Rasa domain (plain names or `{name: {...}}` entries)."""
    loaded = yaml.safe_load(domain.read_text(encoding="utf-8"))
    names = []
    for entry in loaded.get("intents", []):
        names.append(str(next(iter(entry))) if isinstance(entry, dict) else str(entry))
    return names


def bare_domain(names: list[str]) -> dict[str, Any]:
    """A domain with the intents and one text response per intent."""
    return {
        "version": "3.1",
        "intents": names,
        "responses": {
            f"utter_{name}": [{"text": f"({name})"}] for name in [*names, FALLBACK_INTENT]
        },
    }


def bare_rules(names: list[str]) -> dict[str, Any]:
    """One rule per intent: the intent, then its response; Rasa's default actions keep
    their intents (a rule of ours would contradict Rasa's)."""
    from rasa.core.policies.rule_policy import DEFAULT_ACTION_MAPPINGS

    return {
        "version": "3.1",
        "rules": [
            {
                "rule": f"answer {name}",
                "steps": [{"intent": name}, {"action": f"utter_{name}"}],
            }
            for name in [*names, FALLBACK_INTENT]
            if name not in DEFAULT_ACTION_MAPPINGS
        ],
    }


def _write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_project(directory: Path) -> Project:
    """Write the bare project into `directory` (which must exist)."""
    names = intents()
    data = directory / "data"
    for lang in LANGUAGES:
        target = data / lang / "nlu.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "nlu" / lang / "nlu.yml", target)
    _write_yaml(data / "rules.yml", bare_rules(names))
    return Project(
        config=rasa_init_config(directory),
        domain=_write_yaml(directory / "domain.yml", bare_domain(names)),
        data=data,
    )
