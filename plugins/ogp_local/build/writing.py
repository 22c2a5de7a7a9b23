"""The write stage of a build: what is not a Markdown page — cards, photos, open data,
feeds, email editions, the search index (made in a thread while pages are laid out)
and the precompressed copies — from the catalog and what each page left (gather)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ogp_local.build import lock, timeline
from ogp_local.cache import digests
from ogp_local.cache.stores import Kept
from ogp_local.content import i18n
from ogp_local.content.model import Roundup, Story
from ogp_local.outputs import compress
from ogp_local.outputs.data import opendata
from ogp_local.outputs.editor import admin
from ogp_local.outputs.editor import config as editor_config
from ogp_local.outputs.feeds import formats
from ogp_local.outputs.search import pagefind
from ogp_local.outputs.search.records import Record, catalog_records
from ogp_local.outputs.work import Span, spent

if TYPE_CHECKING:
    from ogp_local.build.site_build import SiteBuild

log = logging.getLogger("mkdocs.plugins.ogp_local")

_INDEXING: list[tuple[Future, pagefind.SearchIndex]] = []
"""The search index being made: `serve` does not wait for it before the browser
reloads, and the next save's build gives it up for its own."""


def _say_search_done(job: Future, done) -> None:
    """A preview's index, done after the reload: what it did, or why it failed."""
    failed = job.exception()
    if isinstance(failed, pagefind.Superseded):
        log.info("ogp-local: search: the index of this save is left for the next one's")
    elif failed is not None:
        log.error(f"ogp-local: {failed}")
    else:
        log.info(f"ogp-local: {done()}")


def start_search(build: SiteBuild, site_dir: Path):
    """The search index, made in a thread (Pagefind runs as its own process) while
    the pages are laid out and the rest is written, as soon as every page's text is
    known; returns a function that waits for it and says what it did."""
    if not build.settings.search.enabled:
        return None
    gather(build)
    started = time.monotonic()
    clock = timeline.Clock()
    settings = build.settings
    records = []
    for lang, local in build.catalogs.items():
        with i18n.using(lang):
            records += catalog_records(local, build.texts, lang, build.sites.prefix(lang))
    records += sorted(build.page_records, key=lambda r: r.href)
    index = pagefind.SearchIndex(
        settings.search_cache_path(),
        settings.default_language,
        settings.all_languages,
        background=build.preview,  # the author's next save comes first
    )
    for earlier, making in _INDEXING:  # a preview's last save: its index is out of date
        if making.background:
            making.cancel()
        earlier.exception()  # one index at a time
    _INDEXING.clear()
    prepared = index.prepare(records)  # in this thread: see SearchIndex.prepare
    preparing = clock.span().cpu
    # The index may outlast the build that began it (a preview's comes after the
    # reload): it holds the project's build lock of its own until it is done.
    folder = settings.project_cache()
    lock.acquire(folder)
    pool = ThreadPoolExecutor(1)
    job = pool.submit(index.publish, prepared, site_dir)
    job.add_done_callback(lambda _job: lock.release(folder))
    job.add_done_callback(lambda job: _timed_search(job, clock.start, preparing))
    pool.shutdown(wait=False)
    _INDEXING.append((job, index))

    def done() -> str:
        made = job.result()
        how = "copied from the cache" if made.reused else "indexed"
        return (
            f"search: {made.records} records {how} in {time.monotonic() - started:.1f} s; "
            f"{made.files} files, {made.bytes / 1e6:.1f} MB"
        )

    if build.preview:
        job.add_done_callback(lambda job: _say_search_done(job, done))
    return done


def _timed_search(job: Future, start: float, preparing: float) -> None:
    """The search stage in the timeline: its documents (this build's thread) and
    Pagefind's process."""
    if not job.cancelled() and job.exception() is None:
        timeline.add("search", Span(start, time.time(), preparing + job.result().cpu), "pagefind")


