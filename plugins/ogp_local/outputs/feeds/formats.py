"""Feeds: one entry model written as RSS 2.0 and Atom 1.0 (feedgen) and JSON Feed 1.1.

Knows nothing of MkDocs: the plugin hands it the catalog, the site's address
and the HTML of each story's body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from ogp_local.content.i18n import gettext as _
from ogp_local.content.model import Image, Roundup, Story
from ogp_local.outputs.serialize import json_bytes
from ogp_local.site.feedlist import MIME, Feed

_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
FULL_CONTENT_MAX = 200_000
"""Characters of HTML an entry carries in full; a longer story gets its summary and a
link (one pasted 30 MB document must not make every feed 30 MB)."""


@dataclass(frozen=True)
class Channel:
    """What every feed shares: the site."""

    site_name: str
    site_url: str
    """Absolute, ending in '/'."""
    description: str
    language: str
    logo: str = ""
    """Site-relative path of a PNG logo."""
    prefix: str = ""
    """Where the language's pages live: '' or 'es/'."""

    def absolute(self, path: str) -> str:
        return urljoin(self.site_url, path)

    def page(self, path: str) -> str:
        """The absolute address of a page of this language's site."""
        return urljoin(self.site_url, self.prefix + path)


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    categories: tuple[tuple[str, str], ...]
    """(slug, name) of each area."""
    image: tuple[str, str, int] | None = None
    """(absolute URL, MIME type, bytes) of the entry's picture."""
    members: tuple[str, ...] = ()
    language: str | None = None
    """The story's own language, when it is not the site's."""
    credit: str | None = None
    """Who took the story's photo, and its licence (Media RSS)."""
    license: str | None = None


def absolutize(html: str, base: str) -> str:
    """Every href and src in `html` made absolute against `base`; heading permalinks dropped."""
    html = _PERMALINK.sub("", html)
    return _URL_ATTR.sub(lambda m: m.group(1) + urljoin(base, m.group(2)) + m.group(3), html)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def entry(story: Story, channel: Channel, html: str | None, image: tuple | None) -> Entry:
    """The feed entry of a story. Its id is its address: editing the text keeps it."""
    url = channel.page(story.url)
    page = url.split("#", 1)[0]
    content = f"<p>{_escape(story.summary)}</p>"
    if html and len(html) > FULL_CONTENT_MAX:
        more = _escape(_("Read the whole story on the site."))
        content += f'<p><a href="{_escape(url)}">{more}</a></p>'
    elif html:
        content = absolutize(html.strip(), page)
    if isinstance(story, Roundup) and story.items:
        links = "".join(
            f'<li><a href="{channel.page(i.url)}">{_escape(i.title)}</a></li>' for i in story.items
        )
        content += f"<ol>{links}</ol>"
    published = _moment(story.date)
    return Entry(
        id=url,
        url=url,
        title=story.title,
        summary=story.summary,
        content_html=content,
        published=published,
        updated=_moment(story.updated) if story.updated else published,
        categories=tuple((a.slug, a.name) for a in story.areas),
        image=image,
        members=tuple(m.name for m in story.members),
        language=story.lang if story.lang != channel.language else None,
        credit=story.image.credit if story.image else None,
        license=story.image.license if story.image else None,
    )


def hero(image: Image | None, channel: Channel, size: int) -> tuple[str, str, int] | None:
    """The enclosure of a hero image, given its size in bytes."""
    if image is None:
        return None
    return (channel.absolute(image.path), image.mime, size)


# What makes readers (feedparser among them) take an RSS title for HTML: an end tag
# or an entity. Such a title is escaped, so it still reads as the text it is.
_LOOKS_LIKE_HTML = re.compile(r"</\w+>|&#?\w+;")


def _rss_title(title: str) -> str:
    return _escape(title) if _LOOKS_LIKE_HTML.search(title) else title


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _newest(entries: list[Entry], fallback: dt.datetime) -> dt.datetime:
    # The clock never enters a feed: builds stay reproducible.
    return max((e.updated for e in entries), default=fallback)


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class _AtomEntry(BaseEntryExtension):
    """What feedgen 1.0 cannot say in an Atom entry: a `<link rel="enclosure">` with
    its type and length, and the entry's own language (`xml:lang`)."""

    def __init__(self) -> None:
        self.value: tuple[str, str, int] | None = None
        self.language: str | None = None

    def set(self, url: str, mime: str, size: int) -> None:
        self.value = (url, mime, size)

    def extend_atom(self, entry):
        if self.value:
            url, mime, size = self.value
            link = etree.SubElement(entry, "link")  # feedgen builds Atom without prefixes
            link.attrib.update({"rel": "enclosure", "href": url, "type": mime, "length": str(size)})
        if self.language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        return entry


