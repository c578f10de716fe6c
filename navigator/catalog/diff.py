"""What changed between two catalogues: added, removed and changed services, field by field.

A reviewer of an editor's change reads this to see what residents will see differently, so
fields are named by their YAML paths (`channels[0].hours`, `name.sv`) and shown as written.
Each side is a catalogue folder or a git revision whose `catalog/` tree is read from git.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TypedDict

from navigator.catalog.loader import (
    Catalog,
    check_catalog,
    display_path,
    find_root,
    path_in_catalog,
)
from navigator.catalog.model import Channel, HoursException, Service, Text
from navigator.catalog.problems import Problem, Severity
from navigator.errors import CatalogInvalid, UsageError

#: Where the catalogue lives in the repository, for git revisions.
CATALOG_IN_REPO = "catalog"
NONE = "(none)"


# Flattening a service -----------------------------------------------------------------------


def _text(prefix: str, text: Text | None) -> Iterator[tuple[str, str]]:
    if text is not None:
        for lang in ("fi", "sv", "en"):
            value = getattr(text, lang)
            if value:
                yield f"{prefix}.{lang}", value


def _words(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _exception(exception: HoursException) -> str:
    days = (
        exception.start.isoformat()
        if exception.start == exception.end
        else f"{exception.start.isoformat()}–{exception.end.isoformat()}"
    )
    hours = ",".join(str(span) for span in exception.spans) or "closed"
    return f"{days}: {hours}"


def _channel(prefix: str, channel: Channel) -> Iterator[tuple[str, str]]:
    yield f"{prefix}.{channel.kind.value}", channel.display
    if channel.address is not None:
        for axis in ("latitude", "longitude"):
            degrees = getattr(channel.address, axis)
            if degrees is not None:
                yield f"{prefix}.address.{axis}", str(degrees)
    yield from _text(f"{prefix}.label", channel.label)
    if channel.languages:
        yield f"{prefix}.languages", _words(channel.languages)
    if channel.hours is not None:
        yield f"{prefix}.hours", channel.hours.text
    for index, exception in enumerate(channel.exceptions):
        where = f"{prefix}.hours_exceptions[{index}]"
        yield where, _exception(exception)
        yield from _text(f"{where}.note", exception.note)
    yield from _text(f"{prefix}.note", channel.note)


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(value).lower()


def service_fields(service: Service) -> dict[str, str]:
    """The service's facts as YAML field paths and the values as written, in the guide's
    field order; absent fields are left out. The position in the file is not a fact."""
    pairs: list[tuple[str, str | None]] = []
    pairs += _text("name", service.name)
    pairs += _text("summary", service.summary)
    pairs += _text("description", service.description)
    pairs += _text("how_to_get", service.how_to_get)
    pairs += [(f"keywords.{lang}", _words(words)) for lang, words in service.keywords.items()]
    provider = service.provider
    pairs += _text("provider.name", provider.name)
    pairs += [
        ("provider.type", provider.type.value),
        ("provider.business_id", provider.business_id),
        ("provider.web", provider.web),
        ("level", str(service.level)),
        ("needs", _words(service.needs)),
        ("areas", _words(service.areas.municipalities) or service.areas.scope),
        ("target_groups", _words(service.target_groups)),
        ("service_classes", _words(service.service_classes)),
    ]
    if service.age is not None:
        pairs += [
            ("age.min", None if service.age.min is None else str(service.age.min)),
            ("age.max", None if service.age.max is None else str(service.age.max)),
        ]
    pairs.append(("languages", _words(service.languages)))
    for index, channel in enumerate(service.channels):
        pairs += _channel(f"channels[{index}]", channel)
    pairs.append(("cost.type", service.cost.type.value))
    pairs += _text("cost.text", service.cost.text)
    pairs += [
        ("referral", _flag(service.referral)),
        ("anonymous", _flag(service.anonymous)),
        ("registration", _flag(service.registration)),
        ("membership_required", _flag(service.membership_required)),
    ]
    pairs += _text("accessibility", service.accessibility)
    pairs += [
        ("source", service.source),
        ("checked", service.checked.isoformat()),
        ("review_by", service.review_by.isoformat() if service.review_by else None),
        ("review", service.review),
        ("status", service.status.value),
    ]
    pairs += _text("alert", service.alert)
    if service.imported is not None:
        pairs += [
            ("imported.from", service.imported.source),
            ("imported.id", service.imported.id),
            ("imported.modified", service.imported.modified),
        ]
    return {path: value for path, value in pairs if value}


# Comparing two catalogues -------------------------------------------------------------------


class FieldChange(TypedDict):
    """One changed field of a service (JSON of `navigator catalog diff --format json`)."""

    field: str  # YAML path relative to the service, e.g. channels[0].hours
    old: str | None  # None: the field was not there
    new: str | None  # None: the field was removed


class ServiceEntry(TypedDict):
    """An added or removed service, with all its fields."""

    id: str
    name: str  # the Finnish name
    file: str  # below the catalogue root, e.g. services/ngo/mieli.yaml
    fields: dict[str, str]


class ChangedService(TypedDict):
    """A service in both catalogues whose fields differ."""

    id: str
    name: str  # the Finnish name in the new catalogue
    file: str  # in the new catalogue
    changes: list[FieldChange]


class CatalogDiff(TypedDict):
    """The JSON of `navigator catalog diff --format json`; lists are ordered by id."""

    old: str  # how the old side was given: a folder or a revision (with its commit)
    new: str
    added: list[ServiceEntry]
    removed: list[ServiceEntry]
    changed: list[ChangedService]
    unchanged: int


def _file(service: Service, root: Path) -> str:
    return path_in_catalog(service.origin.path, root)


def _merged_order(before: list[str], after: list[str]) -> list[str]:
    """The new side's field paths, with removed ones where they stood on the old side."""
    order = list(after)
    for index, path in enumerate(before):
        if path not in order:
            previous = next((p for p in reversed(before[:index]) if p in order), None)
            order.insert(order.index(previous) + 1 if previous else 0, path)
    return order


