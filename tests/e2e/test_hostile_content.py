"""What a comms team pastes, types or mistypes into story files (issue 11): each
case ends in a message naming the file and line, and anything `check` passes builds."""

from __future__ import annotations

import json
import re

import feedparser
from conftest import Project
from lxml import etree


def _lines(output: str) -> list[str]:
    return [line.removeprefix("WARNING -  ") for line in output.splitlines()]


def _plugin_options(project: Project, options: str) -> None:
    """The test project's `ogp-local:` options (its only one, per_page, replaced)."""
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("per_page: 20", options))


def _check_and_build(project: Project, *args: str):
    check = project.ogp("check", *args)
    build = project.build(*args)
    for result in (check, build):
        assert "Traceback" not in result.stdout + result.stderr
    return check, build


# -- 5: control characters ---------------------------------------------------------------


def test_control_characters_are_replaced_with_a_warning_and_the_site_builds(project: Project):
    # A raw U+0001 (YAML refuses it), an escaped vertical tab (what a line break in a
    # Word cell becomes in a spreadsheet export) and a form feed in the body.
    project.write(
        "cases/pasted.md",
        "---\n"
        'title: "Lobby\\x0bregistry"\n'
        "member: Ma\x01drid\n"
        "country: Spain\n"
        "date: 2023-11-06\n"
        "summary: Lobbyists register first.\n"
        "challenges: [anti-corruption]\n"
        "---\n"
        "\n"
        "Pasted\x0c from Word.\n",
    )
    check, build = _check_and_build(project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert build.returncode == 0, build.stderr
    lines = _lines(check.stdout)
    assert any(
        line.startswith("cases/pasted.md:2: title: contains control character U+000B")
        for line in lines
    ), lines
    assert any(
        line.startswith("cases/pasted.md:3: member: contains control character U+0001")
        for line in lines
    )
    assert any(
        line.startswith("cases/pasted.md:10: body: contains control character U+000C")
        for line in lines
    )
    # The build gives the same warnings, and the feeds carry clean text.
    assert "cases/pasted.md:2: title: contains control character U+000B" in build.stderr
    feed = feedparser.parse((project.root / "site" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.entries[0].title == "Lobby registry"
    strict = project.build("--strict")
    assert strict.returncode != 0


# -- 7: two spellings of one member, several members in one name --------------------------


def test_two_spellings_of_one_member_share_its_page_and_are_warned_about(project: Project):
    project.case("a", title="Budget one", member="São Paulo", country="Brazil")
    project.case("b", title="Budget two", member="São Paulo", country="Brazil")
    project.case("c", title="Budget three", member="Sao Paulo", country="Brazil")
    project.case("d", title="Saint one", member="Saint-Denis", country="France")
    project.case("e", title="Saint two", member="Saint Denis", country="France")
    check, build = _check_and_build(project)
    assert build.returncode == 0, build.stderr
    page = project.html("members/sao-paulo")
    for title in ("Budget one", "Budget two", "Budget three"):
        assert title in page
    assert "São Paulo" in page  # the spelling most stories use names the page
    saint = project.html("members/saint-denis")
    assert "Saint one" in saint and "Saint two" in saint
    expected = (
        "cases/c.md:3: member: 'Sao Paulo' and 'São Paulo' (cases/a.md:3) are spellings of "
        "one member; both are listed on one page, members/sao-paulo/ (use one spelling: "
        "'São Paulo')"
    )
    assert expected in check.stdout
    assert expected in build.stderr
    assert re.search(r"cases/[de]\.md:3: member: 'Saint[ -]Denis' and", check.stdout)


def test_a_member_that_names_several_members_is_warned_about_with_the_list_form(
    project: Project,
):
    project.case("joint", member="São Paulo, Distrito Federal and Santa Catarina", country="Brazil")
    project.case("capital", member="Bogotá, D.C.", country="Colombia")
    project.case("antrim", member="Mid and East Antrim", country="United Kingdom")
    check, build = _check_and_build(project)
    assert check.returncode == 0 and build.returncode == 0
    assert (
        "cases/joint.md:3: member: 'São Paulo, Distrito Federal and Santa Catarina' reads as "
        "3 members in one name (write them as a list: member: [São Paulo, Distrito Federal, "
        "Santa Catarina])"
    ) in check.stdout
    # One member each, whatever their punctuation.
    assert "capital.md" not in check.stdout and "antrim.md" not in check.stdout
    assert project.ogp("check", "--strict").returncode == 1


# -- 8: front-matter text in feeds is text ------------------------------------------------


HOSTILE = "Budget <img src=x onerror=alert(1)> & more"


def test_front_matter_text_is_text_in_every_feed_format(project: Project):
    project.case("budget", title=f"Title {HOSTILE}", summary=HOSTILE)
    assert project.build().returncode == 0
    site = project.root / "site"
    rss = etree.fromstring((site / "feed.xml").read_bytes())
    description = rss.find("channel/item/description").text
    # Readers render <description> as HTML: the markup must arrive escaped.
    assert "<img" not in description and "&lt;img" in description
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert "<img" not in parsed.entries[0].summary
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert atom.entries[0].summary == HOSTILE
    assert atom.entries[0].summary_detail.type == "text/plain"
    data = json.loads((site / "feed.json").read_text("utf-8"))
    assert data["items"][0]["summary"] == HOSTILE
    assert "<img" not in data["items"][0]["content_html"]
    for name in ("feed.xml", "atom.xml", "feed.json", "cases/feed.xml"):
        assert "<img src=x" not in (site / name).read_text("utf-8")


# -- 9: dates far in the future ----------------------------------------------------------


def test_a_date_far_in_the_future_is_a_warning_and_charts_stay_bounded(project: Project):
    project.case("now", date="2023-11-06")
    project.case("typo", date="2099-11-06")
    project.case("ancient", date="1900-01-01")
    check, build = _check_and_build(project)
    assert build.returncode == 0, build.stderr
    expected = (
        "cases/typo.md:5: date: 2099-11-06 is more than a year after the newest other story "
        "(2023-11-06) and today"
    )
    assert expected in check.stdout and expected in build.stderr
    trends = project.html("trends")
    # Without a bound the charts ran from 1900 to 2099: 2,400 empty months.
    assert len(trends.encode()) < 150_000
    assert "2099" not in trends.split("<main", 1)[1].split("Countries", 1)[0]
    # The lead counts what the charts count: the 1900 and 2099 stories are left out.
    assert '<p class="ogp-lead">1 case studies and roundup items from' in trends


# -- 11: raw scripts, frames and handlers in bodies --------------------------------------


def test_raw_scripts_frames_and_handlers_in_a_body_are_warned_about(project: Project):
    body = (
        "The reform.\n"  # line 11: `challenges` takes two lines
        "\n"
        '<iframe src="https://video.example/embed/1"></iframe>\n'  # line 13
        "\n"
        "<script>track()</script>\n"  # line 15
        "\n"
        '<img src="x.png" alt="" onerror="alert(1)">\n'  # line 17
        "\n"
        "```html\n"
        "<script>a code sample is text</script>\n"
        "```\n"
    )
    project.case("embeds", body=body)
    project.case("sample", body="How to embed:\n\n    <iframe src=x></iframe>\n\n`<script>`\n")
    check, build = _check_and_build(project)
    assert check.returncode == 0 and build.returncode == 0
    assert "cases/embeds.md:13: body: a raw <iframe> loads a third-party page" in check.stdout
    assert "use the `video:` field" in check.stdout
    assert "cases/embeds.md:15: body: a raw <script> runs in every reader's browser" in check.stdout
    assert "cases/embeds.md:17: body: a raw onerror= attribute runs script" in check.stdout
    assert "sample.md" not in check.stdout  # code samples are text
    assert project.build("--strict").returncode != 0
    assert project.ogp("check", "--strict").returncode == 1


# -- 12: a huge Markdown file ----------------------------------------------------------------


def test_a_huge_story_is_warned_about_and_feeds_carry_only_its_summary(project: Project):
    paragraph = "Participatory budgeting in every district of the city. " * 20
    project.case("huge", body=(paragraph + "\n\n") * 1100, summary="The whole annex, pasted.")
    check, build = _check_and_build(project)
    assert build.returncode == 0, build.stderr
    assert re.search(r"cases/huge\.md:1: file: is 1\.\d MB", check.stdout), check.stdout
    site = project.root / "site"
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert (site / name).stat().st_size < 50_000, name
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    assert "The whole annex, pasted." in entry.content[0].value
    assert "Read the whole story" in entry.content[0].value


# -- check and build read through one path -------------------------------------------------


def test_check_reports_a_broken_local_circle_as_the_build_does(project: Project):
    project.case("madrid")
    project.write(
        "content/circles/climate.md",
        "---\nname: Climate Action\ntheme: Climate\n"
        "areas: [environment-and-climate]\n---\n\nText.\n",
    )
    check, build = _check_and_build(project)
    expected = "content/circles/climate.md:1: members: missing"
    assert check.returncode == 1 and expected in check.stdout
    assert build.returncode == 1 and expected in build.stderr


def test_a_malformed_areas_file_is_one_message_from_check_and_build(project: Project):
    _plugin_options(project, "per_page: 20\n      areas_file: areas.yml")
    project.case("madrid")
    project.write("areas.yml", "- slug: justice\n  name: [Justice\n")
    check, build = _check_and_build(project)
    assert check.returncode == 1 and build.returncode == 1
    assert "areas.yml:3: YAML syntax error" in check.stderr
    assert "areas.yml:3: YAML syntax error" in build.stderr
    project.write(
        "areas.yml",
        "- {slug: justice, name: Justice, description: Courts, colour: red}\n",
    )
    check, build = _check_and_build(project)
    message = "area 1 (justice): colour 'red' is not a colour: write it as #RRGGBB"
    assert check.returncode == 1 and message in check.stderr
    assert build.returncode == 1 and message in build.stderr


def test_check_reports_a_page_in_the_way_of_a_story_as_the_build_does(project: Project):
    project.case("madrid")
    project.write("content/cases/madrid.md", "# Madrid\n\nA page of its own.\n")
    check, build = _check_and_build(project)
    assert check.returncode == 1 and build.returncode == 1
    expected = "content/cases/madrid.md:1: file: is in the way of the story cases/madrid.md"
    assert expected in check.stdout and expected in build.stderr


def test_broken_settings_are_every_message_at_once_from_check_and_build(project: Project):
    _plugin_options(project, "per_pgae: 20\n      cards: {colour: red, sizes: [1080x1080]}")
    project.case("madrid")
    build = project.build()  # the project fixture also runs check and compares
    assert build.returncode == 1 and "Traceback" not in build.stderr
    for message in (
        "ogp-local: unknown setting `per_pgae` (did you mean 'per_page'?)",
        "ogp-local: `cards.colour`: 'red' is not a colour: write it as #RRGGBB, e.g. #12355B",
        "ogp-local: `cards.sizes` must include 1200x630",
    ):
        assert message in build.stderr
