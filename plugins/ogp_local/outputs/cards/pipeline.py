"""Every story's cards: named when the pages are planned, drawn after the build —
only those whose content changed, in parallel on all cores — then zipped by month."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unicodedata import category
from urllib.parse import urlsplit

from ogp_local.cache.digests import file_digest
from ogp_local.cache.files import link_or_copy
from ogp_local.cache.stores import Kept
from ogp_local.content import i18n
from ogp_local.content.model import Case, Roundup, Story
from ogp_local.content.problems import Problem, Severity
from ogp_local.outputs.cards import draw, social
from ogp_local.outputs.cards.fonts import FontChain
from ogp_local.outputs.cards.layout import DESIGNS, LAYOUT_VERSION, Content, lay_out
from ogp_local.outputs.serialize import csv_text
from ogp_local.outputs.work import Span, timed

log = logging.getLogger("mkdocs.plugins.ogp_local.cards")
FOLDER = "cards"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: zips stay byte-identical
_DIGESTS = Kept("card-digests")
"""(card content, photo digest, fonts) → the digest its cards are cached by."""
_UNDRAWABLE = Kept("undrawable")
"""(fonts, a story's card texts) → the letters no card font has: a preview's save
checks only the stories it changed."""


@dataclass
class CardSet:
    """One story's cards and what to post with them."""

    story: Story
    files: dict[str, str]
    """Size → file name under cards/."""
    alt: str
    post: str


@dataclass
class Stats:
    made: int = 0
    reused: int = 0
    seconds: float = 0.0
    """From the start of drawing to the last card in place (beside the page build)."""
    cost: float = 0.0
    """What cards added to the build: hashing, waiting for workers, copying."""
    keys: set[str] = field(default_factory=set)
    work: list[Span] = field(default_factory=list)
    """When each drawing task ran, and its CPU seconds (the build's timeline)."""


@dataclass(frozen=True)
class Settings:
    root: Path
    fonts_dir: Path
    families: tuple[str, ...]
    cache_dir: Path
    sizes: tuple[str, ...]
    colour: str
    site_name: str
    site_url: str
    workers: int = 0


class Cards:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.chain = FontChain(settings.fonts_dir, settings.families)
        self.sets: dict[Story, CardSet] = {}

    def plan(self, stories: list[Story], prefix=lambda story: "") -> dict[Story, CardSet]:
        """Name every story's cards (needed by pages and feeds before anything is drawn).
        Each version of a story gets its own, labelled in its language; `prefix` gives
        where a story's language's pages live ('es/')."""
        self.sets = {}
        for story in stories:
            ext = "jpg" if story.image else "png"
            key = social.card_key(story)
            files = {size: f"{key}-{size}.{ext}" for size in self.settings.sizes}
            url = self.settings.site_url.rstrip("/") + "/" + prefix(story) + story.url
            with i18n.using(story.lang or i18n.active()):
                alt, post = social.alt_text(story), social.post_text(story, url)
            self.sets[story] = CardSet(story, files, alt, post)
        return self.sets

    def content(self, story: Story) -> Content:
        with i18n.using(story.lang or i18n.active()):  # labels in the story's language
            return self._content(story)

    def _content(self, story: Story) -> Content:
        colour = story.primary_area.colour if story.primary_area else self.settings.colour
        image = str(self.settings.root / story.image.path) if story.image else None
        host = urlsplit(self.settings.site_url).netloc or self.settings.site_name
        return Content(
            kind=social.kind_label(story),
            title=story.title,
            place=social.place(story),
            areas=tuple((a.name, a.colour) for a in story.areas),
            colour=colour,
            site_name=self.settings.site_name,
            site_host=host,
            impact=social.impact(story),
            image=image,
            focus=story.image.focus if story.image else (50.0, 50.0),
        )

    def _content_digest(self, content: Content) -> str:
        """Everything that shapes a story's cards but their size: hashed once per story
        (and kept: a preview's save hashes only the cards of what it changed)."""
        photo = file_digest(content.image) if content.image else None
        key = (content, photo, self.chain.digest)
        found = _DIGESTS.find(key)
        if found is not None:
            return found
        fields = asdict(content)
        fields["image"] = photo
        text = json.dumps(
            [LAYOUT_VERSION, self.chain.digest, fields], sort_keys=True, ensure_ascii=False
        )
        return _DIGESTS.keep(key, hashlib.sha256(text.encode()).hexdigest())

    def _cached_names(self) -> set[str]:
        """The names of the cards in the cache: one listing per folder, not one look
        per card (15,000 at 5,000 stories)."""
        names: set[str] = set()
        with contextlib.suppress(FileNotFoundError):
            for folder in os.scandir(self.settings.cache_dir):
                if folder.is_dir() and len(folder.name) == 2:
                    names.update(entry.name for entry in os.scandir(folder.path))
        return names

    @staticmethod
    def _cache_key(digest: str, size: str) -> str:
        return hashlib.sha256(f"{digest}:{size}".encode()).hexdigest()

    def start(self, executor: Executor | None = None) -> None:
        """Begin drawing what the cache lacks, in worker processes, while MkDocs goes on
        building the pages; finish() collects the cards. `executor`: the build's worker
        pool (made with `initializer()`), shared with the photos."""
        self.cancel()
        self._started = time.monotonic()
        self._stats = Stats()
        self._targets: list[tuple[Path, str]] = []
        missing: list[_Job] = []
        """Per story, the sizes the cache lacks: drawn together (one photo decoded)."""
        cached_names = self._cached_names()
        for card_set in self.sets.values():
            content = self.content(card_set.story)
            digest = self._content_digest(content)
            lacking = []
            for size, name in card_set.files.items():
                key = self._cache_key(digest, size)
                cached = self.settings.cache_dir / key[:2] / f"{key}{Path(name).suffix}"
                self._stats.keys.add(cached.name)
                if cached.name in cached_names:
                    self._stats.reused += 1
                else:
                    lacking.append((size, str(cached)))
                self._targets.append((cached, name))
            if lacking:
                missing.append((content, tuple(lacking)))
        _DIGESTS.forget_unused()
        self._stats.made = sum(len(lacking) for _, lacking in missing)
        self._start_cost = time.monotonic() - self._started
        self._pending = []
        self._inline = []
        workers = self.settings.workers or os.cpu_count() or 1
        if executor is None and (workers == 1 or self._stats.made < 12):
            self._inline = missing  # not worth starting processes for
            return
        if executor is None:
            executor = self._pool = ProcessPoolExecutor(workers, **self.initializer())
        size = max(1, min(16, len(missing) // (workers * 8)))  # stories per task
        for n in range(0, len(missing), size):
            self._pending.append(executor.submit(timed, _draw_many, missing[n : n + size]))

    def initializer(self) -> dict:
        """What a worker process needs to draw cards: the fonts, loaded once."""
        return {
            "initializer": _init,
            "initargs": (str(self.settings.fonts_dir), self.settings.families),
        }

    def finish(self, site_dir: Path) -> Stats:
        """Wait for the drawing, then put every card into site_dir/cards/."""
        stats = self._stats
        waiting = time.monotonic()
        if self._inline:
            _init(str(self.settings.fonts_dir), self.settings.families)
            stats.work.append(timed(_draw_many, self._inline)[1])
        done = 0
        for future in self._pending:
            count, span = future.result()
            done += count
            stats.work.append(span)
            if stats.made >= 200:
                log.info(f"ogp-local: cards {done}/{stats.made} drawn")
        self.cancel()
        out = site_dir / FOLDER
        out.mkdir(parents=True, exist_ok=True)
        for cached, name in self._targets:
            link_or_copy(cached, out / name)
        self._prune(stats.keys)
        stats.seconds = time.monotonic() - self._started
        stats.cost = self._start_cost + time.monotonic() - waiting
        return stats

    def cancel(self) -> None:
        """Stop the workers (a failed build, or a new one starting under `mkdocs serve`)."""
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._pending = []

    def _prune(self, keep: set[str]) -> None:
        """Cards of deleted or changed stories leave the cache too."""
        folder = self.settings.cache_dir
        if not folder.is_dir():
            return
        for path in folder.glob("*/*"):
            if path.parent.name != "zips" and path.name not in keep:
                path.unlink(missing_ok=True)

    def zips(self, site_dir: Path, sites: list[tuple[str, list[Roundup], dict]]) -> list[Path]:
        """<prefix>cards/YYYY-MM.zip for each language's site (prefix, roundups, card sets
        of its stories): a month's cards and a posts.csv of file, alt text, post text.
        Cached like the cards: a month whose cards and posts did not change is not zipped
        again."""
        cached_of = {name: cached for cached, name in self._targets}
        written = []
        keep = set()
        for prefix, roundups, card_sets in sites:
            for roundup in roundups:
                sets = [card_sets[s] for s in (roundup, *roundup.items) if s in card_sets]
                members = [
                    (name, cached_of[name]) for card_set in sets for name in card_set.files.values()
                ]
                rows = [
                    (name, card_set.alt, card_set.post)
                    for card_set in sets
                    for name in card_set.files.values()
                ]
                # With a byte-order mark, Excel reads the UTF-8 (Bogotá, Київ) as UTF-8.
                posts = csv_text(("file", "alt_text", "post_text"), rows).encode("utf-8-sig")
                key = hashlib.sha256(
                    json.dumps([[n, c.name] for n, c in members]).encode() + posts
                ).hexdigest()
                cached = self.settings.cache_dir / "zips" / f"{key}.zip"
                keep.add(cached.name)
                if not cached.is_file():
                    _write_zip(cached, members, posts)
                target = site_dir / prefix / FOLDER / f"{roundup.month}.zip"
                link_or_copy(cached, target)
                written.append(target)
        self._prune_zips(keep)
        return written

    def _prune_zips(self, keep: set[str]) -> None:
        for path in (self.settings.cache_dir / "zips").glob("*"):
            if path.name not in keep:
                path.unlink(missing_ok=True)


def _write_zip(path: Path, members: list[tuple[str, Path]], posts: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(temp, "w") as archive:
        for name, cached in members:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED  # PNG and JPEG are compressed already
            info.external_attr = 0o644 << 16
            archive.writestr(info, cached.read_bytes())
        info = zipfile.ZipInfo("posts.csv", _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, posts)
    temp.replace(path)


_CHAIN: FontChain | None = None


def _init(fonts_dir: str, families: tuple[str, ...]) -> None:
    global _CHAIN
    if _CHAIN is None or _CHAIN.folder != Path(fonts_dir):
        _CHAIN = FontChain(Path(fonts_dir), families)


_Job = tuple[Content, tuple[tuple[str, str], ...]]
"""A story's card content, and the (size, cache path) of each card to draw."""


def _draw_many(jobs: list[_Job]) -> int:
    """Draw cards into the cache (each written whole, then renamed into place)."""
    count = 0
    for content, sizes in jobs:
        for cached, data in _draw_story(content, sizes):
            path = Path(cached)
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temp.write_bytes(data)
            temp.replace(path)
            count += 1
    return count


def _draw_story(
    content: Content, sizes: tuple[tuple[str, str], ...]
) -> Iterator[tuple[str, bytes]]:
    """A story's cards as (cache path, PNG bytes), one size after the other: its photo
    is decoded once for all of them."""
    upright = None
    if content.image is not None:
        dims = [(DESIGNS[size].width, DESIGNS[size].height) for size, _ in sizes]
        upright = draw.upright_photo(content, dims)
    for size, cached in sizes:
        layout = lay_out(content, size, _CHAIN)
        card, _ = draw.render(layout, content, _CHAIN, upright=upright)
        data, _ = draw.encode(card, photo=content.image is not None, content=content)
        yield cached, data


__all__ = ["Cards", "CardSet", "Settings", "Stats", "DESIGNS"]


def undrawable(story: Story, chain: FontChain) -> dict[str, str]:
    """Per front-matter field, the letters, marks and digits no card font has: the
    cards leave them out (a script whose font is not in the chain). Emoji and other
    symbols are left out too, but they are decoration, not words: not listed."""
    texts = {"title": story.title}
    if not isinstance(story, Roundup):
        texts["member"] = " ".join(m.name for m in story.members)
        texts["country"] = " ".join(story.countries)
    figure = social.impact(story) if isinstance(story, Case) else None
    if figure:
        texts["impact"] = " ".join(figure)
    key = (chain.digest, tuple(texts.items()))
    found = _UNDRAWABLE.find(key)
    if found is not None:
        return found
    found = {}
    for name, text in texts.items():
        dropped = chain.drops(text)
        missing = "".join(dict.fromkeys(c for c in dropped if category(c)[0] in "LMN"))
        if missing:
            found[name] = missing
    return _UNDRAWABLE.keep(key, found)


def font_warnings(stories: Iterable[Story], chain: FontChain) -> list[Problem]:
    """A warning for each field whose letters the cards leave out (--strict refuses)."""
    found = []
    for story in stories:
        for name, chars in undrawable(story, chain).items():
            shown = " ".join(f"'{c}'" for c in chars[:12]) + (" …" if len(chars) > 12 else "")
            found.append(
                Problem(
                    story.path,
                    story.lines.get(name, 1),
                    name,
                    f"no card font has {shown}: left out of the cards",
                    "drop them from the text, or add a font family that has them to "
                    "cards.fonts in mkdocs.yml (its files in cards.fonts_dir)",
                    Severity.WARNING,
                )
            )
    _UNDRAWABLE.forget_unused()
    return found