def field_changes(old: Service, new: Service) -> list[FieldChange]:
    """The fields that differ, in the guide's field order."""
    before, after = service_fields(old), service_fields(new)
    return [
        {"field": p, "old": before.get(p), "new": after.get(p)}
        for p in _merged_order(list(before), list(after))
        if before.get(p) != after.get(p)
    ]


def compare(old: Catalog, new: Catalog, old_label: str, new_label: str) -> CatalogDiff:
    """Added, removed and changed services between two loaded catalogues."""

    def entry(service: Service, root: Path) -> ServiceEntry:
        return {
            "id": service.id,
            "name": service.name.fi,
            "file": _file(service, root),
            "fields": service_fields(service),
        }

    changed: list[ChangedService] = []
    for service_id in sorted(old.by_id.keys() & new.by_id.keys()):
        after = new.by_id[service_id]
        changes = field_changes(old.by_id[service_id], after)
        if changes:
            changed.append(
                {
                    "id": service_id,
                    "name": after.name.fi,
                    "file": _file(after, new.root),
                    "changes": changes,
                }
            )
    common = len(old.by_id.keys() & new.by_id.keys())
    return {
        "old": old_label,
        "new": new_label,
        "added": [entry(new.by_id[i], new.root) for i in sorted(new.by_id.keys() - old.by_id)],
        "removed": [entry(old.by_id[i], old.root) for i in sorted(old.by_id.keys() - new.by_id)],
        "changed": changed,
        "unchanged": common - len(changed),
    }


def _shown(value: str | None) -> str:
    # Quoted, so that a changed space or an empty-looking value is visible.
    return NONE if value is None else json.dumps(value, ensure_ascii=False)


