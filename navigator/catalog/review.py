"""The review queue: catalogue entries an editor should look at, each with its reasons.

Reasons, in the order they are listed for an entry:

- `flagged`: the entry says `review:` (a fact not published, a suggested level);
- `review-overdue`: its `review_by` date has passed;
- `checked-old`: `checked` is more than 12 months old;
- `changed-upstream`: imported, and the upstream record (PTV, Lähellä.fi JSON given with
  `--upstream`) was modified after the version the entry records in `imported.modified`;
- `duplicate`: another source (an import or the editors' own files) has an entry of the same
  organisation with the same phone number or address.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TypedDict

from navigator.catalog.loader import Catalog, path_in_catalog
from navigator.catalog.model import ChannelKind, Service
from navigator.errors import UsageError
from navigator.settings import CHECKED_MAX_AGE_DAYS

#: Imported entries live in `services/imported/<source>/`; all other files are the editors'.
IMPORTED_DIR = ("services", "imported")
EDITORS = "editors"


class Reason(str, Enum):
    """Why an entry is in the queue (stable codes: tools and the guide use them)."""

    FLAGGED = "flagged"
    REVIEW_OVERDUE = "review-overdue"
    CHECKED_OLD = "checked-old"
    CHANGED_UPSTREAM = "changed-upstream"
    DUPLICATE = "duplicate"


class ReasonJson(TypedDict):
    """One reason (JSON of `navigator catalog review --format json`)."""

    code: str  # a Reason value
    message: str  # for an editor, naming dates, numbers and the other entries


class EntryJson(TypedDict):
    """One entry of the queue."""

    id: str
    name: str  # the Finnish name
    file: str  # below the catalogue root, e.g. services/ngo/mieli.yaml
    line: int  # where the entry starts
    source: str  # "editors", or the import it came from ("ptv", "lahella")
    reasons: list[ReasonJson]


class ReviewJson(TypedDict):
    """The JSON of `navigator catalog review --format json`; entries in file and line order."""

    today: str  # the day dates were compared with, YYYY-MM-DD
    services: int  # valid entries looked at
    to_review: int  # entries with at least one reason
    by_reason: dict[str, int]  # entries per reason code, every code present
    entries: list[EntryJson]


@dataclass(frozen=True)
class Entry:
    """An entry of the queue: the service, where it is, where it came from, and why."""

    service: Service
    file: str
    source: str
    reasons: tuple[tuple[Reason, str], ...]


def entry_source(service: Service, file: str) -> str:
    """Where an entry came from: its import record's source, else its folder
    (`services/imported/ptv/…` is `ptv`), else the editors."""
    if service.imported is not None:
        return service.imported.source
    parts = file.split("/")
    if tuple(parts[:2]) == IMPORTED_DIR and len(parts) > 3:
        return parts[2]
    return EDITORS


def _date_reasons(service: Service, today: date) -> list[tuple[Reason, str]]:
    reasons: list[tuple[Reason, str]] = []
    if service.review:
        reasons.append((Reason.FLAGGED, service.review))
    if service.review_by is not None and service.review_by < today:
        reasons.append((Reason.REVIEW_OVERDUE, f"review by {service.review_by} has passed"))
    if (today - service.checked).days > CHECKED_MAX_AGE_DAYS:
        reasons.append((Reason.CHECKED_OLD, f"checked {service.checked}, more than 12 months ago"))
    return reasons


_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_modified(text: str) -> datetime | None:
    """An upstream `modified` time (`2020-04-22T09:35:58.29`, `2026-11-20`, with or without a
    zone; none means UTC) as an aware datetime; None if it is not one. Upstreams write
    fractions of 1-7 digits, which `datetime.fromisoformat` of Python 3.10 does not take."""
    match = _TIMESTAMP.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment


def _upstream_reason(service: Service, upstream: Mapping[str, str]) -> list[tuple[Reason, str]]:
    """Changed upstream: the source's record is newer than the one the entry was made from."""
    record = service.imported
    latest = upstream.get(record.id) if record is not None else None
    if record is None or latest is None or latest == record.modified:
        return []
    before = parse_modified(record.modified or "")
    after = parse_modified(latest)
    if before is not None and after is not None and after <= before:
        return []
    return [
        (
            Reason.CHANGED_UPSTREAM,
            f"{record.source} record {record.id} was modified {latest}; the entry was "
            f"imported from the version of {record.modified or 'an unknown date'}: "
            "import it again, then check its override",
        )
    ]


def _organisations(service: Service) -> set[str]:
    """Keys naming the organisation: its Finnish name, and its business id when given."""
    keys = {"name:" + " ".join(service.provider.name.fi.casefold().split())}
    if service.provider.business_id:
        keys.add("id:" + service.provider.business_id)
    return keys


