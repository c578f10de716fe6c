"""Writing imported entries as catalogue YAML: deterministic bytes, files touched only on change.

The same input always gives the same bytes (keys in a fixed order, no timestamps), so a
re-import leaves an unchanged entry's file alone and `git diff` shows only upstream changes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml

from navigator.catalog.imports.report import ImportReport, Severity
from navigator.catalog.loader import SERVICES_DIR
from navigator.catalog.problems import Problems
from navigator.catalog.reader import Reader
from navigator.catalog.services import ServiceFileReader
from navigator.catalog.taxonomy import Taxonomy, load_taxonomy
from navigator.catalog.yamlfile import Mark, YamlDocument, YMapping, YNode, YScalar, YSequence
from navigator.errors import UsageError

IMPORTED_DIR = "imported"
OVERRIDES_DIR = "overrides"

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


_NEEDS_CLEANING = re.compile(r"[<&\t\r\x00-\x08\x0b-\x1f\x7f\xa0\ufffe\uffff]|\s\n|\n | {2}")


def plain_text(raw: str) -> str:
    """Upstream text as catalogue plain text: no HTML, tabs, control characters or trailing
    spaces (the validator rejects each), at most one empty line between paragraphs."""
    if raw == raw.strip() and not _NEEDS_CLEANING.search(raw):
        return raw  # the common case, checked with one scan
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if _TAG.search(text) or "&" in text:
        text = html.unescape(_TAG.sub("", text))
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# PyYAML's resolver is untyped: it names the type a plain scalar would be read as.
_resolve = cast(Callable[[type, str, tuple[bool, bool]], str], yaml.resolver.Resolver().resolve)
_STR = "tag:yaml.org,2002:str"
_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")


def _plain(text: str) -> bool:
    """True if `text` can be written unquoted and still read back as this same string."""
    return (
        bool(_PLAIN_START.match(text))
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.isprintable()
        and _resolve(yaml.ScalarNode, text, (True, False)) == _STR
    )


@lru_cache(maxsize=65_536)
def _string(value: str) -> str:
    """A string as YAML: plain when safe, else double-quoted (JSON strings are valid YAML).
    Cached: labels, notes and language codes repeat across thousands of entries."""
    return value if _plain(value) else json.dumps(value, ensure_ascii=False)


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


#: Rendered channels by (id, indent); the value keeps the item alive, so its id is not reused.
Memo = dict[tuple[int, int], tuple[object, list[str]]]


def _emit(
    value: object, indent: int, lines: list[str], prefix: str, memo: Memo | None = None
) -> None:
    """Append `value` in block style; `prefix` is the `key:` or `- ` it follows."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(f"{prefix} {{}}")
            return
        first = True
        for key, item in value.items():
            head = f"{prefix}{key}:" if first and prefix.endswith("- ") else f"{pad}{key}:"
            if first and prefix and not prefix.endswith("- "):
                lines.append(prefix)
            first = False
            _emit(item, indent + 2, lines, head, memo)
        return
    if isinstance(value, list):
        if not value:
            lines.append(f"{prefix} []")
            return
        lines.append(prefix)
        for item in value:
            if isinstance(item, dict) and memo is not None and prefix.endswith("channels:"):
                # Channels are shared by the services of one office: rendered once.
                done = memo.get((id(item), indent))
                if done is None:
                    block: list[str] = []
                    _emit(item, indent + 2, block, f"{pad}- ", memo)
                    done = memo[(id(item), indent)] = (item, block)
                lines.extend(done[1])
            elif isinstance(item, dict):
                _emit(item, indent + 2, lines, f"{pad}- ")
            else:
                _emit(item, indent + 2, lines, f"{pad}-")
        return
    if (
        isinstance(value, str)
        and "\n" in value
        and value == value.strip()
        and all(line.isprintable() for line in value.split("\n"))
    ):
        # A literal block keeps paragraphs as they are; plain_text left no trailing spaces.
        lines.append(f"{prefix} |-")
        lines.extend(f"{pad}{line}" if line else "" for line in value.split("\n"))
        return
    lines.append(f"{prefix} {_scalar(value)}")


def render(document: dict[str, Any], header: str, memo: Memo | None = None) -> bytes:
    """The YAML bytes of one catalogue file, after a `#` comment header.

    A small block-style emitter of our own: PyYAML's representer took most of an import's
    time, and the entries only hold mappings, lists, text, numbers, booleans and dates.
    `memo` reuses the lines of channels met before (shared by the services of one office);
    they must not change while it is in use.
    """
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for key, value in document.items():
        _emit(value, 2, lines, f"{key}:", memo)
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_taxonomy(root: Path) -> Taxonomy:
    """The catalogue's taxonomy, which every import checks its codes against; UsageError
    if the catalogue at `root` has none that loads."""
    problems = Problems()
    taxonomy = load_taxonomy(root, problems)
    if problems.errors:
        raise UsageError(
            f"{root} has no usable taxonomy, so codes cannot be checked: {problems.errors[0]}"
        )
    return taxonomy


