"""Live catalogue reload: edits under `catalog/` reach the running service without a restart.

A `LiveRouter` holds the current `Router` and a background thread that looks at the
catalogue folder every `CATALOG_POLL_SECONDS`. A look is cheap: the sorted (path, mtime,
size, inode) of every YAML file, no file is read. When that fingerprint changes, the
catalogue is loaded and validated and a new `Router` is built in that thread; it is used
only if the fingerprint then still is the same, through the load and for at least one poll
(an editor saving several files is one change, and a half-saved folder is never used).
Using it is swapping one reference: a request takes `current()` once and uses that Router
to the end, so no request sees half of a catalogue.

An invalid catalogue is not used: the last good one keeps serving, each validator error is
logged at WARNING, and `status()` says `stale` with the errors until the files are fixed.
Nothing in the watcher ends the thread: an unexpected error is logged and the last good
catalogue stays.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from navigator.catalog.loader import Catalog, check_catalog, load_catalog
from navigator.catalog.problems import Severity
from navigator.errors import NavigatorError
from navigator.routing import Router
from navigator.settings import CATALOG_POLL_SECONDS, CATALOG_RELOAD_ENV

log = logging.getLogger(__name__)

#: Most validator errors kept in `status().problems` (all of them are logged).
MAX_PROBLEMS_SHOWN = 20
#: Niceness of the watcher thread on Linux, so that a big rebuild yields the CPU to requests.
WATCHER_NICENESS = 10

Fingerprint = tuple[tuple[str, int, int, int], ...]


def reload_enabled(default: bool = False) -> bool:
    """Whether `NAVIGATOR_CATALOG_RELOAD` turns live reload on ("1", "true", "yes", "on")."""
    value = os.environ.get(CATALOG_RELOAD_ENV, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


def fingerprint(root: Path) -> Fingerprint:
    """What changes when any catalogue file is edited, added, removed or replaced; reads no
    file. The inode catches a file replaced by one with the same time and size (`cp -p`)."""
    entries: list[tuple[str, int, int, int]] = []
    for path in root.rglob("*.yaml"):
        if path.name.startswith("."):  # editors' swap and backup files; the loader skips them
            continue
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat: the next look sees it gone
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(sorted(entries))


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class CatalogStatus:
    """What an operator needs to know about the catalogue in use (`/readyz` shows it)."""

    version: str
    loaded_at: datetime
    services: int  # active services of the catalogue in use
    watching: bool = False  # whether edits are looked for (start() was called)
    stale: bool = False  # the files have changed but could not be used
    problems: tuple[str, ...] = ()  # why, when stale: validator messages, file:line first
    last_checked: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """The status as JSON; `problems` only when stale."""
        body: dict[str, Any] = {
            "version": self.version,
            "loaded_at": self.loaded_at.isoformat(),
            "services": self.services,
            "watching": self.watching,
            "stale": self.stale,
            "last_checked": self.last_checked.isoformat() if self.last_checked else None,
        }
        if self.stale:
            body["problems"] = list(self.problems)
        return body


#: A message per language. A process's first reading loads what every reading shares (the
#: safety model, the analysers), 2-4 s on two cores: done when a process loads its first
#: catalogue, so that no resident's message waits for it (later Routers reuse it).
WARM_UP_MESSAGES: tuple[tuple[str, str], ...] = (
    ("velat painaa enkä saa nukuttua", "fi"),
    ("jag är ensam och orkar inte", "sv"),
    ("I feel lonely and tired", "en"),
)


def warmed(router: Router) -> Router:
    """`router`, after reading one message per language with it."""
    for text, lang in WARM_UP_MESSAGES:
        router.route(text, lang=lang)
    return router


@dataclass(frozen=True)
class _Published:
    """The router in use and its status, swapped together as one reference."""

    router: Router
    status: CatalogStatus


class LiveRouter:
    """The current Router over a catalogue folder, rebuilt in the background when it changes.

    `router` is the first Router; the folder watched is the root of its catalogue. Call
    `start()` to watch (or use it as a context manager) and `stop()` to end the thread.
    """

    def __init__(
        self,
        router: Router,
        *,
        poll_seconds: float = CATALOG_POLL_SECONDS,
        seen: Fingerprint | None = None,
    ) -> None:
        self.root = router.catalog.root.resolve()
        self.poll_seconds = poll_seconds
        # `seen` is the folder as it was before the first catalogue was read, so that an edit
        # made while it was loading is not missed.
        self._seen = fingerprint(self.root) if seen is None else seen
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._polling = threading.Lock()  # the watcher and a caller of poll() take turns
        self._published = _Published(router, self._status_of(router, stale=False, problems=()))

    @classmethod
    def load(cls, root: Path, *, poll_seconds: float = CATALOG_POLL_SECONDS) -> LiveRouter:
        """Load the catalogue at `root` (CatalogInvalid if it has errors) and build its Router,
        warmed up."""
        seen = fingerprint(root.resolve())
        return cls(warmed(Router(load_catalog(root))), poll_seconds=poll_seconds, seen=seen)

    # Readers ------------------------------------------------------------------------------

    def current(self) -> Router:
        """The Router of the newest good catalogue; take it once per request."""
        return self._published.router

    def status(self) -> CatalogStatus:
        """Version, load time, staleness and problems of the catalogue in use."""
        return replace(self._published.status, watching=self.watching)

    @property
    def watching(self) -> bool:
        """Whether the watcher thread runs."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    # The watcher ----------------------------------------------------------------------------

    def start(self) -> LiveRouter:
        """Start watching the folder in a daemon thread (once); returns self."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="catalog-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching; waits for a rebuild under way (at most `timeout` seconds)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout)

    def __enter__(self) -> LiveRouter:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        _lower_priority()
        while not self._stop.wait(self.poll_seconds):
            self.poll()

    def poll(self) -> bool:
        """Look at the folder once; load it if it changed (waiting at least one poll to see
        that it stays so). True if a new Router is now in use. Never raises: an unexpected
        error is logged and the last good catalogue stays (stale)."""
        with self._polling:
            try:
                return self._poll()
            except Exception as exc:  # the watcher must outlive any bug in loading
                log.exception("catalogue reload failed; the last good catalogue stays in use")
                self._reject([f"{self.root}: reload failed ({type(exc).__name__}); see the log"])
                return False

    def _poll(self) -> bool:
        seen = fingerprint(self.root)
        if seen == self._seen:
            self._republish()
            return False
        # Marked seen before loading: a load that fails is retried after the next edit, not
        # at every look; an edit during the load makes the next look differ and load again.
        self._seen = seen
        started = time.monotonic()
        outcome = self._build()
        # Debounce: use the outcome only if the folder stayed as it was through the load and
        # for at least one poll, so that a burst of saves (several files) is one change and
        # a half-saved state is neither served nor reported as stale.
        quiet = self.poll_seconds - (time.monotonic() - started)
        if (quiet > 0 and self._stop.wait(quiet)) or fingerprint(self.root) != seen:
            return False
        if isinstance(outcome, Router):
            self._publish(outcome, stale=False, problems=())
            log.info(
                "catalogue reloaded: version %s, %d active services, loaded in %.1f s",
                outcome.catalog.version,
                len(outcome.catalog.active),
                time.monotonic() - started,
            )
            return True
        self._reject(outcome)
        return False

    def _build(self) -> Router | list[str]:
        """A Router over the catalogue as it is now, or the errors that keep it from use."""
        try:
            catalog, problems = check_catalog(self.root)
        except (NavigatorError, OSError) as exc:  # a file unreadable or gone mid-read
            return [str(exc)]
        errors = [str(p) for p in problems.sorted() if p.severity is Severity.ERROR]
        if errors:
            return errors
        # Rebuilt even when the version is the same: the version does not cover every file
        # the taxonomy reads (the code lists), and a save without a change is rare.
        return Router(catalog)

    # Publishing ------------------------------------------------------------------------------

    def _reject(self, errors: list[str]) -> None:
        """Keep the last good catalogue; log every error, keep the first ones for status."""
        version = self.current().catalog.version
        log.warning(
            "catalogue change not used: %d error(s); still serving version %s",
            len(errors),
            version,
        )
        for error in errors:
            log.warning("catalogue: %s", error)
        shown = errors[:MAX_PROBLEMS_SHOWN]
        if len(errors) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(errors) - MAX_PROBLEMS_SHOWN} more")
        self._publish(self.current(), stale=True, problems=tuple(shown))

    def _publish(self, router: Router, *, stale: bool, problems: tuple[str, ...]) -> None:
        # One assignment: readers see the old pair or the new one, never a mix.
        self._published = _Published(router, self._status_of(router, stale, problems))

    def _republish(self) -> None:
        """The same router and problems, with a new check time."""
        old = self._published
        self._published = _Published(old.router, replace(old.status, last_checked=_now()))

    def _status_of(self, router: Router, stale: bool, problems: tuple[str, ...]) -> CatalogStatus:
        catalog: Catalog = router.catalog
        return CatalogStatus(
            version=catalog.version,
            loaded_at=catalog.loaded_at,
            services=len(catalog.active),
            stale=stale,
            problems=problems,
            last_checked=_now(),
        )


def _lower_priority() -> None:
    """Make this thread nicer than the request threads, so that a rebuild of a big
    catalogue takes the CPU they leave. Linux only: there a thread has its own niceness
    (elsewhere the call would change the whole process, so it is not made)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WATCHER_NICENESS)
    except OSError:  # not permitted in some containers: run at normal priority
        log.debug("could not lower the catalogue watcher's priority", exc_info=True)
