"""The `navigator` command: ask, search, and the catalogue tools."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from navigator import __version__
from navigator.catalog.imports.command import import_group
from navigator.catalog.loader import check_catalog, default_catalog_root, display_path, find_root
from navigator.catalog.problems import Problems
from navigator.catalog.stats import compute_stats, format_stats
from navigator.errors import NavigatorError, UsageError
from navigator.serve import serve

if TYPE_CHECKING:  # routing loads Voikko and builds indexes: only the commands that route do
    from navigator.routing import Answer, Router

FORMATS = click.Choice(["text", "json"])


@click.group()
@click.version_option(__version__, prog_name="navigator")
def cli() -> None:
    """Navigator: guides residents of Pohjois-Pohjanmaa to the right social and health help."""


cli.add_command(serve)


@cli.group()
def catalog() -> None:
    """Check and describe the service catalogue."""


catalog.add_command(import_group)  # `navigator catalog import ptv|lahella`


def _under(file: str, target: Path) -> bool:
    """True if the file is the target or inside it (target resolved)."""
    path = Path(file).resolve()
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
    shown = [p for p in problems.sorted() if whole or _under(p.mark.path, target.resolve())]
    errors = sum(1 for p in shown if p.severity.value == "error")
    warnings = len(shown) - errors
    services = [s for s in loaded.services if whole or _under(s.origin.path, target.resolve())]
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
    _note_left_out(problems)


@catalog.command()
@click.option(
    "--catalog", "catalog_path", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--format", "output", type=FORMATS, default="text", help="text or JSON")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="compare dates as if today were this day (YYYY-MM-DD)",
)
@click.option(
    "--upstream",
    "upstream_paths",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PTV or Lähellä.fi JSON to compare imported entries with (repeatable)",
)
def review(
    catalog_path: Path | None, output: str, today: object, upstream_paths: tuple[Path, ...]
) -> None:
    """List the entries to review, with the reasons; exit 0 (a report), 2 on usage errors.

    Reasons: flagged (`review:`), review-overdue, checked-old, changed-upstream (with
    --upstream), duplicate.
    """
    from navigator.catalog.review import (
        format_review,
        review_json,
        review_queue,
        upstream_modified,
    )

    root = find_root(catalog_path or default_catalog_root())
    day = today.date() if hasattr(today, "date") else date.today()  # click gives a datetime
    upstream = upstream_modified(upstream_paths)
    loaded, problems = check_catalog(root, day)
    queue = review_queue(loaded, day, upstream)
    report = review_json(queue, len(loaded.services), day)
    if output == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_review(report))
    _note_left_out(problems)


@catalog.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "output", type=FORMATS, default="text", help="text or JSON")
def diff(old: str, new: str, output: str) -> None:
    """Services added, removed and changed from OLD to NEW, field by field.

    OLD and NEW are catalogue folders or git revisions of the repository here (a folder
    that exists wins): `HEAD~1 HEAD`, or `main catalog` for the work tree against main.
    Exit 0 whether or not anything changed; 1 if a side has errors; 2 on usage errors.
    """
    from navigator.catalog.diff import diff_catalogs, format_diff

    result = diff_catalogs(old, new, Path.cwd(), date.today())
    if output == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_diff(result))


def _router(catalog_path: Path | None) -> Router:
    from navigator.catalog.loader import load_catalog
    from navigator.routing import Router

    return Router(load_catalog(catalog_path))


def _format_answer(answer: Answer) -> str:
    data = answer.as_json()
    lines = [f"safety: {data['safety']}   language: {data['language']}"]
    if data["safety_message"]:
        lines.append(data["safety_message"])
    if data["out_of_scope"]:
        lines.append("out of scope: no services match this message")
    lines.append("needs: " + (", ".join(data["needs"]) or "-"))
    profile = data["profile"]
    lines.append(
        f"profile: municipality {profile['municipality'] or '-'}, age {profile['age'] or '-'}"
    )
    for number, rec in enumerate(data["recommendations"], start=1):
        lines.append(f"{number}. [{rec['level']}] {rec['name']} ({rec['id']})")
        lines.append(f"   {rec['reason']}")
    lines += [f"note: {note}" for note in data["notes"]]
    return "\n".join(lines)


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--lang", type=click.Choice(["fi", "sv", "en"]), help="answer language (default: detected)"
)
@click.option("--municipality", help="municipality name or code, e.g. Kempele or 244")
@click.option("--age", type=click.IntRange(0, 120), help="the age of the person who needs help")
@click.option("--for-whom", type=click.Choice(["self", "child", "parent", "partner", "other"]))
@click.option("--json", "as_json", is_flag=True, help="print the answer as JSON")
@click.option(
    "--batch", is_flag=True, help="read JSON lines from stdin, write one JSON answer per line"
)
@click.option(
    "--catalog", "catalog_path", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def ask(
    text: str | None,
    lang: str | None,
    municipality: str | None,
    age: int | None,
    for_whom: str | None,
    as_json: bool,
    batch: bool,
    catalog_path: Path | None,
) -> None:
    """Route a resident's message: safety first, then services lowest threshold first."""
    if batch == (text is not None):
        raise click.UsageError("give TEXT or --batch (JSON lines on stdin), not both")
    router = _router(catalog_path)
    if not batch:
        answer = router.route(
            text or "", lang=lang, municipality=municipality, age=age, for_whom=for_whom
        )
        click.echo(
            json.dumps(answer.as_json(), ensure_ascii=False) if as_json else _format_answer(answer)
        )
        return
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        click.echo(json.dumps(_batch_answer(router, line, number), ensure_ascii=False), nl=True)
        sys.stdout.flush()


