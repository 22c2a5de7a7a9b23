"""The built site in a real browser: Debian's Chromium driven by Playwright.

Every page type is opened on desktop and phone widths with no console error, no
failed request, no request to any host but the local server, and no serious or
critical axe-core finding. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chromium import DESKTOP, PAGES, PHONE, SHOTS, audit
from conftest import REPO, Project, originals, serve


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


def test_phone_navigation_reaches_every_story(visit, demo_site: Path):
    tab = visit("", PHONE)
    page = tab.page

    def go(section: str) -> None:
        page.locator("label.md-header__button[for='__drawer']").click()
        drawer = page.locator("nav.md-nav--primary")
        drawer.get_by_role("link", name=section, exact=True).first.click()

    go("Case studies")
    page.wait_for_url("**/cases/")
    cases = sorted(p.stem for p in originals(REPO / "cases"))
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
    items = sorted(p.stem for p in originals(REPO / "roundups/2023-11") if p.stem != "index")
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
