"""Feeds read by real clients: feedparser, and newsboat as a second reader."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import frontmatter
import pytest
import yaml
from conftest import REPO, Project, originals

SITE_URL = "https://stories.ogplocal.example/"
LANGUAGES = ("en", "es", "fr", "pt")
"""The demo site's languages, the default first."""
XML_FEEDS = ["feed.xml", "atom.xml", "cases/feed.xml", "roundups/feed.xml"]


def demo_dates() -> dict[str, dt.date]:
    """Story URL → publication date, read straight from the demo files."""
    dates = {}
    for path in originals(REPO / "cases"):
        dates[f"{SITE_URL}cases/{path.stem}/"] = frontmatter.load(path).metadata["date"]
    for index in (REPO / "roundups").glob("*/index.md"):
        month = index.parent.name
        date = frontmatter.load(index).metadata["date"]
        dates[f"{SITE_URL}roundups/{month}/"] = date
        for item in originals(index.parent):
            if item.name != "index.md":
                dates[f"{SITE_URL}roundups/{month}/#{item.stem}"] = date
    return {
        url: d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for url, d in dates.items()
    }


def target(site: Path, url: str) -> Path:
    """The file in site/ an absolute URL of the site names (its anchor checked too)."""
    assert url.startswith(SITE_URL), url
    path, _, anchor = url[len(SITE_URL) :].partition("#")
    file = site / path / "index.html" if path.endswith("/") or not path else site / path
    assert file.is_file(), url
    if anchor:
        assert f'id="{anchor}"' in file.read_text("utf-8"), url
    return file


def all_feeds(site: Path) -> list[str]:
    area_feeds = sorted(
        p.relative_to(site).as_posix() for p in (site / "challenges").glob("*/feed.xml")
    )
    assert len(area_feeds) == 10
    return XML_FEEDS + area_feeds


def test_every_feed_parses_cleanly_with_valid_links(demo_site: Path):
    dates = demo_dates()
    for name in all_feeds(demo_site):
        parsed = feedparser.parse((demo_site / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.feed.link
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [SITE_URL + name], name
        target(demo_site, parsed.feed.link)
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)), name
        published = [calendar.timegm(e.published_parsed) for e in parsed.entries]
        assert published == sorted(published, reverse=True), name
        for entry in parsed.entries:
            target(demo_site, entry.link)
            assert entry.id == entry.link
            day = dt.datetime.fromtimestamp(calendar.timegm(entry.published_parsed), dt.UTC)
            assert day.date() == dates[entry.link], entry.link
            for enclosure in entry.get("enclosures", []):
                target(demo_site, enclosure.href)
            for href in _hrefs(entry.get("content", [{}])[0].get("value", "")):
                assert urlsplit(href).scheme in ("https", "http", "mailto"), href
                if href.startswith(SITE_URL):
                    target(demo_site, href)


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_main_feeds_hold_every_story_newest_first(demo_site: Path):
    stories = demo_dates()
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((demo_site / name).read_bytes())
        assert sorted(e.link for e in parsed.entries) == sorted(stories)
    cases = feedparser.parse((demo_site / "cases/feed.xml").read_bytes())
    assert len(cases.entries) == 4
    assert cases.entries[0].link.endswith("/cases/monterrey-gender-violence-data/")


def test_area_feeds_carry_their_stories_with_categories(demo_site: Path):
    for path in originals(REPO / "cases"):
        meta = frontmatter.load(path).metadata
        for area in meta["challenges"]:
            parsed = feedparser.parse((demo_site / f"challenges/{area}/feed.xml").read_bytes())
            [entry] = [e for e in parsed.entries if e.link.endswith(f"/cases/{path.stem}/")]
            assert [t.term for t in entry.tags] == [_area_name(a) for a in meta["challenges"]]


def _area_name(slug: str) -> str:
    areas = yaml.safe_load((REPO / "plugins/ogp_local/data/areas.yml").read_text())
    return next(a["name"] for a in areas if a["slug"] == slug)


def test_atom_categories_are_slugs_with_labels(demo_site: Path):
    parsed = feedparser.parse((demo_site / "atom.xml").read_bytes())
    madrid = next(e for e in parsed.entries if "madrid" in e.link)
    assert [(t.term, t.label) for t in madrid.tags] == [
        ("anti-corruption", "Anti-Corruption"),
        ("access-to-information", "Access to Information"),
    ]


