"""The MkDocs adapter: each event hands over to the modules that do the work.

files → stories (content) → catalog → planned pages (pages) → HTML (render).
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from . import content, feeds, problems
from .areas import Areas, AreasFileError
from .catalog import Catalog
from .model import Roundup
from .pages import Planned, plan
from .render import Renderer, split_items

log = logging.getLogger("mkdocs.plugins.ogp_local")


class FeedsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    size = c.Type(int, default=50)
    """How many of the newest stories each feed carries."""
    formats = c.ListOfItems(c.Choice(feeds.FORMATS), default=list(feeds.FORMATS))


class StoriesConfig(base.Config):
    cases_dir = c.Type(str, default="cases")
    roundups_dir = c.Type(str, default="roundups")
    areas_file = c.Optional(c.Type(str))
    """A YAML file of challenge areas replacing the bundled ten."""
    per_page = c.Type(int, default=20)
    latest = c.Type(int, default=6)
    """How many stories the home page shows."""
    feeds = c.SubConfig(FeedsConfig)
    feeds_logo = c.Type(str, default="assets/images/logo.png")
    """Site-relative path of the PNG logo feeds show."""


class StoriesPlugin(BasePlugin[StoriesConfig]):
    """Reads cases/ and roundups/ and adds their pages, listings and area pages."""

    def __init__(self) -> None:
        self.include_drafts = False
        self.catalog: Catalog | None = None
        self.planned: dict[str, Planned] = {}
        self.feeds: list[feeds.Feed] = []
        self.story_html: dict[int, str] = {}
        self.in_feeds: set[int] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Drafts are for the author's preview only.
        self.include_drafts = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        if not config.use_directory_urls:
            raise PluginError("ogp-local: set `use_directory_urls: true` in mkdocs.yml")
        if self.config.per_page < 1:
            raise PluginError("ogp-local: per_page must be at least 1")
        if self.config.feeds.enabled and not config.site_url:
            raise PluginError(
                "ogp-local: feeds need the site's address: set `site_url: https://…/` in "
                "mkdocs.yml (or turn feeds off with `feeds: {enabled: false}`)"
            )
        if self.config.feeds.size < 1:
            raise PluginError("ogp-local: feeds.size must be at least 1")
        areas_file = self.config.areas_file
        try:
            self.areas = Areas.load(self.root / areas_file if areas_file else None)
        except (AreasFileError, OSError) as exc:
            raise PluginError(f"ogp-local: {exc}") from exc
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        found, report = content.load(
            self.root,
            self.areas,
            include_drafts=self.include_drafts,
            cases_dir=self.config.cases_dir,
            roundups_dir=self.config.roundups_dir,
        )
        for warning in report.warnings:
            log.warning(str(warning))
        if report.errors:
            count = len(report.errors)
            raise PluginError(
                f"{count} problem{'s' * (count > 1)} in the content; nothing was built:\n"
                + problems.render(report.errors)
            )
        self.catalog = Catalog.build(found, self.areas)
        self.renderer = Renderer(config.theme.dirs, self.catalog, config.site_name)
        wanted = self.config.feeds
        self.feeds = feeds.plan(self.catalog, wanted.formats, wanted.size) if wanted.enabled else []
        self.in_feeds = feeds.stories_in_feeds(self.feeds)
        self.story_html = {}
        planned = plan(
            self.catalog, per_page=self.config.per_page, latest=self.config.latest, feeds=self.feeds
        )
        self.planned = {p.src_uri: p for p in planned}
        for uri, planned in self.planned.items():
            existing = files.get_file_from_path(uri)
            if existing is not None and planned.story is not None:
                raise PluginError(
                    f"{config.docs_dir}/{uri} is in the way of the story "
                    f"{planned.story.path}: rename or remove one of them"
                )
            if existing is None:
                draft = planned.story is not None and planned.story.draft
                level = InclusionLevel.DRAFT if draft else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, uri, content=planned.markdown, inclusion=level))
        for asset in found.assets:
            files.append(File(asset, str(self.root), config.site_dir, config.use_directory_urls))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # Material puts page titles and descriptions into the HTML unescaped: hand it
        # only escaped text, for stories and for every other page's front matter.
        planned = self.planned.get(page.file.src_uri)
        if planned is not None:
            page.meta.setdefault("title", planned.title)
            if planned.description:
                page.meta.setdefault("description", planned.description)
            page.meta.setdefault(
                "hide", ["navigation", "toc"] if planned.listing else ["navigation"]
            )
        for key in ("title", "description"):
            if key in page.meta:
                page.meta[key] = str(escape(str(page.meta[key])))
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned.get(page.file.src_uri)
        if planned is None:
            return html
        self._keep_for_feeds(planned, html)
        if isinstance(planned.story, Roundup):
            for item in planned.story.items:
                page.toc.items.append(AnchorLink(str(escape(item.title)), item.slug, 2))
            page.present_anchor_ids = (page.present_anchor_ids or set()) | {
                i.slug for i in planned.story.items
            }
        return self.renderer.page(planned, page.url, html)

    def _keep_for_feeds(self, planned: Planned, html: str) -> None:
        """Keep the body HTML of the stories some feed carries (and only theirs)."""
        story = planned.story
        if story is None:
            return
        if isinstance(story, Roundup):
            intro, bodies = split_items(html)
            html = intro
            for item in story.items:
                if id(item) in self.in_feeds:
                    self.story_html[id(item)] = bodies.get(item.slug, "")
        if id(story) in self.in_feeds:
            self.story_html[id(story)] = html

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        planned = self.planned.get(page.file.src_uri)
        alternates = [f for f in self.feeds if not f.page or page.url.startswith(f.page)]
        context["ogp_head"] = self.renderer.head(planned, page.url, alternates)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.feeds:
            return
        channel = feeds.Channel(
            site_name=config.site_name,
            site_url=config.site_url,
            description=config.site_description or config.site_name,
            language=config.theme.get("language") or "en",
            logo=self.config.feeds_logo,
        )
        entries: dict[int, feeds.Entry] = {}
        for feed in self.feeds:
            for story in feed.stories:
                if id(story) not in entries:
                    entries[id(story)] = feeds.entry(
                        story, channel, self.story_html.get(id(story)), self._image(story, channel)
                    )
            target = Path(config.site_dir) / feed.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(feeds.render(feed, [entries[id(s)] for s in feed.stories], channel))
        log.info(f"ogp-local: wrote {len(self.feeds)} feeds")

    def _image(self, story, channel: feeds.Channel):
        if story.image is None:
            return None
        return feeds.hero(story.image, channel, (self.root / story.image.path).stat().st_size)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.config.cases_dir, self.config.roundups_dir):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server