def write_editions(build: SiteBuild, site_dir: Path) -> list[str]:
    """roundups/YYYY-MM/email.html and email.txt, one edition a month."""
    started = time.monotonic()
    said = []
    kept = build.settings.cache_path().parent / "editions"
    used: set[str] = set()
    for lang, local in build.catalogs.items():
        maker = build.newsletter(lang)
        with i18n.using(lang):
            for roundup in local.roundups:
                edition = maker.kept_edition(roundup, kept, build.salt)
                folder = site_dir / build.sites.prefix(lang) / roundup.url
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "email.html").write_bytes(edition.html)
                (folder / "email.txt").write_bytes(edition.text)
                if edition.listed:
                    said.append(
                        f"newsletter {build.sites.prefix(lang)}{roundup.month}: {edition.full} "
                        f"items in full, {edition.listed} listed as titles to stay under "
                        f"{build.settings.newsletter.max_kb} KB"
                    )
        used |= maker.used
    if build.salt is not None and kept.is_dir():  # editions no month has any more
        for path in kept.iterdir():
            if path.stem not in used:
                path.unlink(missing_ok=True)
    count = sum(len(local.roundups) for local in build.catalogs.values())
    seconds = time.monotonic() - started
    said.append(
        f"newsletter: {count} edition{'s' * (count != 1)} in {seconds:.2f} s "
        "(email.html, email.txt)"
    )
    return said


def write_feeds(build: SiteBuild, site_dir: Path) -> None:
    site = build.settings.site
    channels = {
        lang: formats.Channel(
            site_name=site.site_name,
            site_url=site.site_url or "",
            description=site.site_description or site.site_name,
            language=lang,
            logo=build.settings.feeds_logo,
            prefix=build.sites.prefix(lang),
        )
        for lang in build.settings.all_languages
    }
    entries: dict[Story, formats.Entry] = {}
    for feed in build.feeds:
        channel = channels[feed.lang]
        with i18n.using(feed.lang):
            for story in feed.stories:
                if story not in entries:
                    image = _image(build, story, channel, site_dir)
                    body = build.bodies.get(story)
                    entries[story] = formats.entry(story, channel, body, image)
            target = site_dir / feed.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_rendered(build, feed, [entries[s] for s in feed.stories], channel))
    _FEEDS.forget_unused()


_FEEDS = Kept("feeds")
"""A feed's inputs → its bytes: an edit renders again only the feeds it is in."""


def _rendered(build: SiteBuild, feed: formats.Feed, entries: list[formats.Entry], channel) -> bytes:
    shown = (feed.path, feed.format, feed.title, feed.description, feed.page, feed.lang)
    return _FEEDS.made_from(
        build.salt, (shown, channel, entries), lambda: formats.render(feed, entries, channel)
    )


def _image(build: SiteBuild, story: Story, channel: formats.Channel, site_dir: Path):
    """The entry's picture: its 1200×630 card, else its hero image."""
    card = build.card_sets.get(story)
    if card is not None:
        name = card.files["1200x630"]
        size = (site_dir / "cards" / name).stat().st_size
        mime = "image/jpeg" if name.endswith(".jpg") else "image/png"
        return (channel.absolute(f"cards/{name}"), mime, size)
    if story.image is None:
        return None
    size = (build.settings.root / story.image.path).stat().st_size
    return formats.hero(story.image, channel, size)