def imported_folder(root: Path, source: str) -> Path:
    """`services/imported/<source>/` of a catalogue."""
    return root / SERVICES_DIR / IMPORTED_DIR / source


def write_if_changed(path: Path, data: bytes, exists: bool = True) -> bool:
    """Write the file unless it already holds exactly these bytes; True if written.

    `exists=False` (the caller listed the folder) saves a failing open per new file.
    """
    if exists:
        try:
            if path.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: a reader never sees half a file
    return True


def iso_date(value: str) -> date | None:
    """The date of an ISO timestamp (`2020-04-22T09:35:58.29`), or None if it is not one."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_TAGS = {
    bool: "tag:yaml.org,2002:bool",
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
}


def _node(value: object, mark: Mark) -> YNode:
    """A value as the positioned nodes the validator reads (what parsing `render()`'s output
    gives, without the parsing)."""
    if isinstance(value, dict):
        return YMapping(
            mark,
            [
                (YScalar(mark, str(k), "tag:yaml.org,2002:str"), _node(v, mark))
                for k, v in value.items()
            ],
        )
    if isinstance(value, list):
        return YSequence(mark, [_node(item, mark) for item in value])
    if isinstance(value, str):
        return YScalar(mark, value, "tag:yaml.org,2002:str", quoted=True)
    if isinstance(value, date):
        return YScalar(mark, value.isoformat(), "tag:yaml.org,2002:timestamp")
    text = _scalar(value)
    return YScalar(mark, text, _TAGS.get(type(value), "tag:yaml.org,2002:str"))


class EntryWriter:
    """Writes imported entries into `services/imported/<source>/`, each only after the
    catalogue's own validator accepted it: one bad entry would otherwise stop the whole
    catalogue from loading."""

    def __init__(
        self, root: Path, source: str, taxonomy: Taxonomy, header: str, report: ImportReport
    ) -> None:
        self.folder = imported_folder(root, source)
        self.header = header
        self.report = report
        self.problems = Problems()
        self.reader = ServiceFileReader(Reader(self.problems), taxonomy, date.today())
        folder = self.folder
        self.existing = {p.name for p in folder.glob("*.yaml")} if folder.is_dir() else set()
        # Channels are shared by many services (an office serves them all), and checking
        # e-mail addresses and phone numbers is most of the validator's time: a channel the
        # validator accepted once in this run is not checked again.
        self.checked_channels: dict[int, object] = {}  # by id(); the value keeps it alive
        self._pending: list[object] = []
        self.memo: Memo = {}

    def _to_check(self, document: dict[str, Any], name: str) -> YamlDocument:
        """The entry as the validator's nodes, built straight from the dict (no second YAML
        round trip), with only the channels not yet accepted in this run (at least one,
        since a service needs a channel)."""
        services = document.get("services") or []
        channels = services[0].get("channels", []) if len(services) == 1 else None
        self._pending = []
        if isinstance(channels, list) and channels:
            fresh = [c for c in channels if id(c) not in self.checked_channels]
            self._pending = channels
            if len(fresh) < len(channels):
                service = dict(services[0], channels=fresh or channels[:1])
                document = dict(document, services=[service])
        return YamlDocument(_node(document, Mark(name, 1, 1)), [])

    def write(self, entry_id: str, document: dict[str, Any], file: str, path_in_file: str) -> None:
        """Validate and write one entry; `file` and `path_in_file` name its record for
        messages. An entry whose file already holds these bytes was validated when written
        and is left alone."""
        name = f"{entry_id}.yaml"
        data = render(document, self.header.format(id=entry_id), self.memo)
        path = self.folder / name
        if name in self.existing and _same_bytes(path, data):
            self.report.unchanged += 1  # accepted by the validator when it was written
            return
        self.problems.items.clear()
        self.reader.read_file(self._to_check(document, name))
        errors = self.problems.errors
        if errors:
            for problem in errors:
                self.report.add(
                    file,
                    path_in_file,
                    Severity.ERROR,
                    f"the entry would not pass the validator ({problem.code}: "
                    f"{problem.message}); skipped",
                )
            self.report.skipped += 1
            return
        self.checked_channels.update((id(c), c) for c in self._pending)
        write_if_changed(path, data, exists=False)
        self.report.written += 1


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return False
