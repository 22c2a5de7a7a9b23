"""The MkDocs plugin: each event hands over to the build (build/site_build.py and its
stages: read and plan in on_files, render_stage.py for each page, writing.py in
on_post_build) or to the MkDocs glue beside this file. It does no work of its own."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ogp_local.build import lock, timeline
from ogp_local.build import render_stage as stage
from ogp_local.build.site_build import SiteBuild
from ogp_local.content import i18n
from ogp_local.mkdocs import not_found, serve, site_files
from ogp_local.mkdocs.config import StoriesConfig, site_build, warn_of_other_search
from ogp_local.mkdocs.dirty_build import TAKEN_TEMPLATE, DirtyPages, Finishing
from ogp_local.mkdocs.navigation import language_navs, material_language
from ogp_local.outputs.photos.pictures import BodyPictures
from ogp_local.outputs.photos.variants import PhotoError
from ogp_local.outputs.search.pagefind import SearchError
from ogp_local.site.links import RepositoryLinks
from ogp_local.site.render import forget_fragments, template_cache

log = logging.getLogger("mkdocs.plugins.ogp_local")


class StoriesPlugin(BasePlugin[StoriesConfig]):
    """Adds the stories' pages to the site, and the feeds, cards and data beside them."""

    # What the events use of a build: in the thread that shows a preview's saved page,
    # the last complete build's (serve.Showing).
    build = serve.Showing()
    links = serve.Showing()
    pictures = serve.Showing()
    navs = serve.Showing()

    def __init__(self) -> None:
        self.include_drafts = False
        self.preview = False
        self.showing = threading.local()
        """In the thread that shows a preview's saved page: the last complete build."""
        self.build: SiteBuild | None = None
        self.links: RepositoryLinks | None = None
        self.pictures: BodyPictures | None = None
        self.navs: dict[str, Navigation] = {}
        """Each language's navigation (the default's is MkDocs' own)."""
        self.rebuilding = DirtyPages()
        """Which pages this build renders, and what they depend on (dirty_build.py)."""
        self.finishing = Finishing(self.rebuilding)
        """A preview's save: what follows its pages, done after the browser reloads."""
        self.saved_first = serve.SavedFirst()
        """A preview's save: the saved story's page, shown before the site is built."""
        self.built: tuple = ()
        """This build's files and Jinja environment, for the saved pages of the next."""
        self.lock = lock.Holder()
        """The project's build lock, held from on_config until this build is done."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.include_drafts = command == "serve"  # drafts are for the author's preview
        self.preview = command == "serve"
        self.rebuilding.start(dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.clock = timeline.Clock()  # the build's stages, for the benchmark
        self.finishing.wait()  # the last save's feeds and record, before this one reads
        self.build = site_build(self.config, config, self.include_drafts, self.preview)
        self.lock.take(self.build.settings.project_cache(), say=log.info)  # one at a time
        warn_of_other_search(self.build.settings, config)
        # Links written as repository paths, rewritten on the parsed tree of each page.
        self.links = RepositoryLinks(self.build.resolve)
        self.pictures = BodyPictures()
        config.markdown_extensions.extend([self.links, self.pictures])
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.rebuilding.set_aside(self.build, config)  # before MkDocs empties site_dir

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.rebuilding.begin(self.build, config)
        self.pictures.renditions = site_files.read_and_plan(self.build, files, config)
        self.build.start_work()
        self.rebuilding.decide(self.build, files, config)
        timeline.add("read", self.clock.span(), "build")  # and plan, and decide
        self.clock = timeline.Clock()
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.navs = language_navs(self.build, nav, config, files)
        self.rebuilding.restore(files)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        i18n.activate(self.build.sites.language_of(page.file.src_uri))  # the page's words
        if page.file.src_uri not in self.rebuilding.taken:
            self.rebuilding.page_started(page.file.src_uri)
        return page

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return "" if page.file.src_uri in self.rebuilding.taken else None

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        uri = page.file.src_uri
        if uri in self.rebuilding.taken:  # the last build's page, linked into place
            page.meta = self.rebuilding.taken_meta(uri)
            return ""
        self.links.page = stage.link_context(self.build, uri, bool(page.file.abs_src_path))
        self.pictures.page = (page.url, not stage.has_hero(self.build, uri))  # first: eager
        stage.page_meta(self.build, uri, page.meta)  # escaped: Material inserts it as it is
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if uri in self.rebuilding.taken:
            page._title_from_render = self.rebuilding.taken_title(uri)  # for the navigation
            return html
        # A roundup's items are sections: in its table of contents, and link targets.
        items = stage.item_anchors(self.build, uri)
        page.toc.items += [AnchorLink(title, slug, 2) for slug, title in items]
        page.present_anchor_ids = (page.present_anchor_ids or set()) | {s for s, _ in items}
        html = stage.content_of(self.build, uri, page.url, page.title or "", html)
        self.rebuilding.page_read(uri)
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.rebuilding.taken:
            return output
        self.rebuilding.page_done(page)
        return output

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # The pages are read; the static templates (404.html) come next, in the default.
        i18n.activate(self.build.settings.default_language)
        # Every page's text is known: the search index is made while pages are laid out
        # (in a preview, after the reload: the saved page comes first).
        if not self.preview or config.strict:
            try:
                self.build.start_search(Path(config.site_dir))
            except SearchError as exc:
                raise PluginError(str(exc)) from exc
        # A page taken from the last build is laid out with an empty template (dirty_build).
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({TAKEN_TEMPLATE: ""}), env.loader])
        stage.template_globals(self.build, env.globals)
        env.add_extension("jinja2.ext.i18n")
        env.bytecode_cache = template_cache(self.build.compiled_templates())
        i18n.install_gettext(env)
        self.built = (files, env)
        return env

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        uri = page.file.src_uri
        if uri in self.rebuilding.taken:
            return context
        self.rebuilding.page_started(uri)
        lang = self.build.sites.language_of(uri)
        i18n.activate(lang)
        context.update(stage.page_context(self.build, uri, page.url))
        context["nav"] = self.navs.get(lang, nav)
        context["ogp_material_lang"] = material_language(lang, config.theme.dirs)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        timeline.add("render", self.clock.span(), "build")
        build = self.build
        not_found.write_language_pages(build, config, *self.built, self.navs)  # <lang>/404
        if self.preview and self.rebuilding.rebuild is not None:
            files, env = self.built
            nav = self.navs[build.settings.default_language]
            last = serve.Built(config, files, nav, env, build, self.links, self.pictures, self.navs)
            self.saved_first.keep(last, self.rebuilding.rebuild.inputs)
        if self.preview and not config.strict:  # the saved page is written: reload first
            self.finishing.start(lambda: self._finish(build, config))
            return
        try:
            self._finish(build, config)
        except (PhotoError, SearchError) as exc:
            raise PluginError(str(exc)) from exc

    def _finish(self, build: SiteBuild, config: MkDocsConfig) -> None:
        """Everything that is not a page (cards, feeds, data, editions), then the record."""
        try:
            i18n.activate(build.settings.default_language)
            for line in build.write(Path(config.site_dir)):
                log.info(f"ogp-local: {line}")
            forget_fragments()  # before the record keeps them for the next build
            self.rebuilding.finish(build, config)
            self.rebuilding.let_go_aside(failed=False)
            timeline.save()
        finally:
            self.lock.let_go()

    def on_build_error(self, *, error: Exception) -> None:
        if self.build:
            self.build.cancel()
        self.rebuilding.let_go_aside(failed=True)
        self.lock.let_go()

    def on_shutdown(self) -> None:
        self.saved_first.stop()
        self.finishing.wait()
        self.rebuilding.stop()
        self.lock.let_go()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        folders = [str(folder) for folder in self.build.settings.story_folders()]
        for folder in folders:
            server.watch(folder)
        self.saved_first.attach(server, self._render_saved, folders)
        return server

    def show_saved(self) -> list[str]:
        """A preview's save: the saved stories' pages, shown before the site is built
        again (serve.py); their addresses."""
        return self.saved_first.first(self._render_saved)

    def _render_saved(self, paths: list[str], built: serve.Built) -> list[str]:
        return serve.render_saved(self.showing, self.rebuilding.paused, paths, built)
