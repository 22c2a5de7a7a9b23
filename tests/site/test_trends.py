"""Trends, Local Circles and open data, checked against counts made from the content."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import frontmatter
from conftest import REPO, Project

SVG = "{http://www.w3.org/2000/svg}"


def charts(html: str) -> dict[str, ET.Element]:
    """Every inline chart of a page, parsed as XML, by id of its title."""
    found = {}
    for match in re.finditer(r"<svg class=\"ogp-chart\".*?</svg>", html, re.S):
        svg = ET.fromstring(match.group(0))
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text, "every chart has a <title>"
        assert svg.find(f"{SVG}desc") is not None
        found[title.get("id").removesuffix("-title")] = svg
    return found


def table_after(html: str, heading_id: str) -> list[list[str]]:
    section = html[html.index(f'id="{heading_id}"') :]
    table = section[section.index("<table") : section.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def corpus(project: Project) -> None:
    """Two years; justice rises sharply in the second, the others stay flat."""
    for year in (2022, 2023):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-10"
            project.case(
                f"flat-{year}-{month}",
                date=day,
                challenges=["anti-corruption"],
                member="Madrid",
                country="Spain",
            )
            project.case(
                f"flat2-{year}-{month}",
                date=day,
                challenges=["civic-space"],
                member="Kraków",
                country="Poland",
            )
            rising = 1 if year == 2022 else 4
            for n in range(rising):
                project.case(
                    f"justice-{year}-{month}-{n}",
                    date=day,
                    challenges=["justice"],
                    member="Nairobi",
                    country="Kenya",
                )
    project.roundup(
        "2023-12",
        {
            "item-a": {
                "challenges": ["justice", "anti-corruption"],
                "member": "Valencia",
                "country": "Spain",
            }
        },
    )


def stories_written(project: Project) -> list[tuple[str, list[str]]]:
    """(month, areas) of every story the test wrote, read back from its files."""
    stories = []
    for path in sorted(project.root.glob("cases/*.md")) + sorted(
        project.root.glob("roundups/*/*.md")
    ):
        if path.name == "index.md":
            continue
        meta = frontmatter.load(path).metadata
        date = str(meta.get("date") or frontmatter.load(path.parent / "index.md")["date"])
        stories.append((date[:7], meta["challenges"]))
    return stories


def expected_counts(project: Project) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for month, areas in stories_written(project):
        for area in areas:
            counts.setdefault(area, Counter())[month] += 1
    return counts


AREA_NAMES = {
    "anti-corruption": "Anti-Corruption",
    "civic-space": "Civic Space",
    "justice": "Justice",
    "media-freedom": "Media Freedom",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month_name(month: str) -> str:
    """'2023-11' → 'Nov 2023', as a reader sees it."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def text_of(svg: ET.Element, tag: str) -> str:
    element = svg.find(f"{SVG}{tag}")
    assert element is not None, tag
    return element.text or ""


def test_trends_tables_and_charts_hold_the_counts(project: Project):
    corpus(project)
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    html = project.html("trends")
    counts = expected_counts(project)
    months = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    svgs = charts(html)
    for area in ("anti-corruption", "civic-space", "justice", "media-freedom"):
        svg = svgs[f"chart-{area}"]
        bars = svg.findall(f".//{SVG}g[@class='ogp-series']/{SVG}rect")
        assert len(bars) == len(months), area
        assert [int(b.get("data-value")) for b in bars] == [
            counts.get(area, {}).get(m, 0) for m in months
        ]
        # What a screen reader says instead of the picture: the area, the months, the total.
        total = sum(counts.get(area, {}).values())
        assert text_of(svg, "title") == f"{AREA_NAMES[area]}: stories per month"
        assert text_of(svg, "desc") == (
            f"One column per month from {month_name(months[0])} to "
            f"{month_name(months[-1])}; {total} stories in all."
        )
        assert [b.find(f"{SVG}title").text for b in bars] == [
            f"{month_name(m)}: {counts.get(area, {}).get(m, 0)}" for m in months
        ]
    rows = table_after(html, "per-area")
    header, body = rows[0], rows[1:]
    assert len(body) == len(months)
    justice = header.index("Justice")
    by_month = {row[0]: row for row in body}
    assert by_month["Dec 2023"][justice] == str(counts["justice"]["2023-12"]) == "5"
    assert by_month["Jan 2022"][justice] == "1"


def test_the_rising_area_comes_first(project: Project):
    corpus(project)
    assert project.build().returncode == 0
    html = project.html("trends")
    rows = table_after(html, "trending")[1:]
    assert rows[0][0] == "Justice"
    assert rows[0][3].startswith("+")
    paired = charts(html)["chart-trending"]
    last = paired.findall(f".//{SVG}g[@data-series='last']/{SVG}rect")
    previous = paired.findall(f".//{SVG}g[@data-series='previous']/{SVG}rect")
    assert len(last) == len(previous) == 10
    # Justice's share of the stories of each twelve months, counted from the files.
    stories = stories_written(project)
    share = {}
    for window, year in (("previous", "2022"), ("last", "2023")):
        dated = [areas for month, areas in stories if month.startswith(year)]
        share[window] = 100 * sum("justice" in areas for areas in dated) / len(dated)
    assert last[0].find(f"{SVG}title").text == f"Justice, last 12 months: {share['last']:.1f}%"
    assert previous[0].find(f"{SVG}title").text == (
        f"Justice, previous 12 months: {share['previous']:.1f}%"
    )
    home = project.html("")
    strip = home[home.index('id="trending-now"') :]
    assert strip.index("Justice") < strip.index("</ul>")
    area = project.html("challenges/justice")
    [spark] = re.findall(r'<svg class="ogp-sparkline".*?</svg>', area, re.S)
    spark = ET.fromstring(spark)
    justice = expected_counts(project)["justice"]
    months = sorted(month for month, _ in stories)
    said = (
        f"Justice: stories per month, {month_name(months[0])} to {month_name(months[-1])} "
        f"({sum(justice.values())} in all, at most {max(justice.values())} in a month)"
    )
    assert text_of(spark, "title") == said
    assert text_of(spark, "desc") == said


