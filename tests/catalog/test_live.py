"""Live catalogue reload: edits are served within 2 s, bad edits keep the last good catalogue
and say why, and a request never sees half of a catalogue."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from navigator import routing
from navigator.catalog import live as live_module
from navigator.catalog.live import LiveRouter, fingerprint, reload_enabled
from navigator.catalog.loader import check_catalog
from navigator.routing import Router

SERVICE = "mieli-crisis-line"
OLD_NAME = "MIELI Kriisipuhelin"
RELOAD_LIMIT_SECONDS = 2.0  # the promise


def ngo_file(root: Path) -> Path:
    return root / "services" / "ngo" / "ngo.yaml"


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a file as an editor would (new text of another length, so that the size changes
    even when the file system's clock has not ticked since the last write)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based line on which `text` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def name_of(live: LiveRouter, service_id: str = SERVICE) -> str | None:
    service = live.current().catalog.by_id.get(service_id)
    return service.name.fi if service else None


def wait_until(condition: Callable[[], bool], limit: float = 10.0) -> float:
    """Seconds until `condition()` held; fails after `limit`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < limit, "the condition did not hold in time"
        time.sleep(0.01)
    return time.monotonic() - started


def shows(live: LiveRouter, name: str) -> Callable[[], bool]:
    """A condition: the service has this name in the catalogue in use."""
    return lambda: name_of(live) == name


@pytest.fixture
def live(small_catalog: Path) -> Iterator[LiveRouter]:
    """A live router over the small catalogue, not watching: tests call poll() themselves."""
    value = LiveRouter.load(small_catalog, poll_seconds=0.05)
    yield value
    value.stop()


# Edits are served -------------------------------------------------------------------------


def test_an_edit_is_served_within_two_seconds(small_catalog: Path) -> None:
    with LiveRouter.load(small_catalog) as live:  # the default poll, as in production
        assert live.watching and name_of(live) == OLD_NAME
        replace_in(ngo_file(small_catalog), OLD_NAME, "MIELI Kriisipuhelin (päivitetty)")
        seconds = wait_until(shows(live, "MIELI Kriisipuhelin (päivitetty)"))
        assert seconds <= RELOAD_LIMIT_SECONDS
        status = live.status()
        assert not status.stale and status.version == live.current().catalog.version

        # A new service file is picked up the same way.
        text = ngo_file(small_catalog).read_text(encoding="utf-8")
        added = small_catalog / "services" / "ngo" / "added.yaml"
        added.write_text(
            text.replace(f"id: {SERVICE}", "id: mieli-crisis-line-copy").replace(
                "MIELI Kriisipuhelin (päivitetty)", "Toinen kriisipuhelin"
            ),
            encoding="utf-8",
        )
        seconds = wait_until(lambda: name_of(live, "mieli-crisis-line-copy") is not None)
        assert seconds <= RELOAD_LIMIT_SECONDS
    assert not live.watching


