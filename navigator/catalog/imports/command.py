"""`navigator catalog import ptv|lahella PATH…`: the importers on the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from navigator.catalog.imports.report import ImportReport
from navigator.catalog.loader import default_catalog_root, find_root

_FORMATS = click.Choice(["text", "json"])


@click.group("import")
def import_group() -> None:
    """Import entries from PTV or Lähellä.fi into catalog/services/imported/.

    Imported files are rewritten by every import; editors' changes go to
    catalog/overrides/<id>.yaml, which importers never touch.
    """


def _json_files(paths: tuple[Path, ...]) -> list[Path]:
    """The files given, with folders expanded to their *.json files (sorted)."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return files


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], Callable[[], None]]]:
    """A progress bar on stderr when it is a terminal; nothing in pipes and logs."""
    bars: list[Any] = []

    def start(total: int) -> Callable[[], None]:
        if not sys.stderr.isatty() or total == 0:
            return lambda: None
        bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return lambda: bar.update(1)

    try:
        yield start
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


def _finish(report: ImportReport, output: str) -> None:
    """Print the problems and the summary; exit 1 if any item was skipped for an error."""
    if output == "json":
        data = {
            "imported": report.imported,
            "written": report.written,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "problems": [p.as_json() for p in report.problems],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(report.summary())
    sys.exit(1 if report.errors else 0)


_catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="the catalogue to import into (default: ./catalog or $NAVIGATOR_CATALOG)",
)
_format_option = click.option(
    "--format", "output", type=_FORMATS, default="text", help="text lines or JSON"
)


@import_group.command("ptv")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_catalog_option
@_format_option
def import_ptv_command(paths: tuple[Path, ...], catalog_path: Path | None, output: str) -> None:
    """Import PTV API v11 JSON (services, channels, organisations; files or folders).

    Writes services/imported/ptv/ptv-<id>.yaml per service in the county; problems name the
    file and the JSON path. Exit 1 if a record was skipped for an error.
    """
    from navigator.catalog.imports.ptv import import_ptv

    root = find_root(catalog_path or default_catalog_root())
    with _progress("importing PTV services") as progress:
        report = import_ptv(_json_files(paths), root, on_count=progress)
    _finish(report, output)


@import_group.command("lahella")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_catalog_option
@_format_option
def import_lahella_command(paths: tuple[Path, ...], catalog_path: Path | None, output: str) -> None:
    """Import Lähellä.fi activities (JSON files or folders; format in catalog/README.md).

    Writes services/imported/lahella/lahella-<id>.yaml per activity. Exit 1 if an activity
    was skipped for an error.
    """
    from navigator.catalog.imports.lahella import import_lahella

    root = find_root(catalog_path or default_catalog_root())
    with _progress("importing Lähellä.fi activities") as progress:
        report = import_lahella(_json_files(paths), root, on_count=progress)
    _finish(report, output)
