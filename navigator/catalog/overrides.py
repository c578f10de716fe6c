"""Editors' overrides: `catalog/overrides/<service-id>.yaml` laid over an entry when loading.

Importers rewrite their files on every run, so an editor's change to an imported entry lives
in an override file that no importer touches. Each key of the override replaces the entry's
key of the same name (a whole value: a list or mapping is replaced, not merged); a key with
an empty value (`review:` or `review: null`) removes it. The merge happens on positioned
nodes, so a problem in an overriding value is reported at the override file's line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from navigator.catalog.problems import Problems
from navigator.catalog.yamlfile import Mark, YamlDocument, YMapping, YNode, YScalar, YSequence, load
from navigator.errors import CatalogFileError

OVERRIDES_DIR = "overrides"


@dataclass
class Override:
    """One override file: the service id (its file name) and its keys."""

    service_id: str
    mark: Mark
    mapping: YMapping
    used: bool = False


def override_files(root: Path) -> list[Path]:
    """The override YAML files of a catalogue, sorted (none if the folder is absent)."""
    folder = root / OVERRIDES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


def load_overrides(root: Path, problems: Problems, display: dict[Path, str]) -> dict[str, Override]:
    """Parse every override file; problems in them are recorded, never raised."""
    overrides: dict[str, Override] = {}
    for path in override_files(root):
        name = display[path]
        try:
            document = load(path, name)
        except CatalogFileError as exc:
            problems.error(Mark(exc.path, exc.line, exc.column), exc.code, exc.message)
            continue
        for duplicate in document.duplicates:
            problems.error(
                duplicate.key.mark,
                "duplicate-key",
                f"'{duplicate.key.text}' is given twice in this override "
                f"(first at line {duplicate.first.line})",
                "keep one",
            )
        if not isinstance(document.root, YMapping):
            problems.error(
                document.root.mark,
                "wrong-type",
                "an override should be a mapping of service fields, e.g. 'level: 2'",
                "see 'Imported entries and overrides' in catalog/README.md",
            )
            continue
        id_key = next((k for k, _ in document.root.items if k.text == "id"), None)
        if id_key is not None:
            problems.error(
                id_key.mark,
                "override-id",
                "an override cannot change a service's id; the file name names the service",
                f"remove 'id:'; this file overrides '{path.stem}'",
                field="id",
            )
            continue
        overrides[path.stem] = Override(path.stem, document.root.mark, document.root)
    return overrides


def apply_overrides(document: YamlDocument, overrides: dict[str, Override]) -> None:
    """Lay the matching overrides over the services of a parsed service file, in place."""
    if not overrides or not isinstance(document.root, YMapping):
        return
    services = document.root.get("services")
    if not isinstance(services, YSequence):
        return
    for service in services.items:
        if not isinstance(service, YMapping):
            continue
        id_node = service.get("id")
        if not isinstance(id_node, YScalar) or id_node.text not in overrides:
            continue
        override = overrides[id_node.text]
        override.used = True
        service.items = _merged(service.items, override.mapping.items)


def _merged(
    base: list[tuple[YScalar, YNode]], top: list[tuple[YScalar, YNode]]
) -> list[tuple[YScalar, YNode]]:
    """The entry's keys in their order with the override's values, then the override's new
    keys; an empty override value removes the key."""
    replacement = {key.text: (key, value) for key, value in top}
    removed = {
        key.text
        for key, value in top
        if isinstance(value, YScalar) and value.is_null and not value.quoted
    }
    result: list[tuple[YScalar, YNode]] = []
    for key, value in base:
        result.append(replacement.pop(key.text, (key, value)))
    result.extend(replacement.values())
    return [(key, value) for key, value in result if key.text not in removed]


def report_unused(overrides: dict[str, Override], problems: Problems) -> None:
    """An override for an id no service has is an error (a typo, or the entry was removed)."""
    for override in overrides.values():
        if not override.used:
            problems.error(
                override.mark,
                "override-unknown",
                f"no service has the id '{override.service_id}', so this override does nothing",
                "name the file after an existing service id, or delete it",
            )
