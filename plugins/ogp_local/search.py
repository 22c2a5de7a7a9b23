"""The site's search: a Pagefind index of every story and page, made by the build.

Pagefind splits its index into chunks that a browser loads on demand, so a first
search costs the same few hundred kilobytes at 100 stories as at 20,000 (Material's
lunr search downloads one index of every page before its first result). The build
knows each story's fields, so it does not let Pagefind guess them from themed
HTML: it writes one small document per search record — a story, a roundup item
(a section of its month's page), a content page, an area, a member, a circle —
carrying the filters the story finder offers (area, country, member, year, kind,
language) and the fields a result shows, and runs Pagefind's own binary on those
documents. The bundle is cached by the digest of every document: a build whose
records did not change copies the last bundle and runs nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cbor2

from .catalog import Catalog
from .dates import long_date
from .i18n import N_, language_name, ngettext
from .i18n import gettext as _
from .model import Case, Item, Story
from .publish import link_or_copy

BUNDLE = "pagefind"
"""The index's folder in the site."""
KEPT = 3
"""Bundles kept in the cache."""
RECORDS = "records"
"""The cache's folder of the documents Pagefind reads: kept, rewritten where they change."""
KIND_LABELS = {
    "case": N_("Case study"),
    "roundup": N_("Local Roundup"),
    "news": N_("News"),
    "video": N_("Video"),
    "blog": N_("Blog post"),
    "face": N_("Faces of Open Gov"),
}
"""The story finder's kinds: the filter's value → what a reader reads (translated)."""
# Pagefind's own UIs and playground: the site has its own, lighter one.
_UNUSED = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.|^playground$")
_TAG = re.compile(r"<[^>]*>")
# Not text a reader reads: scripts, styles, and the headings' permalink signs (¶).
_HIDDEN = re.compile(
    r"<(script|style|template)\b.*?</\1\s*>|<a\b[^>]*\bheaderlink\b[^>]*>.*?</a>",
    re.IGNORECASE | re.DOTALL,
)


class SearchError(Exception):
    """Pagefind could not make the index (its message says why)."""


class Superseded(Exception):
    """A preview's index given up for a newer save's (SearchIndex.cancel)."""


