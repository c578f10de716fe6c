"""The counsellor workspace: login, search, service detail, handouts and the inbox.

The real app runs through FastAPI's TestClient on a real SQLite file with the real stores;
the last test drives the same pages in headless Chromium.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from navigator.accounts import AccountError, Users
from navigator.catalog.hours import parse_hours, parse_spans
from navigator.catalog.loader import load_catalog
from navigator.catalog.model import HoursException, Text
from navigator.contact import ContactChannel, ContactStore, Status
from navigator.db import Database
from navigator.routing import LEVEL_WORDS, Router
from navigator.search import Filters, local_now
from navigator.web.sessions import Sessions
from navigator.web.workspace import (
    GENERIC_NEXT_STEPS,
    format_date,
    format_exception,
    format_hours,
)
from tests.conftest import REPO, SMALL
from tests.web.conftest import (
    ARTIFACTS,
    PHONE,
    ZOOM_200,
    WebApp,
    assert_accessible,
    focused,
    no_horizontal_scroll,
    screenshot,
)
from tests.web.counsellor_helpers import (
    PASSWORD,
    USER,
    Workspace,
    csrf_of,
    draft,
    running_workspace,
)

PAGES = (
    "/counsellor/",
    "/counsellor/search?q=kriisi",
    "/counsellor/services/mieli-crisis-line",
    "/counsellor/handout?service=mieli-crisis-line&lang=sv",
    "/counsellor/requests",
    "/counsellor/requests/NAV-AAAA-BBBB",
)
XSS = "<script>alert(1)</script>"


@pytest.fixture
def workspace(tmp_path: Path, router: Router) -> Iterator[Workspace]:
    """The app over the shipped catalogue, with one counsellor account (not logged in)."""
    with running_workspace(tmp_path, router) as workspace:
        yield workspace


@pytest.fixture
def counsellor(workspace: Workspace) -> Workspace:
    """The same, logged in."""
    workspace.logged_in()
    return workspace


# Sessions and login -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_workspace_page_sends_a_visitor_without_a_session_to_login(
    workspace: Workspace, path: str
) -> None:
    response = workspace.client.get(path, follow_redirects=False)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/counsellor/login"
    assert parse_qs(location.query)["next"] == [path]


def test_a_form_post_without_a_session_goes_to_login_and_back_to_its_page(
    workspace: Workspace,
) -> None:
    request = workspace.submit()
    response = workspace.client.post(
        f"/counsellor/requests/{request.reference}/status",
        data={"status": "in_progress", "csrf": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query)["next"] == [
        f"/counsellor/requests/{request.reference}"
    ]
    assert workspace.contacts.get(request.reference).status is Status.NEW  # type: ignore[union-attr]


def test_login_starts_a_session_and_returns_to_the_page_asked_for(workspace: Workspace) -> None:
    response = workspace.login(next_path="/counsellor/requests?status=new")
    assert response.status_code == 303
    assert response.headers["location"] == "/counsellor/requests?status=new"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = workspace.client.get("/counsellor/requests?status=new")
    assert page.status_code == 200
    assert USER in page.text  # the navigation names who is logged in
    assert [e.actor for e in workspace.entries("login")] == [USER]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/api/v1/x"])
def test_login_never_redirects_off_the_workspace(workspace: Workspace, target: str) -> None:
    response = workspace.login(next_path=target)
    assert response.headers["location"] == "/counsellor/"


def test_a_wrong_password_and_an_unknown_user_get_the_same_words(workspace: Workspace) -> None:
    wrong = workspace.login(password="ei tämä salasana ole")
    unknown = workspace.login(username="ei.ole.olemassa")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Väärä käyttäjätunnus tai salasana." in response.text
        assert "navigator_session" not in response.headers.get("set-cookie", "")
    failed = workspace.entries("login.failed")
    assert [(e.actor, (e.detail or {}).get("username")) for e in failed] == [
        ("-", "ei.ole.olemassa"),
        ("-", USER),
    ]
    assert PASSWORD not in str(workspace.entries())


def test_the_login_form_refuses_a_post_without_its_own_token(workspace: Workspace) -> None:
    workspace.login_form()  # the cookie is set, but the form's copy is missing
    response = workspace.client.post(
        "/counsellor/login", data={"username": USER, "password": PASSWORD}
    )
    assert response.status_code == 403
    workspace.client.cookies.clear()
    # Equal in the cookie and the form, but not signed by the app (a planted cookie).
    workspace.client.cookies.set("navigator_login_csrf", "abc.def", path="/counsellor/login")
    forged = workspace.client.post(
        "/counsellor/login", data={"username": USER, "password": PASSWORD, "csrf": "abc.def"}
    )
    assert forged.status_code == 403
    assert not workspace.entries("login")


def test_logins_are_refused_for_a_while_after_repeated_failures(workspace: Workspace) -> None:
    attempts = workspace.app.state.login_limiter.attempts
    for _ in range(attempts):
        assert workspace.login(password="väärä salasana tässä").status_code == 200
    blocked = workspace.login()  # even the right password waits now
    assert blocked.status_code == 429
    assert "Yritä uudelleen" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    assert workspace.entries("login.blocked")
    assert not workspace.entries("login")


def test_logout_ends_the_session(counsellor: Workspace) -> None:
    page = counsellor.client.get("/counsellor/search")
    response = counsellor.client.post(
        "/counsellor/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "Olet kirjautunut ulos" in counsellor.client.get(response.headers["location"]).text
    again = counsellor.client.get("/counsellor/search", follow_redirects=False)
    assert again.status_code == 303
    assert counsellor.entries("logout")


def test_an_expired_session_cannot_act(counsellor: Workspace) -> None:
    request = counsellor.submit()
    page = counsellor.client.get(f"/counsellor/requests/{request.reference}")
    token = csrf_of(page.text)
    # The same sessions, but any time without use is now too long.
    counsellor.app.state.sessions = Sessions(counsellor.app.state.db, idle=timedelta(0))
    response = counsellor.client.post(
        f"/counsellor/requests/{request.reference}/status",
        data={"status": "in_progress", "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/counsellor/login")
    assert counsellor.contacts.get(request.reference).status is Status.NEW  # type: ignore[union-attr]
    assert not counsellor.entries("contact.status")


# Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_landmarks_and_no_inline_script_or_style(
    counsellor: Workspace, path: str
) -> None:
    html = counsellor.client.get(path).text
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    assert 'action="/counsellor/logout"' in html
    assert USER in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert '<html lang="fi">' in html
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


# Search -------------------------------------------------------------------------------------


def test_search_finds_services_and_shows_facets_as_filter_links(
    counsellor: Workspace, router: Router
) -> None:
    html = counsellor.client.get("/counsellor/search?q=kriisipuhelin").text
    assert "MIELI Kriisipuhelin" in html
    assert 'href="/counsellor/services/mieli-crisis-line"' in html
    assert "Rajaa tuloksia" in html
    facet = re.search(r'href="(/counsellor/search\?q=kriisipuhelin&amp;need=crisis_support)"', html)
    assert facet, "the need facet links to the narrowed search"
    narrowed = counsellor.client.get(facet.group(1).replace("&amp;", "&")).text
    label = router.catalog.taxonomy.needs["crisis_support"].label.fi
    assert f"tarve: {label}" in narrowed  # shown as a filter in use
    assert "Poista rajaus" in narrowed


def test_search_uses_the_routing_cores_filters(counsellor: Workspace, router: Router) -> None:
    html = counsellor.client.get(
        "/counsellor/search?q=mielenterveys&municipality=Oulu&free=1&no_referral=1&level_max=3"
    ).text
    expected = router.index.search(
        "mielenterveys",
        Filters(municipality="564", free=True, no_referral=True, level_max=3),
        limit=20,
    )
    shown = re.findall(r'<h3><a href="/counsellor/services/([a-z0-9-]+)"', html)
    assert shown == [h.service.id for h in expected.hits]
    assert f"{expected.total} palvelua" in html


def test_search_explains_hits_on_request(counsellor: Workspace) -> None:
    plain = counsellor.client.get("/counsellor/search?q=kriisipuhlein").text
    assert "Miksi löytyi" not in plain
    explained = counsellor.client.get("/counsellor/search?q=kriisipuhlein&explain=1").text
    assert "Miksi löytyi" in explained
    assert "tulkittu: kriisipuhlein → kriisipuhelin" in explained


def test_search_pages_and_keeps_picked_services(counsellor: Workspace) -> None:
    html = counsellor.client.get("/counsellor/search?page=2&pick=emergency-112").text
    assert "näytetään 21–40" in html
    assert (
        'id="picked-emergency-112" name="service" type="checkbox" value="emergency-112" checked'
        in html
    )
    assert '<input type="hidden" name="pick" value="emergency-112">' in html


def test_the_search_audit_entry_does_not_keep_the_words(counsellor: Workspace) -> None:
    counsellor.client.get("/counsellor/search?q=matti+meikäläinen+velat")
    entry = counsellor.entries("search")[0]
    assert entry.actor == USER
    assert "meikäläinen" not in str(entry.detail)


# Service detail -----------------------------------------------------------------------------


def test_service_detail_shows_every_fact_with_source_and_date_checked(
    counsellor: Workspace, router: Router
) -> None:
    service = router.catalog.by_id["mieli-crisis-line"]
    html = counsellor.client.get("/counsellor/services/mieli-crisis-line").text
    assert f'<a href="{service.source}">{service.source}</a>' in html
    assert f"tarkistettu {format_date(service.checked)}" in html
    for channel in service.channels:
        assert channel.display in html
    assert "aina auki (24/7)" in html  # the Finnish line's hours, in words
    assert LEVEL_WORDS["fi"][service.level] in html
    for text in (service.name.sv, service.name.en, service.summary.fi):
        assert text and text in html
    assert "Tarkistettavaa" in html if service.review else True
    assert [e.target for e in counsellor.entries("service.view")] == ["mieli-crisis-line"]


def test_service_detail_says_when_it_was_checked_and_warns_when_that_is_old(
    tmp_path: Path,
) -> None:
    """Two entries of the small catalogue, checked today and 366 days ago."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
    for path in SMALL.glob("*.yaml"):
        (root / "services" / path.stem).mkdir(parents=True)
        shutil.copy(path, root / "services" / path.stem / path.name)
    catalog = load_catalog(root)
    today = local_now().date()
    dates = {"mieli-crisis-line": today, "emergency-112": today - timedelta(days=366)}
    services = tuple(
        replace(s, checked=dates[s.id]) if s.id in dates else s for s in catalog.services
    )
    router = Router(replace(catalog, services=services, by_id={s.id: s for s in services}))
    with running_workspace(tmp_path / "data", router) as workspace:
        workspace.logged_in()
        fresh = workspace.client.get("/counsellor/services/mieli-crisis-line").text
        old = workspace.client.get("/counsellor/services/emergency-112").text
    year_ago = today - timedelta(days=366)
    assert (
        f'<p class="checked">Tarkistettu <time datetime="{today.isoformat()}">'
        f"{today.day}.{today.month}.{today.year}</time></p>"
    ) in fresh
    assert (
        f'<p class="checked">Tarkistettu <time datetime="{year_ago.isoformat()}">'
        f"{year_ago.day}.{year_ago.month}.{year_ago.year}</time>: yli 12 kuukautta sitten, "
        "varmista tiedot lähteestä</p>"
    ) in old


