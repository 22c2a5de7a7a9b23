"""The content reader: every problem of every file, as path:line: field: message."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Project
from images import jpeg, png, png_bomb
from ogp_local.content import library
from ogp_local.content.areas import Areas
from ogp_local.content.model import text_direction


def load(project: Project, **kwargs):
    return library.load(project.root, Areas.load(), **kwargs)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_a_valid_case_becomes_a_story(project):
    project.case(
        "madrid-lobby-registry",
        title="Creation of a Mandatory Lobby Registry",
        challenges=["Anti-Corruption", "access-to-information"],
        impact=[{"value": "600+", "label": "registered lobbies"}],
        hashtags=["#OpenGov", "Lobbies"],
    )
    found, problems = load(project)
    assert not problems, messages(problems.items)
    [case] = found.cases
    assert case.slug == "madrid-lobby-registry"
    assert case.date == dt.date(2023, 11, 6)
    assert [a.slug for a in case.areas] == ["anti-corruption", "access-to-information"]
    assert case.impact[0].value == "600+"
    assert case.hashtags == ("#OpenGov", "#Lobbies")
    assert case.url == "cases/madrid-lobby-registry/"


def test_unknown_area_names_line_and_closest_slug(project):
    project.write(
        "cases/x.md",
        "---\ntitle: T\nmember: M\ncountry: C\ndate: 2023-11-06\n"
        "summary: S\nchallenges:\n  - justice\n  - anti-corruptoin\n---\nBody\n",
    )
    _, problems = load(project)
    assert messages(problems.errors) == [
        "cases/x.md:9: challenges: unknown area 'anti-corruptoin' (did you mean 'anti-corruption'?)"
    ]


def test_missing_required_fields_are_each_reported(project):
    project.write("cases/x.md", "---\ntitle: T\nmember: M\n---\nBody\n")
    _, problems = load(project)
    fields = [p.field for p in problems.errors]
    assert fields == ["challenges", "country", "date", "summary"]
    assert all(str(p).startswith("cases/x.md:1: ") for p in problems.errors)
    assert "add `date: 2023-11-30`" in str(problems.errors[2])


def test_bad_date_says_the_expected_form(project):
    project.case("x", date="2023-13-45")
    _, problems = load(project)
    [error] = problems.errors
    assert str(error).startswith("cases/x.md:5: date: '2023-13-45' is not a date")
    assert "YYYY-MM-DD" in str(error)


def test_not_a_date_at_all(project):
    project.case("x", date="30 November 2023")
    _, problems = load(project)
    assert "expected YYYY-MM-DD" in str(problems.errors[0])


def test_yaml_syntax_error_names_its_line(project):
    project.write("cases/x.md", "---\ntitle: T\nsummary: [unclosed\nmember: M\n---\nBody\n")
    _, problems = load(project)
    [error] = problems.errors
    assert error.path == "cases/x.md" and error.field == "front matter"
    assert error.line == 3
    assert "YAML syntax error" in error.message


FIELDS = "member: Madrid\ncountry: Spain\ndate: 2024-01-02\nsummary: Fine.\n"


@pytest.mark.parametrize(
    ("front", "line", "field", "hint"),
    [
        (
            "title: T\n" + FIELDS + 'hashtags: [#16Days, "#OpenGov"]\n',
            7,
            "front matter",
            '"#16Days"',
        ),
        ("title: T\n" + FIELDS + "hashtags:\n  - #16Days\n", 8, "hashtags", '"#16Days"'),
        ("title: #16Days campaign\n" + FIELDS, 2, "title", '"#16Days campaign"'),
        ("title: T\n\tcountry: Spain\n", 3, "front matter", "spaces, not tabs"),
        ('title: "Unclosed\n' + FIELDS, 2, "front matter", "quote"),
        ("title: T\nsummary: Why: because\n", 3, "front matter", "': '"),
    ],
)
def test_yaml_mistakes_point_at_the_line_to_fix(project, front, line, field, hint):
    project.write("cases/x.md", f"---\n{front}challenges: [justice]\n---\nBody\n")
    _, problems = load(project)
    error = problems.errors[0]
    assert (error.path, error.line, error.field) == ("cases/x.md", line, field), str(error)
    assert hint in error.hint, str(error)


def test_a_hashtag_cut_off_as_a_comment_is_a_warning(project):
    front = "title: T\n" + FIELDS + "hashtags: ['#A']  # confirmed with the team\n"
    front = front.replace("summary: Fine.", "summary: Great work, #OpenGov #16Days")
    project.write("cases/x.md", f"---\n{front}challenges: [justice]\n---\nBody\n")
    stories, problems = load(project)
    assert problems.errors == [] and len(stories.cases) == 1
    [warning] = problems.warnings  # a plain comment after a value is fine
    assert str(warning) == (
        "cases/x.md:6: summary: '#OpenGov #16Days' is read as a YAML comment and left out"
        ' (put the whole value in quotes: summary: "Great work, #OpenGov #16Days")'
    )


def test_unknown_field_suggests_the_closest(project):
    project.case("x", summery="oops")
    _, problems = load(project)
    assert "summery: unknown field (did you mean 'summary'?)" in str(problems.errors[0])


def test_every_file_is_reported_at_once(project):
    project.case("a", date="2023-02-30")
    project.case("b", challenges=["nope"])
    project.write("cases/c.md", "no front matter here")
    project.write("cases/Bad Name.md", "---\ntitle: x\n---\n")
    _, problems = load(project)
    paths = sorted({p.path for p in problems.errors})
    assert paths == ["cases/Bad Name.md", "cases/a.md", "cases/b.md", "cases/c.md"]
    assert "rename it to bad-name.md" in messages(problems.errors)[0]


def test_country_no_stays_text(project):
    project.case("x", country="NO")  # YAML 1.1 would read this as false
    found, problems = load(project)
    assert not problems.errors
    assert found.cases[0].members[0].country == "NO"


def test_summary_longer_than_300_characters(project):
    project.case("x", summary="word " * 70)
    _, problems = load(project)
    assert "the limit is 300" in str(problems.errors[0])


def test_untagged_story_is_inferred_with_a_warning(project):
    project.case(
        "lobby",
        challenges=None,
        title="A registry of lobbyists",
        body="Lobby groups must now register; procurement is public.\n",
    )
    found, problems = load(project)
    assert not problems.errors
    [warning] = problems.warnings
    assert warning.path == "cases/lobby.md" and warning.field == "challenges"
    assert "inferred anti-corruption" in warning.message
    assert "'lobbyists'" in warning.message and "'procurement'" in warning.message
    assert [a.slug for a in found.cases[0].areas][0] == "anti-corruption"


def test_untagged_story_with_nothing_to_infer_is_an_error(project):
    project.case("quiet", challenges=None, title="Quiet", summary="Nothing.", body="Hm.\n")
    _, problems = load(project)
    assert "no area could be inferred" in str(problems.errors[0])


def test_roundup_items_default_title_summary_and_order(project):
    project.roundup("2023-11", {"b-second": {}, "a-first": {"order": 1}, "c-third": {}})
    found, problems = load(project)
    assert not problems, messages(problems.items)
    [roundup] = found.roundups
    assert roundup.title == "Local Roundup — November 2023"
    assert [i.slug for i in roundup.items] == ["a-first", "b-second", "c-third"]
    assert roundup.items[0].summary == "Body of a-first."
    assert roundup.items[0].date == roundup.date
    assert roundup.items[0].url == "roundups/2023-11/#a-first"


def test_item_with_several_members(project):
    project.roundup(
        "2023-11",
        {
            "brazil": {
                "member": ["São Paulo", "Distrito Federal", "Santa Catarina"],
                "country": "Brazil",
            }
        },
    )
    found, problems = load(project)
    assert not problems.errors
    item = found.roundups[0].items[0]
    assert [m.name for m in item.members] == ["São Paulo", "Distrito Federal", "Santa Catarina"]
    assert item.countries == ("Brazil",)


def test_month_folder_must_be_a_month_and_have_an_index(project):
    project.write("roundups/2023-13/index.md", "---\ndate: 2023-12-01\nsummary: s\n---\n")
    project.write("roundups/2023-10/x.md", "---\ntitle: t\n---\n")
    _, problems = load(project)
    got = messages(problems.errors)
    assert any(m.startswith("roundups/2023-13:1: folder: '2023-13' is not a month") for m in got)
    assert any(m.startswith("roundups/2023-10:1: index.md: the month has no index.md") for m in got)


def test_drafts_are_left_out_unless_asked(project):
    project.case("draft-one", draft=True)
    project.case("published")
    found, _ = load(project)
    assert [c.slug for c in found.cases] == ["published"]
    found, _ = load(project, include_drafts=True)
    assert sorted(c.slug for c in found.cases) == ["draft-one", "published"]


def test_a_good_hero_image(project):
    project.write("cases/images/hero.jpg", jpeg(800, 400))
    project.case("x", image="images/hero.jpg", image_alt="The city hall")
    found, problems = load(project)
    assert not problems, messages(problems.items)
    image = found.cases[0].image
    assert (image.path, image.width, image.height, image.alt) == (
        "cases/images/hero.jpg",
        800,
        400,
        "The city hall",
    )
    assert "cases/images/hero.jpg" in found.assets


def test_image_needs_alt_text(project):
    project.write("cases/hero.png", png())
    project.case("x", image="hero.png")
    _, problems = load(project)
    assert "image_alt: missing" in str(problems.errors[0])


def test_bad_images_are_clear_errors(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(png())
    project.write("cases/bomb.png", png_bomb())
    project.write("cases/text.jpg", "this is not a picture\n")
    project.write("cases/cut.jpg", jpeg(400, 300)[:300])
    cases = {
        "outside": (str(outside), "is outside the project"),
        "escape": ("../../etc/passwd", "is outside the project"),
        "missing": ("nope.png", "does not exist"),
        "bomb": ("bomb.png", "pixels"),
        "text": ("text.jpg", "is not an image"),
        "cut": ("cut.jpg", "damaged or truncated"),
        "web": ("https://example.org/a.jpg", "web address"),
    }
    for slug, (image, _) in cases.items():
        project.case(slug, image=image, image_alt="alt")
    _, problems = load(project)
    by_path = {p.path: p for p in problems.errors}
    for slug, (_, expected) in cases.items():
        problem = by_path[f"cases/{slug}.md"]
        assert problem.line == 9 and problem.field == "image", problem
        assert expected in problem.message, problem


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("fa-IR", "rtl"),
        ("he", "rtl"),
        ("ku-Arab", "rtl"),
        ("ur-PK", "rtl"),
        ("es", "ltr"),
        ("pt-BR", "ltr"),
        ("uk", "ltr"),
        ("az-Latn", "ltr"),
        ("ka", "ltr"),
    ],
)
def test_text_direction_follows_the_language_tag(tag, direction):
    assert text_direction(tag) == direction