def test_countries_and_members_match_the_content(project: Project):
    corpus(project)
    assert project.build().returncode == 0
    html = project.html("trends")
    countries = {row[0]: int(row[1]) for row in table_after(html, "countries")[1:]}
    assert countries == {"Kenya": 12 + 48, "Spain": 24 + 1, "Poland": 24}
    members = table_after(html, "members-chart")[1:]
    assert members[0][:3] == ["Nairobi", "Kenya", "60"]
    bars = charts(html)["chart-countries"].findall(f".//{SVG}rect")
    assert [int(b.get("data-value")) for b in bars] == [60, 25, 24]


def test_demo_circles_list_their_members_stories(demo_site: Path):
    assert (demo_site / "circles/index.html").is_file()
    pages = {p.stem: frontmatter.load(p) for p in (REPO / "content/circles").glob("*.md")}
    assert len(pages) == 3
    index = (demo_site / "circles/index.html").read_text("utf-8")
    for slug, page in pages.items():
        html = (demo_site / f"circles/{slug}/index.html").read_text("utf-8")
        assert f'href="{slug}/"' in index
        for entry in page["members"]:
            name = entry.rsplit(",", 1)[0]
            assert name in html
    inclusion = (demo_site / "circles/inclusion/index.html").read_text("utf-8")
    assert "../../cases/bogota-gender-parity/" in inclusion
    climate = (demo_site / "circles/climate-action/index.html").read_text("utf-8")
    assert "../../roundups/2023-11/#buenos-aires-childhood-index" in climate
    bogota = (demo_site / "members/bogota/index.html").read_text("utf-8")
    assert 'href="../../circles/inclusion/"' in bogota
    scotland = (demo_site / "members/scotland/index.html").read_text("utf-8")
    assert 'href="../../circles/climate-action/"' in scotland


def test_open_data_holds_every_published_story_and_no_draft(project: Project):
    project.case("madrid", title="Lobby registry", member=["Madrid", "Valencia"])
    project.case("secret", draft=True)
    project.roundup("2023-11", {"one": {}, "two": {"draft": True}})
    assert project.build("--strict").returncode == 0
    site = project.root / "site/data"
    data = json.loads((site / "stories.json").read_text("utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / "stories.csv").read_text("utf-8"))))
    expected = {"cases/madrid/", "roundups/2023-11/", "roundups/2023-11/#one"}
    assert {s["id"] for s in data["stories"]} == expected == {r["id"] for r in rows}
    assert data["count"] == 3 and "CC BY 4.0" in data["licence"]
    madrid = next(s for s in data["stories"] if s["id"] == "cases/madrid/")
    assert madrid["members"] == ["Madrid", "Valencia"] and madrid["areas"] == ["anti-corruption"]
    assert madrid["url"] == "https://example.org/stories/cases/madrid/"
    assert set(madrid["cards"]) == {"1200x630", "1080x1080", "1080x1920"}
    row = next(r for r in rows if r["id"] == "cases/madrid/")
    assert row["members"] == "Madrid; Valencia" and row["kind"] == "case"
    page = project.html("data")
    assert 'href="stories.json"' in page and 'href="stories.csv"' in page
    assert "creativecommons.org/licenses/by/4.0" in page


def test_csv_cells_never_run_as_spreadsheet_formulas(project: Project):
    formula = '=HYPERLINK("https://evil.example/","Click")'
    project.case("formula", title=formula)
    project.roundup("2023-11", {"sum": {"title": "+1 city joins", "summary": "@all -2 fees"}})
    assert project.build("--strict").returncode == 0
    data = project.root / "site/data"
    stories = json.loads((data / "stories.json").read_text("utf-8"))["stories"]
    titles = {s["id"]: s["title"] for s in stories}
    assert titles["cases/formula/"] == formula  # the data itself is exact
    rows = list(csv.DictReader(io.StringIO((data / "stories.csv").read_text("utf-8"))))
    cells = {r["id"]: r for r in rows}
    assert cells["cases/formula/"]["title"] == "'" + formula
    assert cells["roundups/2023-11/#sum"]["title"] == "'+1 city joins"
    assert cells["roundups/2023-11/#sum"]["summary"] == "'@all -2 fees"
    with zipfile.ZipFile(project.root / "site/cards/2023-11.zip") as archive:
        posts = list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode("utf-8-sig"))))
    for row in posts:
        assert not row["alt_text"].startswith(("=", "+", "-", "@")), row
        assert not row["post_text"].startswith(("=", "+", "-", "@")), row


def test_video_and_kind_are_validated(project: Project):
    project.roundup(
        "2023-11",
        {
            "bad-kind": {"kind": "podcast"},
            "bad-video": {"video": "https://example.org/movie.mp4"},
            "good": {"kind": "video", "video": "https://youtu.be/dQw4w9WgXcQ"},
        },
    )
    result = project.build()
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "roundups/2023-11/bad-kind.md:7: kind: unknown kind 'podcast'" in output
    assert (
        "roundups/2023-11/bad-video.md:7: video: 'https://example.org/movie.mp4' is "
        "not a YouTube or Vimeo video address"
    ) in output
    assert "good.md" not in output
