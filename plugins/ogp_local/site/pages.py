"""Which pages the stories make: one plan entry per page, knowing nothing of MkDocs.

The plugin turns each entry into a MkDocs page; the renderer fills it from the
theme's `partials/ogp/` templates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ogp_local.content.dates import month_abbr
from ogp_local.content.i18n import gettext as _
from ogp_local.content.model import Roundup, Story
from ogp_local.site import charts
from ogp_local.site.catalog import Catalog
from ogp_local.site.feedlist import Feed
from ogp_local.site.trends import Trends

ITEM_MARKER = "<!-- ogp:item {slug} -->"


@dataclass
class Planned:
    src_uri: str
    """Where the page pretends to live in docs_dir, e.g. `cases/madrid.md`."""
    title: str
    """Plain text; escaped by the plugin before Material sees it."""
    template: str
    """The `partials/ogp/` template that lays out the page's content."""
    context: dict = field(default_factory=dict)
    markdown: str = ""
    """Markdown that MkDocs renders into the page body (a story's text)."""
    description: str = ""
    story: Story | None = None
    prev_uri: str | None = None
    next_uri: str | None = None
    listing: bool = True
    """A listing (not a story): full width, kept out of search results."""
    generated: bool = False
    """True when no file of docs_dir stands in for the page (the build made it)."""
    lang: str = ""
    """The language of the site the page belongs to."""
    prefix: str = ""
    """Where that site's pages live: '' or 'es/'."""

    def meta(self) -> dict:
        """The page settings Material reads from front matter."""
        meta: dict = {"title": self.title}
        if self.description:
            meta["description"] = self.description
        meta["hide"] = ["navigation", "toc"] if self.listing else ["navigation"]
        if self.listing and self.generated:
            # A list of titles is noise in search results, and parsing thousands of
            # listing pages for the index is most of a large build's search cost.
            meta["search"] = {"exclude": True}
        return meta


def url_of(src_uri: str) -> str:
    """The site-relative URL of a page at `src_uri` (directory URLs: `cases/x.md` → `cases/x/`)."""
    path = src_uri.removesuffix(".md").removesuffix("index")
    return path if not path or path.endswith("/") else path + "/"


def _paginate(base: str, stories: list[Story], per_page: int) -> list[tuple[str, list[Story]]]:
    count = max(1, math.ceil(len(stories) / per_page))
    pages = []
    for number in range(1, count + 1):
        uri = f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"
        pages.append((uri, stories[(number - 1) * per_page : number * per_page]))
    return pages


def _paginated(
    base: str,
    title: str,
    template: str,
    stories: list[Story],
    per_page: int,
    description: str,
    **context,
) -> list[Planned]:
    chunks = _paginate(base, stories, per_page)
    planned = []
    for number, (uri, chunk) in enumerate(chunks, 1):
        planned.append(
            Planned(
                uri,
                title
                if number == 1
                else _("{title} — page {number}").format(title=title, number=number),
                template,
                dict(
                    context,
                    stories=chunk,
                    page_number=number,
                    page_count=len(chunks),
                    total=len(stories),
                ),
                description=description,
            )
        )
    for before, after in zip(planned, planned[1:], strict=False):
        before.next_uri, after.prev_uri = after.src_uri, before.src_uri
    return planned


def roundup_markdown(roundup: Roundup) -> str:
    """The month's introduction, then each item's body after a marker the renderer splits on."""
    parts = [roundup.body.strip()]
    for item in roundup.items:
        parts.append(ITEM_MARKER.format(slug=item.slug))
        parts.append(item.body.strip())
    return "\n\n".join(parts) + "\n"


def story_page(story: Story) -> Planned:
    """The page of a case study, or of a month's roundup (its items are sections)."""
    if isinstance(story, Roundup):
        uri, template, markdown = (
            f"roundups/{story.month}/index.md",
            "roundup.html",
            roundup_markdown(story),
        )
    else:
        uri, template, markdown = f"cases/{story.slug}.md", "case.html", story.body
    return Planned(
        uri,
        story.title,
        template,
        markdown=markdown,
        description=story.summary,
        story=story,
        listing=False,
    )


def plan(
    catalog: Catalog,
    *,
    per_page: int = 20,
    latest: int = 6,
    feeds: Sequence[Feed] = (),
    cards: dict | None = None,
    trends: Trends | None = None,
    data: dict | None = None,
    finder: dict | None = None,
) -> list[Planned]:
    """Every page the stories make, in a stable order: the listings, the pages a
    setting may turn off, each story's page, each area's and member's pages, and the
    trends, circles and open data."""
    planned = _listings(catalog, per_page, latest, trends)
    planned += _optional(feeds, cards, finder)
    planned += [story_page(case) for case in catalog.cases]
    planned += [story_page(roundup) for roundup in catalog.roundups]
    planned += _groups(catalog, per_page, feeds, trends)
    return planned + _extras(catalog, trends, data)


