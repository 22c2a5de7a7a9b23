"""Browser helpers for the tests: a tab that records what went wrong while it was
open (console errors, failed requests, requests to other hosts), and axe-core.

The `visit` fixture is made available to every test file by conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO

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
    "stories": "stories/",
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
