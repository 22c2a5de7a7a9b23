"""Lays out page content with the theme's `partials/ogp/` templates.

Our own Jinja environment, with autoescaping on: front matter text can hold
`<script>`, quotes or ampersands, and it is escaped wherever it lands. Only
HTML we produced (the Markdown body MkDocs rendered) is passed in as Markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from ogp_local.cache.stores import Kept
from ogp_local.content.dates import long_date, month_abbr
from ogp_local.content.i18n import active, install_gettext
from ogp_local.content.model import Roundup
from ogp_local.content.urls import relative_url
from ogp_local.content.video import embed_url
from ogp_local.site import charts
from ogp_local.site.catalog import Catalog
from ogp_local.site.feedlist import LABELS, MIME, Feed
from ogp_local.site.pages import Planned, url_of

_MARKER = re.compile(r"<!-- ogp:item ([a-z0-9-]+) -->")


def split_items(html: str) -> tuple[Markup, dict[str, Markup]]:
    """Split a roundup page's rendered body into its introduction and item bodies."""
    parts = _MARKER.split(html)
    intro, bodies = parts[0], {}
    for slug, body in zip(parts[1::2], parts[2::2], strict=True):
        bodies[slug] = Markup(body)
    return Markup(intro), bodies


def template_cache(folder: Path | None) -> FileSystemBytecodeCache | None:
    """Compiled templates kept between builds (Jinja checks each against its source):
    compiling Material's and our templates is a fixed cost of every build."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


_FRAGMENTS = Kept("fragments")
"""Parts of pages kept for the next build of this process (`serve`): digest → HTML."""


def forget_fragments() -> None:
    """Keep only the parts the last build used."""
    _FRAGMENTS.forget_unused()


class Renderer:
    def __init__(
        self,
        theme_dirs: Sequence[str],
        catalog: Catalog,
        site_name: str,
        *,
        newsletter: bool = False,
        compiled: Path | None = None,
    ) -> None:
        self.env = Environment(
            loader=FileSystemLoader(list(theme_dirs)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # one build: templates do not change under us
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=template_cache(compiled),
        )
        install_gettext(self.env)
        self.salt: str | None = None
        """A digest of the code, settings and templates; None: nothing is kept (_kept)."""
        self.env.filters["long_date"] = long_date
        self.env.filters["month_name"] = month_abbr
        self.env.globals["charts"] = charts
        self.env.globals["embed"] = embed_url
        self.env.globals.update(
            catalog=catalog, areas=catalog.areas, site_name=site_name, newsletter=newsletter
        )

    def page(self, planned: Planned, page_url: str, body_html: str) -> str:
        """The HTML of a planned page's content; `body_html` is what MkDocs rendered."""
        context = dict(
            planned.context,
            planned=planned,
            story=planned.story,
            # A page of this language's site (`cases/`), or an exact path (`cards/x.png`).
            url=lambda target: relative_url(planned.prefix + target, page_url),
            at=lambda target: relative_url(target, page_url),
            page_url=page_url,
            kept=lambda macro, value: self._kept(macro, value, page_url),
        )
        if isinstance(planned.story, Roundup):
            context["intro"], context["item_bodies"] = split_items(body_html)
        else:
            context["body"] = Markup(body_html)
        for key, uri in (("prev_url", planned.prev_uri), ("next_url", planned.next_uri)):
            context[key] = relative_url(url_of(uri), page_url) if uri else None
        return self.env.get_template(f"partials/ogp/{planned.template}").render(context)

    def _kept(self, macro, value, page_url: str) -> Markup:
        """`macro(value)` as rendered before for the same value on the same page, in the
        same language, under the same code and templates (`salt`): a preview renders
        the downloads page's thousands of entries once, not at every save."""
        return _FRAGMENTS.made_from(self.salt, (active(), page_url, value), lambda: macro(value))

    def head(
        self,
        planned: Planned | None,
        page_url: str,
        alternates: Sequence[Feed],
        *,
        site_url: str | None = None,
        card=None,
        languages: Sequence[tuple[str, str]] = (),
    ) -> str:
        """Head links: prev/next of listings, the feeds that follow this page, the page
        in every language (hreflang, and x-default for the default's), and the Open
        Graph and Twitter tags of a story page."""
        links = []
        base = (site_url or "").rstrip("/") + "/" if site_url else ""
        for lang, url in languages:
            href = base + url if base else relative_url(url, page_url)
            links.append(
                Markup('<link rel="alternate" hreflang="{}" href="{}">').format(lang, href)
            )
        if languages:
            lang, url = languages[0]
            href = base + url if base else relative_url(url, page_url)
            links.append(
                Markup('<link rel="alternate" hreflang="x-default" href="{}">').format(href)
            )
        if card is not None and site_url:
            links += self._social(planned, page_url, site_url, card)
        for rel, uri in (
            ("prev", planned and planned.prev_uri),
            ("next", planned and planned.next_uri),
        ):
            if uri:
                href = relative_url(url_of(uri), page_url)
                links.append(Markup('<link rel="{}" href="{}">').format(rel, href))
        # The page's own feed first: readers offer the first one. Relative addresses,
        # so a preview served anywhere never reaches for the production host.
        for feed in sorted(alternates, key=lambda f: not f.page):
            title = f"{feed.title} ({LABELS[feed.format]})"
            links.append(
                Markup('<link rel="alternate" type="{}" title="{}" href="{}">').format(
                    MIME[feed.format], title, relative_url(feed.path, page_url)
                )
            )
        return Markup("\n").join(links)

    def untranslated(self, written: str, html: str) -> str:
        """A content page shown as written in another language: marked, with a note."""
        return self.env.get_template("partials/ogp/untranslated.html").render(
            written=written, body=Markup(html)
        )

    def _social(self, planned: Planned, page_url: str, site_url: str, card) -> list[Markup]:
        base = site_url if site_url.endswith("/") else site_url + "/"
        image = f"{base}cards/{card.files['1200x630']}"
        tags = [
            ("property", "og:type", "article"),
            ("property", "og:site_name", self.env.globals["site_name"]),
            ("property", "og:title", planned.title),
            ("property", "og:description", planned.description),
            ("property", "og:url", base + page_url),
            ("property", "og:image", image),
            ("property", "og:image:type", "image/jpeg" if image.endswith(".jpg") else "image/png"),
            ("property", "og:image:width", "1200"),
            ("property", "og:image:height", "630"),
            ("property", "og:image:alt", card.alt),
            ("name", "twitter:card", "summary_large_image"),
            ("name", "twitter:title", planned.title),
            ("name", "twitter:description", planned.description),
            ("name", "twitter:image", image),
            ("name", "twitter:image:alt", card.alt),
        ]
        story = planned.story
        if story is not None:
            tags.append(("property", "article:published_time", story.date.isoformat()))
            tags += [("property", "article:tag", area.name) for area in story.areas]
        return [
            Markup('<meta {}="{}" content="{}">').format(kind, name, value)
            for kind, name, value in tags
        ]
