"""Real `mkdocs build` runs on small content trees."""

from __future__ import annotations

import re
import shutil

from conftest import REPO, Project
from images import jpeg, png_bomb
from PIL import Image


def cards_on(html: str) -> list[str]:
    return re.findall(r'class="ogp-card__title"><a href="([^"]+)"', html)


def test_stories_land_on_their_pages(project: Project):
    project.case("madrid", challenges=["anti-corruption", "Access to Information"])
    project.roundup("2023-11", {"buenos-aires": {"member": "Buenos Aires", "country": "Argentina"}})
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "ogp-story" in project.html("cases/madrid")
    assert 'id="buenos-aires"' in project.html("roundups/2023-11")
    assert cards_on(project.html("challenges/anti-corruption")) == ["../../cases/madrid/"]
    assert cards_on(project.html("challenges/access-to-information")) == ["../../cases/madrid/"]
    assert cards_on(project.html("challenges/public-participation")) == [
        "../../roundups/2023-11/#buenos-aires"
    ]
    assert cards_on(project.html("members/buenos-aires")) == [
        "../../roundups/2023-11/#buenos-aires"
    ]
    assert "../../challenges/anti-corruption/" in project.html("cases/madrid")


def test_area_pages_paginate_newest_first_with_prev_next(project: Project):
    for n in range(45):
        project.case(
            f"story-{n:02d}",
            date=f"2023-{1 + n // 28:02d}-{1 + n % 28:02d}",
            challenges=["justice"],
        )
    result = project.build()
    assert result.returncode == 0, result.stderr
    first = project.html("challenges/justice")
    second = project.html("challenges/justice/page/2")
    third = project.html("challenges/justice/page/3")
    assert [len(cards_on(p)) for p in (first, second, third)] == [20, 20, 5]
    assert cards_on(first)[0] == "../../cases/story-44/"
    assert cards_on(third)[-1] == "../../../../cases/story-00/"
    assert '<link rel="next" href="page/2/">' in first and 'rel="prev"' not in first
    assert '<link rel="prev" href="../../">' in second
    assert '<link rel="next" href="../3/">' in second
    assert '<link rel="prev" href="../2/">' in third and '<link rel="next"' not in third
    assert not (project.root / "site/challenges/justice/page/4").exists()


def test_bad_input_fails_the_build_naming_every_file_and_line(project: Project):
    project.write("cases/bomb.png", png_bomb())
    project.write("cases/fake.jpg", "plain text, not a JPEG\n")
    project.case("unknown-area", challenges=["anti-corruptoin"])
    project.case("no-summary", summary=None)
    project.case("bad-date", date="2023-13-45")
    project.write("cases/yaml.md", "---\ntitle: [oops\n---\nBody\n")
    project.case("outside", image="../../outside.png", image_alt="x")
    project.case("bomb", image="bomb.png", image_alt="x")
    project.case("fake", image="fake.jpg", image_alt="x")
    result = project.build()
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    expected = [
        "cases/unknown-area.md:8: challenges: unknown area 'anti-corruptoin' "
        "(did you mean 'anti-corruption'?)",
        "cases/no-summary.md:1: summary: missing",
        "cases/bad-date.md:5: date: '2023-13-45' is not a date",
        "cases/yaml.md:2: front matter: YAML syntax error",
        "cases/outside.md:9: image: '../../outside.png' is outside the project",
        "cases/bomb.md:9: image: 'cases/bomb.png' is too large to open safely",
        "cases/fake.md:9: image: 'cases/fake.jpg' is not an image",
    ]
    for line in expected:
        assert line in output, line
    assert "7 problems in the content" in output
    assert not (project.root / "site/cases").exists()


def test_front_matter_text_is_escaped_everywhere(project: Project):
    evil = '<script>alert(1)</script> & "quoted" <img src=x onerror=alert(2)>'
    project.case(
        "evil",
        title=evil,
        summary=evil,
        member=evil,
        country=evil,
        impact=[{"value": "<b>1</b>", "label": evil}],
        links=[{"title": evil, "url": "https://example.org/?a=1&b=2"}],
    )
    project.write("content/about.md", f"---\ntitle: '{evil}'\n---\n\nAbout.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    for path in (project.root / "site").rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text("utf-8")
            assert "<script>alert(1)" not in text, path
            assert "<img src=x" not in text, path
            assert "<b>1</b>" not in text, path
    page = project.html("cases/evil")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in project.html("members")


def test_untagged_lobby_story_is_inferred_with_a_warning(project: Project):
    project.case(
        "lobby",
        challenges=None,
        title="A register for lobbyists",
        body="Every lobby group must register before meeting officials.\n",
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "cases/lobby.md:1: challenges: missing; inferred anti-corruption" in result.stderr
    assert "'lobbyists'" in result.stderr
    assert cards_on(project.html("challenges/anti-corruption")) == ["../../cases/lobby/"]
    strict = project.build("--strict")
    assert strict.returncode == 1
    assert "Aborted with 1 warnings in strict mode" in strict.stdout + strict.stderr


def test_hero_image_is_published_with_its_alt_text(project: Project):
    project.write("cases/images/hall.jpg", jpeg(640, 320))
    project.case("x", image="images/hall.jpg", image_alt="Madrid's city hall at dusk")
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.html("cases/x")
    assert 'alt="Madrid&#39;s city hall at dusk"' in page
    assert 'src="../images/hall.jpg" width="640" height="320"' in page
    # Published re-encoded (never the original's bytes), at the original's address.
    published = project.root / "site/cases/images/hall.jpg"
    assert published.read_bytes() != jpeg(640, 320)
    with Image.open(published) as image:
        assert image.format == "JPEG" and image.size == (640, 320)


def cards_drawn_afresh(result) -> int:
    """The number of cards the build drew, checking it reused none from a cache."""
    line = re.search(r"ogp-local: cards: (\d+) made, (\d+) reused", result.stderr)
    assert line, result.stderr
    made, reused = int(line[1]), int(line[2])
    assert made > 0 and reused == 0, line[0]
    return made


def test_two_builds_with_source_date_epoch_are_identical(project: Project, tmp_path_factory):
    project.case("a")
    project.roundup("2023-11", {"item": {}})
    outs = []
    for n in range(2):
        # Without its card cache, the second build draws every card again: what is
        # compared is how the cards are drawn, not a copy of the first build's.
        shutil.rmtree(project.root / ".cache", ignore_errors=True)
        out = tmp_path_factory.mktemp(f"build{n}")
        result = project.build(
            "--site-dir", str(out), extra_env={"SOURCE_DATE_EPOCH": "1764547200"}
        )
        assert result.returncode == 0, result.stderr
        assert cards_drawn_afresh(result) == 3 * 3  # the case, the month, its item
        outs.append(
            {
                p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*"))
                if p.is_file()
            }
        )
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []


def test_a_story_body_may_link_to_an_item_anchor(project: Project):
    project.roundup("2023-11", {"item-one": {}})
    project.case("a", body="See [the item](../roundups/2023-11/index.md#item-one).\n")
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    assert 'href="../../roundups/2023-11/#item-one"' in project.html("cases/a")


def test_repository_theme_is_used(project: Project):
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.root / "site/assets/stylesheets/ogp.css").read_bytes() == (
        REPO / "theme/assets/stylesheets/ogp.css"
    ).read_bytes()
