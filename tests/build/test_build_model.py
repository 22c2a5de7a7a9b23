"""The core, in process and in milliseconds: settings, reading, catalog, page plan,
feed entries and the whole build model — no MkDocs. The slower `mkdocs build` tests
prove the wiring; these prove the behaviour."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from conftest import REPO, Project
from ogp_local.build import render_stage
from ogp_local.build.settings import Settings, SettingsError, Site
from ogp_local.build.site_build import SiteBuild
from ogp_local.content import library
from ogp_local.content.areas import Areas
from ogp_local.outputs.feeds import formats
from ogp_local.site import feedlist
from ogp_local.site.catalog import Catalog
from ogp_local.site.pages import plan

AREAS = Areas.load()
THEME_DIRS = [str(REPO / "theme"), str(REPO / ".venv/lib")]  # only partials/ogp is used


def write_case(root: Path, slug: str, **fields) -> None:
    Project(root).case(slug, body=f"Body of {slug}.\n", **fields)


def write_month(root: Path, month: str, items: dict[str, dict]) -> None:
    Project(root).roundup(month, items)


def catalog_of(root: Path) -> Catalog:
    found, problems = library.load(root, AREAS)
    assert not problems.errors, problems.errors
    return Catalog.build(found, AREAS)


# -- settings ------------------------------------------------------------------------------


def site(tmp_path: Path, **changes) -> Site:
    values = {"site_url": "https://example.org/", "custom_dir": str(REPO / "theme")}
    return Site(root=tmp_path, **{**values, **changes})


def test_settings_have_every_default_in_one_place(tmp_path: Path):
    settings = Settings.read({}, site(tmp_path))
    assert settings.per_page == 20 and settings.feeds.size == 50
    assert settings.cards.sizes == ("1200x630", "1080x1080", "1080x1920")
    assert settings.fonts_path() == REPO / "theme" / "cards" / "fonts"
    assert settings.cards.colour == "#12355B"


def test_settings_are_checked_up_front_with_every_message_at_once(tmp_path: Path):
    options = {
        "per_pgae": 10,
        "cards": {"colour": "red", "sizes": ["1080x1080"]},
        "feeds": {"formats": ["rss", "atmo"], "size": 0},
    }
    with pytest.raises(SettingsError) as raised:
        Settings.read(options, site(tmp_path))
    messages = raised.value.messages
    assert "ogp-local: unknown setting `per_pgae` (did you mean 'per_page'?)" in messages
    with pytest.raises(SettingsError) as raised:
        Settings.read({k: v for k, v in options.items() if k != "per_pgae"}, site(tmp_path))
    text = "\n".join(raised.value.messages)
    assert "`cards.colour`: 'red' is not a colour: write it as #RRGGBB" in text
    assert "`cards.sizes` must include 1200x630" in text
    assert "`feeds.formats`: unknown value 'atmo' (did you mean 'atom'?)" in text
    assert "`feeds.size` must be at least 1, not 0" in text


def test_a_light_card_colour_is_refused_for_its_contrast(tmp_path: Path):
    with pytest.raises(SettingsError, match=r"#FFCC00 gives white text a contrast of 1\.\d:1"):
        Settings.read({"cards": {"colour": "#FFCC00"}}, site(tmp_path))


def test_feeds_and_cards_need_the_site_address(tmp_path: Path):
    with pytest.raises(SettingsError, match="feeds need the site's address"):
        Settings.read({"cards": {"enabled": False}}, site(tmp_path, site_url=None))
    with pytest.raises(SettingsError, match="the newsletter needs the site's address"):
        Settings.read(
            {"cards": {"enabled": False}, "feeds": {"enabled": False}},
            site(tmp_path, site_url=None),
        )
    off = {key: {"enabled": False} for key in ("cards", "feeds", "newsletter")}
    assert Settings.read(off, site(tmp_path, site_url=None)).feeds.enabled is False


# -- catalog -------------------------------------------------------------------------------


def test_the_catalog_lists_newest_first_by_area_and_by_member(tmp_path: Path):
    write_case(tmp_path, "old", date="2022-01-10", member="Córdoba", country="Spain")
    write_case(tmp_path, "new", date="2024-05-02", member="Córdoba", country="Argentina")
    write_case(tmp_path, "mid", date="2023-03-03", challenges=["justice", "anti-corruption"])
    write_month(tmp_path, "2023-11", {"b": {"order": 1}, "a": {"order": 2}})
    catalog = catalog_of(tmp_path)
    assert [s.path for s in catalog.stories] == [
        "cases/new.md",
        "roundups/2023-11/index.md",
        "roundups/2023-11/b.md",
        "roundups/2023-11/a.md",
        "cases/mid.md",
        "cases/old.md",
    ]
    assert [s.slug for s in catalog.by_area["anti-corruption"]] == ["new", "mid", "old"]
    assert [s.slug for s in catalog.by_area["justice"]] == ["mid"]
    # The same name in two countries: two pages, the country in each address.
    slugs = {(m.name, m.country): m.slug for m in catalog.members}
    assert slugs[("Córdoba", "Spain")] == "cordoba-spain"
    assert slugs[("Córdoba", "Argentina")] == "cordoba-argentina"
    assert slugs[("Madrid", "Spain")] == "madrid"


def test_two_spellings_of_one_member_are_one_page_that_keeps_every_story(tmp_path: Path):
    write_case(tmp_path, "a", member="São Paulo", country="Brazil")
    write_case(tmp_path, "b", member="Sao Paulo", country="Brazil")
    write_case(tmp_path, "c", member="São Paulo", country="Brazil")
    catalog = catalog_of(tmp_path)
    pages = [m for m in catalog.members if m.country == "Brazil"]
    assert [(m.slug, m.name) for m in pages] == [("sao-paulo", "São Paulo")]
    assert sorted(s.slug for s in pages[0].stories) == ["a", "b", "c"]


# -- page plan -----------------------------------------------------------------------------


def test_the_page_plan_paginates_listings_and_links_their_neighbours(tmp_path: Path):
    for n in range(5):
        write_case(tmp_path, f"case-{n}", date=f"2023-0{n + 1}-01")
    planned = {p.src_uri: p for p in plan(catalog_of(tmp_path), per_page=2)}
    assert {"cases/index.md", "cases/page/2.md", "cases/page/3.md"} <= set(planned)
    assert "cases/page/4.md" not in planned
    first, second = planned["cases/index.md"], planned["cases/page/2.md"]
    assert [s.slug for s in first.context["stories"]] == ["case-4", "case-3"]
    assert first.next_uri == "cases/page/2.md" and first.prev_uri is None
    assert second.prev_uri == "cases/index.md" and second.next_uri == "cases/page/3.md"
    assert planned["cases/case-0.md"].story.slug == "case-0"
    assert planned["cases/case-0.md"].meta()["hide"] == ["navigation"]
    assert "search" not in planned["cases/index.md"].meta()  # only when generated


# -- feed entries --------------------------------------------------------------------------


def test_a_feed_entry_is_absolute_stable_and_text_where_it_should_be(tmp_path: Path):
    write_month(tmp_path, "2023-11", {"kyiv": {"title": "Kyiv & <Lviv>", "summary": "A <b>"}})
    catalog = catalog_of(tmp_path)
    item = catalog.items[0]
    channel = formats.Channel("Stories", "https://example.org/s/", "All", "en")
    entry = formats.entry(item, channel, '<p><a href="../x/">x</a> <img src="p.png"></p>', None)
    assert entry.id == entry.url == "https://example.org/s/roundups/2023-11/#kyiv"
    assert 'href="https://example.org/s/roundups/x/"' in entry.content_html
    assert 'src="https://example.org/s/roundups/2023-11/p.png"' in entry.content_html
    assert entry.published == dt.datetime(2023, 11, 28, tzinfo=dt.UTC)
    assert entry.categories == (("public-participation", "Public Participation"),)
    feed = next(f for f in feedlist.plan(catalog, ["rss"], 10) if f.path == "feed.xml")
    parsed = feedparser.parse(formats.render(feed, [entry], channel))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Kyiv & <Lviv>"
    assert "<b>" not in parsed.entries[0].summary


# -- the build model, without MkDocs -----------------------------------------------------


def test_the_build_model_reads_plans_and_renders_without_mkdocs(tmp_path: Path):
    write_case(tmp_path, "madrid", title="Lobby <registry>")
    write_month(tmp_path, "2023-11", {"kyiv": {}})
    options = {"cards": {"enabled": False}, "circles": False}
    build = SiteBuild(Settings.read(options, site(tmp_path)))
    assert not build.read().errors
    build.plan([str(REPO / "theme")])
    assert {"index.md", "cases/madrid.md", "roundups/2023-11/index.md"} <= set(build.pages)
    html = render_stage.content_of(build, "cases/madrid.md", "cases/madrid/", "", "<p>Body.</p>")
    assert "Lobby &lt;registry&gt;" in html and "<p>Body.</p>" in html
    assert build.resolve("roundups/2023-11/kyiv.md") == ("roundups/2023-11/index.md", "#kyiv")
    head = render_stage.page_context(build, "cases/madrid.md", "cases/madrid/")["ogp_head"]
    assert 'rel="alternate" type="application/rss+xml"' in head
    said = build.write(tmp_path / "site")
    assert said[0] == "wrote 15 feeds"
    assert said[1].startswith("newsletter: 1 edition in ")
    assert (tmp_path / "site" / "roundups" / "2023-11" / "email.html").is_file()
    assert feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes()).bozo == 0
    assert (tmp_path / "site" / "data" / "stories.json").is_file()


def test_the_build_model_reports_what_check_reports(tmp_path: Path):
    write_case(tmp_path, "bad", challenges=["anti-corruptoin"], date="2023-13-01")
    build = SiteBuild(Settings.read({"cards": {"enabled": False}}, site(tmp_path)))
    errors = [str(p) for p in build.read().errors]
    assert errors == [
        "cases/bad.md:5: date: '2023-13-01' is not a date: month must be in 1..12 "
        "(expected YYYY-MM-DD)",
        "cases/bad.md:8: challenges: unknown area 'anti-corruptoin' "
        "(did you mean 'anti-corruption'?)",
    ]


# -- the core knows nothing of MkDocs ------------------------------------------------------

DOOR = "mkdocs"
"""The folder of the package that talks to MkDocs; bench/ runs it to measure it. The
import contracts (`make lint`) say the same of the imports written; this test says it
of what importing every other module loads, lazy imports and all."""


def core_modules() -> list[str]:
    package = REPO / "plugins" / "ogp_local"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[0] in ("bench", DOOR) or parts == ("__main__",):
            continue
        names.append(".".join(("ogp_local", *parts)).removesuffix(".__init__"))
    return names


def test_no_module_outside_the_mkdocs_folder_loads_mkdocs():
    modules = core_modules()
    assert "ogp_local.build.site_build" in modules
    assert "ogp_local.outputs.cards.pipeline" in modules and "ogp_local.cli.build" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_jfif_hero_is_a_jpeg_in_the_feeds_when_cards_are_off(tmp_path: Path):
    from PIL import Image

    (tmp_path / "cases").mkdir()
    Image.new("RGB", (64, 48), "#12355B").save(tmp_path / "cases" / "hero.jfif", "JPEG")
    write_case(tmp_path, "madrid", image="hero.jfif", image_alt="The city hall")
    build = SiteBuild(Settings.read({"cards": {"enabled": False}}, site(tmp_path)))
    assert not build.read().errors
    build.plan([str(REPO / "theme")])
    build.write(tmp_path / "site")  # raised KeyError: 'jfif' before
    entry = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes()).entries[0]
    assert entry.enclosures[0].type == "image/jpeg"
    assert entry.enclosures[0].href == "https://example.org/cases/hero.jfif"