def test_json_feed_has_every_required_field(demo_site: Path):
    data = json.loads((demo_site / "feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert data["feed_url"] == SITE_URL + "feed.json"
    assert data["home_page_url"] == SITE_URL
    assert isinstance(data["items"], list) and len(data["items"]) == len(demo_dates())
    ids = [item["id"] for item in data["items"]]
    assert len(set(ids)) == len(ids)
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        target(demo_site, item["url"])
        dt.datetime.fromisoformat(item["date_published"])
        dt.datetime.fromisoformat(item["date_modified"])
        assert isinstance(item["tags"], list)
    stamps = [dt.datetime.fromisoformat(i["date_published"]) for i in data["items"]]
    assert stamps == sorted(stamps, reverse=True)


def test_every_page_links_the_feeds(demo_site: Path):
    for path in demo_site.rglob("index.html"):
        html = path.read_text("utf-8")
        parts = path.parent.relative_to(demo_site).parts
        if parts[:1] == ("admin",):
            continue  # the browser editor, not a reader's page
        # A page of another language's site links that site's feeds (/es/feed.xml).
        other = bool(parts) and parts[0] in LANGUAGES[1:]
        depth = len(parts) - (1 if other else 0)
        up = "../" * depth
        title = '[^"]*' if other else 'All stories[^"]*'  # in the page's language
        for mime, name in (
            ("application/rss+xml", "feed.xml"),
            ("application/atom+xml", "atom.xml"),
            ("application/feed+json", "feed.json"),
        ):
            pattern = (
                rf'<link rel="alternate" type="{re.escape(mime)}" title="{title}" '
                rf'href="{up}{name}">'
            )
            assert re.search(pattern, html), (path, name)
    area = (demo_site / "challenges/justice/index.html").read_text("utf-8")
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Justice (RSS)" href="feed.xml">'
    ) in area
    assert 'href="feed.xml">Subscribe to Justice (RSS)</a>' in area


def test_subscribe_page_lists_every_feed(demo_site: Path):
    html = (demo_site / "subscribe/index.html").read_text("utf-8")
    for name in all_feeds(demo_site) + ["feed.json"]:
        assert f'href="../{name}"' in html, name
    # The visible way there: the navigation of every page.
    assert 'href="subscribe/"' in (demo_site / "index.html").read_text("utf-8")
    assert 'href="../../subscribe/"' in (
        demo_site / "cases/madrid-lobby-registry/index.html"
    ).read_text("utf-8")


SPECIAL = 'Tom & Jerry\'s "<Plan>" for São Paulo 🎉 a<b'


def test_special_title_round_trips_through_all_formats(project: Project):
    project.case("special", title=SPECIAL, summary=f"About {SPECIAL}")
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        assert parsed.bozo == 0
        assert parsed.entries[0].title == SPECIAL, name
    data = json.loads((site / "feed.json").read_text("utf-8"))
    assert data["items"][0]["title"] == SPECIAL
    assert data["items"][0]["summary"] == f"About {SPECIAL}"


def test_a_story_in_its_own_language_says_so_in_feeds_and_pages(project: Project):
    project.case("tangier", title="طنجة تفتح بياناتها", member="طنجة", country="Morocco", lang="ar")
    project.roundup("2023-11", {"kyiv": {"title": "Київ", "lang": "uk"}, "plain": {}})
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert atom.bozo == 0
    languages = {e.link.partition("/stories/")[2]: e.title_detail.language for e in atom.entries}
    assert languages["cases/tangier/"] == "ar"
    assert languages["roundups/2023-11/#kyiv"] == "uk"
    assert languages["roundups/2023-11/#plain"] == "en"  # the feed's own
    items = {
        i["id"].partition("/stories/")[2]: i
        for i in json.loads((site / "feed.json").read_text())["items"]
    }
    assert items["cases/tangier/"]["language"] == "ar"
    assert "language" not in items["roundups/2023-11/#plain"]
    assert '<article class="ogp-story" lang="ar" dir="rtl"' in project.html("cases/tangier")
    month = project.html("roundups/2023-11")
    assert 'aria-labelledby="kyiv" lang="uk" dir="ltr"' in month
    assert 'aria-labelledby="plain">' in month


def test_editing_a_title_keeps_the_entry_id(project: Project):
    project.case("madrid", title="Creation of a lobby registry")
    project.roundup("2023-11", {"item": {"title": "First title"}})
    assert project.build().returncode == 0

    def ids() -> dict[str, str]:
        parsed = feedparser.parse((project.root / "site/feed.xml").read_bytes())
        return {e.id: e.title for e in parsed.entries}

    before = ids()
    project.case("madrid", title="Creation of a Mandatory Lobby Registry", body="Edited text.\n")
    project.roundup("2023-11", {"item": {"title": "Second title"}})
    assert project.build().returncode == 0
    after = ids()
    assert before.keys() == after.keys()
    assert after["https://example.org/stories/cases/madrid/"] == (
        "Creation of a Mandatory Lobby Registry"
    )
    assert after["https://example.org/stories/roundups/2023-11/#item"] == "Second title"


def test_feeds_are_byte_identical_across_builds(project: Project, tmp_path_factory):
    project.case("a")
    project.case("b", date="2023-10-01", challenges=["justice"])
    outs = []
    for n in range(2):
        # Without its card cache, the second build draws every card again, and the
        # feeds' enclosure lengths come from cards drawn anew.
        shutil.rmtree(project.root / ".cache", ignore_errors=True)
        out = tmp_path_factory.mktemp(f"feeds{n}")
        result = project.build("-d", str(out), extra_env={"SOURCE_DATE_EPOCH": "1764547200"})
        assert result.returncode == 0, result.stderr
        line = re.search(r"ogp-local: cards: (\d+) made, (\d+) reused", result.stderr)
        assert line and (int(line[1]), int(line[2])) == (2 * 3, 0), result.stderr
        outs.append(
            {
                p.relative_to(out): p.read_bytes()
                for p in out.rglob("*")
                if p.name in ("feed.xml", "atom.xml", "feed.json")
            }
        )
    assert len(outs[0]) == 15
    assert outs[0] == outs[1]


def test_feed_size_and_formats_come_from_mkdocs_yml(project: Project):
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "      per_page: 20\n", "      per_page: 20\n      feeds: {size: 2, formats: [rss]}\n"
        )
    )
    for n in range(5):
        project.case(f"s{n}", date=f"2023-11-0{n + 1}")
    assert project.build().returncode == 0, "build failed"
    site = project.root / "site"
    assert len(feedparser.parse((site / "feed.xml").read_bytes()).entries) == 2
    assert not (site / "atom.xml").exists() and not (site / "feed.json").exists()