def test_an_unknown_service_is_a_404_page(counsellor: Workspace) -> None:
    response = counsellor.client.get("/counsellor/services/ei-tallaista")
    assert response.status_code == 404
    assert "Palvelua ei löytynyt" in response.text


# Handout ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "line", "title"),
    [
        ("sv", "I en nödsituation, ring 112.", "Tjänster för dig"),
        ("en", "In an emergency call 112.", "Services for you"),
        ("fi", "Hätätilanteessa soita 112.", "Palveluita sinulle"),
    ],
)
def test_the_handout_is_printed_in_the_language_asked_for(
    counsellor: Workspace, router: Router, lang: str, line: str, title: str
) -> None:
    picked = "service=mieli-crisis-line&service=pohde-social-crisis-emergency"
    html = counsellor.client.get(f"/counsellor/handout?{picked}&lang={lang}").text
    assert f'<article class="handout" lang="{lang}">' in html
    assert line in html and title in html
    for service_id in ("mieli-crisis-line", "pohde-social-crisis-emergency"):
        service = router.catalog.by_id[service_id]
        assert (getattr(service.name, lang) or service.name.fi) in html
        assert LEVEL_WORDS[lang][service.level] in html
    entry = counsellor.entries("handout.print")[0]
    assert entry.detail == {
        "services": "mieli-crisis-line,pohde-social-crisis-emergency",
        "count": 2,
        "lang": lang,
    }