def test_a_folder_that_changes_while_loading_is_not_used_until_it_is_quiet(
    live: LiveRouter,
    small_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An editor's first save leaves the catalogue invalid; the next save, landing while that
    state is being loaded, fixes it. The half-saved state is neither used nor reported."""
    real_check = check_catalog
    saves = ["needs: [crisis_support]"]

    def check_while_the_editor_saves(root: Path) -> object:
        result = real_check(root)
        if saves:  # the editor's second save lands during the load
            replace_in(ngo_file(small_catalog), "needs: [no_such_need]", saves.pop())
        return result

    monkeypatch.setattr(live_module, "check_catalog", check_while_the_editor_saves)
    first = live.current()
    replace_in(
        ngo_file(small_catalog), "needs: [crisis_support, mental_health]", "needs: [no_such_need]"
    )
    with caplog.at_level(logging.WARNING, logger="navigator.catalog.live"):
        assert live.poll() is False  # the half-saved state: neither used nor reported
    assert live.current() is first and not live.status().stale and not caplog.records
    assert live.poll() is True  # the folder stayed the same through the load: used
    assert live.current().catalog.by_id[SERVICE].needs == ("crisis_support",)
    assert live.poll() is False  # nothing changed since


def test_the_fingerprint_sees_edits_additions_and_removals(small_catalog: Path) -> None:
    before = fingerprint(small_catalog)
    assert len(before) == len(list(small_catalog.rglob("*.yaml")))
    (small_catalog / "services" / ".#ngo.yaml").write_text("editor lock", encoding="utf-8")
    assert fingerprint(small_catalog) == before  # editors' own files are not the catalogue
    replace_in(ngo_file(small_catalog), OLD_NAME, "Muutettu")
    edited = fingerprint(small_catalog)
    assert edited != before
    ngo_file(small_catalog).unlink()
    assert len(fingerprint(small_catalog)) == len(edited) - 1


# Bad edits keep the last good catalogue ----------------------------------------------------


def test_a_yaml_syntax_error_keeps_the_last_good_catalogue(
    live: LiveRouter, small_catalog: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = live.current()
    path = ngo_file(small_catalog)
    replace_in(path, "    level: 2\n", "    level: [2\n")
    with caplog.at_level(logging.WARNING, logger="navigator.catalog.live"):
        assert live.poll() is False
    assert live.current() is good
    status = live.status()
    assert status.stale and status.version == good.catalog.version
    assert status.problems and all(
        re.match(r"services/ngo/ngo\.yaml:\d+:\d+: error ", p) for p in status.problems
    )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(status.problems[0] in message for message in warnings)
    assert status.as_json()["problems"] == list(status.problems)

    replace_in(path, "    level: [2\n", "    level: 2\n")  # fixed: the same catalogue again
    assert live.poll() is True
    assert not live.status().stale and "problems" not in live.status().as_json()
    assert live.current().catalog.version == good.catalog.version


def test_an_unknown_need_keeps_the_last_good_catalogue_and_names_the_line(
    live: LiveRouter, small_catalog: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = live.current()
    path = ngo_file(small_catalog)
    replace_in(path, "needs: [crisis_support, mental_health]", "needs: [crisis_suport]")
    line = line_of(path, "needs: [crisis_suport]")
    with caplog.at_level(logging.WARNING, logger="navigator.catalog.live"):
        assert live.poll() is False
    assert live.current() is good
    status = live.status()
    assert status.stale
    problem = next(p for p in status.problems if "crisis_suport" in p)
    assert problem.startswith(f"services/ngo/ngo.yaml:{line}:")
    assert any(problem in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)

    replace_in(path, "needs: [crisis_suport]", "needs: [crisis_support]")  # fixed, and changed
    assert live.poll() is True
    assert not live.status().stale and live.current() is not good
    assert live.current().catalog.by_id[SERVICE].needs == ("crisis_support",)


def test_an_unexpected_error_is_logged_and_the_watcher_goes_on(
    small_catalog: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_check = check_catalog
    broken = threading.Event()
    broken.set()

    def check(root: Path) -> object:
        if broken.is_set():
            raise RuntimeError("a bug in loading")
        return real_check(root)

    monkeypatch.setattr(live_module, "check_catalog", check)
    with LiveRouter.load(small_catalog, poll_seconds=0.02) as live:
        good = live.current()
        replace_in(ngo_file(small_catalog), OLD_NAME, "Ei käytetä")
        wait_until(lambda: live.status().stale)
        assert live.current() is good and live.watching
        assert "RuntimeError" in live.status().problems[0]
        assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)

        broken.clear()
        replace_in(ngo_file(small_catalog), "Ei käytetä", "Taas käytössä")
        wait_until(shows(live, "Taas käytössä"))
        assert not live.status().stale


# A request never sees half a catalogue ------------------------------------------------------


def _whole(router: Router) -> bool:
    """The router's parts all come from its one catalogue."""
    catalog = router.catalog
    return (
        router.index.catalog is catalog
        and router.index.catalog.version == catalog.version
        and router.index.services == list(catalog.services)
    )


def test_readers_see_the_old_catalogue_or_the_new_one_never_a_mix(small_catalog: Path) -> None:
    stop = threading.Event()
    seen: list[str] = []  # the versions the reader saw, each once, in order
    broken: list[str] = []

    def read() -> None:
        while not stop.is_set():
            router = watched.current()  # once, as a request does
            if not _whole(router):
                broken.append(router.catalog.version)
            if not seen or seen[-1] != router.catalog.version:
                seen.append(router.catalog.version)
            time.sleep(0.0002)  # many samples per reload, and the GIL for the rebuild too

    with LiveRouter.load(small_catalog, poll_seconds=0.02) as watched:
        published = [watched.current().catalog.version]
        reader = threading.Thread(target=read, name="reader")
        reader.start()
        try:
            for n in range(3):
                new = f"Versio {'x' * (n + 1)}"
                replace_in(ngo_file(small_catalog), name_of(watched) or OLD_NAME, new)
                wait_until(shows(watched, new))
                published.append(watched.current().catalog.version)
            wait_until(lambda: seen[-1] == published[-1])
        finally:
            stop.set()
            reader.join()
    assert not broken
    assert seen == published  # every reload seen whole, none seen twice or out of order


# The process-wide router -----------------------------------------------------------------------


def test_reload_is_off_unless_the_environment_turns_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NAVIGATOR_CATALOG_RELOAD", raising=False)
    assert reload_enabled() is False and reload_enabled(default=True) is True
    for value, expected in [("1", True), ("true", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("NAVIGATOR_CATALOG_RELOAD", value)
        assert reload_enabled(default=not expected) is expected


def test_default_router_follows_the_catalogue_when_reload_is_on(
    small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routing, "_default", None)
    monkeypatch.setattr(routing, "_live", None)
    monkeypatch.setenv("NAVIGATOR_CATALOG", str(small_catalog))
    monkeypatch.setenv("NAVIGATOR_CATALOG_RELOAD", "1")
    first = routing.default_router()
    started = routing._live
    assert started is not None and started.watching
    try:
        assert first.catalog.by_id[SERVICE].name.fi == OLD_NAME
        replace_in(ngo_file(small_catalog), OLD_NAME, "Prosessin reititin")
        wait_until(lambda: routing.default_router().catalog.by_id[SERVICE].name.fi != OLD_NAME)
        assert routing.default_router().catalog.by_id[SERVICE].name.fi == "Prosessin reititin"
    finally:
        started.stop()


def test_default_router_is_fixed_without_reload(
    small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routing, "_default", None)
    monkeypatch.setattr(routing, "_live", None)
    monkeypatch.setenv("NAVIGATOR_CATALOG", str(small_catalog))
    monkeypatch.delenv("NAVIGATOR_CATALOG_RELOAD", raising=False)
    router = routing.default_router()
    assert routing._live is None and routing.default_router() is router