def format_diff(diff: CatalogDiff) -> str:
    """The diff as text for a reviewer: a summary line, then one block per service."""
    lines = [
        f"catalogue diff {diff['old']} → {diff['new']}: {len(diff['added'])} added, "
        f"{len(diff['removed'])} removed, {len(diff['changed'])} changed, "
        f"{diff['unchanged']} unchanged"
    ]
    for sign, entries in (("+", diff["added"]), ("-", diff["removed"])):
        for added in entries:
            lines.append(f"{sign} {added['id']}: {added['name']} ({added['file']})")
    for service in diff["changed"]:
        lines.append(f"~ {service['id']}: {service['name']} ({service['file']})")
        for change in service["changes"]:
            lines.append(
                f"    {change['field']}: {_shown(change['old'])} → {_shown(change['new'])}"
            )
    return "\n".join(lines)


# Reading a side: a folder or a git revision --------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a diff: where its catalogue was put, and how to name it and its files."""

    root: Path
    label: str  # "catalog" or "HEAD~1 (3f2a1b4)"
    file_prefix: str  # put before file paths below the root in messages; "" for folders


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError(
            "git is not installed, so revisions cannot be read; give two catalogue folders"
        ) from None


def _folder_root(path: Path) -> Path:
    """A catalogue folder, a folder inside one, or a repository with `catalog/` in it."""
    if (path / CATALOG_IN_REPO / "taxonomy").is_dir() and not (path / "taxonomy").is_dir():
        return path / CATALOG_IN_REPO
    return find_root(path)


def _revision_side(revision: str, repo: Path, into: Path) -> Side:
    """Extract `catalog/` of a git revision into `into`; UsageError if it cannot be."""
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], repo)
    if commit.returncode != 0:
        git_says = commit.stderr.decode(errors="replace").strip()
        raise UsageError(
            f"'{revision}' is neither a folder nor a git revision of the repository at "
            f"{display_path(repo)}{f' ({git_says})' if git_says else ''}; "
            "give a catalogue folder or a revision such as HEAD~1"
        )
    sha = commit.stdout.decode().strip()
    archive = _git(["archive", "--format=tar", f"{sha}:{CATALOG_IN_REPO}"], repo)
    if archive.returncode != 0:
        raise UsageError(
            f"revision '{revision}' has no {CATALOG_IN_REPO}/ folder: "
            f"{archive.stderr.decode(errors='replace').strip()}"
        )
    root = into / CATALOG_IN_REPO
    root.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(root, filter="data")  # a revision's content is data: no links out
    return Side(root, f"{revision} ({sha[:7]})", f"{revision}:{CATALOG_IN_REPO}/")


def resolve_side(spec: str, repo: Path, scratch: Path) -> Side:
    """An existing folder wins; anything else is taken as a git revision of `repo`."""
    path = Path(spec)
    if path.is_dir():
        return Side(_folder_root(path), display_path(path), "")
    return _revision_side(spec, repo, scratch)


def _named(problem: Problem, side: Side) -> str:
    """A validator message, naming a revision's file as `REV:catalog/services/…`."""
    if not side.file_prefix:
        return str(problem)
    below = path_in_catalog(problem.mark.path, side.root)
    mark = problem.mark._replace(path=f"{side.file_prefix}{below}")
    return str(replace(problem, mark=mark))


def _errors(side: Side, today: date) -> tuple[Catalog, list[str]]:
    """Load one side: the catalogue and its errors as the validator words them."""
    catalog, problems = check_catalog(side.root, today)
    errors = [p for p in problems.sorted() if p.severity is Severity.ERROR]
    return catalog, [_named(p, side) for p in errors]


def diff_catalogs(old: str, new: str, repo: Path, today: date) -> CatalogDiff:
    """Compare two catalogues given as folders or git revisions of `repo`.

    Raises CatalogInvalid listing the errors of both sides if either has any: a diff of
    a catalogue that cannot be used would hide what is wrong with it.
    """
    with TemporaryDirectory(prefix="catalog-diff-") as scratch:
        sides = [
            resolve_side(spec, repo, Path(scratch) / str(n)) for n, spec in enumerate((old, new))
        ]
        (before, old_errors), (after, new_errors) = (_errors(side, today) for side in sides)
        if old_errors or new_errors:
            raise CatalogInvalid(old_errors + new_errors)
        return compare(before, after, sides[0].label, sides[1].label)
