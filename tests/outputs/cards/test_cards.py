"""Social cards: decoded by Pillow, laid out inside the safe area, readable, cached."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path

import pytest
from conftest import REPO, Project
from images import jpeg
from ogp_local.outputs.cards import draw
from ogp_local.outputs.cards.fonts import FontChain
from ogp_local.outputs.cards.layout import DESIGNS, Content, lay_out
from ogp_local.outputs.cards.social import POST_LIMIT
from PIL import Image

FONTS = REPO / "theme/cards/fonts"
SITE_URL = "https://stories.ogplocal.example/"
SCRIPTS = {
    "latin": "Bogotá, São Paulo and Tübingen open their budgets",
    "cyrillic": "Київ відкриває дані про бюджет",
    "greek": "Η Αθήνα ανοίγει τα δεδομένα",
    "armenian": "Վանաձոր բացում է տվյալները",
    "georgian": "თბილისი ხსნის მონაცემებს",
    "arabic": "طنجة تطلق بوابة البيانات المفتوحة",
}


@pytest.fixture(scope="module")
def chain() -> FontChain:
    return FontChain(FONTS)


def content(title: str, **extra) -> Content:
    values = dict(
        kind="Case study",
        title=title,
        place="Madrid, Spain",
        areas=(("Anti-Corruption", "#37474F"), ("Access to Information", "#1F5FA8")),
        colour="#37474F",
        site_name="OGP Local Stories",
        site_host="stories.ogplocal.example",
        impact=("600+", "lobbies registered, up from zero"),
    )
    values.update(extra)
    return Content(**values)


def luminance(rgb) -> float:
    def lin(v):
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def test_every_demo_card_decodes_at_its_size_under_1_mb(demo_site: Path):
    cards = sorted((demo_site / "cards").glob("*.png")) + sorted(
        (demo_site / "cards").glob("*.jpg")
    )
    stories = 4 + 1 + 3
    translations = 2 + 1 + 3  # Spanish: two case studies, November's roundup and items
    assert len(cards) == (stories + translations) * 3
    for path in cards:
        width, height = map(int, re.search(r"-(\d+)x(\d+)\.", path.name).groups())
        assert path.stat().st_size < 1_000_000, path.name
        with Image.open(path) as image:
            image.load()
            assert image.size == (width, height), path.name
            assert image.format == ("PNG" if path.suffix == ".png" else "JPEG")


@pytest.mark.parametrize("size", DESIGNS)
def test_a_200_character_title_stays_inside_the_safe_area(chain, size):
    title = (
        "Participatory budgeting reaches every district as the city council and "
        "civil society co-create a new open data portal for public spending, "
        "procurement and the results of every commitment in the action plan"
    )[:200]
    assert len(title) == 200
    layout = lay_out(content(title), size, chain)
    safe = layout.design.safe
    assert safe.x0 > 0 and safe.y0 > 0 and safe.x1 < layout.design.width
    outside = [box for box in layout.boxes() if not safe.contains(box)]
    assert outside == []
    assert layout.title.size >= layout.design.title.min_size
    shown = shown_words(layout.title)
    words = title.split()
    if not layout.title.truncated:
        assert shown == words
        return
    # Shrunk to the floor first, then cut: the words in order, the last one ending in "…".
    assert layout.title.size == layout.design.title.min_size
    assert shown[-1].endswith("…") and "…" not in "".join(shown[:-1])
    *whole, last = shown
    assert whole == words[: len(whole)]
    assert len(shown) <= len(words) and words[len(whole)].startswith(last.removesuffix("…"))


def shown_words(block) -> list[str]:
    """The words of a laid-out block, line by line (runs on one baseline form a line)."""
    lines: dict[float, str] = {}
    for run in block.runs:
        lines[run.baseline] = lines.get(run.baseline, "") + run.text
    return " ".join(lines[baseline] for baseline in sorted(lines)).split()


def test_an_endless_title_is_shrunk_then_ellipsized(chain):
    layout = lay_out(content("open government " * 40), "1200x630", chain)
    assert layout.title.truncated
    assert layout.title.size == DESIGNS["1200x630"].title.min_size
    assert layout.title.runs[-1].text.endswith("…")
    assert all(DESIGNS["1200x630"].safe.contains(b) for b in layout.boxes())


def title_contrast(chain, card_content: Content, size: str) -> float:
    layout = lay_out(card_content, size, chain)
    card, back = draw.render(layout, card_content, chain, keep_background=True)
    text = max(
        luminance(card.getpixel((int(x), int(y))))
        for box in layout.title.boxes
        for x in range(int(box.x0), int(box.x1), 3)
        for y in range(int(box.y0), int(box.y1), 3)
    )
    background = max(
        luminance(back.getpixel((int(x), int(y))))
        for box in layout.title.boxes
        for x in range(int(box.x0), int(box.x1), 3)
        for y in range(int(box.y0), int(box.y1), 3)
    )
    return (text + 0.05) / (background + 0.05)


@pytest.mark.parametrize("size", DESIGNS)
def test_title_contrast_measured_from_pixels(chain, size, tmp_path):
    # On the lightest area colour, and on a bright photograph.
    assert title_contrast(chain, content("Open budgets", colour="#A34400"), size) >= 4.5
    photo = tmp_path / "bright.jpg"
    Image.new("RGB", (1600, 1000), (250, 245, 235)).save(photo)
    assert title_contrast(chain, content("Open budgets", image=str(photo)), size) >= 4.5


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_has_a_font_and_no_missing_glyph(chain, script):
    title = SCRIPTS[script]
    assert chain.drops(title) == ""
    layout = lay_out(content(title, place=title), "1200x630", chain)
    for run in layout.title.runs:
        missing = [c for c in run.text if c != "…" and not chain.covers(run.family, c)]
        assert missing == [], (script, run.family)
    assert "".join(r.text for r in layout.title.runs).replace(" ", "") == title.replace(" ", "")


def test_arabic_is_shaped_and_laid_out_right_to_left(chain):
    layout = lay_out(content("طنجة ABC", impact=None), "1200x630", chain)
    [arabic] = [r for r in layout.title.runs if r.rtl]
    latin = [r for r in layout.title.runs if not r.rtl and r.text.strip()]
    assert arabic.family == "NotoSansArabic"
    # A right-to-left paragraph: the Arabic word starts at the right edge, Latin after it.
    assert arabic.box.x1 == pytest.approx(DESIGNS["1200x630"].safe.x1, abs=2)
    assert all(r.box.x1 <= arabic.box.x0 + 1 for r in latin)
    font = chain.font("NotoSansArabic", True, 60)
    joined = font.getlength("طنجة", direction="rtl")
    isolated = sum(font.getlength(c) for c in "طنجة")
    assert joined != pytest.approx(isolated, abs=0.5)  # letters take their joined forms


def test_an_emoji_is_dropped_not_drawn_as_a_box(chain):
    assert chain.drops("Open data 🎉 day") == "🎉"
    layout = lay_out(content("Open data 🎉 day"), "1080x1080", chain)
    assert "".join(r.text for r in layout.title.runs) == "Open data day"


def test_characters_the_cards_leave_out_are_a_warning_naming_the_line(project: Project):
    project.case("party", title="Open data 🎉 day in 東京", member="Київ", country="Ukraine")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "cases/party.md:2: title: no card font has '東' '京':" in result.stderr  # not 🎉
    assert "member:" not in result.stderr  # Cyrillic has its font
    assert (project.root / "site/cards/case-party-1200x630.png").is_file()
    strict = project.build("--strict")
    assert strict.returncode != 0 and "cases/party.md:2: title" in strict.stderr


def test_open_graph_tags_point_at_cards_that_exist(demo_site: Path):
    for page in [
        *(demo_site / "cases").glob("*/index.html"),
        demo_site / "roundups/2023-11/index.html",
    ]:
        html = page.read_text("utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
        assert image.startswith(SITE_URL + "cards/") and image.endswith("-1200x630.png")
        assert (demo_site / image[len(SITE_URL) :]).is_file()
        for tag in (
            'property="og:title"',
            'property="og:description"',
            'property="og:type" content="article"',
            'property="og:url"',
            'property="og:image:width" content="1200"',
            'property="og:image:height" content="630"',
            'property="og:image:alt"',
            'name="twitter:card" content="summary_large_image"',
            'rel="canonical"',
        ):
            assert tag in html, (page, tag)


def test_month_zip_holds_valid_images_and_the_posts(demo_site: Path):
    with zipfile.ZipFile(demo_site / "cards/2023-11.zip") as archive:
        names = archive.namelist()
        assert "posts.csv" in names
        images = [n for n in names if n != "posts.csv"]
        assert len(images) == 4 * 3  # the roundup and its three items
        for name in images:
            with Image.open(io.BytesIO(archive.read(name))) as image:
                image.load()
        rows = list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode("utf-8-sig"))))
    assert sorted(r["file"] for r in rows) == sorted(images)
    for row in rows:
        assert row["alt_text"] and SITE_URL in row["post_text"]
        assert len(row["post_text"]) <= POST_LIMIT


def test_downloads_page_lists_every_story(demo_site: Path):
    html = (demo_site / "cards/index.html").read_text("utf-8")
    spanish = (demo_site / "es/cards/index.html").read_text("utf-8")
    for card in (demo_site / "cards").glob("*.png"):
        if ".es-" in card.name:  # a Spanish version's cards: on the Spanish downloads page
            assert f'href="../../cards/{card.name}" download' in spanish
        else:
            assert f'href="{card.name}" download' in html
    assert 'href="2023-11.zip" download' in html
    posts = [unescape(p) for p in re.findall(r"<textarea[^>]*readonly>([^<]*)</textarea>", html)]
    assert len(posts) == 8
    assert all(len(p) <= POST_LIMIT for p in posts)
    assert html.count("data-ogp-copy=") == 8


def cards_line(result) -> tuple[int, int]:
    made, reused = re.search(r"cards: (\d+) made, (\d+) reused", result.stderr).groups()
    return int(made), int(reused)


def test_cache_draws_only_what_changed_and_forgets_deleted_stories(project: Project):
    project.case("a", title="First")
    project.case("b", title="Second")
    assert cards_line(project.build()) == (6, 0)
    assert cards_line(project.build()) == (0, 6)
    project.case("a", title="First, edited")
    assert cards_line(project.build()) == (3, 3)
    (project.root / "cases/b.md").unlink()
    assert cards_line(project.build()) == (0, 3)
    cached = list((project.root / ".cache/ogp-local/cards").glob("*/*"))
    assert len(cached) == 3
    assert sorted(p.name for p in (project.root / "site/cards").glob("*.png")) == [
        "case-a-1080x1080.png",
        "case-a-1080x1920.png",
        "case-a-1200x630.png",
    ]


def test_a_hero_photo_fills_the_card_as_jpeg(project: Project):
    project.write("cases/img/hall.jpg", jpeg(1600, 900))
    project.case("x", image="img/hall.jpg", image_alt="City hall")
    result = project.build()
    assert result.returncode == 0, result.stderr
    for size in DESIGNS:
        path = project.root / f"site/cards/case-x-{size}.jpg"
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size == tuple(map(int, size.split("x")))
    html = project.html("cases/x")
    assert "cards/case-x-1200x630.jpg" in html and 'content="image/jpeg"' in html


def test_cards_are_byte_identical_across_builds(project: Project, tmp_path_factory):
    project.case("a", title="Київ and طنجة")
    outs = []
    for n in range(2):
        # Without its card cache, the second build draws every card again.
        shutil.rmtree(project.root / ".cache", ignore_errors=True)
        out = tmp_path_factory.mktemp(f"cards{n}")
        result = project.build("--site-dir", str(out))
        assert result.returncode == 0, result.stderr
        assert cards_line(result) == (3, 0)
        outs.append({p.name: p.read_bytes() for p in (out / "cards").iterdir()})
    assert len(outs[0]) >= 3
    assert outs[0] == outs[1]