def _batch_answer(router: Router, line: str, number: int) -> dict[str, object]:
    """One batch line: an answer, or an error object naming the line (never a traceback)."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"line {number}: not JSON: {exc.msg}"}
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        return {"error": f"line {number}: expected an object with a string 'text'"}
    lang = request.get("lang") if request.get("lang") in ("fi", "sv", "en") else None
    municipality = request.get("municipality")
    age = request.get("age")
    answer = router.route(
        request["text"],
        lang=lang,
        municipality=str(municipality) if municipality is not None else None,
        age=age if isinstance(age, int) and 0 <= age <= 120 else None,
        for_whom=request.get("for_whom") if isinstance(request.get("for_whom"), str) else None,
    )
    return answer.as_json()


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--municipality", help="serves this municipality (name or code)")
@click.option("--need", "needs", multiple=True, help="need id (repeatable)")
@click.option("--level-min", type=click.IntRange(0, 5), default=0)
@click.option("--level-max", type=click.IntRange(0, 5), default=5)
@click.option(
    "--provider-type",
    "provider_types",
    multiple=True,
    type=click.Choice(["region", "municipality", "ngo", "parish", "national", "company"]),
)
@click.option("--target-group", help="PTV target group code, e.g. KR1.1")
@click.option("--age", type=click.IntRange(0, 120))
@click.option("--language", help="served in this language, e.g. sv")
@click.option(
    "--channel", type=click.Choice(["phone", "chat", "web", "eservice", "email", "address"])
)
@click.option("--free", is_flag=True, help="free of charge only")
@click.option("--anonymous", is_flag=True, help="anonymous only")
@click.option("--no-referral", is_flag=True, help="no referral needed")
@click.option("--open-now", is_flag=True, help="reachable now by its opening hours")
@click.option("--limit", type=click.IntRange(1, 100), default=10)
@click.option("--explain", is_flag=True, help="say why each service matched")
@click.option("--json", "as_json", is_flag=True, help="print hits and facets as JSON")
@click.option(
    "--catalog", "catalog_path", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def search(
    query: str,
    municipality: str | None,
    needs: tuple[str, ...],
    level_min: int,
    level_max: int,
    provider_types: tuple[str, ...],
    target_group: str | None,
    age: int | None,
    language: str | None,
    channel: str | None,
    free: bool,
    anonymous: bool,
    no_referral: bool,
    open_now: bool,
    limit: int,
    explain: bool,
    as_json: bool,
    catalog_path: Path | None,
) -> None:
    """Search the catalogue, for counsellors: words, typos welcome, and filters."""
    from navigator.search import Filters, local_now

    router = _router(catalog_path)
    code = router.resolve_municipality(municipality)
    if municipality and code is None:
        raise click.BadParameter(
            f"'{municipality}' is not a municipality of the county", param_hint="--municipality"
        )
    unknown = [n for n in needs if n not in router.catalog.taxonomy.needs]
    if unknown:
        raise click.BadParameter(f"unknown need id(s): {', '.join(unknown)}", param_hint="--need")
    filters = Filters(
        municipality=code,
        needs=needs,
        level_min=level_min,
        level_max=level_max,
        provider_types=provider_types,
        target_group=target_group,
        age=age,
        language=language,
        channel=channel,
        free=free,
        anonymous=anonymous,
        no_referral=no_referral,
        open_at=local_now() if open_now else None,
    )
    result = router.index.search(query, filters, limit=limit)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "total": result.total,
                    "implied_municipality": result.implied_municipality,
                    "hits": [
                        {
                            "id": h.service.id,
                            "name": h.service.name.fi,
                            "level": h.service.level,
                            "provider_type": h.service.provider.type.value,
                            "score": round(h.score, 3),
                            "reasons": list(h.reasons),
                        }
                        for h in result.hits
                    ],
                    "facets": result.facets,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"{result.total} services match")
    for number, hit in enumerate(result.hits, start=1):
        service = hit.service
        click.echo(f"{number}. [{service.level}] {service.name.fi} ({service.id})")
        if explain:
            for reason in hit.reasons:
                click.echo(f"   {reason}")


# Counsellor accounts, contact requests and the database -----------------------------------


def _database_url(command: click.Command) -> click.Command:
    """Add the --database-url option (NAVIGATOR_DATABASE_URL, else the embedded default) to
    a command; applied above the command decorator, so the setting is imported lazily."""
    from navigator.settings import DATABASE_URL

    option = click.option(
        "--database-url",
        envvar="NAVIGATOR_DATABASE_URL",
        default=DATABASE_URL,
        show_default=True,
        help="SQLAlchemy URL of the database (env NAVIGATOR_DATABASE_URL)",
    )
    return option(command)


def _read_password(password_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt."""
    from navigator.accounts import check_password

    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")

    def checked(value: str) -> str:
        try:
            check_password(value)
        except NavigatorError as exc:
            raise click.UsageError(str(exc)) from None  # the prompt asks again
        return value

    password: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, value_proc=checked
    )
    return password


