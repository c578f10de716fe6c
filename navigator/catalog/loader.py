"""Loading the whole catalogue: taxonomy, every service file, and the checks across files."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from navigator.catalog.model import Service
from navigator.catalog.overrides import (
    Override,
    apply_overrides,
    load_overrides,
    override_files,
    report_unused,
)
from navigator.catalog.problems import ProblemRow, Problems
from navigator.catalog.reader import Reader
from navigator.catalog.services import ServiceFileReader
from navigator.catalog.taxonomy import Taxonomy, load_taxonomy
from navigator.catalog.yamlfile import Mark, load
from navigator.errors import CatalogFileError, CatalogInvalid, UsageError

SERVICES_DIR = "services"

#: From this many service files on, the files are read by a pool of processes, one per core
#: (20,000 services in 7,620 files take about 20 s on one core). Below it, forking and
#: sending the services back cost more than they save, and tests keep the simple path.
PARALLEL_MIN_FILES = 500
#: Files per task sent to a reading process: small enough that the cores finish together,
#: large enough that the tasks' overhead does not count.
FILES_PER_TASK = 50


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


@lru_cache(maxsize=8)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


def display_path(path: Path) -> str:
    """The path as editors see it: relative to the working directory when below it."""
    try:
        # The working directory resolved once, not for each of thousands of files.
        return str(path.resolve().relative_to(_resolved(os.getcwd())))
    except ValueError:
        return str(path)


def path_in_catalog(path: str, root: Path) -> str:
    """A problem's or service's file below the catalogue root: `services/ngo/mieli.yaml`."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


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
    # Reading makes millions of small objects without cycles; the cycle collector would walk
    # the growing heap again and again (a sixth of the time at 20,000 services), so it
    # waits until the catalogue is read. Reference counting still frees the garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check_catalog(root, today)
    finally:
        if collecting:
            gc.enable()


def _check_catalog(root: Path, today: date | None) -> tuple[Catalog, Problems]:
    problems = Problems()
    today = today or date.today()
    digest = hashlib.sha256()
    taxonomy = load_taxonomy(root, problems)
    for path in taxonomy.files:
        if path.is_file():
            digest.update(path.read_bytes())
    reader = ServiceFileReader(Reader(problems), taxonomy, today)
    # Editors' overrides (catalog/overrides/<id>.yaml) are laid over the entries they name;
    # without that folder the catalogue loads exactly as before.
    overrides_paths = override_files(root)
    overrides = load_overrides(root, problems, {p: display_path(p) for p in overrides_paths})
    files = service_files(root, problems)
    names = _display_paths(files)
    workers = _reading_processes(len(files))
    results: Iterable[list[Service]]
    if workers > 1:
        # The digest is taken while the reading processes work; the results come in file
        # order, so the services and problems are in the same order either way.
        results = _read_in_processes(
            files, names, reader, overrides, workers, lambda: _add_files(digest, files, names)
        )
    else:
        _add_files(digest, files, names)
        results = (check_file(path, reader, overrides, names[path]) for path in files)
    services: list[Service] = []
    for found in results:
        services.extend(found)
    for path in overrides_paths:
        digest.update(display_path(path).encode())
        digest.update(path.read_bytes())
    report_unused(overrides, problems)
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


def check_file(
    path: Path,
    reader: ServiceFileReader,
    overrides: dict[str, Override] | None = None,
    name: str | None = None,
) -> list[Service]:
    """The valid services of one file (with their overrides laid over them); its problems go
    to the reader's problem list. `name` is the file's `display_path`, if known."""
    name = name or display_path(path)
    try:
        document = load(path, name)
    except CatalogFileError as exc:
        reader.problems.error(Mark(exc.path, exc.line, exc.column), exc.code, exc.message)
        return []
    apply_overrides(document, overrides or {})
    return reader.read_file(document)