def _contacts(service: Service) -> dict[str, str]:
    """Phone numbers and addresses that identify the service: key → words for messages.

    Short numbers (112, 116 117) are left out: a whole organisation shares them, so they
    say nothing about which service an entry is.
    """
    contacts: dict[str, str] = {}
    for channel in service.channels:
        if channel.kind is ChannelKind.PHONE and channel.value.startswith("+"):
            contacts["phone:" + channel.value] = f"phone {channel.display}"
        elif channel.address is not None:
            street = " ".join(channel.address.street.casefold().split())
            contacts[f"address:{street}|{channel.address.postal_code}"] = (
                f"address {channel.address}"
            )
    return contacts


def _duplicates(entries: list[tuple[Service, str, str]]) -> dict[str, list[tuple[Reason, str]]]:
    """For each entry (service, file, source): one reason per twin from another source."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    contacts = [_contacts(service) for service, _, _ in entries]
    for index, (service, _, _) in enumerate(entries):
        for organisation in _organisations(service):
            for contact in contacts[index]:
                groups[(organisation, contact)].append(index)
    shared: dict[tuple[int, int], set[str]] = defaultdict(set)  # (entry, twin) → contact keys
    for (_, contact), members in groups.items():
        for a in members:
            for b in members:
                if entries[a][2] != entries[b][2]:
                    shared[(a, b)].add(contact)
    reasons: dict[str, list[tuple[Reason, str]]] = defaultdict(list)
    for a, b in sorted(shared, key=lambda pair: (pair[0], entries[pair[1]][0].id)):
        twin, twin_file, twin_source = entries[b]
        what = " and ".join(contacts[a][key] for key in sorted(shared[(a, b)]))
        reasons[entries[a][0].id].append(
            (
                Reason.DUPLICATE,
                f"same organisation and {what} as '{twin.id}' from {twin_source} "
                f"({twin_file}:{twin.origin.line})",
            )
        )
    return reasons


def _records(data: object) -> list[object]:
    """The records of an upstream file: one object, a list, or a page's `itemList` (PTV)
    or `items` (Lähellä.fi)."""
    if isinstance(data, dict):
        for key in ("itemList", "items"):
            if isinstance(data.get(key), list):
                return list(data[key])
    return list(data) if isinstance(data, list) else [data]


def upstream_modified(paths: Iterable[Path]) -> dict[str, str]:
    """Upstream id → `modified`, from JSON files as the importers read them (PTV API v11
    records or pages, Lähellä.fi activities); records without both are passed over, and the
    latest time wins when an id is given twice."""
    latest: dict[str, str] = {}
    for path in paths:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: cannot read upstream records: {exc}") from None
        for record in _records(data):
            if not isinstance(record, dict):
                continue
            upstream_id, modified = record.get("id"), record.get("modified")
            if not isinstance(upstream_id, str) or not isinstance(modified, str):
                continue
            known = latest.get(upstream_id)
            newer = parse_modified(modified)
            older = parse_modified(known) if known is not None else None
            if known is None or (newer and older and newer > older):
                latest[upstream_id] = modified
    return latest


def review_queue(
    catalog: Catalog, today: date, upstream: Mapping[str, str] | None = None
) -> list[Entry]:
    """Every entry with at least one reason to review it, in file and line order.

    `upstream` maps upstream record ids to their latest `modified` (`upstream_modified`);
    without it, no entry is found changed upstream.
    """
    entries = []
    for service in catalog.services:
        file = path_in_catalog(service.origin.path, catalog.root)
        entries.append((service, file, entry_source(service, file)))
    entries.sort(key=lambda e: (e[1], e[0].origin.line, e[0].origin.column))
    twins = _duplicates(entries)
    queue = []
    for service, file, source in entries:
        reasons = (
            _date_reasons(service, today)
            + _upstream_reason(service, upstream or {})
            + twins.get(service.id, [])
        )
        if reasons:
            queue.append(Entry(service, file, source, tuple(reasons)))
    return queue


def review_json(queue: list[Entry], services: int, today: date) -> ReviewJson:
    """The queue as JSON."""
    by_reason = {
        reason.value: sum(1 for e in queue if any(r is reason for r, _ in e.reasons))
        for reason in Reason
    }
    return {
        "today": today.isoformat(),
        "services": services,
        "to_review": len(queue),
        "by_reason": by_reason,
        "entries": [
            {
                "id": e.service.id,
                "name": e.service.name.fi,
                "file": e.file,
                "line": e.service.origin.line,
                "source": e.source,
                "reasons": [{"code": r.value, "message": m} for r, m in e.reasons],
            }
            for e in queue
        ],
    }


def format_review(report: ReviewJson) -> str:
    """The queue as text for editors: one block per entry, then a summary line."""
    lines: list[str] = []
    for entry in report["entries"]:
        lines.append(f"{entry['file']}:{entry['line']}: {entry['id']}: {entry['name']}")
        lines += [f"    {r['code']}: {r['message']}" for r in entry["reasons"]]
    counts = ", ".join(f"{n} {code}" for code, n in report["by_reason"].items() if n)
    lines.append(
        f"{report['to_review']} of {report['services']} services to review on "
        f"{report['today']}" + (f" ({counts})" if counts else "")
    )
    return "\n".join(lines)
