"""The render stage of a build: what MkDocs asks of it while it renders each page —
the page's front matter (escaped), its content laid into our templates, its head and
its context — and what the rest of the build keeps of each page (its body for the
feeds, its text for the search). Functions of the SiteBuild, knowing nothing of MkDocs.
"""

from __future__ import annotations

import html as html_module
from collections.abc import MutableMapping

from markupsafe import escape

from ogp_local.build.site_build import SiteBuild
from ogp_local.content import i18n
from ogp_local.content.model import Roundup, text_direction
from ogp_local.content.urls import relative_url
from ogp_local.outputs.search.records import text_of
from ogp_local.site.pages import Planned
from ogp_local.site.render import split_items


def link_context(build: SiteBuild, src_uri: str, from_docs: bool) -> tuple | None:
    """What a page's links written as repository paths are resolved against: the
    Markdown file it is made of, its address, its language's prefix (None: a page of
    no file, whose links are left alone)."""
    real = build.source_of(src_uri, from_docs=from_docs)
    if real is None:
        return None
    return real, src_uri, build.sites.prefix(build.sites.language_of(src_uri))


def has_hero(build: SiteBuild, src_uri: str) -> bool:
    """The page opens with its story's photo (then no image of its body loads eagerly)."""
    planned = build.pages.get(src_uri)
    return bool(planned is not None and planned.story is not None and planned.story.image)


def page_meta(build: SiteBuild, src_uri: str, meta: MutableMapping) -> None:
    """A page's front matter as the theme reads it: a planned page's title and
    description, and every title and description escaped — Material puts them into
    the HTML as they are, for stories and for every other page alike."""
    planned = build.pages.get(src_uri)
    if planned is not None:
        for key, value in planned.meta().items():
            meta.setdefault(key, value)
    for key in ("title", "description"):
        if key in meta:
            meta[key] = str(escape(str(meta[key])))


def item_anchors(build: SiteBuild, src_uri: str) -> list[tuple[str, str]]:
    """A roundup month's items as (anchor, escaped title): sections of its page."""
    planned = build.pages.get(src_uri)
    if planned is None or not isinstance(planned.story, Roundup):
        return []
    return [(item.slug, str(escape(item.title))) for item in planned.story.items]


def content_of(build: SiteBuild, src_uri: str, page_url: str, title: str, html: str) -> str:
    """A page's content, as MkDocs hands over its Markdown rendered as `html` (`title`
    as the page's title, escaped)."""
    planned = build.pages.get(src_uri)
    if planned is None:
        return _page_content(build, src_uri, page_url, html_module.unescape(title), html)
    return _story_content(build, planned, page_url, html)


def _story_content(build: SiteBuild, planned: Planned, page_url: str, html: str) -> str:
    """The page's content: `html` (its rendered Markdown) laid into its template. A
    page whose text comes from docs_dir untranslated (the home page's introduction
    on the Spanish site) gets it marked with its language."""
    _keep_bodies(build, planned, html)
    written = build.sites.written.get(planned.src_uri)
    if planned.story is None and html.strip() and written and written != planned.lang:
        html = build.renderer.untranslated(written, html)
    return build.renderer.page(planned, page_url, html)


def _page_content(build: SiteBuild, src_uri: str, page_url: str, title: str, html: str) -> str:
    """A page of docs_dir that is no story (about, how to participate): searchable,
    and marked with its language where nobody translated it. Returns its HTML."""
    lang = build.sites.language_of(src_uri)
    if build.settings.search.enabled:
        with i18n.using(lang):
            kind = i18n.gettext("Page")
        build.kept[src_uri] = {"record": [page_url, title, text_of(html), kind]}
    written = build.sites.written.get(src_uri, lang)
    if written == lang:
        return html
    with i18n.using(lang):
        return build.renderer.untranslated(written, html)


def _keep_bodies(build: SiteBuild, planned: Planned, html: str) -> None:
    """What the rest of the build takes from a story's page: the body (for the feeds),
    the introduction (for the email edition) and the text (for the search); kept per
    page, so that a page the next build does not render again still gives it."""
    story = planned.story
    if story is None:
        return
    kept: dict = {}
    if isinstance(story, Roundup):
        html, bodies = split_items(html)
        held = {item.slug: bodies.get(item.slug, "") for item in story.items}
        kept["items"] = {slug: {"html": body, "text": text_of(body)} for slug, body in held.items()}
    kept["html"], kept["text"] = html, text_of(html)
    build.kept[planned.src_uri] = kept


def head_html(build: SiteBuild, planned: Planned | None, src_uri: str, page_url: str) -> str:
    """Head links of a page: its feeds, prev/next, its versions in the other
    languages, and a story's social tags."""
    lang = build.sites.language_of(src_uri)
    base = page_url.removeprefix(build.sites.prefix(lang))
    alternates = [
        f for f in build.feeds if f.lang == lang and (not f.page or base.startswith(f.page))
    ]
    card = build.card_sets.get(planned.story) if planned and planned.story else None
    return build.renderer.head(
        planned,
        page_url,
        alternates,
        site_url=build.settings.site.site_url,
        card=card,
        languages=build.sites.versions_of(src_uri),
    )


def page_context(build: SiteBuild, src_uri: str, page_url: str) -> dict:
    """What our templates read of a page: its head links, language and direction,
    its language's prefix and the switcher's links to its versions."""
    lang = build.sites.language_of(src_uri)
    return {
        "ogp_head": head_html(build, build.pages.get(src_uri), src_uri, page_url),
        **language_context(build, lang),
        "ogp_languages": [
            {
                "code": code,
                "name": i18n.own_name(code),
                "href": relative_url(url, page_url),
                "current": code == lang,
            }
            for code, url in build.sites.versions_of(src_uri)
        ],
    }


def language_context(build: SiteBuild, lang: str) -> dict:
    """What our templates read of a language's site: its tag, direction and prefix."""
    return {
        "ogp_lang": lang,
        "ogp_dir": text_direction(lang),
        "ogp_prefix": build.sites.prefix(lang),
    }


def template_globals(build: SiteBuild, values: MutableMapping) -> None:
    """The globals every template may use: whether the header has a search box, and
    each page's versions as absolute addresses (for hreflang links)."""
    values["ogp_search"] = build.settings.search.enabled
    site_url = (build.settings.site.site_url or "").rstrip("/") + "/"
    values["ogp_alternates"] = lambda uri: [
        (lang, site_url + url) for lang, url in build.sites.versions_of(uri)
    ]
