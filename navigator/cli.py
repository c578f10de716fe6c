"""The `navigator` command: catalogue validation and statistics (more commands follow)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from navigator import __version__
from navigator.catalog.loader import check_catalog, default_catalog_root, display_path, find_root
from navigator.catalog.problems import Problem
from navigator.catalog.stats import compute_stats, format_stats
from navigator.errors import NavigatorError, UsageError

FORMATS = click.Choice(["text", "json"])


@click.group()
@click.version_option(__version__, prog_name="navigator")
def cli() -> None:
    """Navigator: guides residents of Pohjois-Pohjanmaa to the right social and health help."""


@cli.group()
def catalog() -> None:
    """Check and describe the service catalogue."""


def _under(problem: Problem, target: Path) -> bool:
    path = Path(problem.mark.path).resolve()
    return path == target or target in path.parents


@catalog.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), required=False)
@click.option("--format", "output", type=FORMATS, default="text", help="text lines or JSON")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="check dates as if today were this day (YYYY-MM-DD)",
)
def validate(path: Path | None, output: str, today: object) -> None:
    """Check the catalogue (or one file or folder of it); exit 1 if there are errors.

    Every problem is printed as `file:line:col: severity code: message; hint`.
    """
    target = path or default_catalog_root()
    root = find_root(target)
    day = today.date() if hasattr(today, "date") else date.today()  # click gives a datetime
    loaded, problems = check_catalog(root, day)
    whole = target.resolve() == root.resolve()
    shown = [p for p in problems.sorted() if whole or _under(p, target.resolve())]
    errors = sum(1 for p in shown if p.severity.value == "error")
    warnings = len(shown) - errors
    services = [
        s for s in loaded.services if whole or _under_service(s.origin.path, target.resolve())
    ]
    if output == "json":
        report = {
            "valid": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "services": len(services),
            "problems": [p.as_json() for p in shown],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for problem in shown:
            click.echo(str(problem))
        verdict = "valid" if errors == 0 else "not valid"
        click.echo(
            f"{display_path(target)}: {verdict}: {len(services)} services, "
            f"{errors} errors, {warnings} warnings"
        )
    sys.exit(1 if errors else 0)


def _under_service(origin: str, target: Path) -> bool:
    path = Path(origin).resolve()
    return path == target or target in path.parents


@catalog.command()
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False
)
@click.option("--format", "output", type=FORMATS, default="text", help="text or JSON")
def stats(path: Path | None, output: str) -> None:
    """Counts by provider type, level, need, municipality and language, and coverage gaps.

    Only valid services are counted; run `navigator catalog validate` for the problems.
    """
    root = find_root(path or default_catalog_root())
    loaded, problems = check_catalog(root)
    result = compute_stats(loaded)
    if output == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(result, loaded))
    if problems.errors:
        click.echo(
            f"note: {len(problems.errors)} errors left some entries out; "
            "run 'navigator catalog validate'",
            err=True,
        )


def main() -> None:
    """Entry point: run the CLI, turning Navigator errors into a message and exit code 2/1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except NavigatorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
