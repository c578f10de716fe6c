"""Walking upstream JSON with its path, so every complaint names the exact field.

Upstream records are not trusted: a value of the wrong type raises ImportDataError with the
JSON path (`itemList[3].phoneNumbers[1].number: expected a string, not a number`); the
importers catch it per item or per value and carry on with the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from navigator.errors import ImportDataError

_MISSING: Any = object()


def type_name(value: object) -> str:
    """A word for a JSON value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Json:
    """A JSON value and the path that leads to it."""

    __slots__ = ("path", "value")

    def __init__(self, value: Any, path: str = "") -> None:
        self.value = value
        self.path = path

    def fail(self, message: str) -> ImportDataError:
        """An error at this value's path."""
        return ImportDataError(self.path or "(top level)", message)

    def _expected(self, what: str) -> ImportDataError:
        return self.fail(f"expected {what}, not {type_name(self.value)}")

    @property
    def missing(self) -> bool:
        """True when the key was absent or null."""
        return self.value is None or self.value is _MISSING

    def at(self, key: str) -> Json:
        """The value under `key` of this object (missing when absent)."""
        mapping = self.obj()
        child = f"{self.path}.{key}" if self.path else key
        return Json(mapping.get(key, _MISSING) if mapping is not None else _MISSING, child)

    def obj(self) -> dict[str, Any] | None:
        """This value as an object; None when missing."""
        if self.missing:
            return None
        if not isinstance(self.value, dict):
            raise self._expected("an object")
        return self.value

    def items(self) -> Iterator[Json]:
        """The elements of a list (none when missing)."""
        if self.missing:
            return
        if not isinstance(self.value, list):
            raise self._expected("a list")
        for index, item in enumerate(self.value):
            yield Json(item, f"{self.path}[{index}]")

    def text(self) -> str | None:
        """A string, stripped; None when missing or blank."""
        if self.missing:
            return None
        if not isinstance(self.value, str):
            raise self._expected("a string")
        return self.value.strip() or None

    def required_text(self) -> str:
        """A non-blank string."""
        value = self.text()
        if value is None:
            raise self.fail("expected a string, but it is missing or empty")
        return value

    def flag(self) -> bool | None:
        """true / false; None when missing."""
        if self.missing:
            return None
        if not isinstance(self.value, bool):
            raise self._expected("true or false")
        return self.value

    def field_names(self) -> list[str]:
        """The keys of an object (none when missing)."""
        mapping = self.obj()
        return list(mapping) if mapping is not None else []
