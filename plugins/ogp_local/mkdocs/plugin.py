"""The MkDocs adapter: each event hands over to the build model (build.py).

MkDocs reads the options and renders Markdown; SiteBuild reads the stories, plans
the pages, lays out their content and writes everything that is not a page.
"""

from __future__ import annotations

import dataclasses
import html as html_module
import logging
import threading
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ogp_local.build import saved_story
from ogp_local.build.settings import Settings, SettingsError, Site
from ogp_local.build.site_build import SiteBuild
from ogp_local.content import i18n, problems
from ogp_local.content.images import RASTER
from ogp_local.content.model import Roundup, text_direction
from ogp_local.content.urls import relative_url
from ogp_local.mkdocs import serve
from ogp_local.mkdocs.config import StoriesConfig
from ogp_local.mkdocs.dirty_build import DirtyPages, Finishing
from ogp_local.mkdocs.navigation import material_language, nav_in, retitle
from ogp_local.outputs.photos import pictures
from ogp_local.outputs.photos.variants import PhotoError
from ogp_local.outputs.search.pagefind import SearchError
from ogp_local.site import links
from ogp_local.site.render import forget_fragments, template_cache

log = logging.getLogger("mkdocs.plugins.ogp_local")


def site_of(config: MkDocsConfig) -> Site:
    """What the stories need of mkdocs.yml outside the plugin's own options."""
    return Site(
        root=Path(config.config_file_path or ".").resolve().parent,
        site_name=config.site_name,
        site_url=config.site_url,
        site_description=config.site_description,
        docs_dir=config.docs_dir,
        custom_dir=config.theme.custom_dir,
        language=config.theme.get("language") or "en",
        use_directory_urls=config.use_directory_urls,
    )


class _Reencoded(File):
    """An image MkDocs knows (links to it resolve) but does not copy: the build writes
    a re-encoded copy in its place, without the original's metadata."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class _Current:
    """What the events use of a build: the running one's, or, in the thread that shows
    a preview's saved page meanwhile, the last complete build's (serve.py)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, plugin, owner=None):
        if plugin is None:
            return self
        shown = getattr(plugin._showing, "built", None)
        return getattr(shown, self.name) if shown is not None else plugin.__dict__[self.name]

    def __set__(self, plugin, value) -> None:
        plugin.__dict__[self.name] = value


