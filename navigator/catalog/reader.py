"""Reading positioned YAML nodes into typed values, recording a problem for everything wrong.

Each `read_*` returns the value or None; None always comes with a recorded problem (or the
value was absent and optional), so callers simply skip what could not be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from navigator.catalog import schema
from navigator.catalog.model import LANGS, Text
from navigator.catalog.problems import Problems, did_you_mean
from navigator.catalog.yamlfile import YMapping, YNode, YScalar, YSequence, kind_name

T = TypeVar("T")

_BOOL_TRUE = {"true", "yes", "on"}
_BOOL_FALSE = {"false", "no", "off"}
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[\s/>]|&[a-zA-Z]+;|&#\d+;")


class Reader:
    """Turns nodes into values and problems; one per validation run."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    # Structure ---------------------------------------------------------------------------

    def mapping(self, node: YNode, fields: schema.Fields, where: str) -> dict[str, YNode] | None:
        """The keys of a mapping, after checking unknown and missing keys."""
        if not isinstance(node, YMapping):
            self.problems.error(
                node.mark,
                "wrong-type",
                f"{where} should be {fields.what} (a mapping of keys), not {kind_name(node)}",
                field=where,
            )
            return None
        result: dict[str, YNode] = {}
        for key, value in node.items:
            if key.text not in fields.all:
                hint = did_you_mean(key.text, fields.all) or (f"allowed: {', '.join(fields.all)}")
                self.problems.error(
                    key.mark,
                    "unknown-field",
                    f"'{key.text}' is not a field of {fields.what}",
                    hint,
                    field=f"{where}.{key.text}",
                )
                continue
            result.setdefault(key.text, value)
        for name in fields.required:
            if name not in result:
                self.problems.error(
                    node.mark,
                    "missing-field",
                    f"{fields.what} has no '{name}'",
                    f"add '{name}:' (see catalog/README.md)",
                    field=f"{where}.{name}",
                )
        return result

    def sequence(self, node: YNode, where: str, what: str) -> list[YNode] | None:
        """The items of a list."""
        if isinstance(node, YSequence):
            return node.items
        self.problems.error(
            node.mark,
            "wrong-type",
            f"{where} should be a list of {what}, not {kind_name(node)}",
            "write it as [a, b] or as lines starting with '- '",
            field=where,
        )
        return None

    # Scalars -----------------------------------------------------------------------------

    def scalar(self, node: YNode, where: str, expected: str = "text") -> YScalar | None:
        """A non-empty scalar."""
        if isinstance(node, YScalar) and not node.is_null and node.text.strip():
            return node
        if isinstance(node, YScalar):
            self.problems.error(
                node.mark, "empty-value", f"{where} is empty", f"write {expected}", field=where
            )
        else:
            self.problems.error(
                node.mark,
                "wrong-type",
                f"{where} should be {expected}, not {kind_name(node)}",
                field=where,
            )
        return None

    def string(self, node: YNode, where: str, expected: str = "text") -> str | None:
        """Plain text (numbers are taken as written, so codes keep their leading zeros)."""
        scalar = self.scalar(node, where, expected)
        if scalar is None:
            return None
        value = " ".join(scalar.text.split()) if "\n" not in scalar.text else scalar.text.strip()
        if ("<" in value or "&" in value) and _HTML.search(value):  # the test first: faster
            self.problems.error(
                scalar.mark,
                "html",
                f"{where} contains HTML or an HTML entity",
                "catalogue text is plain text; write the characters themselves",
                field=where,
            )
            return None
        return value

    def choice(self, node: YNode, where: str, choices: tuple[str, ...]) -> str | None:
        """One of a fixed set of words."""
        value = self.string(node, where, f"one of {', '.join(choices)}")
        if value is None:
            return None
        if value not in choices:
            hint = did_you_mean(value, choices) or f"use one of: {', '.join(choices)}"
            self.problems.error(
                node.mark,
                "bad-value",
                f"'{value}' is not a valid {where.rsplit('.', 1)[-1]}",
                hint,
                field=where,
            )
            return None
        return value

    def boolean(self, node: YNode, where: str) -> bool | None:
        """true or false."""
        scalar = self.scalar(node, where, "true or false")
        if scalar is None:
            return None
        word = scalar.text.strip().lower()
        if scalar.tag == "tag:yaml.org,2002:bool" and word in _BOOL_TRUE | _BOOL_FALSE:
            return word in _BOOL_TRUE
        self.problems.error(
            node.mark,
            "wrong-type",
            f"{where} should be true or false, not '{scalar.text}'",
            field=where,
        )
        return None

    def integer(self, node: YNode, where: str, low: int, high: int) -> int | None:
        """A whole number within [low, high]."""
        scalar = self.scalar(node, where, f"a whole number {low}–{high}")
        if scalar is None:
            return None
        if scalar.quoted or not re.fullmatch(r"[+-]?\d+", scalar.text.strip()):
            self.problems.error(
                node.mark,
                "wrong-type",
                f"{where} should be a whole number {low}–{high}, not '{scalar.text}'",
                field=where,
            )
            return None
        value = int(scalar.text)
        if not low <= value <= high:
            self.problems.error(
                node.mark,
                "out-of-range",
                f"{where} is {value}; it must be between {low} and {high}",
                field=where,
            )
            return None
        return value

    def date(self, node: YNode, where: str) -> date | None:
        """A date written as YYYY-MM-DD."""
        value = self.string(node, where, "a date YYYY-MM-DD")
        if value is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problems.error(
                node.mark,
                "bad-date",
                f"{where} '{value}' is not a date",
                "write it as YYYY-MM-DD, e.g. 2026-11-23",
                field=where,
            )
            return None

    def checked_value(
        self, node: YNode, where: str, check: Callable[[str], T], code: str
    ) -> T | None:
        """A string passed through `check`, which raises ValueError with the message."""
        value = self.string(node, where)
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as exc:
            self.problems.error(node.mark, code, str(exc), field=where)
            return None

    def string_list(self, node: YNode, where: str, what: str) -> list[tuple[str, YNode]]:
        """A list of strings with their nodes (a single string is taken as a one-item list)."""
        items: list[YNode] = [node] if isinstance(node, YScalar) else []
        if not items:
            items = self.sequence(node, where, what) or []
        result: list[tuple[str, YNode]] = []
        for index, item in enumerate(items):
            value = self.string(item, f"{where}[{index}]", what)
            if value is not None:
                result.append((value, item))
        return result

    # Text in three languages -------------------------------------------------------------

    def text(self, node: YNode, where: str, missing: dict[str, list[str]]) -> Text | None:
        """Text: a plain string (Finnish) or {fi, sv, en}.

        Languages other than Finnish that are missing are added to `missing` so that the
        caller can warn once per service instead of once per field.
        """
        if isinstance(node, YScalar):
            fi = self.string(node, where)
            if fi is None:
                return None
            missing.setdefault("sv", []).append(where.rsplit(".", 1)[-1])
            missing.setdefault("en", []).append(where.rsplit(".", 1)[-1])
            return Text(fi)
        fields = self.mapping(node, schema.TEXT, where)
        if fields is None:
            return None
        values: dict[str, str | None] = {}
        for lang in LANGS:
            if lang in fields:
                values[lang] = self.string(fields[lang], f"{where}.{lang}")
            elif lang != "fi":
                missing.setdefault(lang, []).append(where.rsplit(".", 1)[-1])
        if "fi" not in fields:
            self.problems.error(
                node.mark,
                "missing-fi",
                f"{where} has no Finnish text",
                "add 'fi:'; Finnish is required, Swedish and English are optional",
                field=f"{where}.fi",
            )
        fi = values.get("fi")
        if fi is None:
            return None
        return Text(fi, values.get("sv"), values.get("en"))
