"""The one YAML entry point for the catalogue: safe, bounded, and every value keeps its position.

PyYAML's `safe_load` loses line numbers, keeps the last of duplicate keys without a word and
expands aliases (the "billion laughs" bomb). Here we read PyYAML's event stream ourselves:
anchors and aliases are rejected before anything is expanded, duplicate keys are reported,
and scalars keep their source text, so codes such as `009` stay strings.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from navigator.errors import CatalogFileError
from navigator.settings import MAX_CATALOG_FILE_BYTES, MAX_CATALOG_NESTING


@dataclass(frozen=True)
class Mark:
    """A position in a catalogue file (1-based line and column)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass
class YNode:
    """A YAML node with its position."""

    mark: Mark


@dataclass
class YScalar(YNode):
    """A scalar: `text` is the source text, `tag` the type YAML resolves it to."""

    text: str
    tag: str
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        """True for `~`, `null` or an empty value."""
        return self.tag == "tag:yaml.org,2002:null"


@dataclass
class YMapping(YNode):
    """A mapping; keys are scalars, kept in file order."""

    items: list[tuple[YScalar, YNode]] = field(default_factory=list)

    def get(self, key: str) -> YNode | None:
        """The value of `key`, or None."""
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def keys(self) -> list[str]:
        """The keys in file order."""
        return [k.text for k, _ in self.items]


@dataclass
class YSequence(YNode):
    """A list."""

    items: list[YNode] = field(default_factory=list)


def kind_name(node: YNode) -> str:
    """A word for the node's kind, for messages ("a list", "a number")."""
    if isinstance(node, YMapping):
        return "a mapping"
    if isinstance(node, YSequence):
        return "a list"
    assert isinstance(node, YScalar)
    return {
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:null": "empty",
        "tag:yaml.org,2002:timestamp": "a date",
    }.get(node.tag, "text")


@dataclass
class DuplicateKey:
    """A key given twice in one mapping (PyYAML would silently keep the last)."""

    key: YScalar
    first: Mark


@dataclass
class YamlDocument:
    """A parsed file: its root node and the duplicate keys found while parsing."""

    root: YNode
    duplicates: list[DuplicateKey]


_BOMS = {
    codecs.BOM_UTF8: "UTF-8 byte order mark (BOM)",
    codecs.BOM_UTF16_LE: "UTF-16 byte order mark",
    codecs.BOM_UTF16_BE: "UTF-16 byte order mark",
}


def read_text(path: Path, display: str) -> str:
    """Read a catalogue file as UTF-8 text, rejecting what YAML tools handle badly."""
    size = path.stat().st_size
    if size > MAX_CATALOG_FILE_BYTES:
        raise CatalogFileError(
            display,
            1,
            1,
            "file-too-large",
            f"the file is {size} bytes, more than the limit of {MAX_CATALOG_FILE_BYTES}; "
            "split it into one file per provider",
        )
    data = path.read_bytes()
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise CatalogFileError(
                display,
                1,
                1,
                "bom",
                f"the file starts with a {name}; save it as UTF-8 without BOM",
            )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CatalogFileError(
            display,
            line,
            column,
            "encoding",
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
        ) from None
    return text


def _check_text(text: str, display: str) -> None:
    """Reject tabs in indentation, control characters and files with no content."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if "\t" in indent:
            raise CatalogFileError(
                display,
                number,
                indent.index("\t") + 1,
                "tab",
                "a tab is used for indentation; YAML indents with spaces only",
            )
        for column, char in enumerate(line, start=1):
            if (ord(char) < 32 and char != "\t") or char in "\x7f\ufffe\uffff":
                raise CatalogFileError(
                    display,
                    number,
                    column,
                    "control-character",
                    f"control character U+{ord(char):04X} in the file; delete it",
                )
    meaningful = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if not meaningful:
        raise CatalogFileError(
            display, 1, 1, "empty-file", "the file is empty; add content or delete the file"
        )


# libyaml's parser when PyYAML was built with it (10× faster); the same events either way.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _error(display: str, mark: Any, code: str, message: str) -> CatalogFileError:
    """An error at a PyYAML mark."""
    where = _mark(display, mark)
    return CatalogFileError(display, where.line, where.column, code, message)


def _mark(display: str, mark: Any) -> Mark:
    if mark is None:
        return Mark(display, 1, 1)
    return Mark(display, mark.line + 1, mark.column + 1)


def parse(text: str, display: str) -> YamlDocument:
    """Parse YAML text into positioned nodes; raise CatalogFileError on anything unsafe."""
    _check_text(text, display)
    loader = _Loader(text)
    duplicates: list[DuplicateKey] = []
    # Open containers: (node, pending key for mappings, first marks of keys seen).
    stack: list[tuple[YNode, YScalar | None, dict[str, Mark]]] = []
    root: YNode | None = None
    documents = 0

    def attach(node: YNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, pending, seen = stack[-1]
        if isinstance(parent, YSequence):
            parent.items.append(node)
        elif isinstance(parent, YMapping):
            if pending is None:
                if not isinstance(node, YScalar):
                    raise CatalogFileError(
                        display,
                        node.mark.line,
                        node.mark.column,
                        "complex-key",
                        "a mapping key must be a plain word",
                    )
                if node.text in seen:
                    duplicates.append(DuplicateKey(node, seen[node.text]))
                else:
                    seen[node.text] = node.mark
                stack[-1] = (parent, node, seen)
            else:
                parent.items.append((pending, node))
                stack[-1] = (parent, None, seen)

    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _error(
                    display,
                    event.start_mark,
                    "anchor",
                    "anchors and aliases (& and *) are not allowed; write the value out",
                )
            if getattr(event, "tag", None) not in (None, "!"):
                raise _error(
                    display,
                    event.start_mark,
                    "tag",
                    f"the YAML tag {event.tag!r} is not allowed; remove it",
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _error(
                        display,
                        event.start_mark,
                        "several-documents",
                        "the file holds more than one YAML document (---); keep one",
                    )
            elif isinstance(event, yaml.ScalarEvent):
                quoted = event.style in ("'", '"', "|", ">")
                tag = (
                    "tag:yaml.org,2002:str"
                    if quoted
                    else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                )
                attach(YScalar(_mark(display, event.start_mark), event.value, tag, quoted))
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_CATALOG_NESTING:
                    raise _error(
                        display,
                        event.start_mark,
                        "too-deep",
                        f"nesting deeper than {MAX_CATALOG_NESTING} levels; flatten the data",
                    )
                container: YNode = (
                    YMapping(_mark(display, event.start_mark))
                    if isinstance(event, yaml.MappingStartEvent)
                    else YSequence(_mark(display, event.start_mark))
                )
                attach(container)
                stack.append((container, None, {}))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "not valid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise _error(display, exc.problem_mark, "yaml-syntax", f"{problem}{context}") from None
    except yaml.YAMLError as exc:
        raise CatalogFileError(display, 1, 1, "yaml-syntax", str(exc)) from None
    if root is None:
        raise CatalogFileError(
            display, 1, 1, "empty-file", "the file is empty; add content or delete the file"
        )
    return YamlDocument(root, duplicates)


def load(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse one catalogue YAML file."""
    name = display or str(path)
    return parse(read_text(path, name), name)
