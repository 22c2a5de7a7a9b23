"""Pagefind, the search's engine: its binary run on one small document per search
record, the bundle it writes kept in the cache (by the digest of every document) and
put into the site.

The documents stay in the cache between builds and an edit rewrites the few that
changed; a build whose records did not change copies the last bundle and runs
nothing. Pagefind has no incremental mode: any change indexes every record again.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cbor2

from ogp_local.cache.files import link_or_copy, remove_later
from ogp_local.outputs.search.canonical import SearchFormatError, canonical

if TYPE_CHECKING:
    from ogp_local.outputs.search.records import Record

BUNDLE = "pagefind"
"""The index's folder in the site."""
KEPT = 3
"""Bundles kept in the cache."""
RECORDS = "records"
"""The cache's folder of the documents Pagefind reads: kept, rewritten where they change."""
# Pagefind's own UIs and playground: the site has its own, lighter one.
_UNUSED = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.|^playground$")


class SearchError(Exception):
    """Pagefind could not make the index (its message says why)."""


class Superseded(Exception):
    """A preview's index given up for a newer save's (SearchIndex.cancel)."""


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
    cpu: float = 0.0
    """CPU seconds of Pagefind's process (0 when the bundle was reused)."""


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
        self._cpu = 0.0

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
        return Made(prepared.records, count, size, prepared.reused, self._cpu)

    def _documents(self, documents: Sequence[str]) -> None:
        """One file per document in the records folder, the same names from build to
        build: a file that already holds its document is left alone (a one-story edit
        writes a few), one no document has is removed."""
        work = _folder(self.cache / RECORDS)
        wanted: dict[str, dict[str, bytes]] = {}
        for n, text in enumerate(documents):
            wanted.setdefault(f"{n // 1000:03d}", {})[f"{n:06d}.html"] = text.encode("utf-8")
        for name in _names(work):
            if name not in wanted:
                _remove(work / name)
        for name, files in wanted.items():
            if self._cancelled:
                raise Superseded()
            folder = _folder(work / name)
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
        # A folder of this build's own: the bundle becomes the cache's only once
        # Pagefind has finished and its files are put in order (renamed whole).
        made = self.cache / f"{_MAKING}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            self._run(work, made)
            try:
                canonical(made)
            except (SearchFormatError, EOFError, cbor2.CBORDecodeError) as exc:
                raise SearchError(f"pagefind's index could not be read back: {exc}") from exc
            made.rename(bundle)
        finally:
            if made.exists():
                _remove(made)
        self._prune()

    def _run(self, work: Path, made: Path) -> None:
        """Pagefind on the documents in `work`, its bundle written into `made`."""
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
        # What it says goes to a file, not a pipe: waited for with wait4, which tells
        # its CPU time, no thread has to read a pipe meanwhile.
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as said:
            try:
                self._process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=said, stderr=said, text=True
                )
            except FileNotFoundError as exc:
                raise SearchError(
                    f"Pagefind's binary is missing ({command[0]}): pip install "
                    "'pagefind[bin]', or point PAGEFIND_BINARY_PATH at it"
                ) from exc
            if self._cancelled:  # cancelled as it started
                self._process.kill()
            code = self._wait()
            said.seek(0)
            lines = said.read().strip().splitlines()
        if self._cancelled:
            raise Superseded()
        if code != 0:
            raise SearchError(f"pagefind failed: {lines[-1] if lines else code}")
        for path in list(made.iterdir()):
            if _UNUSED.search(path.name):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def _wait(self) -> int:
        """Pagefind's exit code, once it has ended; the CPU seconds it spent (wait4 says,
        where the system has it)."""
        process = self._process
        if not hasattr(os, "wait4"):
            return process.wait()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except ChildProcessError:  # reaped already
            return process.wait()
        process.returncode = os.waitstatus_to_exitcode(status)
        self._cpu = usage.ru_utime + usage.ru_stime
        return process.returncode

    def _prune(self) -> None:
        """Keep a few bundles (a preview switching between two configurations reuses
        both), not one per edit. An old bundle is renamed out of the way, then removed
        by a process of its own: removing its files here (one per story) kept a build
        at 5,000 stories waiting 0.4 s."""
        bundles, trash = [], []
        for path in self.cache.iterdir():
            if path.name.startswith((_TRASH, _MAKING)):
                # Left by a removal that did not finish, or by a build that was killed
                # while Pagefind ran (builds of a project never meet: build/lock.py).
                trash.append(path)
            elif path.is_dir() and path.name != RECORDS:
                bundles.append(path)
        for old in sorted(bundles, key=lambda p: p.stat().st_mtime, reverse=True)[KEPT:]:
            try:
                trash.append(old.rename(old.with_name(_TRASH + old.name)))
            except OSError:  # its name is still being removed: the next build's turn
                continue
        if trash:
            remove_later(trash)


@dataclass(frozen=True)
class Prepared:
    """What prepare() left for publish(): the bundle to make (or reuse)."""

    records: int
    bundle: Path
    reused: bool


_TRASH = ".removing-"
_MAKING = ".making-"
"""The folder a build's Pagefind writes into, until the bundle is whole."""


def _folder(path: Path) -> Path:
    """`path` as a folder of its own, made if missing: a file or a link standing there
    is removed (the cache is ours to mend; what a link points to is left alone)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]