@cli.group()
def users() -> None:
    """Counsellor accounts (for the counsellors' web pages)."""


@_database_url
@users.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from stdin's first line")
def users_add(name: str, password_stdin: bool, database_url: str) -> None:
    """Add a counsellor account NAME (3–64 of a-z 0-9 . _ -); asks for the password."""
    from navigator.accounts import Users, normalise_username
    from navigator.audit import AuditLog
    from navigator.db import Database

    normalise_username(name)  # a bad name fails before the password is asked
    database = Database(database_url)
    user = Users(database).add(name, _read_password(password_stdin))
    AuditLog(database).record("cli", "user.add", user.username)
    click.echo(f"added account {user.username}")


@_database_url
@users.command("remove")
@click.argument("name")
def users_remove(name: str, database_url: str) -> None:
    """Remove the counsellor account NAME (its notes and audit entries stay)."""
    from navigator.accounts import Users
    from navigator.audit import AuditLog
    from navigator.db import Database

    database = Database(database_url)
    Users(database).remove(name)
    AuditLog(database).record("cli", "user.remove", name.strip().lower())
    click.echo(f"removed account {name.strip().lower()}")


@_database_url
@users.command("list")
@click.option("--format", "output", type=FORMATS, default="text", help="text lines or JSON")
def users_list(output: str, database_url: str) -> None:
    """List the counsellor accounts with their last sign-in."""
    from navigator.accounts import Users
    from navigator.db import Database

    accounts = Users(Database(database_url)).list()
    if output == "json":
        rows = [
            {
                "username": user.username,
                "created_at": user.created_at.isoformat(),
                "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
            }
            for user in accounts
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for user in accounts:
        last = f"{user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never"
        click.echo(f"{user.username}  added {user.created_at:%Y-%m-%d}  last sign-in {last}")
    click.echo(f"{len(accounts)} accounts")


@cli.group()
def contact() -> None:
    """Contact requests: retention."""


@_database_url
@contact.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=0),
    default=None,
    help="delete requests made more than this many days ago (default: the retention period)",
)
def contact_purge(days: int | None, database_url: str) -> None:
    """Delete contact requests (with their notes) older than the retention period."""
    from navigator.contact import ContactStore
    from navigator.settings import CONTACT_RETENTION_DAYS

    days = CONTACT_RETENTION_DAYS if days is None else days
    deleted = ContactStore(database_url).purge(days)
    click.echo(f"deleted {deleted} contact requests made more than {days} days ago")


@cli.group()
def db() -> None:
    """The database of contact requests, accounts and the audit log."""


@_database_url
@db.command("migrate")
def db_migrate(database_url: str) -> None:
    """Bring the database's schema to this version's (creates it if new; safe to repeat)."""
    from navigator.db import Database

    database = Database(database_url)
    click.echo(f"{database.url}: schema version {database.migrate()}")


@cli.group()
def conversations() -> None:
    """Conversations in the assistant's SQL tracker store: retention."""


@conversations.command("purge")
@click.option(
    "--tracker-url",
    envvar="NAVIGATOR_TRACKER_URL",
    required=True,
    help="SQLAlchemy URL of the database of Rasa's SQL tracker store (env NAVIGATOR_TRACKER_URL)",
)
@click.option(
    "--older-than",
    "hours",
    type=click.IntRange(min=0),
    default=None,
    help="delete conversations whose last message is more than this many hours old "
    "(default: the retention period)",
)
def conversations_purge(tracker_url: str, hours: int | None) -> None:
    """Delete whole conversations whose last message is older than the retention period."""
    # Only SQLAlchemy: the command does not load Rasa.
    from navigator.bot.retention import purge_conversations
    from navigator.settings import CONVERSATION_RETENTION_HOURS

    hours = CONVERSATION_RETENTION_HOURS if hours is None else hours
    purged = purge_conversations(tracker_url, hours)
    click.echo(
        f"deleted {purged.conversations} conversations ({purged.events} events) whose last "
        f"message was more than {hours} hours ago"
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


def _note_left_out(problems: Problems) -> None:
    """Say on stderr that entries with errors were left out of a report."""
    if problems.errors:
        click.echo(
            f"note: {len(problems.errors)} errors left some entries out; "
            "run 'navigator catalog validate'",
            err=True,
        )
