"""Browser tests: the web app served by uvicorn in a thread, driven by real headless Chromium.

Chromium is Debian's (`apt-get install chromium`, /usr/bin/chromium; Playwright's own
browser downloads are not used), and axe-core comes from npm (`npm ci --prefix tests/web`).
Each page of a test gets axe-core through an init script, which the page's CSP does not
cover, so the scans see the page exactly as residents get it.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from navigator.routing import Router
from tests.conftest import REPO, Assistant

WEB_TESTS = REPO / "tests" / "web"
AXE = WEB_TESTS / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = WEB_TESTS / "artifacts"
RECORDED = WEB_TESTS / "recorded"
CHROMIUM = Path(os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium"))
# As root Chromium needs --no-sandbox; the rest keep it from calling home during a test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
ZOOM_200: ViewportSize = {"width": 640, "height": 450}  # a 1280 x 900 screen at 200 % zoom


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs real headless Chromium (CI runs it)")


_BROWSER_FIXTURES = {"playwright", "browser", "context", "page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


# The browser ---------------------------------------------------------------------------------


def launch_options(**extra: Any) -> dict[str, Any]:
    """How every browser of these tests is started."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True, **extra}


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        pytest.fail(
            f"the browser tests need {' and '.join(missing)}: run `apt-get install chromium` "
            "and `npm ci --prefix tests/web`",
            pytrace=False,
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Playwright starts Chromium with a fresh, empty temporary profile (--user-data-dir).
    browser = playwright.chromium.launch(**launch_options())
    yield browser
    browser.close()


def prepare(context: BrowserContext) -> BrowserContext:
    """A context whose pages get axe-core, fail on script errors, and time out quickly."""
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = prepare(browser.new_context(viewport=DESKTOP, locale="fi-FI"))
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        # The clear button asks with confirm(); any other dialog (an alert from injected
        # script) fails the test.
        if dialog.type == "confirm":
            dialog.accept()
        else:
            errors.append(f"unexpected {dialog.type}: {dialog.message}")
            dialog.dismiss()

    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", on_dialog)
    yield page
    assert not errors, f"the page failed: {errors}"


# The web app ---------------------------------------------------------------------------------


@dataclass
class WebApp:
    """A running web app."""

    url: str
    data_dir: Path


@pytest.fixture(scope="session")
def router() -> Router:
    """The routing library over the shipped catalogue, built once for every web app."""
    from navigator.catalog.loader import default_catalog_root, load_catalog

    return Router(load_catalog(default_catalog_root()))


def serve(rasa_url: str, work: Path, router: Router) -> Iterator[WebApp]:
    """The web app on a free port in a background thread, until the generator is closed."""
    from navigator.bot.run import free_port
    from navigator.web.app import create_app
    from navigator.web.config import WebConfig

    config = WebConfig(
        rasa_url=rasa_url, data_dir=work, database_url=f"sqlite:///{work / 'web.db'}"
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, router=router),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="none",  # no websockets here; uvicorn's default needs a newer websockets than Rasa's
        )
    )
    thread = threading.Thread(target=server.run, name="web-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start; see the log above")
        time.sleep(0.05)
    try:
        yield WebApp(f"http://127.0.0.1:{port}", work)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def web(
    assistant: Assistant, router: Router, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebApp]:
    """The web app talking to the real assistant."""
    yield from serve(assistant.url, tmp_path_factory.mktemp("web"), router)


@pytest.fixture(scope="session")
def web_alone(router: Router, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """The web app with no assistant behind it (nobody listens at its Rasa address)."""
    from navigator.bot.run import free_port

    yield from serve(f"http://127.0.0.1:{free_port()}", tmp_path_factory.mktemp("web"), router)


# Helpers -------------------------------------------------------------------------------------


def recorded(name: str) -> list[dict[str, Any]]:
    """A reply the real assistant gave, kept in tests/web/recorded/ (see record.py)."""
    data: list[dict[str, Any]] = json.loads((RECORDED / f"{name}.json").read_text("utf-8"))
    return data


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations, one line each with the elements they were found on."""
    lines = []
    for v in violations:
        targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:5])
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({targets})")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violations."""
    violations = axe_violations(page)
    assert not violations, "axe-core found:\n" + describe(violations)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG to tests/web/artifacts/ (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky bar is drawn where it was
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page: Page) -> bool:
    """True if nothing sticks out sideways (WCAG 1.4.10 reflow)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def focused(page: Page) -> dict[str, Any]:
    """The focused element: tag, id, text, and its role-relevant attributes."""
    info: dict[str, Any] = page.evaluate(
        """() => {
            const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim(),
                    cls: e.className, href: e.getAttribute('href')};
        }"""
    )
    return info


def tab_to(page: Page, want: Any, *, backwards: bool = False, limit: int = 80) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until `want(focused element)` is true; fail after `limit`."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if want(now):
            return now
        seen.append(now.get("id") or now.get("text", "")[:30])
    raise AssertionError(f"{key} never reached the element; passed: {seen}")


def turns(page: Page) -> int:
    """How many turns (answered or failed) the page has finished."""
    return int(page.evaluate("Number(document.getElementById('chat').dataset.turns || 0)"))


def wait_turns(page: Page, count: int, timeout: float = 60_000) -> None:
    """Wait until the page has finished `count` turns in all."""
    page.wait_for_function(
        "n => Number(document.getElementById('chat').dataset.turns || 0) >= n",
        arg=count,
        timeout=timeout,
    )


def bot_texts(page: Page) -> list[str]:
    """The texts of the assistant's messages (cards included), in order."""
    texts: list[str] = page.eval_on_selector_all(
        "#log .msg--bot", "nodes => nodes.map(n => n.innerText)"
    )
    return texts


def fresh_profile(tmp: Path) -> Path:
    """An empty Chromium profile directory."""
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    return tmp
