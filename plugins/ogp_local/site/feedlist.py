"""Which feeds the site has: every feed file, its format, title and stories, in a
stable order, for each language's site. The pages link them (the subscribe page, each
page's `<link rel="alternate">`); outputs/feeds writes them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ogp_local.content import i18n
from ogp_local.content.i18n import gettext as _
from ogp_local.content.model import Story
from ogp_local.site.catalog import Catalog

FORMATS = ("rss", "atom", "json")
MIME = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
"""Each format's file name, in every folder that has a feed (web servers type them by it)."""


@dataclass(frozen=True)
class Feed:
    """One feed file: which stories, in which format, about which page."""

    path: str
    """Site-relative, e.g. `feed.xml`, `challenges/justice/feed.xml`."""
    format: str
    title: str
    description: str
    page: str
    """The site-relative page the feed follows, e.g. `challenges/justice/`."""
    stories: tuple[Story, ...] = field(repr=False)
    explanation: str = ""
    """One line for the subscribe page."""
    group: str = "all"
    """`all`, `kind` (case studies or roundups) or `area`: how the subscribe page groups it."""
    lang: str = ""
    """The language of the site the feed belongs to."""


def plan(catalog: Catalog, formats: Iterable[str], size: int, prefix: str = "") -> list[Feed]:
    """Every feed of the site (of one language's site, under `prefix`), in a stable
    order, titled in the active language."""
    formats = [f for f in FORMATS if f in set(formats)]
    everything = tuple(catalog.stories[:size])
    feeds = []
    lang = i18n.active()
    for fmt in formats:
        feeds.append(
            Feed(
                prefix + FILES[fmt],
                fmt,
                _("All stories"),
                _("Case studies, roundups and news from OGP Local members."),
                "",
                everything,
                _("Every new case study, roundup and roundup item ({format}).").format(
                    format=LABELS[fmt]
                ),
                lang=lang,
            )
        )
    if "rss" in formats:
        feeds.append(
            Feed(
                prefix + "cases/feed.xml",
                "rss",
                _("Case studies"),
                _("Case studies of open government reforms by OGP Local members."),
                "cases/",
                tuple(catalog.cases[:size]),
                _("Only the case studies."),
                "kind",
                lang=lang,
            )
        )
        feeds.append(
            Feed(
                prefix + "roundups/feed.xml",
                "rss",
                _("Local Roundups"),
                _("Monthly news from OGP Local members."),
                "roundups/",
                tuple(catalog.roundups[:size]),
                _("One entry a month: the Local Roundup."),
                "kind",
                lang=lang,
            )
        )
        for area in catalog.areas:
            feeds.append(
                Feed(
                    f"{prefix}{area.url}feed.xml",
                    "rss",
                    area.name,
                    area.description,
                    area.url,
                    tuple(catalog.area_stories(area)[:size]),
                    _("Case studies and news in {area}.").format(area=area.name),
                    "area",
                    lang=lang,
                )
            )
    return feeds