def test_a_handout_never_prints_finnish_steps_as_another_language(
    counsellor: Workspace, router: Router
) -> None:
    service = next(s for s in router.catalog.services if not s.how_to_get.en)
    html = counsellor.client.get(f"/counsellor/handout?service={service.id}&lang=en").text
    assert GENERIC_NEXT_STEPS["en"][service.level] in html
    assert service.how_to_get.fi not in html


def test_a_handout_needs_a_service(counsellor: Workspace) -> None:
    response = counsellor.client.get("/counsellor/handout?service=ei-tallaista&lang=sv")
    assert response.status_code == 400
    assert not counsellor.entries("handout.print")


# Inbox --------------------------------------------------------------------------------------


def test_the_inbox_lists_requests_by_status(counsellor: Workspace) -> None:
    first, second = counsellor.submit(), counsellor.submit(municipality="244")
    counsellor.contacts.set_status(second.reference, Status.IN_PROGRESS, "toinen")
    html = counsellor.client.get("/counsellor/requests?status=in_progress").text
    assert second.reference in html and first.reference not in html
    assert 'Käsittelyssä <span class="count">(1)</span>' in html
    assert 'Uusi <span class="count">(1)</span>' in html
    everything = counsellor.client.get("/counsellor/requests").text
    assert everything.index(second.reference) < everything.index(first.reference)  # newest
    by_place = counsellor.client.get("/counsellor/requests?municipality=244").text
    assert second.reference in by_place and first.reference not in by_place
    assert "040 123" not in everything and "+35840" not in everything  # no details in lists


