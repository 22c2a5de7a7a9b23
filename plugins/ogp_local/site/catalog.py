"""The index of everything: stories newest first, by area, by member, by month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slugify import slugify

from ogp_local.cache import dependencies
from ogp_local.content.areas import Areas
from ogp_local.content.members import canonical_spellings
from ogp_local.content.model import Area, Case, Circle, Item, Member, Roundup, Story

if TYPE_CHECKING:
    from ogp_local.content.library import Content

_KIND_ORDER = {"roundup": 0, "case": 1, "item": 2}


def newest_first(story: Story) -> tuple:
    """Sort key: newest date first; in a month, the roundup, then cases, then items in order."""
    order = getattr(story, "order", None)
    return (
        -story.date.toordinal(),
        _KIND_ORDER[story.kind],
        getattr(story, "month", ""),
        order is None,
        order or 0,
        story.slug,
    )


@dataclass
class MemberPage:
    """A member and its stories (case studies and roundup items), newest first."""

    slug: str
    name: str
    country: str
    stories: list[Story] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    lang: str = ""
    """The language of the site this catalog is for."""

    @property
    def url(self) -> str:
        return f"members/{self.slug}/"


@dataclass
class Catalog:
    areas: Areas
    cases: list[Case]
    roundups: list[Roundup]
    items: list[Item]
    stories: list[Story]
    """Case studies, roundups and roundup items, newest first."""
    by_area: dict[str, list[Story]]
    """Area slug → its case studies and roundup items, newest first."""
    members: list[MemberPage]
    """Sorted by name."""
    member_of: dict[tuple[str, str], MemberPage]
    circles: list[Circle] = field(default_factory=list)

    @classmethod
    def build(cls, content: Content, areas: Areas, circles: Sequence[Circle] = ()) -> Catalog:
        cases = sorted(content.cases, key=newest_first)
        roundups = sorted(content.roundups, key=newest_first)
        items = sorted((i for r in roundups for i in r.items), key=newest_first)
        tagged = sorted([*cases, *items], key=newest_first)
        by_area: dict[str, list[Story]] = {a.slug: [] for a in areas}
        for story in tagged:
            for area in story.areas:
                by_area[area.slug].append(story)
        members, member_of = _members(tagged, [m for c in circles for m in c.members])
        for circle in circles:
            for member in circle.members:
                member_of[member.key].circles.append(circle)
        return cls(
            areas,
            cases,
            roundups,
            items,
            sorted([*cases, *roundups, *items], key=newest_first),
            by_area,
            members,
            member_of,
            list(circles),
        )

    def member_page(self, member: Member) -> MemberPage:
        dependencies.note("member", self.lang, *member.key)
        return self.member_of[member.key]

    def area_stories(self, area: Area) -> list[Story]:
        return self.by_area[area.slug]

    def counts(self) -> dict[str, int]:
        dependencies.note("counts", self.lang)
        return {slug: len(stories) for slug, stories in self.by_area.items()}


def _members(
    stories: list[Story], others: Sequence[Member] = ()
) -> tuple[list[MemberPage], dict[tuple[str, str], MemberPage]]:
    """One page per member (name, country); a name shared by two countries gets the
    country in its slug (Córdoba, Argentina and Córdoba, Spain). `others` (members of
    Local Circles) get a page even before their first story. No two pages share an
    address: a story is never lost from a member page."""
    grouped: dict[tuple[str, str], list[Story]] = defaultdict(list)
    named = [m for story in stories for m in dict.fromkeys(story.members)]
    for story in stories:
        for key in dict.fromkeys(m.key for m in story.members):
            grouped[key].append(story)
    for member in others:
        grouped.setdefault(member.key, [])
    spelling = canonical_spellings([*named, *others])
    by_slug: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in sorted(grouped):
        by_slug[slugify(spelling[key].name) or "member"].append(key)
    pages: list[MemberPage] = []
    member_of: dict[tuple[str, str], MemberPage] = {}
    taken: set[str] = set()
    for slug, keys in sorted(by_slug.items()):
        for key in keys:
            member = spelling[key]
            page_slug = slug if len(keys) == 1 else slugify(f"{member.name} {member.country}")
            page_slug = _free(page_slug or "member", taken)
            page = MemberPage(page_slug, member.name, member.country, grouped[key])
            pages.append(page)
            member_of[key] = page
    pages.sort(key=lambda p: (p.name.casefold(), p.country.casefold(), p.slug))
    return pages, member_of


def _free(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… when another page has it already."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
