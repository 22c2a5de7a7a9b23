"""The built site in a real browser: Debian's Chromium driven by Playwright.

Every page type is opened on desktop and phone widths with no console error, no
failed request, no request to any host but the local server, and no serious or
critical axe-core finding. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, Project, serve

SHOTS = REPO / "test-artifacts" / "screenshots"
PAGES = {
    "home": "",
    "cases": "cases/",
    "case": "cases/madrid-lobby-registry/",
    "roundups": "roundups/",
    "roundup": "roundups/2023-11/",
    "challenges": "challenges/",
    "area": "challenges/public-participation/",
    "members": "members/",
    "member": "members/sao-paulo/",
    "subscribe": "subscribe/",
    "downloads": "cards/",
    "trends": "trends/",
    "circles": "circles/",
    "circle": "circles/inclusion/",
    "data": "data/",
    "content": "action-plan/",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Visit:
    """A browser tab that records what went wrong while it was open."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.outside == [], f"requests to other hosts: {self.outside}"
        assert self.errors == [], self.errors


def failed(tab: Visit, request) -> None:
    """Record a request that failed, unless the tab's own navigation cut it short.

    Going back while a page still fetches its logo aborts that fetch
    (`net::ERR_ABORTED`): the reader never misses it, the next page loads it again.
    A missing file is a 404 response, recorded apart; a refused connection is not
    an abort.
    """
    if request.failure != "net::ERR_ABORTED":
        tab.errors.append(f"failed: {request.url} ({request.failure})")


@pytest.fixture
def visit(browser, served_site):
    contexts = []

    def open_(url: str = "", viewport: dict = DESKTOP, base: str = served_site) -> Visit:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(30_000)  # a loaded CI machine is slow
        contexts.append(context)
        page = context.new_page()
        tab = Visit(page, base)
        local = urlsplit(base).netloc

        def route(route):
            if urlsplit(route.request.url).netloc == local:
                route.continue_()
            else:
                tab.outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and tab.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: tab.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: failed(tab, r))
        page.on("response", lambda r: r.status >= 400 and tab.errors.append(f"{r.status}: {r.url}"))
        page.goto(base + url, wait_until="networkidle")
        return tab

    yield open_
    for context in contexts:
        context.close()


SETTLED = """() => Promise.allSettled(document.getAnimations()
    .filter(a => a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished)).then(() => true)"""


def audit(page) -> list[str]:
    """The page's serious and critical axe-core findings, once it is at rest.

    Material fades its tabs and search overlay in and out; a contrast check taken
    mid-transition measures a colour no reader sees at rest (and fails at random).
    """
    page.evaluate(SETTLED)
    return serious(Axe().run(page))


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]} {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", PAGES)
def test_page_type_is_clean_accessible_and_local(visit, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (DESKTOP, PHONE):
        tab = visit(PAGES[name], viewport)
        tab.page.screenshot(path=SHOTS / f"{name}-{viewport['width']}.png", full_page=True)
        assert audit(tab.page) == [], (name, viewport["width"])
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} scrolls sideways at {viewport['width']}px"
        unsized = tab.page.evaluate(
            "[...document.images].filter(i => !i.getAttribute('width') ||"
            " !i.getAttribute('height')).map(i => i.getAttribute('src'))"
        )
        assert unsized == [], f"{name}: images without width and height: {unsized}"
        tab.check()


def test_home_to_area_to_story_and_back(visit):
    tab = visit("")
    page = tab.page
    page.locator(".ogp-areas").get_by_role("link", name=re.compile("^Anti-Corruption")).click()
    page.wait_for_url("**/challenges/anti-corruption/")
    page.get_by_role("link", name="Creation of a Mandatory Lobby Registry").click()
    page.wait_for_url("**/cases/madrid-lobby-registry/")
    assert page.locator("h1").inner_text() == "Creation of a Mandatory Lobby Registry"
    assert page.locator(".ogp-impact__value").first.inner_text() == "600+"
    page.go_back()
    page.wait_for_url("**/challenges/anti-corruption/")
    assert page.locator("h1").inner_text() == "Anti-Corruption"
    tab.check()


def test_roundup_jumps_to_an_item_anchor(visit):
    tab = visit("roundups/2023-11/")
    page = tab.page
    page.locator(".md-sidebar--secondary").get_by_role(
        "link", name="Valencia's action plan wins the Spanish Digital Information award"
    ).click()
    page.wait_for_url("**/roundups/2023-11/#valencia-digital-award")
    heading = page.locator("#valencia-digital-award")
    assert heading.is_visible()
    # The page scrolled to bring the item, near its end, into view.
    box = heading.bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], box
    tab.check()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("lobby", "Creation of a Mandatory Lobby Registry"),
        ("paridad", "Bogotá 50/50"),
        ("parity", "Bogotá 50/50"),
        ("childhood", "Buenos Aires launches the City of Childhood Index"),
    ],
)
def test_search_finds_the_story(visit, query, expected):
    tab = visit("")
    page = tab.page
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)  # Material listens to key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert expected in page.locator(".md-search-result").inner_text()
    assert audit(page) == [], "search results"
    tab.check()


