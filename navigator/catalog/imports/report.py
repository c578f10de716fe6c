"""What an import did: the entries written, and every problem with its file and JSON path."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from navigator.catalog.imports.jsondata import Json
from navigator.errors import ImportDataError


class Severity(str, Enum):
    """`error`: the item was skipped; `warning`: a value was left out; `note`: for information."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class ImportProblem:
    """One thing in the input that could not be imported as it stands."""

    file: str
    path: str  # JSON path inside the file
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.severity.value}: {self.path}: {self.message}"

    def as_json(self) -> dict[str, str]:
        """Stable keys for tools."""
        return {
            "file": self.file,
            "path": self.path,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """Counts and problems of one import run."""

    written: int = 0  # files created or changed
    unchanged: int = 0  # files already byte-identical
    skipped: int = 0  # items not imported (errors and out-of-county notes)
    problems: list[ImportProblem] = field(default_factory=list)

    def add(self, file: str, path: str, severity: Severity, message: str) -> None:
        """Record a problem."""
        self.problems.append(ImportProblem(file, path, severity, message))

    @property
    def imported(self) -> int:
        """Entries in the output (written or unchanged)."""
        return self.written + self.unchanged

    @property
    def errors(self) -> list[ImportProblem]:
        """Only the problems that made an item be skipped."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def summary(self) -> str:
        """One line for the end of the command's output."""
        warnings = sum(1 for p in self.problems if p.severity is Severity.WARNING)
        return (
            f"imported {self.imported} services ({self.written} written, {self.unchanged} "
            f"unchanged), {self.skipped} skipped, {len(self.errors)} errors, {warnings} warnings"
        )


class Notes:
    """Warnings about one record: values left out, with their JSON paths, and the reasons
    the entry's `review:` repeats for the editor."""

    def __init__(self, report: ImportReport, file: str) -> None:
        self.report = report
        self.file = file
        self.reasons: list[str] = []

    def left_out(self, error: ImportDataError, review: bool = False) -> None:
        """Report a value that was not imported (and say so in `review:` if asked)."""
        self.report.add(self.file, error.path, Severity.WARNING, f"{error.message}; left out")
        if review:
            self.reasons.append(f"{error.path}: {error.message}")

    def unknown_keys(self, node: Json, known: frozenset[str], source: str = "PTV API v11") -> None:
        """Report the keys of an object that the importer does not know."""
        for key in node.field_names():
            if key not in known:
                self.report.add(
                    self.file,
                    f"{node.path}.{key}" if node.path else key,
                    Severity.WARNING,
                    f"unknown field, ignored (not in {source} as Navigator reads it)",
                )