def test_missing_site_url_is_a_clear_error(project: Project):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://example.org/stories/\n", ""))
    project.case("a")
    result = project.build()
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "feeds need the site's address: set `site_url:" in output
    assert "Traceback" not in output


def test_newsboat_reads_every_entry(served_site: str, demo_site: Path, tmp_path: Path):
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        pytest.fail("newsboat not found: install Debian's newsboat (apt-get install newsboat)")
    (tmp_path / "urls").write_text(served_site + "feed.xml\n")
    (tmp_path / "config").write_text("auto-reload no\n")
    cache = tmp_path / "cache.db"
    result = subprocess.run(
        [
            newsboat,
            "-u",
            str(tmp_path / "urls"),
            "-c",
            str(cache),
            "-C",
            str(tmp_path / "config"),
            "-x",
            "reload",
        ],
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT title, url, guid FROM rss_item").fetchall()
    parsed = feedparser.parse((demo_site / "feed.xml").read_bytes())
    assert sorted(rows) == sorted((e.title, e.link, e.id) for e in parsed.entries)
    assert len(rows) == len(demo_dates())


def test_the_card_is_the_enclosure_and_the_hero_image_without_cards(project: Project):
    from images import jpeg

    project.write("cases/img/hall.jpg", jpeg(320, 200))
    project.case("x", image="img/hall.jpg", image_alt="City hall")
    assert project.build().returncode == 0
    site = project.root / "site"
    card = site / "cards/case-x-1200x630.jpg"
    for name in ("feed.xml", "atom.xml"):
        [entry] = feedparser.parse((site / name).read_bytes()).entries
        [enclosure] = entry.enclosures
        assert enclosure.href == "https://example.org/stories/cards/case-x-1200x630.jpg"
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == card.stat().st_size
    item = json.loads((site / "feed.json").read_text())["items"][0]
    assert item["image"] == "https://example.org/stories/cards/case-x-1200x630.jpg"

    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "      per_page: 20\n", "      per_page: 20\n      cards: {enabled: false}\n"
        )
    )
    assert project.build().returncode == 0
    [entry] = feedparser.parse((site / "feed.xml").read_bytes()).entries
    [enclosure] = entry.enclosures
    assert enclosure.href == "https://example.org/stories/cases/img/hall.jpg"
    assert int(enclosure.length) == len(jpeg(320, 200))