def test_opening_a_request_shows_the_whole_story_and_audits_the_view(
    counsellor: Workspace,
) -> None:
    request = counsellor.submit(channel=ContactChannel.EMAIL, address="asukas@example.fi")
    html = counsellor.client.get(f"/counsellor/requests/{request.reference}").text
    for text in (
        "Mielenterveys",
        "Oulu",
        'href="/counsellor/services/mieli-crisis-line"',
        'href="mailto:asukas@example.fi"',
        "arkisin aamupäivisin",
        "En ole nukkunut viikkoon ja pelottaa.",
        "suomi",
        "uusi",
    ):
        assert text in html, text
    entry = counsellor.entries("contact.view")[0]
    assert (entry.actor, entry.target, entry.detail) == (USER, request.reference, None)
    log = str(counsellor.entries())
    assert "asukas@example.fi" not in log and "nukkunut" not in log


def test_the_status_changes_only_with_the_forms_csrf_token(counsellor: Workspace) -> None:
    request = counsellor.submit()
    url = f"/counsellor/requests/{request.reference}"
    token = csrf_of(counsellor.client.get(url).text)
    refused = counsellor.client.post(f"{url}/status", data={"status": "in_progress"})
    assert refused.status_code == 403
    wrong = counsellor.client.post(f"{url}/status", data={"status": "in_progress", "csrf": "x"})
    assert wrong.status_code == 403
    assert counsellor.contacts.get(request.reference).status is Status.NEW  # type: ignore[union-attr]
    moved = counsellor.client.post(
        f"{url}/status", data={"status": "in_progress", "csrf": token}, follow_redirects=False
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{url}?saved=status"
    assert "Tila on päivitetty." in counsellor.client.get(moved.headers["location"]).text
    done = counsellor.client.post(f"{url}/status", data={"status": "done", "csrf": token})
    assert done.status_code == 200
    assert counsellor.contacts.get(request.reference).status is Status.DONE  # type: ignore[union-attr]
    moves = [(e.actor, e.detail) for e in counsellor.entries("contact.status")]
    assert moves == [
        (USER, {"from": "in_progress", "to": "done"}),
        (USER, {"from": "new", "to": "in_progress"}),
    ]


def test_skipping_in_progress_is_refused_with_a_message(counsellor: Workspace) -> None:
    request = counsellor.submit()
    url = f"/counsellor/requests/{request.reference}"
    token = csrf_of(counsellor.client.get(url).text)
    response = counsellor.client.post(f"{url}/status", data={"status": "done", "csrf": token})
    assert response.status_code == 409
    assert "Tilaa ei voinut muuttaa" in response.text


def test_a_note_is_saved_with_its_author_and_shown_as_text(counsellor: Workspace) -> None:
    request = counsellor.submit()
    url = f"/counsellor/requests/{request.reference}"
    token = csrf_of(counsellor.client.get(url).text)
    note = f'Soitettu klo 10. {XSS} <img src=x onerror="alert(2)">'
    response = counsellor.client.post(f"{url}/notes", data={"text": note, "csrf": token})
    assert response.status_code == 200
    assert "Muistiinpano on tallennettu." in response.text
    assert XSS not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert USER in response.text
    entry = counsellor.entries("contact.note")[0]
    assert entry.detail == {"chars": len(note)}
    refused = counsellor.client.post(f"{url}/notes", data={"text": "ilman tarkistetta"})
    assert refused.status_code == 403
    empty = counsellor.client.post(f"{url}/notes", data={"text": "  ", "csrf": token})
    assert empty.status_code == 400 and "Muistiinpano on tyhjä." in empty.text


def test_an_unknown_request_is_a_404_page(counsellor: Workspace) -> None:
    response = counsellor.client.get("/counsellor/requests/NAV-XXXX-YYYY")
    assert response.status_code == 404
    assert not counsellor.entries("contact.view")


# Catalogue text is text ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_router(tmp_path_factory: pytest.TempPathFactory) -> Router:
    """The small catalogue with markup in a service's name, summary and alert.

    The validator refuses HTML in catalogue text, so the markup is put into the loaded
    service itself: this checks the second wall (the pages escape), not the first.
    """
    root = tmp_path_factory.mktemp("hostile") / "catalog"
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
    for path in SMALL.glob("*.yaml"):
        (root / "services" / path.stem).mkdir(parents=True)
        shutil.copy(path, root / "services" / path.stem / path.name)
    catalog = load_catalog(root)
    hostile = replace(
        catalog.by_id["mieli-crisis-line"],
        name=Text(XSS, XSS, XSS),
        summary=Text('<a href="javascript:alert(3)">kriisipuhelin</a>'),
        alert=Text('<img src=x onerror="alert(4)">'),
    )
    services = tuple(hostile if s.id == hostile.id else s for s in catalog.services)
    return Router(replace(catalog, services=services, by_id={s.id: s for s in services}))


def test_catalogue_markup_is_shown_as_text(tmp_path: Path, hostile_router: Router) -> None:
    with running_workspace(tmp_path, hostile_router) as workspace:
        workspace.logged_in()
        pages = [
            workspace.client.get("/counsellor/search?q=kriisipuhelin").text,
            workspace.client.get("/counsellor/services/mieli-crisis-line").text,
            workspace.client.get("/counsellor/handout?service=mieli-crisis-line&lang=fi").text,
        ]
    for html in pages:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert XSS not in html
        assert 'href="javascript:' not in html and "<img src=x" not in html


# In a real browser --------------------------------------------------------------------------

BROWSER_USER = "selain.testaaja"


@pytest.fixture(scope="module")
def browser_workspace(web_alone: WebApp) -> WebApp:
    """The served app's database with a counsellor account for the browser."""
    db = Database(f"sqlite:///{web_alone.data_dir / 'web.db'}")
    with contextlib.suppress(AccountError):  # made by an earlier module of this session
        Users(db).add(BROWSER_USER, PASSWORD)
    return web_alone


def test_a_counsellor_works_through_the_workspace_in_a_browser(
    browser_workspace: WebApp, page: Page
) -> None:
    base = browser_workspace.url
    store = ContactStore(Database(f"sqlite:///{browser_workspace.data_dir / 'web.db'}"))
    request = store.submit(draft(municipality="244"))
    outside: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)

    page.goto(f"{base}/counsellor/requests")
    assert "/counsellor/login" in page.url
    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip-link"  # the first Tab reaches the skip link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert_accessible(page)
    page.get_by_label("Käyttäjätunnus").fill(BROWSER_USER)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"{base}/counsellor/requests")
    assert_accessible(page)

    page.get_by_role("link", name=request.reference).click()
    page.wait_for_url(f"**/counsellor/requests/{request.reference}")
    assert_accessible(page)
    page.get_by_role("button", name="Ota käsittelyyn").click()
    page.get_by_text("Tila on päivitetty.").wait_for()
    page.get_by_label("Uusi muistiinpano").fill(f"Soitettu, sovittu käynti. {XSS}")
    page.get_by_role("button", name="Tallenna muistiinpano").click()
    page.get_by_text("Muistiinpano on tallennettu.").wait_for()
    page.get_by_role("button", name="Merkitse käsitellyksi").click()
    page.get_by_text("Tila on päivitetty.").wait_for()
    assert "käsitelty" in page.locator("main").inner_text()
    assert store.get(request.reference).status is Status.DONE  # type: ignore[union-attr]
    screenshot(page, "counsellor-request")

    page.get_by_role("link", name="Palveluhaku").click()
    page.get_by_label("Hakusanat").fill("kriisipuhelin")
    page.get_by_label("Kunta").select_option(label="Kempele")
    page.get_by_role("button", name="Hae").first.click()
    page.wait_for_url("**/counsellor/search?*")
    assert_accessible(page)
    page.get_by_label("Valitse tiedotteeseen: MIELI Kriisipuhelin").check()
    page.get_by_label("Tiedotteen kieli").select_option("sv")
    page.get_by_role("button", name="Tee tiedote").click()
    page.wait_for_url("**/counsellor/handout?*")
    assert "I en nödsituation, ring 112." in page.locator("article").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()  # the print shows the handout only
    screenshot(page, "counsellor-handout-print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "counsellor-handout.pdf"), format="A4")
    page.emulate_media(media="screen")

    page.goto(f"{base}/counsellor/services/mieli-crisis-line")
    assert_accessible(page)
    for size in (PHONE, ZOOM_200):
        page.set_viewport_size(size)
        for name, path in (
            ("search", "/counsellor/search?q=kriisi"),
            ("request", f"/counsellor/requests/{request.reference}"),
        ):
            page.goto(base + path)
            assert no_horizontal_scroll(page), (size, path)
            screenshot(page, f"counsellor-{name}-{size['width']}px")
    assert not outside, f"third-party requests: {outside}"
    assert not console, f"console errors (CSP?): {console}"


# Words and formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", ["ma–pe 8.00–16.00", "la 10.00–14.00", "su suljettu", "arkipyhät suljettu"]),
        ("sv", ["mån–fre 8.00–16.00", "lör 10.00–14.00", "sön stängt", "helgdagar stängt"]),
        ("en", ["Mon–Fri 08:00–16:00", "Sat 10:00–14:00", "Sun closed", "public holidays closed"]),
    ],
)
def test_opening_hours_are_written_out_in_the_handouts_language(
    lang: str, expected: list[str]
) -> None:
    hours = parse_hours("Mo-Fr 08:00-16:00; Sa 10:00-14:00; Su off; PH off")
    assert format_hours(hours, lang) == expected


def test_hours_past_midnight_lists_of_days_and_exceptions() -> None:
    assert format_hours(parse_hours("Mo,We,Fr 18:00-02:00"), "fi") == ["ma, ke, pe 18.00–2.00"]
    assert format_hours(parse_hours("24/7"), "sv") == ["öppet dygnet runt"]
    closed = HoursException(date(2026, 12, 24), date(2026, 12, 24), (), Text("Jouluaatto"))
    summer = HoursException(
        date(2026, 7, 1), date(2026, 7, 31), parse_spans("09:00-14:00", "test"), None
    )
    assert format_exception(closed, "fi") == "24.12.2026: suljettu (Jouluaatto)"
    assert format_exception(summer, "en") == "1 July 2026–31 July 2026: 09:00–14:00"
