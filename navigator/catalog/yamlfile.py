"""The one YAML entry point for the catalogue: safe, bounded, and every value keeps its position.

PyYAML's `safe_load` loses line numbers, keeps the last of duplicate keys without a word and
expands aliases (the "billion laughs" bomb). Here we read PyYAML's event stream ourselves:
anchors and aliases are rejected before anything is expanded, duplicate keys are reported,
and scalars keep their source text, so codes such as `009` stay strings.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from navigator.errors import CatalogFileError
from navigator.settings import MAX_CATALOG_FILE_BYTES, MAX_CATALOG_NESTING


class Mark(NamedTuple):
    """A position in a catalogue file (1-based line and column).

    A named tuple, not a dataclass: one is made for every value of every file, and a
    tuple is made four times faster (validating 20,000 services makes two million)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


# Nodes have slots: a node is made for every value of every file, and with slots it is made
# a third faster and takes less memory.
@dataclass(slots=True)
class YNode:
    """A YAML node with its position."""

    mark: Mark


@dataclass(slots=True)
class YScalar(YNode):
    """A scalar: `text` is the source text, `tag` the type YAML resolves it to."""

    text: str
    tag: str
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        """True for `~`, `null` or an empty value."""
        return self.tag == "tag:yaml.org,2002:null"


@dataclass(slots=True)
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


@dataclass(slots=True)
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


# Characters the line-by-line check may reject: every control character but tab and
# newline (a superset, so a text without any skips the slow exact check).
_MAYBE_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _check_text(text: str, display: str) -> None:
    """Reject tabs in indentation, control characters and files with no content."""
    if "\t" in text or _MAYBE_BAD.search(text):
        _check_lines(text, display)
    if not any(ln.strip() and not ln.strip().startswith("#") for ln in text.splitlines()):
        raise CatalogFileError(
            display, 1, 1, "empty-file", "the file is empty; add content or delete the file"
        )


def _check_lines(text: str, display: str) -> None:
    """The exact check, line by line, so the first problem is the one reported."""
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


_STR = "tag:yaml.org,2002:str"
# First characters of plain scalars that a YAML resolver may read as something other than
# text (numbers, booleans, null, dates); any other plain scalar is text without asking.
_RESOLVABLE = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
_ANY_FIRST = None in _Loader.yaml_implicit_resolvers or "" in _RESOLVABLE


# Short plain scalars (keys, codes, words such as `true`) repeat across thousands of files:
# their resolved tags are kept, up to a bound, instead of running the resolver's patterns.
_CACHED_LENGTH = 24
_SHORT_TAGS: dict[str, str] = {}


def _short_tag(loader: Any, value: str) -> str:
    tag: str = loader.resolve(yaml.ScalarNode, value, (True, False))
    if len(_SHORT_TAGS) < 100_000:
        _SHORT_TAGS[value] = tag
    return tag


def _unsafe(display: str, event: Any) -> CatalogFileError | None:
    """The error for an anchor or a tag on a node event, if it has one."""
    if event.anchor:
        return _error(
            display,
            event.start_mark,
            "anchor",
            "anchors and aliases (& and *) are not allowed; write the value out",
        )
    if event.tag not in (None, "!"):
        return _error(
            display,
            event.start_mark,
            "tag",
            f"the YAML tag {event.tag!r} is not allowed; remove it",
        )
    return None


def parse(text: str, display: str) -> YamlDocument:
    """Parse YAML text into positioned nodes; raise CatalogFileError on anything unsafe."""
    _check_text(text, display)
    loader = _Loader(text)
    duplicates: list[DuplicateKey] = []
    # Open containers: (node, pending key for mappings, first marks of keys seen). The loop
    # is written out flat (no helper calls per event): it runs for every value of every file.
    stack: list[tuple[YNode, YScalar | None, dict[str, Mark]]] = []
    root: YNode | None = None
    documents = 0
    # Names looked up for every event (about 90 per service) are bound here once: a local
    # is faster than a module attribute. `tuple.__new__` makes the same Mark as `Mark(...)`
    # without the named tuple's Python-level constructor (a third of a node's cost).
    get_event = loader.get_event
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    new_mark = tuple.__new__
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            node: YNode
            if kind is scalar_event:
                error = _unsafe(display, event) if event.anchor or event.tag else None
                if error is not None:
                    raise error
                value = event.value
                quoted = event.style in ("'", '"', "|", ">")
                if quoted or (value and not _ANY_FIRST and value[0] not in _RESOLVABLE):
                    tag = _STR
                elif event.implicit[0] and len(value) <= _CACHED_LENGTH:
                    tag = _SHORT_TAGS.get(value) or _short_tag(loader, value)
                else:
                    tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
                mark = event.start_mark
                where = new_mark(Mark, (display, mark.line + 1, mark.column + 1))
                node = YScalar(where, value, tag, quoted)
            elif kind is mapping_start or kind is sequence_start:
                error = _unsafe(display, event) if event.anchor or event.tag else None
                if error is not None:
                    raise error
                if len(stack) >= MAX_CATALOG_NESTING:
                    raise _error(
                        display,
                        event.start_mark,
                        "too-deep",
                        f"nesting deeper than {MAX_CATALOG_NESTING} levels; flatten the data",
                    )
                mark = event.start_mark
                where = new_mark(Mark, (display, mark.line + 1, mark.column + 1))
                node = YMapping(where) if kind is mapping_start else YSequence(where)
            elif kind is mapping_end or kind is sequence_end:
                stack.pop()
                continue
            elif kind is yaml.AliasEvent:
                raise _error(
                    display,
                    event.start_mark,
                    "anchor",
                    "anchors and aliases (& and *) are not allowed; write the value out",
                )
            else:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _error(
                            display,
                            event.start_mark,
                            "several-documents",
                            "the file holds more than one YAML document (---); keep one",
                        )
                continue
            # Attach the node to its parent.
            if not stack:
                root = node
            else:
                parent, pending, seen = stack[-1]
                if type(parent) is YSequence:
                    parent.items.append(node)
                elif pending is None:
                    if type(node) is not YScalar:
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
                    parent.items.append((pending, node))  # type: ignore[attr-defined]
                    stack[-1] = (parent, None, seen)
            if kind is not scalar_event:
                stack.append((node, None, {}))
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
