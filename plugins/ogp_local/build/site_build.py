"""One build of the site, in the order the work is done, knowing nothing of MkDocs:

    read     files → stories and circles, with every problem (what `check` runs)
    plan     catalog → planned pages, feeds, cards, trends
    render   each page's content, as MkDocs hands over its Markdown body as HTML
    write    what is not a Markdown page: cards, month zips, open data, feeds

The MkDocs plugin (mkdocs/plugin.py) only hands MkDocs the planned pages and the rendered
HTML back to this object; a test can run all of it without MkDocs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ogp_local.build import writing
from ogp_local.build.settings import Settings, SettingsError
from ogp_local.cache import dependencies, digests
from ogp_local.content import i18n, library, versions
from ogp_local.content.areas import Areas, AreasFileError
from ogp_local.content.dates import Schedule
from ogp_local.content.model import Image, Roundup, Story
from ogp_local.content.problems import Problem, Problems
from ogp_local.outputs.cards.fonts import FontChain
from ogp_local.outputs.cards.pipeline import Cards, CardSet, font_warnings
from ogp_local.outputs.cards.pipeline import Settings as CardJob
from ogp_local.outputs.email import newsletter
from ogp_local.outputs.photos import pictures
from ogp_local.outputs.photos.variants import Photos, Rendition
from ogp_local.outputs.search.records import Record, filters
from ogp_local.site import feedlist, trends
from ogp_local.site.catalog import Catalog
from ogp_local.site.pages import Planned, plan
from ogp_local.site.render import Renderer
from ogp_local.site.sites import Sites


class SiteBuild:
    """Everything one build knows, made step by step: read(), plan(), then pages are
    rendered one by one, then write()."""

    def __init__(
        self, settings: Settings, *, include_drafts: bool = False, preview: bool = False
    ) -> None:
        self.settings = settings
        self.include_drafts = include_drafts
        self.preview = preview
        """A live preview (`serve`): nothing is precompressed."""
        try:
            self.areas = Areas.load(settings.areas_path())
        except AreasFileError as exc:
            raise SettingsError([f"ogp-local: {exc}"]) from exc
        self.fonts = self._fonts() if settings.cards.enabled else None
        self.found = library.Content()
        self.problems = Problems()
        self.catalog: Catalog | None = None
        self.pages: dict[str, Planned] = {}
        """src_uri → planned page."""
        self.feeds: list[feedlist.Feed] = []
        self.cards: Cards | None = None
        self.card_sets: dict[Story, CardSet] = {}
        self.bodies: dict[Story, str] = {}
        """The body HTML of every story some feed carries (and only theirs)."""
        self.intros: dict[Roundup, str] = {}
        """Each roundup's introduction as HTML, for its email edition."""
        self.photos = Photos(settings.root, settings.images_cache_path())
        self.renditions: dict[str, Rendition] = {}
        """Site path of every published image → its widths and formats."""
        self.texts: dict[Story, str] = {}
        """Every story's text, for the search index."""
        self.page_records: list[Record] = []
        """Content pages (about, how to participate…) for the search index."""
        self.catalogs: dict[str, Catalog] = {}
        """Each language's catalog: its stories in that language, else as written."""
        self.sites = Sites(settings.all_languages)
        """Where each language's site lives, and which pages are versions of which."""
        self._assets: set[str] = set()
        self._pool: ProcessPoolExecutor | None = None
        self.in_feeds: set[Story] = set()
        """Every story some feed carries."""
        self.kept: dict[str, dict] = {}
        """src_uri → what the rest of the build takes from that page (_keep_bodies)."""
        self._searching = None
        self.salt: str | None = None
        """A digest of the code, settings and templates (build/reuse.py): outputs made of
        the same inputs under the same salt are taken from the cache (email editions)."""
        self._links: dict[str, tuple[str, str]] = {}

    def _fonts(self) -> FontChain:
        folder = self.settings.fonts_path()
        try:
            return FontChain(folder, self.settings.cards.fonts)
        except OSError as exc:
            raise SettingsError(
                [f"ogp-local: {exc} (see cards.fonts_dir and cards.fonts in mkdocs.yml)"]
            ) from exc

    # -- read ----------------------------------------------------------------------------

    def read(self) -> Problems:
        """Every story and circle, and every problem of every file (what `check` says)."""
        settings = self.settings
        digests.load(self._digests_memo())
        self.found, self.problems = library.load(
            settings.root,
            self.areas,
            include_drafts=self.include_drafts,
            cases_dir=settings.cases_dir,
            roundups_dir=settings.roundups_dir,
            docs_dir=settings.docs_path(),
            with_circles=settings.circles,
            languages=settings.all_languages,
            schedule=Schedule(settings.timezone),
        )
        if self.fonts is not None:
            # Letters the cards would leave out: a warning (so --strict refuses them).
            self.problems.extend(font_warnings(self.found.versions(), self.fonts))
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    # -- plan ----------------------------------------------------------------------------

    def plan(self, theme_dirs: Sequence[str]) -> None:
        """The catalogs and everything made from them, before any page is rendered:
        for each language, the whole site (its stories, in that language where they
        are translated), under its prefix ('' for the default, 'es/' …)."""
        settings = self.settings
        languages = settings.all_languages
        self.catalogs = {}
        for lang in languages:
            cases, roundups = versions.localized(
                self.found.cases, self.found.roundups, lang, languages
            )
            local = library.Content(cases=cases, roundups=roundups)
            self.catalogs[lang] = Catalog.build(local, self.areas, self.found.circles)
            self.catalogs[lang].lang = lang
        self.catalog = catalog = self.catalogs[languages[0]]
        self.renderer = Renderer(
            theme_dirs,
            catalog,
            settings.site.site_name,
            newsletter=settings.newsletter.enabled,
            compiled=self.compiled_templates(),
        )
        wanted = settings.feeds
        self.feeds = []
        if wanted.enabled:
            for lang in languages:
                with i18n.using(lang):
                    local = self.catalogs[lang]
                    self.feeds += feedlist.plan(
                        local, wanted.formats, wanted.size, self.sites.prefix(lang)
                    )
        self.in_feeds = {story for feed in self.feeds for story in feed.stories}
        self.bodies, self.intros = {}, {}
        self.texts, self.page_records = {}, []
        self.kept = {}
        if settings.cards.enabled:
            self.cards = Cards(self._card_job())
            self.card_sets = dict(self.cards.plan(self.found.versions(), prefix=self.sites.home))
            for local in self.catalogs.values():  # a stand-in shows its original's cards
                for story in local.stories:
                    if story not in self.card_sets and story.source in self.card_sets:
                        self.card_sets[story] = self.card_sets[story.source]
        self.renderer.env.globals["photo"] = self._photo
        planned = []
        for lang in languages:
            with i18n.using(lang):
                planned += self._plan_site(lang)
        self.pages = {p.src_uri: p for p in planned}
        self._links = self._link_targets(catalog)

    def _plan_site(self, lang: str) -> list[Planned]:
        """One language's pages, titled in that language (active while this runs)."""
        settings = self.settings
        local = self.catalogs[lang]
        prefix = self.sites.prefix(lang)
        shown = trends.compute(local) if settings.trends else None
        data = settings.open_data
        sets = {s: self.card_sets[s] for s in local.stories if s in self.card_sets}
        planned = plan(
            local,
            per_page=settings.per_page,
            latest=settings.latest,
            feeds=[f for f in self.feeds if f.lang == lang],
            cards=sets,
            trends=shown,
            data={"licence": data.licence, "licence_url": data.licence_url}
            if data.enabled
            else None,
            finder={"filters": filters(local, lang)} if settings.search.enabled else None,
        )
        for page in planned:
            page.lang, page.prefix = lang, prefix
            page.context.setdefault("catalog", local)
            if prefix:
                page.src_uri = prefix + page.src_uri
                page.prev_uri = page.prev_uri and prefix + page.prev_uri
                page.next_uri = page.next_uri and prefix + page.next_uri
        return planned

    def _card_job(self) -> CardJob:
        settings, cards = self.settings, self.settings.cards
        return CardJob(
            root=settings.root,
            fonts_dir=settings.fonts_path(),
            families=cards.fonts,
            cache_dir=settings.cache_path(),
            sizes=cards.sizes,
            colour=cards.colour,
            site_name=settings.site.site_name,
            site_url=settings.site.site_url or "",
            workers=cards.workers,
        )

    def theme_only(self) -> tuple[Path, ...]:
        """Folders of the theme that serve the build and are not published: the card
        fonts and our templates (the email edition's text template is no .html)."""
        folders = [self.settings.fonts_path().resolve()]
        if self.settings.site.custom_dir:
            folders.append(
                (self.settings.root / self.settings.site.custom_dir).resolve() / "partials" / "ogp"
            )
        return tuple(folders)

    def plan_photos(self, images: dict[str, Path]) -> dict[str, Rendition]:
        """Every image the site publishes (site path → the original on disk): what its
        page shows, and what the worker processes must make."""
        self.renditions = self.photos.plan(images)
        return self.renditions

    def _photo(self, image: Image, page_url: str, eager: bool = True):
        dependencies.note("image", image.path)
        rendition = self.renditions.get(image.path)
        if rendition is None:  # not planned (a test's own tree): the image as it is
            return pictures.plain(image, page_url, eager=eager)
        return pictures.markup(rendition, page_url, image, eager=eager)

    def compiled_templates(self) -> Path:
        """Where compiled templates are kept between builds."""
        return self.settings.cache_path().parent / "templates"

    def _digests_memo(self) -> Path:
        return self.settings.cache_path().parent / "digests.json"

    def start_work(self) -> None:
        """Cards and photo variants are made in worker processes (one pool for both)
        while the pages are rendered."""
        workers = self.settings.cards.workers or os.cpu_count() or 1
        if workers > 1 and (self.cards or self.photos.pending):
            setup = self.cards.initializer() if self.cards else {}
            self._pool = ProcessPoolExecutor(workers, **setup)
        if self.cards:
            self.cards.start(self._pool)
        self.photos.start(self._pool)

    def cancel(self) -> None:
        if self.cards:
            self.cards.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # -- links written as repository paths -------------------------------------------------

    def _link_targets(self, catalog: Catalog) -> dict[str, tuple[str, str]]:
        """Where each story file's page is, for links written as repository paths (a
        link to any version of a story leads to the story in the linking page's
        language)."""
        self._assets = set(self.found.assets)
        targets: dict[str, tuple[str, str]] = {}
        every = versions.all_versions
        for case in catalog.cases:
            for version in every([case.root]):
                targets[version.path] = (case.url.rstrip("/") + ".md", "")
        for roundup in catalog.roundups:
            page = f"{roundup.url}index.md"
            for version in every([roundup.root]):
                targets[version.path] = (page, "")
            for item in roundup.items:
                for version in every([item.root]):
                    targets[version.path] = (page, f"#{item.slug}")
        return targets

    def _docs_rel(self) -> str | None:
        docs = self.settings.docs_path().resolve()
        root = self.settings.root.resolve()
        return docs.relative_to(root).as_posix() if docs.is_relative_to(root) else None

    def resolve(self, path: str) -> tuple[str, str] | None:
        """The page (src_uri in the default language, anchor) a repository path of a
        Markdown file became; the published path of a story folder's image."""
        dependencies.note("link", path)
        if path in self._links:
            return self._links[path]
        docs = self._docs_rel()
        if docs and path.startswith(f"{docs}/"):
            uri = path[len(docs) + 1 :]
            folder, _, name = uri.rpartition("/")
            stem, lang = versions.split_name(name.removesuffix(".md"))
            if name.endswith(".md") and lang in self.settings.all_languages:
                uri = f"{folder}/{stem}.md" if folder else f"{stem}.md"  # a translation
            return uri, ""
        if path in self._assets:
            return path, ""
        return None

    def source_of(self, src_uri: str, from_docs: bool) -> str | None:
        """The repository path of the Markdown a page is built from."""
        planned = self.pages.get(src_uri)
        if planned is not None and planned.story is not None:
            return planned.story.path
        docs = self._docs_rel()
        if docs is None or not from_docs:
            return None
        return f"{docs}/{self.sites.sources.get(src_uri, src_uri)}"

    # -- write -------------------------------------------------------------------------------

    def write(self, site_dir: Path) -> list[str]:
        """Cards, month zips, open data, feeds, editions and the search index into
        `site_dir` (writing.py); lines for the log."""
        return writing.write(self, site_dir)

    def start_search(self, site_dir: Path):
        """The search index, begun as soon as every page's text is known (writing.py)."""
        if self._searching is None:
            self._searching = writing.start_search(self, site_dir)
        return self._searching

    def newsletter(self, lang: str | None = None) -> newsletter.Newsletter:
        """The email editions of one language's site (the default's when not given)."""
        lang = lang or self.settings.default_language
        site, letter = self.settings.site, self.settings.newsletter
        options = newsletter.Options(
            site_name=site.site_name,
            site_url=site.site_url or "",
            logo=self.settings.feeds_logo,
            address=letter.address,
            unsubscribe=letter.unsubscribe,
            social=letter.social,
            budget=letter.max_kb * 1024,
            prefix=self.sites.prefix(lang),
        )
        return newsletter.Newsletter(
            self.renderer.env, self.catalogs[lang], self.card_sets, self.intros, options
        )