def test_phone_navigation_reaches_every_story(visit, demo_site: Path):
    tab = visit("", PHONE)
    page = tab.page

    def go(section: str) -> None:
        page.locator("label.md-header__button[for='__drawer']").click()
        drawer = page.locator("nav.md-nav--primary")
        drawer.get_by_role("link", name=section, exact=True).first.click()

    go("Case studies")
    page.wait_for_url("**/cases/")
    cases = sorted(p.stem for p in (REPO / "cases").glob("*.md"))
    links = page.locator(".ogp-card__title a")
    assert links.count() == len(cases)
    for n in range(links.count()):
        assert links.nth(n).is_visible()
    links.first.click()
    page.wait_for_url("**/cases/*/")
    go("Roundups")
    page.wait_for_url("**/roundups/")
    page.get_by_role("link", name="Local Roundup — November 2023").click()
    page.wait_for_url("**/roundups/2023-11/")
    items = sorted(p.stem for p in (REPO / "roundups/2023-11").glob("*.md") if p.stem != "index")
    for slug in items:
        assert page.locator(f"#{slug}").is_visible()
    tab.check()


def test_area_next_page_works(browser, tmp_path, visit):
    project = Project(tmp_path)
    from conftest import MKDOCS_YML

    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(theme=REPO / "theme", per_page=20))
    project.write("content/index.md", "# Home\n")
    for n in range(45):
        project.case(
            f"story-{n:02d}",
            title=f"Story {n:02d}",
            date=f"2023-{1 + n // 28:02d}-{1 + n % 28:02d}",
            challenges=["justice"],
        )
    result = project.build("--site-dir", str(tmp_path / "site" / "stories"))
    assert result.returncode == 0, result.stderr
    for base in serve(tmp_path / "site"):
        tab = visit("stories/challenges/justice/", base=base)
        page = tab.page
        assert page.locator(".ogp-card").count() == 20
        page.get_by_role("link", name="Older →").click()
        page.wait_for_url("**/challenges/justice/page/2/")
        assert page.locator(".ogp-card").count() == 20
        assert page.locator(".ogp-card__title a").first.inner_text() == "Story 24"
        page.get_by_role("link", name="Older →").click()
        page.wait_for_url("**/page/3/")
        assert page.locator(".ogp-card").count() == 5
        page.get_by_role("link", name="← Newer").click()
        page.wait_for_url("**/page/2/")
        tab.check()


def test_a_video_loads_nothing_until_clicked_and_kinds_filter(browser, tmp_path, visit):
    project = Project(tmp_path)
    from conftest import MKDOCS_YML

    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(theme=REPO / "theme", per_page=20))
    project.write("content/index.md", "# Home\n")
    project.roundup(
        "2023-11",
        {
            "a-news": {"title": "A news item"},
            "b-video": {
                "title": "A video item",
                "kind": "video",
                "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            },
            "c-face": {"title": "A face", "kind": "face"},
        },
    )
    result = project.build("--site-dir", str(tmp_path / "site" / "stories"))
    assert result.returncode == 0, result.stderr
    for base in serve(tmp_path / "site"):
        tab = visit("stories/roundups/2023-11/", base=base)
        page = tab.page
        assert tab.outside == []
        assert page.locator("iframe").count() == 0
        assert audit(page) == []
        filter_ = page.locator("[data-ogp-filter]")
        filter_.get_by_role("button", name="Video").click()
        assert page.locator("#a-news").is_hidden() and page.locator("#b-video").is_visible()
        filter_.get_by_role("button", name="All").click()
        assert page.locator("#a-news").is_visible()
        page.get_by_role("button", name="Play the video: A video item").click()
        page.locator("iframe.ogp-video__frame").wait_for()
        page.wait_for_timeout(500)
        assert any("youtube-nocookie.com/embed/dQw4w9WgXcQ" in u for u in tab.outside)
