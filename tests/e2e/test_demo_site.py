"""The repository's own demo content, built the way `make site` builds it."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
import yaml
from conftest import REPO, originals, search_records

AREAS = [a["slug"] for a in yaml.safe_load((REPO / "plugins/ogp_local/data/areas.yml").read_text())]


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def pages_of(site: Path, base: str) -> str:
    """A listing and all its pagination pages, concatenated."""
    html = page(site, base)
    extra = (
        sorted((site / base / "page").glob("*/index.html"))
        if (site / base / "page").exists()
        else []
    )
    return html + "".join(p.read_text("utf-8") for p in extra)


def demo_stories():
    """(url, areas, members) of every demo story, read straight from the files."""
    stories = []
    for path in sorted(originals(REPO / "cases")):
        meta = frontmatter.load(path).metadata
        stories.append((f"cases/{path.stem}/", meta["challenges"], _list(meta["member"])))
    for path in sorted((REPO / "roundups").glob("*/*.md")):
        if path.name != "index.md" and "." not in path.stem:  # not a translation
            meta = frontmatter.load(path).metadata
            stories.append(
                (
                    f"roundups/{path.parent.name}/#{path.stem}",
                    meta["challenges"],
                    _list(meta["member"]),
                )
            )
    return stories


def _list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


# Written out by hand, not computed with the code's own slug rules: a change in those
# rules moves a member's address, and that must show up here.
MEMBER_SLUGS = {
    "Aragón": "aragon",
    "Banggai": "banggai",
    "Bogotá": "bogota",
    "Buenos Aires": "buenos-aires",
    "Córdoba": "cordoba",
    "Distrito Federal": "distrito-federal",
    "Madrid": "madrid",
    "Monterrey": "monterrey",
    "Santa Catarina": "santa-catarina",
    "São Paulo": "sao-paulo",
    "Scotland": "scotland",
    "Valencia": "valencia",
}


def member_slug(member: str) -> str:
    assert member in MEMBER_SLUGS, f"demo member {member!r} has no expected slug in this test"
    return MEMBER_SLUGS[member]


def demo_members() -> set[str]:
    """Every member the demo names: in its stories and in its Local Circles."""
    members = {member for _, _, names in demo_stories() for member in names}
    for path in originals(REPO / "content/circles"):
        members |= {entry.rsplit(",", 1)[0] for entry in frontmatter.load(path)["members"]}
    return members


def test_every_spec_path_exists(demo_site: Path):
    expected = [
        "",
        "cases",
        "roundups",
        "roundups/2023-11",
        "challenges",
        "members",
        *(f"challenges/{slug}" for slug in AREAS),
    ]
    expected += [f"cases/{p.stem}" for p in originals(REPO / "cases")]
    assert len([p for p in originals(REPO / "cases")]) == 4
    for url in expected:
        assert (demo_site / url / "index.html").is_file(), url


def test_roundup_page_has_an_element_per_item(demo_site: Path):
    html = page(demo_site, "roundups/2023-11")
    items = sorted(p.stem for p in originals(REPO / "roundups/2023-11") if p.stem != "index")
    assert len(items) == 3
    for slug in items:
        assert f'id="{slug}"' in html


@pytest.mark.parametrize("url,areas,members", demo_stories())
def test_each_story_is_on_its_area_and_member_pages(demo_site: Path, url, areas, members):
    for area in areas:
        assert area in AREAS
        html = pages_of(demo_site, f"challenges/{area}")
        assert f'href="../../{url}"' in html, (url, area)
    for member in members:
        html = pages_of(demo_site, f"members/{member_slug(member)}")
        assert f'href="../../{url}"' in html, (url, member)
        assert f'href="{member_slug(member)}/"' in page(demo_site, "members")


def test_every_demo_member_has_its_page_at_the_expected_address(demo_site: Path):
    slugs = sorted(member_slug(member) for member in demo_members())
    assert len(slugs) == len(set(slugs)) == 12
    pages = sorted(p.parent.name for p in (demo_site / "members").glob("*/index.html"))
    assert pages == slugs
    index = page(demo_site, "members")
    for slug in slugs:
        assert f'href="{slug}/"' in index, slug


def test_area_overview_counts_match_the_content(demo_site: Path):
    html = page(demo_site, "challenges")
    counts = {slug: 0 for slug in AREAS}
    for _, areas, _ in demo_stories():
        for area in areas:
            counts[area] += 1
    for slug, count in counts.items():
        pattern = (
            rf'href="{slug}/">\s*<span class="ogp-area__name">[^<]+</span>\s*'
            rf'<span class="ogp-area__count">{count} stor'
        )
        assert re.search(pattern, html), slug


def test_story_page_shows_badges_impact_member_and_date(demo_site: Path):
    html = page(demo_site, "cases/madrid-lobby-registry")
    assert '<a class="ogp-badge" href="../../challenges/anti-corruption/"' in html
    assert 'class="ogp-impact__value">600+<' in html
    assert 'href="../../members/madrid/">Madrid</a>' in html
    assert '<time datetime="2023-11-06">6 November 2023</time>' in html


def test_nothing_is_loaded_from_the_internet(demo_site: Path):
    for path in demo_site.rglob("*.html"):
        html = path.read_text("utf-8")
        for match in re.finditer(
            r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//([^"]+)"', html
        ):
            tag = match.group(0)
            # Canonical and alternate links name the site itself; nothing else may be remote.
            assert 'rel="canonical"' in tag or "stories.ogplocal.example" in tag, (path, tag)
    assert "fonts.googleapis" not in page(demo_site, "")


def test_search_index_has_the_stories(demo_site: Path):
    records = {r["meta"]["href"]: r for r in search_records(demo_site)}
    assert "lobby registry" in records["cases/madrid-lobby-registry/"]["content"].lower()
    assert "paridad" in records["cases/bogota-gender-parity/"]["content"]
    item = records["roundups/2023-11/#buenos-aires-childhood-index"]
    assert item["filters"]["kind"] == ["news"]
    assert item["filters"]["country"] == ["Argentina"]
    assert "participate/" in records  # the content pages too
    assert not (demo_site / "search").exists()  # Material's lunr index is gone
