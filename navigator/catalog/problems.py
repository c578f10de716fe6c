"""Validation problems: one line each, `file:line:col: severity code: message; hint`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import process, utils

from navigator.catalog.yamlfile import Mark

#: A problem as plain values (path, line, column, severity, code, message, hint, field):
#: how the processes that read files in parallel send problems back, cheap to pickle.
ProblemRow = tuple[str, int, int, str, str, str, str, str]


class Severity(str, Enum):
    """Errors stop a catalogue from being used; warnings are for an editor to look at."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue, at a position, with a hint on what to do."""

    mark: Mark
    severity: Severity
    code: str
    message: str
    hint: str = ""
    field: str = ""

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.mark}: {self.severity.value} {self.code}: {self.message}{hint}"

    def as_row(self) -> ProblemRow:
        """The problem as plain values; `Problems.add_rows` makes it again."""
        mark = self.mark
        return (
            mark.path,
            mark.line,
            mark.column,
            self.severity.value,
            self.code,
            self.message,
            self.hint,
            self.field,
        )

    def as_json(self) -> dict[str, str | int]:
        """The problem as a JSON object (stable keys, used by tools)."""
        return {
            "path": self.mark.path,
            "line": self.mark.line,
            "column": self.mark.column,
            "severity": self.severity.value,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


class Problems:
    """Collects problems; validation never stops at the first one."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.error_count = 0  # kept, not counted: readers ask after every service

    def error(self, mark: Mark, code: str, message: str, hint: str = "", field: str = "") -> None:
        """Record an error."""
        self.items.append(Problem(mark, Severity.ERROR, code, message, hint, field))
        self.error_count += 1

    def warning(self, mark: Mark, code: str, message: str, hint: str = "", field: str = "") -> None:
        """Record a warning."""
        self.items.append(Problem(mark, Severity.WARNING, code, message, hint, field))

    def add_rows(self, rows: Iterable[ProblemRow]) -> None:
        """Record problems sent as rows (`Problem.as_row`), in their order."""
        for path, line, column, severity, code, message, hint, field in rows:
            problem = Problem(
                Mark(path, line, column), Severity(severity), code, message, hint, field
            )
            self.items.append(problem)
            if problem.severity is Severity.ERROR:
                self.error_count += 1

    @property
    def errors(self) -> list[Problem]:
        """Only the errors."""
        return [p for p in self.items if p.severity is Severity.ERROR]

    def sorted(self) -> list[Problem]:
        """Problems in file and line order."""
        return sorted(self.items, key=lambda p: (p.mark.path, p.mark.line, p.mark.column))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 70) -> str:
    """A "did you mean 'x'?" hint for a misspelt word, or "" when nothing is close."""
    options = sorted(choices)  # a fixed order, so ties always give the same hint
    best = process.extractOne(word, options, processor=utils.default_process, score_cutoff=cutoff)
    return f"did you mean '{best[0]}'?" if best else ""
