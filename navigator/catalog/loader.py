"""Loading the whole catalogue: taxonomy, every service file, and the checks across files."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from navigator.catalog.model import Service
from navigator.catalog.problems import Problems
from navigator.catalog.reader import Reader
from navigator.catalog.services import ServiceFileReader
from navigator.catalog.taxonomy import Taxonomy, load_taxonomy
from navigator.catalog.yamlfile import Mark, load
from navigator.errors import CatalogFileError, CatalogInvalid, UsageError

SERVICES_DIR = "services"


@dataclass(frozen=True)
class Catalog:
    """A loaded, valid catalogue: the taxonomy and the services, with a version for caching."""

    root: Path
    taxonomy: Taxonomy
    services: tuple[Service, ...]
    version: str
    loaded_at: datetime
    by_id: dict[str, Service] = field(default_factory=dict)

    @property
    def active(self) -> list[Service]:
        """Services that may be recommended now."""
        return [s for s in self.services if s.active]


def default_catalog_root() -> Path:
    """`$NAVIGATOR_CATALOG`, else `./catalog`, else the catalogue next to this package."""
    configured = os.environ.get("NAVIGATOR_CATALOG")
    if configured:
        return Path(configured)
    here = Path("catalog")
    if (here / "taxonomy").is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "catalog"


def find_root(path: Path) -> Path:
    """The catalogue root (the folder with `taxonomy/`) at or above `path`."""
    start = path if path.is_dir() else path.parent
    for candidate in (start, *start.parents):
        if (candidate / "taxonomy").is_dir():
            return candidate
    raise UsageError(f"{path} is not inside a catalogue: no folder above it has a taxonomy/ folder")


def display_path(path: Path) -> str:
    """The path as editors see it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def service_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """The service YAML files, sorted; other files in the folder are warned about."""
    folder = root / SERVICES_DIR
    files: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".yaml":
            files.append(path)
        elif problems is not None and path.name != "README.md":
            problems.warning(
                Mark(display_path(path), 1, 1),
                "ignored-file",
                "this file is not read: service files end in .yaml",
                "rename it to .yaml or move it out of catalog/services",
            )
    return files


def check_catalog(root: Path, today: date | None = None) -> tuple[Catalog, Problems]:
    """Load everything that is valid and collect every problem; never raises for bad data."""
    problems = Problems()
    today = today or date.today()
    digest = hashlib.sha256()
    taxonomy = load_taxonomy(root, problems)
    for path in taxonomy.files:
        if path.is_file():
            digest.update(path.read_bytes())
    reader = ServiceFileReader(Reader(problems), taxonomy, today)
    services: list[Service] = []
    for path in service_files(root, problems):
        digest.update(display_path(path).encode())
        digest.update(path.read_bytes())
        services.extend(check_file(path, reader))
    by_id = _check_across_files(services, problems)
    catalog = Catalog(
        root=root,
        taxonomy=taxonomy,
        services=tuple(by_id.values()),
        version=digest.hexdigest()[:12],
        loaded_at=datetime.now(timezone.utc),
        by_id=by_id,
    )
    return catalog, problems


def check_file(path: Path, reader: ServiceFileReader) -> list[Service]:
    """The valid services of one file; its problems go to the reader's problem list."""
    name = display_path(path)
    try:
        document = load(path, name)
    except CatalogFileError as exc:
        reader.problems.error(Mark(exc.path, exc.line, exc.column), exc.code, exc.message)
        return []
    return reader.read_file(document)


def _check_across_files(services: list[Service], problems: Problems) -> dict[str, Service]:
    """Duplicate ids are errors; the same provider and name under two ids is a warning."""
    by_id: dict[str, Service] = {}
    by_name: dict[tuple[str, str], Service] = {}
    for service in services:
        first = by_id.get(service.id)
        if first is not None:
            problems.error(
                service.origin,
                "duplicate-id",
                f"id '{service.id}' is already used at {first.origin}",
                "give this service its own id",
                field="id",
            )
            continue
        by_id[service.id] = service
        key = (service.provider.name.fi.casefold(), " ".join(service.name.fi.casefold().split()))
        twin = by_name.get(key)
        if twin is not None:
            problems.warning(
                service.origin,
                "duplicate-service",
                f"'{service.id}' looks like the same service as '{twin.id}' at {twin.origin}"
                " (same provider and name)",
                "merge them, or make the names say how they differ",
                field="name",
            )
        else:
            by_name[key] = service
    return by_id


def load_catalog(root: Path | None = None) -> Catalog:
    """Load the catalogue for use; raise CatalogInvalid listing every error if it has any."""
    catalog, problems = check_catalog(root or default_catalog_root())
    if problems.errors:
        raise CatalogInvalid([str(p) for p in problems.sorted() if p in problems.errors])
    return catalog