class StoriesPlugin(BasePlugin[StoriesConfig]):
    """Adds the stories' pages to the site, and the feeds, cards and data beside them."""

    build = _Current()
    links = _Current()
    pictures = _Current()
    navs = _Current()

    def __init__(self) -> None:
        self.include_drafts = False
        self.preview = False
        self._showing = threading.local()
        """In the thread that shows a preview's saved page: the last complete build,
        which the events below use in place of the one running (see `build`)."""
        self.build: SiteBuild | None = None
        self.links: links.RepositoryLinks | None = None
        self.pictures: pictures.BodyPictures | None = None
        self.navs: dict[str, Navigation] = {}
        """Each language's navigation (the default's is MkDocs' own)."""
        self.rebuilding = DirtyPages()
        """Which pages this build renders, and what they depend on (dirty.py)."""
        self.finishing = Finishing(self.rebuilding)
        """A preview's save: what follows its pages, done after the browser reloads."""
        self.saved_first = serve.SavedFirst()
        """A preview's save: the saved story's page, shown before the site is built."""
        self._built: tuple = ()
        """This build's files and Jinja environment, for the saved pages of the next."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.include_drafts = command == "serve"  # drafts are for the author's preview
        self.preview = command == "serve"
        self.rebuilding.start(dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.finishing.wait()  # the last save's feeds and record, before this one reads
        options = {key: value for key, value in self.config.items() if value is not None}
        try:
            settings = Settings.read(options, site_of(config))
            self.build = SiteBuild(
                settings, include_drafts=self.include_drafts, preview=self.preview
            )
        except SettingsError as exc:
            raise PluginError(str(exc)) from exc
        if settings.search.enabled and {"search", "material/search"} & set(config.plugins):
            log.warning(
                "ogp-local: the site has its own search (Pagefind, with the story finder): "
                "remove `- search` from `plugins:` in mkdocs.yml, or set "
                "`search: {enabled: false}` under `ogp-local:` to keep Material's"
            )
        # Links written as repository paths, rewritten on the parsed tree of each page.
        self.links = links.RepositoryLinks(self.build.resolve)
        self.pictures = pictures.BodyPictures()
        config.markdown_extensions.extend([self.links, self.pictures])
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        build = self.build
        self.rebuilding.begin(build, config)
        report = build.read()
        for warning in report.warnings:
            log.warning(str(warning))
        if report.errors:
            count = len(report.errors)
            raise PluginError(
                f"{count} problem{'s' * (count > 1)} in the content; nothing was built:\n"
                + problems.render(report.errors)
            )
        build.plan(config.theme.dirs)
        self._language_pages(files, config)
        # The card fonts and our templates live in the theme folder, but not in the site.
        private = build.theme_only()
        for file in list(files):
            path = Path(file.abs_src_path).resolve() if file.abs_src_path else None
            if path and any(path.is_relative_to(folder) for folder in private):
                files.remove(file)
        for uri, planned in build.pages.items():
            existing = files.get_file_from_path(uri)
            if existing is None:
                draft = planned.story is not None and planned.story.draft
                level = InclusionLevel.DRAFT if draft else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, uri, content=planned.markdown, inclusion=level))
                planned.generated = True
            elif "circle" in planned.context:
                existing.inclusion = InclusionLevel.NOT_IN_NAV  # reached from /circles/
        for asset in build.found.assets:
            files.append(File(asset, str(build.settings.root), config.site_dir, True))
        # Every raster image of the stories and content pages is published re-encoded
        # by the build, never copied (the theme's own images are ours, and stay).
        images = {}
        docs = Path(config.docs_dir).resolve()
        stories = set(build.found.assets)
        for file in list(files):
            source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
            if source is None or source.suffix.lower() not in RASTER:
                continue
            if source.is_relative_to(docs) or file.src_uri in stories:
                files.remove(file)
                files.append(_Reencoded(file.src_uri, file.src_dir, config.site_dir, True))
                images[file.dest_uri] = source
        # A hero kept elsewhere in the project (say, a shared photos/ folder) is
        # published at its repository path too.
        root = str(build.settings.root)
        for story in build.catalog.stories:
            if story.image and story.image.path not in images:
                files.append(_Reencoded(story.image.path, root, config.site_dir, True))
                images[story.image.path] = build.settings.root / story.image.path
        self.pictures.renditions = build.plan_photos(images)
        build.sites.page_uris = {file.src_uri for file in files.documentation_pages()}
        build.start_work()
        self.rebuilding.decide(build, files, config)
        return files

    def _language_pages(self, files: Files, config: MkDocsConfig) -> None:
        """The pages of docs_dir in every language: `about.es.md` becomes `es/about/`
        (and is no page of its own); where nobody translated a page, its language's
        site shows the original."""
        build = self.build
        docs = Path(config.docs_dir).resolve()
        uris = [
            f.src_uri
            for f in files.documentation_pages()
            if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs)
        ]
        added, translations = build.sites.docs_pages(uris)
        for uri in translations:
            file = files.get_file_from_path(uri)
            if file is not None:
                files.remove(file)
        for target, source in sorted(added.items()):
            existing = files.get_file_from_path(target)
            if existing is not None:
                files.remove(existing)
            path = str(docs / source)
            # Another language's page is in its own language's navigation (on_nav).
            default = build.sites.language_of(target) == build.sites.default
            level = InclusionLevel.INCLUDED if default else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, target, abs_src_path=path, inclusion=level))
            build.sites.sources[target] = source

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Each language's site gets its own navigation: the same sections, leading to
        its own pages, titled in its language."""
        settings = self.build.settings
        self.navs = {settings.default_language: nav}
        configured = config["nav"]
        if len(settings.all_languages) < 2 or configured is None:
            self.rebuilding.restore(files)
            return nav
        try:
            for lang in settings.all_languages[1:]:
                prefix = self.build.sites.prefix(lang)
                with i18n.using(lang):
                    config["nav"] = nav_in(configured, prefix)
                    local = get_navigation(files, config)
                    retitle(configured, prefix, files)
                home = files.get_file_from_path(f"{prefix}index.md")
                local.homepage = home.page if home is not None else None
                self.navs[lang] = local
        finally:
            config["nav"] = configured
        self.rebuilding.restore(files)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        i18n.activate(self.build.sites.language_of(page.file.src_uri))  # the page's words
        self.rebuilding.page_started(page.file.src_uri)
        return page

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        build = self.build
        uri = page.file.src_uri
        real = build.source_of(uri, from_docs=bool(page.file.abs_src_path))
        prefix = build.sites.prefix(build.sites.language_of(uri))
        self.links.page = (real, uri, prefix) if real is not None else None
        planned = build.pages.get(page.file.src_uri)
        hero = planned is not None and planned.story is not None and planned.story.image
        self.pictures.page = (page.url, not hero)  # the first image loads eagerly
        if planned is not None:
            for key, value in planned.meta().items():
                page.meta.setdefault(key, value)
        # Material puts page titles and descriptions into the HTML unescaped: hand it
        # only escaped text, for stories and for every other page's front matter.
        for key in ("title", "description"):
            if key in page.meta:
                page.meta[key] = str(escape(str(page.meta[key])))
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = self._content(html, page)
        self.rebuilding.page_read(page.file.src_uri)
        return html

    def _content(self, html: str, page: Page) -> str:
        planned = self.build.pages.get(page.file.src_uri)
        if planned is None:
            title = html_module.unescape(page.title or "")
            return self.build.content_page(page.file.src_uri, page.url, title, html)
        if isinstance(planned.story, Roundup):  # items are sections: in the TOC, link targets
            for item in planned.story.items:
                page.toc.items.append(AnchorLink(str(escape(item.title)), item.slug, 2))
            page.present_anchor_ids = (page.present_anchor_ids or set()) | {
                item.slug for item in planned.story.items
            }
        return self.build.content_html(planned, page.url, html)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
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
        env.globals["ogp_search"] = self.build.settings.search.enabled  # the header's box
        env.add_extension("jinja2.ext.i18n")
        env.bytecode_cache = template_cache(self.build.compiled_templates())
        i18n.install_gettext(env)
        site_url = (config.site_url or "").rstrip("/") + "/"
        env.globals["ogp_alternates"] = lambda uri: [
            (lang, site_url + url) for lang, url in self.build.sites.versions_of(uri)
        ]
        self._built = (files, env)
        return env

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        build = self.build
        uri = page.file.src_uri
        self.rebuilding.page_started(uri)
        lang = build.sites.language_of(uri)
        i18n.activate(lang)
        planned = build.pages.get(uri)
        context["nav"] = self.navs.get(lang, nav)
        context["ogp_head"] = build.head_html(planned, uri, page.url)
        context["ogp_lang"] = lang
        context["ogp_dir"] = text_direction(lang)
        context["ogp_material_lang"] = material_language(lang, config.theme.dirs)
        context["ogp_prefix"] = build.sites.prefix(lang)
        context["ogp_languages"] = [
            {
                "code": code,
                "name": i18n.own_name(code),
                "href": relative_url(url, page.url),
                "current": code == lang,
            }
            for code, url in build.sites.versions_of(uri)
        ]
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self.build
        if self.preview and self.rebuilding.rebuild is not None:
            files, env = self._built
            settings = build.settings
            nav = self.navs[settings.default_language]
            built = serve.Built(
                config, files, nav, env, build, self.links, self.pictures, self.navs
            )
            folders = (f"{settings.cases_dir}/", f"{settings.roundups_dir}/")
            self.saved_first.keep(settings.root, built, self.rebuilding.rebuild.inputs, folders)
        if self.preview and not config.strict:  # the saved page is written: reload first
            self.finishing.start(lambda: self._finish(build, config))
            return
        try:
            self._finish(build, config)
        except (PhotoError, SearchError) as exc:
            raise PluginError(str(exc)) from exc

    def _finish(self, build: SiteBuild, config: MkDocsConfig) -> None:
        """Everything that is not a page (cards, feeds, data, editions), then the record."""
        i18n.activate(build.settings.default_language)
        for line in build.write(Path(config.site_dir)):
            log.info(f"ogp-local: {line}")
        forget_fragments()  # before the record keeps them for the next build
        self.rebuilding.finish(build, config)

    def on_build_error(self, *, error: Exception) -> None:
        if self.build:
            self.build.cancel()

    def on_shutdown(self) -> None:
        self.saved_first.stop()
        self.finishing.wait()
        self.rebuilding.stop()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        settings = self.build.settings
        folders = [settings.root / f for f in (settings.cases_dir, settings.roundups_dir)]
        folders = [str(folder) for folder in folders if folder.is_dir()]
        for folder in folders:
            server.watch(folder)
        self.saved_first.attach(server, self._render_saved, folders)
        return server

    def show_saved(self) -> list[str]:
        """A preview's save: the saved stories' pages, shown before the site is built
        again (serve.py); their addresses."""
        return self.saved_first.first(self._render_saved)

    def _render_saved(self, paths: list[str], built: serve.Built) -> list[str]:
        """The pages of the story files saved since they were read, rendered again
        with what the last complete build left; their addresses (none when a save
        cannot be shown alone). That build may still be writing its cards and feeds,
        and the next may be running: what the saved pages change is changed in a
        copy, used by this thread's events only."""
        planned = saved_story.read_again(built.build, paths)
        if not planned:
            return []
        self._showing.built = dataclasses.replace(
            built, build=saved_story.build_with(built.build, planned)
        )
        shown = []
        try:
            with self.rebuilding.paused():
                for uri, page in planned.items():
                    url = serve.render(built, uri, page.markdown)
                    if url is not None:
                        shown.append(url)
        finally:
            self._showing.built = None
        return shown
