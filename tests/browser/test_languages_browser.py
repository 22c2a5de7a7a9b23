"""The site in Spanish and in Arabic, in real Chromium: the Spanish search finds
Spanish words (and stems) and only Spanish pages; every page type stays clean,
accessible and usable on a phone in Spanish and right to left in Arabic."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import frontmatter
import pytest
from chromium import DESKTOP, PAGES, PHONE, SHOTS, audit
from conftest import REPO, run_ogp, serve

BOGOTA_ES = frontmatter.load(REPO / "cases/bogota-gender-parity.es.md")["title"]


def results(page) -> list[tuple[str, str]]:
    """(title, path) of each result in the header's dropdown."""
    page.locator(".ogp-search__result").first.wait_for(timeout=15_000)
    found = page.locator(".ogp-search__result").evaluate_all(
        """items => items.map(item => [
            item.querySelector('.ogp-search__title').innerText,
            new URL(item.querySelector('a').href).pathname])"""
    )
    return [tuple(pair) for pair in found]


@pytest.mark.parametrize("query", ["escaños", "escaño"])  # the word, and its stem
def test_spanish_search_finds_the_spanish_story_and_only_spanish_pages(visit, query):
    english = (REPO / "cases/bogota-gender-parity.md").read_text("utf-8")
    assert "escaño" not in english.casefold()  # a word only the Spanish version has
    tab = visit("es/cases/madrid-lobby-registry/")
    page = tab.page
    page.locator("#ogp-search-input").fill(query)
    found = results(page)
    assert (BOGOTA_ES, "/es/cases/bogota-gender-parity/") in found
    assert all(path.startswith("/es/") for _, path in found), found
    assert audit(page) == []
    tab.check()


def test_the_english_search_knows_only_english_pages(visit):
    tab = visit("cases/madrid-lobby-registry/")
    page = tab.page
    page.locator("#ogp-search-input").fill("escaños")
    status = page.locator(".ogp-search__status")
    status.filter(has_text=re.compile("No result")).wait_for(timeout=15_000)
    page.locator("#ogp-search-input").fill("parity")
    found = results(page)
    assert found and all(not path.startswith(("/es/", "/fr/", "/pt/")) for _, path in found)
    tab.check()


@pytest.fixture(scope="session")
def arabic_site(tmp_path_factory):
    """The demo content with Arabic among the site's languages, built and served."""
    root = tmp_path_factory.mktemp("arabic")
    for name in ("cases", "roundups", "content"):
        shutil.copytree(REPO / name, root / name)
    (root / "theme").symlink_to(REPO / "theme")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "languages: [en, es, fr, pt]" in config
    (root / "mkdocs.yml").write_text(config.replace("[en, es, fr, pt]", "[en, es, ar]"), "utf-8")
    result = run_ogp(root, "build", "--strict", timeout=600)
    assert result.returncode == 0, result.stderr
    yield from serve(root / "site")


def _clean(visit, url: str, base: str | None, shot: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (DESKTOP, PHONE):
        tab = visit(url, viewport) if base is None else visit(url, viewport, base=base)
        tab.page.screenshot(path=SHOTS / f"{shot}-{viewport['width']}.png", full_page=True)
        assert audit(tab.page) == [], (url, viewport["width"])
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{url} scrolls sideways at {viewport['width']}px"
        tab.check()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_in_spanish_is_clean_and_accessible(visit, name):
    _clean(visit, "es/" + PAGES[name], None, f"es-{name}")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_in_arabic_is_right_to_left_clean_and_accessible(visit, arabic_site, name):
    _clean(visit, "ar/" + PAGES[name], arabic_site, f"ar-{name}")
    tab = visit("ar/" + PAGES[name], PHONE, base=arabic_site)
    assert tab.page.evaluate("document.documentElement.lang") == "ar"
    assert tab.page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def test_the_switcher_leads_to_the_same_page_in_another_language(visit):
    tab = visit("cases/bogota-gender-parity/", PHONE)
    page = tab.page
    page.locator(".ogp-languages summary").click()
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/cases/bogota-gender-parity/")
    assert page.locator("h1").first.inner_text().strip() == BOGOTA_ES
    assert page.evaluate("document.documentElement.lang") == "es"
    assert urlsplit(page.url).path.endswith("/es/cases/bogota-gender-parity/")
    tab.check()


def test_an_untranslated_story_on_the_spanish_site_says_so(visit):
    tab = visit("es/cases/madrid-lobby-registry/")
    page = tab.page
    article = page.locator("article.ogp-story")
    assert article.get_attribute("lang") == "en"
    assert page.locator(".ogp-untranslated").count() >= 1
    listing = visit("es/cases/").page
    card = listing.locator(".ogp-card", has_text="Creation of a Mandatory Lobby Registry")
    assert card.locator(".ogp-lang-label").inner_text().strip()
    tab.check()