@dataclass(frozen=True)
class Record:
    """One search result: where it leads, its words, what it shows, how it filters."""

    href: str
    """Site-relative address, e.g. `cases/x/` or `roundups/2023-11/#item`."""
    title: str
    text: str
    meta: tuple[tuple[str, str], ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    lang: str = ""
    """The story's own language, where it is not the site's."""
    site: str = ""
    """The language of the site the record belongs to: each has its own index."""


def text_of(body_html: str) -> str:
    """A rendered body as one line of text (bodies are trusted Markdown output)."""
    return " ".join(html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", body_html))).split())


def kind_of(story: Story) -> str:
    if isinstance(story, Item):
        return story.item_kind
    return "case" if isinstance(story, Case) else "roundup"


def story_record(
    story: Story, text: str, catalog: Catalog, language: str, prefix: str = ""
) -> Record:
    pages = [catalog.member_page(m) for m in story.members]
    kind = kind_of(story)
    areas = [[a.slug, a.name, a.colour] for a in story.areas]
    meta = {
        "kind": _(KIND_LABELS[kind]),
        "member": ", ".join(p.name for p in pages),
        "country": ", ".join(dict.fromkeys(p.country for p in pages)),
        "date": long_date(story.date),
        "areas": json.dumps(areas, ensure_ascii=False) if areas else "",
        "summary": story.summary,
    }
    filters = [("kind", kind), ("year", str(story.date.year))]
    filters += [("area", a.slug) for a in story.areas]
    filters += [("country", c) for c in dict.fromkeys(p.country for p in pages)]
    filters += [("member", slug) for slug in dict.fromkeys(p.slug for p in pages)]
    return Record(
        prefix + story.url,
        story.title,
        text,
        tuple((k, v) for k, v in meta.items() if v),
        tuple(filters),
        story.lang if story.lang and story.lang != language else "",
        language,
    )


def catalog_records(
    catalog: Catalog, texts: dict[Story, str], language: str, prefix: str = ""
) -> list[Record]:
    """Every story, area, member and circle of one language's site (under `prefix`), in
    a fixed order (builds are reproducible), in the active language."""
    records = [
        story_record(story, texts.get(story, story.summary), catalog, language, prefix)
        for story in catalog.stories
    ]
    for area in catalog.areas:
        count = len(catalog.area_stories(area))
        summary = ngettext("{count} story", "{count} stories", count).format(count=count)
        records.append(
            Record(
                prefix + area.url,
                area.name,
                area.description,
                (("kind", _("Challenge area")), ("summary", summary)),
                site=language,
            )
        )
    for page in catalog.members:
        records.append(
            Record(
                prefix + page.url,
                page.name,
                f"{page.name}, {page.country}",
                (("kind", _("Member")), ("country", page.country)),
                site=language,
            )
        )
    for circle in catalog.circles:
        records.append(
            Record(
                prefix + circle.url,
                circle.name,
                f"{circle.theme} {text_of(circle.body)}",
                (("kind", _("Local Circle")), ("summary", circle.theme)),
                site=language,
            )
        )
    return records


def document(record: Record, language: str) -> str:
    """The small HTML document Pagefind indexes for one record."""

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    head = [
        f'<meta data-pagefind-meta="href[content]" content="{attr(record.href)}">',
        f'<meta data-pagefind-meta="title[content]" content="{attr(record.title)}">',
    ]
    head += [
        f'<meta data-pagefind-meta="{key}[content]" content="{attr(value)}">'
        for key, value in record.meta
    ]
    head += [
        f'<meta data-pagefind-filter="{key}[content]" content="{attr(value)}">'
        for key, value in record.filters
    ]
    if record.lang:
        head.append(f'<meta data-pagefind-filter="lang[content]" content="{attr(record.lang)}">')
        head.append(f'<meta data-pagefind-meta="lang[content]" content="{attr(record.lang)}">')
    elif record.filters:
        head.append(f'<meta data-pagefind-filter="lang[content]" content="{attr(language)}">')
    return (
        f'<!doctype html><html lang="{attr(record.site or language)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(record.title)}</title>{''.join(head)}</head>"
        f"<body><main data-pagefind-body><h1>{html.escape(record.title)}</h1>"
        f"<p>{html.escape(record.text)}</p></main></body></html>\n"
    )


@dataclass(frozen=True)
class Made:
    records: int
    files: int
    bytes: int
    reused: bool


def executable() -> Path:
    """Pagefind's binary: the `pagefind[bin]` wheel's, or PAGEFIND_BINARY_PATH."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise SearchError("Pagefind's binary is missing: pip install 'pagefind[bin]'")
    return found


@functools.cache
def version() -> str:
    from importlib.metadata import version as of

    return of("pagefind_bin")


class SearchIndex:
    """Makes the Pagefind bundle of a set of records, or copies the cached one."""

    def __init__(
        self, cache: Path, language: str, languages: Sequence[str] = (), background: bool = False
    ) -> None:
        self.cache = cache
        self.background = background
        """Index at a low priority (`nice`): a preview's next build comes first."""
        self.language = language
        """The default language: of records that name none."""
        self.one = len(set(languages) | {language}) == 1
        """One language: its stemming for every word. Several: Pagefind makes an index
        per language from each document's <html lang>, and a page loads its own."""
        self._cancelled = False
        self._process: subprocess.Popen | None = None

    def cancel(self) -> None:
        """Stop making this index: a preview's next save makes a newer one, and its
        author should not wait for this one first."""
        self._cancelled = True
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def write(self, records: Sequence[Record], site_dir: Path) -> Made:
        """The bundle of `records` in `site_dir`, made or copied from the cache."""
        return self.publish(self.prepare(records), site_dir)

    def prepare(self, records: Sequence[Record]) -> Prepared:
        """The documents Pagefind is to read, on disk unless a cached bundle has them.

        A build calls this itself and leaves publish() to a thread: written from a
        thread while the build's own thread works, every file waits its turn for the
        interpreter (0.3 s for 1,000 documents where it takes 0.03 s)."""
        documents = [document(r, self.language) for r in records]
        key = _digest([version(), self.language, str(self.one), *documents])
        bundle = self.cache / key
        reused = bundle.is_dir()
        if not reused:
            self._documents(documents)
        return Prepared(len(records), bundle, reused)

    def publish(self, prepared: Prepared, site_dir: Path) -> Made:
        """Run Pagefind where prepare() wrote documents; copy the bundle into the site."""
        bundle = prepared.bundle
        if prepared.reused:
            os.utime(bundle)  # the most recently used bundles are the ones kept
        else:
            self._make(bundle)
        target = site_dir / BUNDLE
        if target.exists():
            shutil.rmtree(target)
        count = size = 0
        for folder, _folders, names in os.walk(bundle):
            into = target / Path(folder).relative_to(bundle)
            into.mkdir(parents=True, exist_ok=True)
            for name in names:
                source = Path(folder, name)
                link_or_copy(source, into / name)
                count, size = count + 1, size + source.stat().st_size
        return Made(prepared.records, count, size, prepared.reused)

    def _documents(self, documents: Sequence[str]) -> None:
        """One file per document in the records folder, the same names from build to
        build: a file that already holds its document is left alone (a one-story edit
        writes a few), one no document has is removed."""
        work = self.cache / RECORDS
        if work.is_symlink() or (work.exists() and not work.is_dir()):
            work.unlink()
        wanted: dict[str, dict[str, bytes]] = {}
        for n, text in enumerate(documents):
            wanted.setdefault(f"{n // 1000:03d}", {})[f"{n:06d}.html"] = text.encode("utf-8")
        for name in _names(work):
            if name not in wanted:
                _remove(work / name)
        for name, files in wanted.items():
            if self._cancelled:
                raise Superseded()
            folder = work / name
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                folder.unlink()  # the cache is ours to mend
            folder.mkdir(parents=True, exist_ok=True)
            there = _names(folder)
            for stale in there - files.keys():
                _remove(folder / stale)
            for file_name, data in files.items():
                path = folder / file_name
                held = _content(path) if file_name in there else None
                if held != data:
                    if held is None and file_name in there:  # a folder where a file goes
                        _remove(path)
                    path.write_bytes(data)

    def _make(self, bundle: Path) -> None:
        work = self.cache / RECORDS
        made = self.cache / "bundle.tmp"
        shutil.rmtree(made, ignore_errors=True)
        command = [
            str(executable()),
            "--site",
            str(work),
            "--output-path",
            str(made),
            *(("--force-language", self.language.split("-")[0]) if self.one else ()),
            "--silent",
        ]
        nice = shutil.which("nice") if self.background else None
        if nice:
            command = [nice, "-n", "10", *command]
        if self._cancelled:
            raise Superseded()
        try:
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except FileNotFoundError as exc:
            raise SearchError(
                f"Pagefind's binary is missing ({command[0]}): pip install 'pagefind[bin]', "
                "or point PAGEFIND_BINARY_PATH at it"
            ) from exc
        if self._cancelled:  # cancelled as it started
            self._process.kill()
        out, err = self._process.communicate()
        if self._cancelled:
            raise Superseded()
        if self._process.returncode != 0:
            said = (err or out).strip().splitlines()
            raise SearchError(f"pagefind failed: {said[-1] if said else self._process.returncode}")
        for path in list(made.iterdir()):
            if _UNUSED.search(path.name):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        canonical(made)
        made.rename(bundle)
        self._prune()

    def _prune(self) -> None:
        """Keep a few bundles (a preview switching between two configurations reuses
        both), not one per edit. An old bundle is renamed out of the way, then removed
        by a process of its own: removing its files here (one per story) kept a build
        at 5,000 stories waiting 0.4 s."""
        scratch = (RECORDS, "bundle.tmp")
        bundles, trash = [], []
        for path in self.cache.iterdir():
            if path.name.startswith(_TRASH):
                trash.append(path)  # left by a removal that did not finish
            elif path.is_dir() and path.name not in scratch:
                bundles.append(path)
        for old in sorted(bundles, key=lambda p: p.stat().st_mtime, reverse=True)[KEPT:]:
            try:
                trash.append(old.rename(old.with_name(_TRASH + old.name)))
            except OSError:  # its name is still being removed: the next build's turn
                continue
        if trash:
            _remove_later(trash)


@dataclass(frozen=True)
class Prepared:
    """What prepare() left for publish(): the bundle to make (or reuse)."""

    records: int
    bundle: Path
    reused: bool


_TRASH = ".removing-"
_REMOVING: list[subprocess.Popen] = []
"""The `rm` processes removing old bundles: reaped by the next call, or at exit."""


def _remove_later(paths: list[Path]) -> None:
    """`paths` removed by `rm` in the background, or here where there is no `rm`."""
    _REMOVING[:] = [process for process in _REMOVING if process.poll() is None]
    rm = shutil.which("rm")
    if rm:
        try:
            process = subprocess.Popen(
                [rm, "-rf", "--", *map(str, paths)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in a preview leaves it to finish
            )
        except OSError:
            pass
        else:
            _REMOVING.append(process)
            return
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def _reap() -> None:
    """At exit: wait for the removals (done by then, as a rule), not leave them to the
    system. One still running after a few seconds is left; the next build retries."""
    for process in _REMOVING:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


atexit.register(_reap)


def _names(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(folder)}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _content(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


_MAGIC = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise SearchError(f"pagefind wrote a file of an unknown format: {path.name}")
    return cbor2.loads(data[len(_MAGIC) :])


def _write(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """`value` as a Pagefind file named by its digest; returns the name's hash part."""
    data = gzip.compress(_MAGIC + cbor2.dumps(value), 9, mtime=0)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(data)
    return name


def canonical(bundle: Path) -> None:
    """Put Pagefind's filter files in one order: byte-identical bundles for the same
    records (reproducible builds with SOURCE_DATE_EPOCH).

    Pagefind 1.5 writes each filter's values, and the filter and meta-field lists,
    in the order of a Rust HashMap, which changes from run to run; pages, words and
    fragments come out the same. The filter files are rewritten with their values
    sorted and renamed by digest, then the language's meta file that lists them,
    then the entry file that names that. (Formats: gzip of b"pagefind_dcd" + CBOR.)
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        version, pages, chunks, filters, sorts, fields = meta
        renamed = []
        for name, hashed in filters:
            path = bundle / "filter" / f"{hashed}.pf_filter"
            title, values = _read(path)
            path.unlink()
            values = sorted([value, sorted(indices)] for value, indices in values)
            prefix = hashed.split("_")[0] + "_"
            renamed.append([name, _write(path.parent, prefix, ".pf_filter", [title, values], 7)])
        meta_path.unlink()
        meta = [version, pages, chunks, sorted(renamed), sorts, sorted(fields)]
        prefix = language["hash"].split("_")[0] + "_"
        language["hash"] = _write(bundle, f"pagefind.{prefix}", ".pf_meta", meta, 10).removeprefix(
            "pagefind."
        )
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


@dataclass(frozen=True)
class Filter:
    """One of the story finder's filters: the address's key and its choices."""

    key: str
    label: str
    anyone: str
    """The choice that filters nothing, e.g. "All areas"."""
    choices: tuple[tuple[str, str], ...]
    """(value in the address and the index, what the reader reads)."""


def filters(catalog: Catalog, language: str) -> list[Filter]:
    """What the finder offers, from what the stories hold (no empty choice)."""
    stories = catalog.stories
    kinds = {kind_of(s) for s in stories}
    languages = sorted({s.lang or language for s in stories})
    pages = sorted({p.slug: p for p in catalog.members}.values(), key=lambda p: p.name)
    return [
        Filter(
            "area",
            _("Challenge area"),
            _("All areas"),
            tuple((a.slug, a.name) for a in catalog.areas if catalog.area_stories(a)),
        ),
        Filter(
            "country",
            _("Country"),
            _("All countries"),
            tuple((c, c) for c in sorted({c for s in stories for c in s.countries})),
        ),
        Filter("member", _("Member"), _("All members"), tuple((p.slug, p.name) for p in pages)),
        Filter(
            "year",
            _("Year"),
            _("All years"),
            tuple((y, y) for y in sorted({str(s.date.year) for s in stories}, reverse=True)),
        ),
        Filter(
            "kind",
            _("Kind"),
            _("All kinds"),
            tuple((k, _(label)) for k, label in KIND_LABELS.items() if k in kinds),
        ),
        Filter(
            "lang",
            _("Language"),
            _("All languages"),
            tuple((code, language_name(code)) for code in languages),
        ),
    ]
