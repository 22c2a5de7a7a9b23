"""The write stage of a build: what is not a Markdown page — the search index (made
in a thread while pages are laid out), the email editions, the feeds."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ogp_local.cache.stores import Kept
from ogp_local.content import i18n
from ogp_local.content.model import Story
from ogp_local.outputs.feeds import formats
from ogp_local.outputs.search import pagefind
from ogp_local.outputs.search.records import catalog_records

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
    build.gather()
    started = time.monotonic()
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
    pool = ThreadPoolExecutor(1)
    job = pool.submit(index.publish, prepared, site_dir)
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