class _AtomEntryFeed(BaseExtension):
    pass


_MEDIA = "{http://search.yahoo.com/mrss/}"


class _PhotoCredit(BaseEntryExtension):
    """Media RSS `media:credit` and `media:license` of the story's photo, in RSS and
    Atom alike (feedgen's media extension has neither)."""

    def __init__(self) -> None:
        self.credit: str | None = None
        self.license: str | None = None

    def _extend(self, entry):
        if self.credit:
            credit = etree.SubElement(entry, f"{_MEDIA}credit")
            credit.set("role", "photographer")
            credit.text = self.credit
        if self.license:
            etree.SubElement(entry, f"{_MEDIA}license").text = self.license
        return entry

    extend_atom = extend_rss = _extend


class _PhotoCreditFeed(BaseExtension):
    pass


def _generator(feed: Feed, entries: list[Entry], channel: Channel) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    marked = feed.format == "rss" and any(e.language for e in entries)
    if marked:  # RSS has no language per item: Dublin Core's says it
        fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("atom_extras", _AtomEntryFeed, _AtomEntry, rss=False)
    fg.register_extension("photo_credit", _PhotoCreditFeed, _PhotoCredit)
    self_url = channel.absolute(feed.path)
    title = channel.site_name if not feed.page else f"{feed.title} — {channel.site_name}"
    fg.id(self_url)
    fg.title(title)
    fg.subtitle(feed.description)
    # feedgen gives RSS the last link added: the page, not the feed itself.
    fg.link(href=self_url, rel="self", type=MIME[feed.format])
    fg.link(href=channel.page(feed.page), rel="alternate")
    fg.language(channel.language)
    fg.author({"name": channel.site_name})
    if channel.logo:
        fg.logo(channel.absolute(channel.logo))
        fg.icon(channel.absolute(channel.logo))
    fg.generator("OGP Local Stories")
    newest = _newest(entries, _EPOCH)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    # feedgen puts the first entry added last: add oldest first to keep newest first.
    for e in reversed(entries):
        fe = fg.add_entry()
        fe.id(e.id)
        fe.guid(e.id, permalink=True)
        fe.title(_rss_title(e.title) if feed.format == "rss" else e.title)
        fe.link(href=e.url, rel="alternate")
        fe.published(e.published)
        fe.updated(e.updated)
        # RSS readers render <description> as HTML, Atom's <summary> is text: the
        # summary is text in both, so RSS gets it escaped.
        fe.summary(_escape(e.summary) if feed.format == "rss" else e.summary)
        fe.content(e.content_html, type="html")
        fe.atom_extras.language = e.language
        if marked and e.language:
            fe.dc.dc_language(e.language)
        fe.photo_credit.credit, fe.photo_credit.license = e.credit, e.license
        for slug, name in e.categories:
            fe.category(term=slug, label=name, scheme=channel.page("challenges/"))
        if e.image:
            url, mime, size = e.image
            fe.enclosure(url, str(size), mime)
            # feedgen 1.0 writes Atom links without their rel (so the enclosure would
            # read as an alternate): keep only the page link; _AtomEntry adds it.
            fe.link(href=e.url, rel="alternate", replace=True)
            fe.atom_extras.set(url, mime, size)
            fe.media.content({"url": url, "type": mime, "fileSize": str(size), "medium": "image"})
    return fg


def render(feed: Feed, entries: list[Entry], channel: Channel) -> bytes:
    """The feed file's bytes."""
    if feed.format == "json":
        return json_feed(feed, entries, channel)
    fg = _generator(feed, entries, channel)
    if feed.format == "rss":
        return fg.rss_str(pretty=True)
    return fg.atom_str(pretty=True)


def json_feed(feed: Feed, entries: list[Entry], channel: Channel) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    data: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.site_name if not feed.page else f"{feed.title} — {channel.site_name}",
        "home_page_url": channel.page(feed.page),
        "feed_url": channel.absolute(feed.path),
        "description": feed.description,
        "language": channel.language,
        "authors": [{"name": channel.site_name, "url": channel.site_url}],
    }
    if channel.logo:
        data["icon"] = data["favicon"] = channel.absolute(channel.logo)
    items = []
    for e in entries:
        item: dict[str, object] = {
            "id": e.id,
            "url": e.url,
            "title": e.title,
            "summary": e.summary,
            "content_html": e.content_html,
            "date_published": e.published.isoformat(),
            "date_modified": e.updated.isoformat(),
            "tags": [name for _, name in e.categories],
        }
        if e.language:
            item["language"] = e.language
        if e.image:
            item["image"] = e.image[0]
            item["attachments"] = [
                {"url": e.image[0], "mime_type": e.image[1], "size_in_bytes": e.image[2]}
            ]
        items.append(item)
    data["items"] = items
    return json_bytes(data)