def _listings(catalog: Catalog, per_page: int, latest: int, trends: Trends | None) -> list[Planned]:
    """Home, the case studies and roundups (paginated), the areas and members."""
    return [
        Planned(
            "index.md",
            _("Home"),
            "home.html",
            {
                "latest": [s for s in catalog.stories if s.kind != "roundup"][:latest],
                "roundup": catalog.roundups[0] if catalog.roundups else None,
                "trending": trends.rising[:3] if trends else [],
            },
            description="",
            listing=False,
        ),
        *_paginated(
            "cases",
            _("Case studies"),
            "cases.html",
            catalog.cases,
            per_page,
            _("Case studies of open government reforms by OGP Local members."),
        ),
        *_paginated(
            "roundups",
            _("Local Roundups"),
            "roundups.html",
            catalog.roundups,
            per_page,
            _("Monthly news from OGP Local members."),
        ),
        Planned(
            "challenges/index.md",
            _("Challenge areas"),
            "challenges.html",
            {},
            description=_("The ten areas of the Open Gov Challenge and the stories in each."),
        ),
        Planned(
            "members/index.md",
            _("Members"),
            "members.html",
            {"members": catalog.members},
            description=_("Every OGP Local member with a story on this site."),
        ),
    ]


def _optional(feeds: Sequence[Feed], cards: dict | None, finder: dict | None) -> list[Planned]:
    """The story finder, the subscribe page and the downloads page, where they are on."""
    planned: list[Planned] = []
    if finder is not None:
        planned.append(
            Planned(
                "stories/index.md",
                _("Find stories"),
                "stories.html",
                finder,
                description=_(
                    "Search every story, and narrow it down by challenge area, "
                    "country, member, year, kind and language."
                ),
            )
        )
    if feeds:
        planned.append(
            Planned(
                "subscribe/index.md",
                _("Subscribe"),
                "subscribe.html",
                {"feeds": list(feeds)},
                description=_("Follow OGP Local Stories in your feed reader."),
            )
        )
    if cards:
        planned.append(
            Planned(
                "cards/index.md",
                _("Social media cards"),
                "cards.html",
                {"sets": cards},
                description=_(
                    "Cards in three sizes, alt text and suggested posts for every story."
                ),
            )
        )
    return planned


def _groups(
    catalog: Catalog, per_page: int, feeds: Sequence[Feed], trends: Trends | None
) -> list[Planned]:
    """Every story of each area and of each member, newest first, paginated."""
    planned: list[Planned] = []
    area_feeds = {f.page: f.path for f in feeds if f.group == "area"}
    for area in catalog.areas:
        planned += _paginated(
            f"challenges/{area.slug}",
            area.name,
            "area.html",
            catalog.area_stories(area),
            per_page,
            area.description,
            area=area,
            feed=area_feeds.get(area.url, ""),
            spark=_sparkline(trends, area) if trends else None,
        )
    for member in catalog.members:
        planned += _paginated(
            f"members/{member.slug}",
            member.name,
            "member.html",
            member.stories,
            per_page,
            _("Open government stories from {member}, {country}.").format(
                member=member.name, country=member.country
            ),
            member=member,
        )
    return planned


def _extras(catalog: Catalog, trends: Trends | None, data: dict | None) -> list[Planned]:
    """Trends, Local Circles and the open data page."""
    planned = []
    if trends is not None:
        planned.append(
            Planned(
                "trends/index.md",
                _("Trends"),
                "trends.html",
                {"trends": trends},
                description=_(
                    "Stories per challenge area over time, the "
                    "areas rising now, and the most active countries and members."
                ),
            )
        )
    if catalog.circles:
        planned.append(
            Planned(
                "circles/index.md",
                _("Local Circles"),
                "circles.html",
                {"circles": catalog.circles},
                description=_("OGP Local members paired to learn from each other on one theme."),
            )
        )
    for circle in catalog.circles:
        groups = []
        for member in circle.members:
            page = catalog.member_page(member)
            wanted = set(circle.areas)
            groups.append((page, [s for s in page.stories if wanted & set(s.areas)]))
        planned.append(
            Planned(
                f"circles/{circle.slug}.md",
                circle.name,
                "circle.html",
                {"circle": circle, "groups": groups},
                description=f"{circle.name}: {circle.theme}",
                listing=False,
            )
        )
    if data:
        planned.append(
            Planned(
                "data/index.md",
                _("Open data"),
                "data.html",
                data,
                description=_("Every published story as open data, in JSON and CSV."),
            )
        )
    return planned


def _sparkline(trends: Trends, area) -> Markup | None:
    """An area's stories per month, drawn once for all the pages of its listing."""
    values = trends.per_area[area.slug]
    if not trends.months:
        return None
    first, last = month_abbr(trends.months[0]), month_abbr(trends.months[-1])
    title = _(
        "{area}: stories per month, {first} to {last} ({total} in all, at most {most} in a month)"
    ).format(area=area.name, first=first, last=last, total=sum(values), most=max(values))
    return charts.sparkline(f"spark-{area.slug}", title, values, area.colour)
