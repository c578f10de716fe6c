"""The one exception hierarchy of Navigator: every error a user can act on derives from here."""

from __future__ import annotations


class NavigatorError(Exception):
    """Root of all Navigator errors; `str()` is a message a person can act on."""


class UsageError(NavigatorError):
    """A command or API was called with arguments it cannot use."""


class CatalogError(NavigatorError):
    """The catalogue could not be loaded."""


class CatalogFileError(CatalogError):
    """One catalogue file cannot be read or parsed at all (encoding, YAML syntax, size)."""

    def __init__(self, path: str, line: int, column: int, code: str, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: error {code}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.code = code
        self.message = message


class CatalogInvalid(CatalogError):
    """The catalogue has validation errors, so it is not used; `problems` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        shown = "\n".join(problems[:20])
        more = f"\n… and {count - 20} more" if count > 20 else ""
        super().__init__(f"the catalogue has {count} error(s):\n{shown}{more}")
        self.problems = problems


class ImportDataError(CatalogError):
    """A value in an upstream record (PTV, Lähellä.fi) is missing or has the wrong shape.

    `path` is the JSON path of the value (`itemList[3].phoneNumbers[1].number`), so the
    message points at the exact place in the input file.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message