def write(build: SiteBuild, site_dir: Path) -> list[str]:
    """Everything that is not a page into `site_dir`: cards and month zips, photo
    variants, open data, feeds, email editions, the search index, the precompressed
    copies; lines for the log."""
    said = []
    writing = timeline.Clock()  # waiting for cards and photos, placing them; feeds, data…
    catalog = build.catalog
    assert catalog is not None, "plan() first"
    gather(build)
    if build.cards:
        stats = build.cards.finish(site_dir)
        timeline.add("cards", spent(stats.work))
        sites = [
            (build.sites.prefix(lang), c.roundups, build.card_sets)
            for lang, c in build.catalogs.items()
        ]
        build.cards.zips(site_dir, sites)
        said.append(
            f"cards: {stats.made} made, {stats.reused} reused in {stats.seconds:.1f} s "
            f"(adding {stats.cost:.1f} s to the build)"
        )
    if build.renditions:
        shown = build.photos.finish(site_dir)
        timeline.add("photos", spent(shown.work))
        said.append(
            f"images: {len(build.renditions)} published, {shown.made} variants made, "
            f"{shown.reused} reused in {shown.seconds:.1f} s; {shown.bytes_in / 1e6:.1f} MB "
            f"of originals → {shown.bytes_out / 1e6:.1f} MB in the site"
        )
    build.cancel()  # the worker processes are done
    searched = build.start_search(site_dir)
    build._searching = None
    digests.save(build._digests_memo())
    data = build.settings.open_data
    if data.enabled:
        site_url = build.settings.site.site_url or ""
        for lang, local in build.catalogs.items():
            prefix = build.sites.prefix(lang)
            rows = opendata.rows(local.stories, site_url, build.card_sets, prefix, build.sites.home)
            opendata.write(site_dir / prefix / "data", rows, data.licence, data.licence_url)
    if build.feeds:
        write_feeds(build, site_dir)
        said.append(f"wrote {len(build.feeds)} feeds")
    if build.settings.newsletter.enabled and catalog.roundups:
        said += write_editions(build, site_dir)
    if build.settings.editor.enabled:
        said += write_editor(build, site_dir)
    timeline.add("write", writing.span(), "build")
    if searched is not None and build.preview:
        said.append("search: the index follows in the background (the preview reloads first)")
    elif searched is not None:
        said.append(searched())
    if build.settings.precompress and not build.preview:
        with timeline.stage("precompression"):
            packed = compress.precompress(site_dir, build.settings.compressed_cache_path())
        said.append(
            f"precompressed {packed.files} text files ({packed.made} copies made) in "
            f"{packed.seconds:.1f} s: {packed.bytes_in / 1e6:.1f} MB → "
            f"{packed.bytes_out / 1e6:.1f} MB brotli"
        )
    return said


def write_editor(build: SiteBuild, site_dir: Path) -> list[str]:
    """/admin/: the browser editor, its configuration made from the schema now."""
    settings = build.settings
    docs = Path(settings.site.docs_dir)
    docs = docs.relative_to(settings.root) if docs.is_absolute() else docs
    dirs = (settings.cases_dir, settings.roundups_dir, docs.as_posix())
    with i18n.using(settings.default_language):  # the areas' names in the editor's language
        made = admin.Editor(
            config=editor_config.decap_config(
                areas=build.areas,
                languages=settings.all_languages,
                dirs=dirs,
                site_url=settings.site.site_url or "",
                backend=editor_config.backend(settings.editor),
                local_port=settings.editor.proxy_port,
            ),
            ours=editor_config.ours(build.areas, settings.all_languages, dirs),
            site_name=settings.site.site_name,
            language=settings.default_language,
        )
    try:
        count = admin.write(made, site_dir)
    except admin.NotInstalled as exc:
        log.warning(f"ogp-local: editor: {exc}")
        return []
    return [f"editor: /admin/, {count} files (its configuration made from the schema)"]


def gather(build: SiteBuild) -> None:
    """Bodies, introductions and texts from every page, rendered now or kept."""
    build.bodies, build.intros, build.texts, build.page_records = {}, {}, {}, []
    indexed = build.settings.search.enabled
    for uri, kept in build.kept.items():
        planned = build.pages.get(uri)
        if planned is None or planned.story is None:
            if "record" in kept and indexed:
                href, title, text, kind = kept["record"]
                site = build.sites.language_of(uri)
                record = Record(href, title, text, (("kind", kind),), site=site)
                build.page_records.append(record)
            continue
        story = planned.story
        parts = [(story, kept)]
        if isinstance(story, Roundup):
            build.intros[story] = kept["html"]
            parts += [(item, kept["items"].get(item.slug, {})) for item in story.items]
        for part, held in parts:
            if part in build.in_feeds:
                build.bodies[part] = held.get("html", "")
            if indexed:
                build.texts[part] = held.get("text", "")
