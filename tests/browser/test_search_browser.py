"""The site's search and story finder in Chromium, and what every page type weighs.

Search runs on the Pagefind index the build writes; these tests type into the real
header box and the real /stories/ page of built sites. Filter counts are checked
against counts made from the Markdown files with python-frontmatter, not against
anything the build says.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import frontmatter
import pytest
from chromium import PAGES, PHONE, SHOTS, audit
from conftest import REPO, Project, originals, serve
from slugify import slugify

ARTIFACTS = REPO / "test-artifacts"
KB = 1024


def results_of(page, selector: str = ".ogp-search__result") -> list[str]:
    page.locator(selector).first.wait_for(timeout=15_000)
    return page.locator(f"{selector} .ogp-search__title").all_inner_texts()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("lobby", "Creation of a Mandatory Lobby Registry"),
        ("paridad", "Bogotá 50/50: Route to Gender Parity in Bogotá"),
        ("parity", "Bogotá 50/50: Route to Gender Parity in Bogotá"),
        ("childhood", "Buenos Aires launches the City of Childhood Index"),
        ("participate", "Ways to participate"),
    ],
)
def test_search_finds_the_story(visit, query, expected):
    tab = visit("cases/madrid-lobby-registry/")
    page = tab.page
    page.locator("#ogp-search-input").fill(query)
    assert expected in results_of(page)
    first = page.locator(".ogp-search__result").first
    assert first.locator("mark").count() >= 1, "the match is highlighted in the excerpt"
    assert audit(page) == [], "search results open"
    tab.check()


def test_a_result_shows_kind_member_country_date_and_areas(visit):
    tab = visit("")
    page = tab.page
    page.locator("#ogp-search-input").fill("lobby")
    results_of(page)
    first = page.locator(".ogp-search__result").first
    assert first.locator(".ogp-search__facts").inner_text() == (
        "Case study · Madrid, Spain · 6 November 2023"
    )
    assert first.locator(".ogp-badge").all_inner_texts() == [
        "Anti-Corruption",
        "Access to Information",
    ]
    assert "Lobby" in first.locator(".ogp-search__excerpt mark").first.inner_text()
    tab.check()


def test_keyboard_only_slash_arrows_enter(visit):
    tab = visit("challenges/")
    page = tab.page
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "ogp-search-input"
    page.keyboard.type("childhood")
    results_of(page)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Buenos Aires launches the City of Childhood Index"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "ogp-search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/roundups/2023-11/#buenos-aires-childhood-index")
    page.keyboard.press("Escape")
    tab.check()


# -- the story finder -------------------------------------------------------------------


def demo_stories() -> list[dict]:
    """Every published story of the demo, read from its files: kind, areas, country,
    members, year, language (a roundup's items take their month's date)."""
    stories = []
    for path in sorted(originals(REPO / "cases")):
        post = frontmatter.load(path)
        if not post.get("draft"):
            stories.append(_facts(post, "case", post["date"].year))
    for index in sorted((REPO / "roundups").glob("*/index.md")):
        month = frontmatter.load(index)
        if month.get("draft"):
            continue
        year = month["date"].year
        stories.append({"kind": "roundup", "year": str(year), "area": [], "country": []})
        stories[-1].update(member=[], lang=month.get("lang", "en"))
        for path in sorted(originals(index.parent)):
            if path.name != "index.md":
                post = frontmatter.load(path)
                if not post.get("draft"):
                    stories.append(_facts(post, post.get("kind", "news"), year))
    return stories


def _facts(post, kind: str, year: int) -> dict:
    members = post["member"] if isinstance(post["member"], list) else [post["member"]]
    return {
        "kind": kind,
        "year": str(year),
        "area": [slugify(a) for a in post.get("challenges", [])],
        "country": [post["country"]],
        "member": [slugify(m) for m in members],
        "lang": post.get("lang", "en"),
    }


def _count(stories: list[dict], wanted: dict[str, str]) -> int:
    def has(story, key, value):
        held = story[key]
        return value in held if isinstance(held, list) else held == value

    return sum(all(has(s, k, v) for k, v in wanted.items()) for s in stories)


def finder_count(page) -> int:
    status = page.locator(".ogp-finder__status")
    status.filter(has_text=re.compile(r"^\d[\d,]* results?$|^No story")).wait_for(timeout=15_000)
    text = status.inner_text()
    return 0 if text.startswith("No story") else int(text.split()[0].replace(",", ""))


def test_each_filter_narrows_as_the_files_say(visit):
    stories = demo_stories()
    wanted: list[dict[str, str]] = []
    for key in ("area", "country", "member", "year", "kind", "lang"):
        held = (s[key] if isinstance(s[key], list) else [s[key]] for s in stories)
        values = Counter(v for values in held for v in values)
        wanted += [{key: value} for value in sorted(values)]
    wanted += [
        {"area": "public-participation", "country": "Brazil"},
        {"area": "access-to-information", "kind": "case"},
        {"country": "Spain", "year": "2023"},
    ]
    tab = visit("stories/")
    page = tab.page
    assert finder_count(page) == len(stories), "no filter: every story"
    seen = []
    for filters in wanted:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        page.goto(f"{tab.base}stories/?{query}", wait_until="networkidle")
        expected = _count(stories, filters)
        assert finder_count(page) == expected, (filters, expected)
        shown = page.locator(".ogp-finder__results .ogp-search__result").count()
        assert shown == min(expected, 20), filters
        for key, value in filters.items():
            assert page.locator(f"#ogp-finder-{key}").input_value() == value
        seen.append(expected)
    narrowed = [n for n in seen if 0 < n < len(stories)]
    assert len(narrowed) > 20, "the demo no longer exercises the filters"
    tab.check()


def test_a_filtered_address_opened_fresh_shows_the_same_results(visit):
    tab = visit("stories/")
    page = tab.page
    page.locator("#ogp-finder-area").select_option("public-participation")
    page.locator("#ogp-finder-country").select_option("Brazil")
    page.wait_for_url("**/stories/?area=public-participation&country=Brazil")
    chosen = results_of(page, ".ogp-finder__results .ogp-search__result")
    assert finder_count(page) == 1
    fresh = visit(page.url.removeprefix(tab.base))
    assert results_of(fresh.page, ".ogp-finder__results .ogp-search__result") == chosen
    assert fresh.page.locator("#ogp-finder-country").input_value() == "Brazil"
    page.locator("#ogp-finder-q").fill("debate")
    page.wait_for_url(re.compile(r".*[?&]q=debate"))
    assert finder_count(page) == 1
    assert audit(page) == [], "finder with results"
    tab.check()
    fresh.check()


def test_the_finder_on_a_phone_is_accessible(visit):
    tab = visit("stories/?kind=news", PHONE)
    page = tab.page
    assert finder_count(page) == 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "finder-390.png", full_page=True)
    assert audit(page) == [], "finder on a phone"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    tab.check()


def test_without_javascript_the_finder_leads_to_the_listings(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "stories/?area=justice")
        assert page.locator(".ogp-finder__form").is_hidden()
        browse = page.locator(".ogp-finder__browse")
        for name in ("Case studies", "Local Roundups", "Challenge areas", "Members"):
            assert browse.get_by_role("link", name=name).is_visible()
        # The header's box still works as a form: it opens the finder with the words.
        page.goto(served_site + "cases/")
        page.locator("#ogp-search-input").fill("lobby")
        page.locator("#ogp-search-input").press("Enter")
        page.wait_for_url("**/stories/?q=lobby")
    finally:
        context.close()


XSS = "<img src=x onerror=window.__xss=1>"


def test_front_matter_text_stays_text_in_results(project: Project, visit):
    """Titles, members and summaries reach the results as text, on a site served
    below the host's root (the index and the links follow the site's base)."""
    project.case(
        "hostile",
        title=f"Lobbying {XSS} & <b>bold</b>",
        member=f"Town {XSS}",
        summary=f"Lobbying rules {XSS}",
        challenges=["anti-corruption"],
    )
    result = project.build("--site-dir", str(project.root / "site" / "stories"))
    assert result.returncode == 0, result.stderr
    for base in serve(project.root / "site"):
        tab = visit("stories/cases/hostile/", base=base)
        page = tab.page
        page.locator("#ogp-search-input").fill("lobbying")
        assert results_of(page) == [f"Lobbying {XSS} & <b>bold</b>"]
        facts = page.locator(".ogp-search__facts").first.inner_text()
        assert f"Town {XSS}" in facts
        assert page.locator(".ogp-search__result img, .ogp-search__result b").count() == 0
        assert page.evaluate("window.__xss") is None
        page.locator(".ogp-search__link").first.click()
        page.wait_for_url(base + "stories/cases/hostile/")
        finder = visit("stories/stories/?area=anti-corruption", base=base)
        assert results_of(finder.page, ".ogp-finder__results .ogp-search__result") == [
            f"Lobbying {XSS} & <b>bold</b>"
        ]
        # Without words a result shows the story's summary, as text.
        summary = finder.page.locator(".ogp-finder__results .ogp-search__excerpt").first
        assert summary.inner_text() == f"Lobbying rules {XSS}"
        assert finder.page.evaluate("window.__xss") is None
        tab.check()
        finder.check()


# -- page weight --------------------------------------------------------------------------

BUDGETS_KB = {
    # What a reader's phone downloads to show the page: HTML, CSS, JS, fonts and the
    # images in the first screen, compressed as a static host serves text (gzip -6).
    # The theme's CSS and our JS are ~31 KB of every page (Material's JS bundle is
    # left out): a listing's budget leaves its HTML ~30 KB; a story page has SPEC's
    # 150 KB, room for its hero photo (see the photo test below).
    "home": 60,
    "cases": 60,
    "case": 150,
    "roundups": 60,
    "roundup": 150,
    "challenges": 60,
    "area": 60,
    "members": 60,
    "member": 60,
    "subscribe": 60,
    "downloads": 100,  # the first cards' thumbnails
    "trends": 60,
    "circles": 60,
    "circle": 60,
    "data": 60,
    "content": 60,
    "stories": 150,  # the finder loads the search engine (Pagefind's JS and WebAssembly)
}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg", "application/xml")


def weigh(browser, url: str) -> dict[str, int]:
    """Bytes on the wire by kind of file, for one load of `url` on a phone, empty cache."""
    bodies: list[tuple[str, str, bytes]] = []

    def finished(request) -> None:
        response = request.response()
        if response is not None and 200 <= response.status < 300:
            bodies.append((request.url, response.headers.get("content-type", ""), response.body()))

    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.on("requestfinished", finished)
        page.goto(url, wait_until="networkidle")
        above = set(
            page.evaluate(
                "[...document.images].filter(i => i.getBoundingClientRect().top < innerHeight"
                " && i.currentSrc).map(i => i.currentSrc)"
            )
        )
    finally:
        context.close()
    # Material fetches sitemap.xml for any link it takes for a language version.
    assert not [a for a, _, _ in bodies if a.endswith("sitemap.xml")], f"{url} loads the sitemap"
    weights: Counter = Counter()
    for address, kind, body in bodies:
        if kind.startswith(TEXT_TYPES):
            weights[_kind(address, kind)] += len(gzip.compress(body, 6, mtime=0))
        elif kind.startswith("image/"):
            if address in above:  # images below the fold are left out (SPEC §7)
                weights["images"] += len(body)
        else:
            weights[_kind(address, kind)] += len(body)
    return dict(weights)


def _kind(url: str, content_type: str) -> str:
    if "javascript" in content_type:
        return "js"
    if "css" in content_type:
        return "css"
    if "html" in content_type:
        return "html"
    if "font" in content_type or url.endswith((".woff2", ".woff", ".ttf")):
        return "fonts"
    return "other"


def test_every_page_type_keeps_its_weight_budget(browser, served_site):
    pages = PAGES
    figures = {}
    over = []
    for name, path in pages.items():
        weights = weigh(browser, served_site + path)
        total = sum(weights.values())
        figures[name] = {"path": path, "total_kb": round(total / KB, 1)} | {
            k: round(v / KB, 1) for k, v in sorted(weights.items())
        }
        if total > BUDGETS_KB[name] * KB:
            over.append(f"{name}: {total / KB:.0f} KB > {BUDGETS_KB[name]} KB {weights}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weight.json").write_text(json.dumps(figures, indent=2) + "\n")
    rows = ["| page | budget KB | total KB | html | css | js | images | other |", "|---" * 8 + "|"]
    for name, f in figures.items():
        rows.append(
            f"| {name} | {BUDGETS_KB[name]} | {f['total_kb']} | {f.get('html', 0)} | "
            f"{f.get('css', 0)} | {f.get('js', 0)} | {f.get('images', 0)} | {f.get('other', 0)} |"
        )
    (ARTIFACTS / "page-weight.md").write_text("\n".join(rows) + "\n")
    assert not over, over
    assert figures["case"]["total_kb"] <= 150, "SPEC §7: a story page transfers at most 150 KB"


def test_a_story_with_a_phone_photo_keeps_the_story_budget(browser, project: Project):
    """A 12-megapixel phone photo as the hero: a phone gets a small variant, and the
    whole page stays under SPEC's 150 KB."""
    from images import phone_photo

    project.write("cases/hall.jpg", phone_photo())
    project.case(
        "hall",
        image="hall.jpg",
        image_alt="Residents at the town hall",
        challenges=["public-participation"],
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    for base in serve(project.root / "site"):
        weights = weigh(browser, base + "cases/hall/")
    assert weights.get("images", 0) > 0, f"the hero was not counted: {weights}"
    assert sum(weights.values()) <= 150 * KB, weights
