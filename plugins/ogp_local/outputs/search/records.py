"""The site's search: a Pagefind index of every story and page, made by the build.

Pagefind splits its index into chunks that a browser loads on demand, so a first
search costs the same few hundred kilobytes at 100 stories as at 20,000 (Material's
lunr search downloads one index of every page before its first result). The build
knows each story's fields, so it does not let Pagefind guess them from themed
HTML: it writes one small document per search record — a story, a roundup item
(a section of its month's page), a content page, an area, a member, a circle —
carrying the filters the story finder offers (area, country, member, year, kind,
language) and the fields a result shows; pagefind.py runs Pagefind's own binary on
them.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from ogp_local.content.dates import long_date
from ogp_local.content.i18n import N_, language_name, ngettext
from ogp_local.content.i18n import gettext as _
from ogp_local.content.model import Case, Item, Story
from ogp_local.site.catalog import Catalog

KIND_LABELS = {
    "case": N_("Case study"),
    "roundup": N_("Local Roundup"),
    "news": N_("News"),
    "video": N_("Video"),
    "blog": N_("Blog post"),
    "face": N_("Faces of Open Gov"),
}
"""The story finder's kinds: the filter's value → what a reader reads (translated)."""
_TAG = re.compile(r"<[^>]*>")
# Not text a reader reads: scripts, styles, and the headings' permalink signs (¶).
_HIDDEN = re.compile(
    r"<(script|style|template)\b.*?</\1\s*>|<a\b[^>]*\bheaderlink\b[^>]*>.*?</a>",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Record:
    """One search result: where it leads, its words, what it shows, how it filters."""

    href: str
    """Site-relative address, e.g. `cases/x/` or `roundups/2023-11/#item`."""
    title: str
    text: str
    meta: tuple[tuple[str, str], ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    lang: str = ""
    """The story's own language, where it is not the site's."""
    site: str = ""
    """The language of the site the record belongs to: each has its own index."""


def text_of(body_html: str) -> str:
    """A rendered body as one line of text (bodies are trusted Markdown output)."""
    return " ".join(html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", body_html))).split())


def kind_of(story: Story) -> str:
    if isinstance(story, Item):
        return story.item_kind
    return "case" if isinstance(story, Case) else "roundup"


def story_record(
    story: Story, text: str, catalog: Catalog, language: str, prefix: str = ""
) -> Record:
    pages = [catalog.member_page(m) for m in story.members]
    kind = kind_of(story)
    areas = [[a.slug, a.name, a.colour] for a in story.areas]
    meta = {
        "kind": _(KIND_LABELS[kind]),
        "member": ", ".join(p.name for p in pages),
        "country": ", ".join(dict.fromkeys(p.country for p in pages)),
        "date": long_date(story.date),
        "areas": json.dumps(areas, ensure_ascii=False) if areas else "",
        "summary": story.summary,
    }
    filters = [("kind", kind), ("year", str(story.date.year))]
    filters += [("area", a.slug) for a in story.areas]
    filters += [("country", c) for c in dict.fromkeys(p.country for p in pages)]
    filters += [("member", slug) for slug in dict.fromkeys(p.slug for p in pages)]
    return Record(
        prefix + story.url,
        story.title,
        text,
        tuple((k, v) for k, v in meta.items() if v),
        tuple(filters),
        story.lang if story.lang and story.lang != language else "",
        language,
    )


def catalog_records(
    catalog: Catalog, texts: dict[Story, str], language: str, prefix: str = ""
) -> list[Record]:
    """Every story, area, member and circle of one language's site (under `prefix`), in
    a fixed order (builds are reproducible), in the active language."""
    records = [
        story_record(story, texts.get(story, story.summary), catalog, language, prefix)
        for story in catalog.stories
    ]
    for area in catalog.areas:
        count = len(catalog.area_stories(area))
        summary = ngettext("{count} story", "{count} stories", count).format(count=count)
        records.append(
            Record(
                prefix + area.url,
                area.name,
                area.description,
                (("kind", _("Challenge area")), ("summary", summary)),
                site=language,
            )
        )
    for page in catalog.members:
        records.append(
            Record(
                prefix + page.url,
                page.name,
                f"{page.name}, {page.country}",
                (("kind", _("Member")), ("country", page.country)),
                site=language,
            )
        )
    for circle in catalog.circles:
        records.append(
            Record(
                prefix + circle.url,
                circle.name,
                f"{circle.theme} {text_of(circle.body)}",
                (("kind", _("Local Circle")), ("summary", circle.theme)),
                site=language,
            )
        )
    return records


@dataclass(frozen=True)
class Filter:
    """One of the story finder's filters: the address's key and its choices."""

    key: str
    label: str
    anyone: str
    """The choice that filters nothing, e.g. "All areas"."""
    choices: tuple[tuple[str, str], ...]
    """(value in the address and the index, what the reader reads)."""


def filters(catalog: Catalog, language: str) -> list[Filter]:
    """What the finder offers, from what the stories hold (no empty choice)."""
    stories = catalog.stories
    kinds = {kind_of(s) for s in stories}
    languages = sorted({s.lang or language for s in stories})
    pages = sorted({p.slug: p for p in catalog.members}.values(), key=lambda p: p.name)
    return [
        Filter(
            "area",
            _("Challenge area"),
            _("All areas"),
            tuple((a.slug, a.name) for a in catalog.areas if catalog.area_stories(a)),
        ),
        Filter(
            "country",
            _("Country"),
            _("All countries"),
            tuple((c, c) for c in sorted({c for s in stories for c in s.countries})),
        ),
        Filter("member", _("Member"), _("All members"), tuple((p.slug, p.name) for p in pages)),
        Filter(
            "year",
            _("Year"),
            _("All years"),
            tuple((y, y) for y in sorted({str(s.date.year) for s in stories}, reverse=True)),
        ),
        Filter(
            "kind",
            _("Kind"),
            _("All kinds"),
            tuple((k, _(label)) for k, label in KIND_LABELS.items() if k in kinds),
        ),
        Filter(
            "lang",
            _("Language"),
            _("All languages"),
            tuple((code, language_name(code)) for code in languages),
        ),
    ]