def _add_files(digest: hashlib._Hash, files: list[Path], names: dict[Path, str]) -> None:
    """Add the service files' names and contents to the catalogue version's digest."""
    for path in files:
        digest.update(names[path].encode())
        digest.update(path.read_bytes())


def _display_paths(files: list[Path]) -> dict[Path, str]:
    """`display_path` of each file, resolving each folder once instead of every file's whole
    path (resolving walks every component with a system call: 8 % of the time at 20,000
    services). A file that is itself a symbolic link is resolved in full, as before."""
    folders: dict[Path, Path] = {}
    cwd = _resolved(os.getcwd())
    names: dict[Path, str] = {}
    for path in files:
        if path.is_symlink() or path.name in ("", ".", ".."):
            names[path] = display_path(path)
            continue
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve()
        real = folder / path.name
        try:
            names[path] = str(real.relative_to(cwd))
        except ValueError:
            names[path] = str(path)
    return names


def _reading_processes(files: int) -> int:
    """How many processes should read `files` service files: one per usable core for a big
    catalogue, else 1 (read here).

    Only with fork on Linux (a child starts at once, with the taxonomy and overrides already
    in memory), and only when this process runs no other thread: a fork copies only the
    calling thread, so a lock another thread holds (logging's, the import lock) would stay
    locked in the child for ever. The live reload's watcher thread therefore reads alone."""
    if files < PARALLEL_MIN_FILES or not sys.platform.startswith("linux"):
        return 1
    if threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0))


#: What a reading process works with, set in the parent just before the fork (a forked
#: child inherits it; nothing is pickled).
_reading: tuple[ServiceFileReader, dict[str, Override]] | None = None

#: What a reading process sends back per task: the services, the problems as plain rows
#: (cheap to pickle), and the ids of the overrides that were laid over a service.
_TaskResult = tuple[list[Service], list[ProblemRow], list[str]]


def _read_in_processes(
    files: list[Path],
    names: dict[Path, str],
    reader: ServiceFileReader,
    overrides: dict[str, Override],
    workers: int,
    meanwhile: Callable[[], None],
) -> Iterator[list[Service]]:
    """The services of each task's files, in file order, read by `workers` processes that
    start at once; the problems and the overrides' use are recorded here, in file order, as
    they would be if the files were read here. `meanwhile` runs here while they read."""
    global _reading
    tasks = [
        [(path, names[path]) for path in files[start : start + FILES_PER_TASK]]
        for start in range(0, len(files), FILES_PER_TASK)
    ]
    # A process pool, not multiprocessing.Pool: a reading process that dies (out of memory)
    # raises BrokenProcessPool here instead of leaving the validation waiting for ever.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    _reading = (reader, overrides)
    try:
        try:
            results = pool.map(_read_task, tasks)  # forks the processes, hands out the tasks
        finally:
            _reading = None  # the children have their copy
        meanwhile()
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _collect(pool, results, reader.problems, overrides)


def _collect(
    pool: ProcessPoolExecutor,
    results: Iterator[_TaskResult],
    problems: Problems,
    overrides: dict[str, Override],
) -> Iterator[list[Service]]:
    """The tasks' services, recording their problems and used overrides; ends the pool."""
    try:
        for found, rows, used in results:
            problems.add_rows(rows)
            for service_id in used:
                overrides[service_id].used = True
            yield found
    finally:
        pool.shutdown(cancel_futures=True)


def _read_task(task: list[tuple[Path, str]]) -> _TaskResult:
    """In a reading process: check the task's files with a problem list of their own."""
    assert _reading is not None, "only called in a process forked by _read_in_processes"
    parent, overrides = _reading
    problems = Problems()
    reader = ServiceFileReader(Reader(problems), parent.taxonomy, parent.today)
    for override in overrides.values():
        override.used = False  # this process may have read other tasks before
    services = [
        service for path, name in task for service in check_file(path, reader, overrides, name)
    ]
    used = [service_id for service_id, override in overrides.items() if override.used]
    return services, [problem.as_row() for problem in problems.items], used


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
