"""The MkDocs adapter: each event hands over to the modules that do the work.

files → stories (content) → catalog → planned pages (pages) → HTML (render).
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from . import content, feeds, links, opendata, problems, trends
from .areas import Areas, AreasFileError
from .cards.pipeline import Cards, Settings, font_warnings
from .catalog import Catalog
from .config import StoriesConfig
from .model import Roundup
from .pages import Planned, plan
from .render import Renderer, split_items

log = logging.getLogger("mkdocs.plugins.ogp_local")


class StoriesPlugin(BasePlugin[StoriesConfig]):
    """Reads cases/ and roundups/ and adds their pages, listings and area pages."""

    def __init__(self) -> None:
        self.include_drafts = False
        self.catalog: Catalog | None = None
        self.planned: dict[str, Planned] = {}
        self.feeds: list[feeds.Feed] = []
        self.story_html: dict[int, str] = {}
        self.in_feeds: set[int] = set()
        self.cards: Cards | None = None
        self.card_sets: dict = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Drafts are for the author's preview only.
        self.include_drafts = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        # Links written as repository paths, rewritten on the parsed tree of each page.
        self.repository_links = links.RepositoryLinks(self._resolve)
        config.markdown_extensions.append(self.repository_links)
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
        self.cards = self._cards(config) if self.config.cards.enabled else None
        areas_file = self.config.areas_file
        try:
            self.areas = Areas.load(self.root / areas_file if areas_file else None)
        except (AreasFileError, OSError) as exc:
            raise PluginError(f"ogp-local: {exc}") from exc
        return config

    def _cards(self, config: MkDocsConfig) -> Cards:
        wanted = self.config.cards
        if not config.site_url:
            raise PluginError(
                "ogp-local: social cards need the site's address: set "
                "`site_url: https://…/` in mkdocs.yml (Open Graph images must "
                "be absolute), or `cards: {enabled: false}`"
            )
        if "1200x630" not in wanted.sizes:
            raise PluginError(
                "ogp-local: cards.sizes must include 1200x630 (the Open Graph "
                "card every story page points at)"
            )
        settings = Settings(
            root=self.root,
            fonts_dir=self._fonts_dir(config),
            families=tuple(wanted.fonts),
            cache_dir=self.root / wanted.cache_dir,
            sizes=tuple(wanted.sizes),
            colour=wanted.colour,
            site_name=config.site_name,
            site_url=config.site_url,
            workers=wanted.workers,
        )
        try:
            return Cards(settings)
        except (FileNotFoundError, OSError) as exc:
            raise PluginError(f"ogp-local: {exc} (see cards.fonts_dir in mkdocs.yml)") from exc

    def _fonts_dir(self, config: MkDocsConfig) -> Path:
        if self.config.cards.fonts_dir:
            return self.root / self.config.cards.fonts_dir
        custom = config.theme.custom_dir
        if not custom:
            raise PluginError(
                "ogp-local: set cards.fonts_dir (or a theme custom_dir holding cards/fonts)"
            )
        return Path(custom) / "cards" / "fonts"

    def _read(self, config: MkDocsConfig) -> content.Content:
        """Stories and circles, with every problem of every file reported at once."""
        found, report = content.load(
            self.root,
            self.areas,
            include_drafts=self.include_drafts,
            cases_dir=self.config.cases_dir,
            roundups_dir=self.config.roundups_dir,
            docs_dir=Path(config.docs_dir),
            with_circles=self.config.circles,
        )
        self.circles = found.circles
        for warning in report.warnings:
            log.warning(str(warning))
        if report.errors:
            count = len(report.errors)
            raise PluginError(
                f"{count} problem{'s' * (count > 1)} in the content; nothing was built:\n"
                + problems.render(report.errors)
            )
        return found

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        found = self._read(config)
        self.catalog = Catalog.build(found, self.areas, self.circles)
        self.renderer = Renderer(config.theme.dirs, self.catalog, config.site_name)
        wanted = self.config.feeds
        self.feeds = feeds.plan(self.catalog, wanted.formats, wanted.size) if wanted.enabled else []
        self.in_feeds = feeds.stories_in_feeds(self.feeds)
        self.story_html = {}
        self.card_sets = self.cards.plan(self.catalog.stories) if self.cards else {}
        if self.cards:
            # Letters the cards leave out: a warning (so --strict refuses them).
            for problem in font_warnings(self.catalog.stories, self.cards.chain):
                log.warning(str(problem))
        self.trends = trends.compute(self.catalog) if self.config.trends else None
        planned = plan(
            self.catalog,
            per_page=self.config.per_page,
            latest=self.config.latest,
            feeds=self.feeds,
            cards=self.card_sets,
            trends=self.trends,
            data={
                "licence": self.config.open_data.licence,
                "licence_url": self.config.open_data.licence_url,
            }
            if self.config.open_data.enabled
            else None,
        )
        self.planned = {p.src_uri: p for p in planned}
        self.generated: set[str] = set()
        self._link_targets(config)
        if self.cards:
            self.cards.start()  # drawing goes on in other processes while pages build
            # The card fonts live in the theme folder but are not part of the site.
            fonts = self.cards.settings.fonts_dir.resolve()
            for file in list(files):
                if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(fonts):
                    files.remove(file)
        for uri, planned in self.planned.items():
            existing = files.get_file_from_path(uri)
            if existing is not None and "circle" in planned.context:
                existing.inclusion = InclusionLevel.NOT_IN_NAV  # reached from /circles/
            if existing is not None and planned.story is not None:
                raise PluginError(
                    f"{config.docs_dir}/{uri} is in the way of the story "
                    f"{planned.story.path}: rename or remove one of them"
                )
            if existing is None:
                self.generated.add(uri)
                draft = planned.story is not None and planned.story.draft
                level = InclusionLevel.DRAFT if draft else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, uri, content=planned.markdown, inclusion=level))
        for asset in found.assets:
            files.append(File(asset, str(self.root), config.site_dir, config.use_directory_urls))
        return files

    def _link_targets(self, config: MkDocsConfig) -> None:
        """Where each story file's page is, for links written as repository paths."""
        targets: dict[str, tuple[str, str]] = {}
        for case in self.catalog.cases:
            targets[case.path] = (case.url.rstrip("/") + ".md", "")
        for roundup in self.catalog.roundups:
            page = f"{roundup.url}index.md"
            targets[roundup.path] = (page, "")
            for item in roundup.items:
                targets[item.path] = (page, f"#{item.slug}")
        self.link_targets = targets
        docs = Path(config.docs_dir).resolve()
        self.docs_rel = (
            docs.relative_to(self.root).as_posix() if docs.is_relative_to(self.root) else None
        )

    def _resolve(self, path: str) -> tuple[str, str] | None:
        if path in self.link_targets:
            return self.link_targets[path]
        if self.docs_rel and path.startswith(f"{self.docs_rel}/"):
            return path[len(self.docs_rel) + 1 :], ""
        return None

    def _real_path(self, page: Page) -> str | None:
        """The repository path of the Markdown a page is built from."""
        planned = self.planned.get(page.file.src_uri)
        if planned is not None and planned.story is not None:
            return planned.story.path
        if page.file.abs_src_path and self.docs_rel is not None:
            return f"{self.docs_rel}/{page.file.src_uri}"
        return None

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        real = self._real_path(page)
        self.repository_links.page = (real, page.file.src_uri) if real is not None else None
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
            if planned.listing and page.file.src_uri in self.generated:
                # A list of titles is noise in search results, and parsing thousands of
                # listing pages for the index is most of a large build's search cost.
                page.meta.setdefault("search", {"exclude": True})
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
        card = None
        if planned is not None and planned.story is not None:
            card = self.card_sets.get(id(planned.story))
        context["ogp_head"] = self.renderer.head(
            planned, page.url, alternates, site_url=config.site_url, card=card
        )
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        self.site_dir = site_dir
        if self.cards:
            stats = self.cards.finish(site_dir)
            self.cards.zips(site_dir, self.catalog.roundups)
            log.info(
                f"ogp-local: cards: {stats.made} made, {stats.reused} reused in "
                f"{stats.seconds:.1f} s (adding {stats.cost:.1f} s to the build)"
            )
        if self.config.open_data.enabled:
            self._open_data(config, site_dir)
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

    def _open_data(self, config: MkDocsConfig, site_dir: Path) -> None:
        data = opendata.rows(self.catalog.stories, config.site_url or "", self.card_sets)
        folder = site_dir / "data"
        folder.mkdir(parents=True, exist_ok=True)
        wanted = self.config.open_data
        (folder / "stories.json").write_bytes(
            opendata.as_json(data, wanted.licence, wanted.licence_url)
        )
        (folder / "stories.csv").write_bytes(opendata.as_csv(data))

    def _image(self, story, channel: feeds.Channel):
        """The entry's picture: its 1200×630 card, else its hero image."""
        card = self.card_sets.get(id(story))
        if card is not None:
            name = card.files["1200x630"]
            size = (Path(self.site_dir) / "cards" / name).stat().st_size
            mime = "image/jpeg" if name.endswith(".jpg") else "image/png"
            return (channel.absolute(f"cards/{name}"), mime, size)
        if story.image is None:
            return None
        return feeds.hero(story.image, channel, (self.root / story.image.path).stat().st_size)

    def on_build_error(self, *, error: Exception) -> None:
        if self.cards:
            self.cards.cancel()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.config.cases_dir, self.config.roundups_dir):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server
