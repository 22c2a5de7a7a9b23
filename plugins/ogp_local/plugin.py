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

from . import content, problems
from .areas import Areas, AreasFileError
from .catalog import Catalog
from .model import Roundup
from .pages import Planned, plan
from .render import Renderer

log = logging.getLogger("mkdocs.plugins.ogp_local")


class StoriesConfig(base.Config):
    cases_dir = c.Type(str, default="cases")
    roundups_dir = c.Type(str, default="roundups")
    areas_file = c.Optional(c.Type(str))
    """A YAML file of challenge areas replacing the bundled ten."""
    per_page = c.Type(int, default=20)
    latest = c.Type(int, default=6)
    """How many stories the home page shows."""


class StoriesPlugin(BasePlugin[StoriesConfig]):
    """Reads cases/ and roundups/ and adds their pages, listings and area pages."""

    def __init__(self) -> None:
        self.include_drafts = False
        self.catalog: Catalog | None = None
        self.planned: dict[str, Planned] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Drafts are for the author's preview only.
        self.include_drafts = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        if not config.use_directory_urls:
            raise PluginError("ogp-local: set `use_directory_urls: true` in mkdocs.yml")
        if self.config.per_page < 1:
            raise PluginError("ogp-local: per_page must be at least 1")
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
        self.planned = {
            p.src_uri: p
            for p in plan(self.catalog, per_page=self.config.per_page, latest=self.config.latest)
        }
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
        if isinstance(planned.story, Roundup):
            for item in planned.story.items:
                page.toc.items.append(AnchorLink(str(escape(item.title)), item.slug, 2))
            page.present_anchor_ids = (page.present_anchor_ids or set()) | {
                i.slug for i in planned.story.items
            }
        return self.renderer.page(planned, page.url, html)

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        planned = self.planned.get(page.file.src_uri)
        context["ogp_head"] = self.renderer.head(planned, page.url) if planned else ""
        return context

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.config.cases_dir, self.config.roundups_dir):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server
