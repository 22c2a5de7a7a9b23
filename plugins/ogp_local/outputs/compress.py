"""Precompressed siblings: `page.html.gz` and `page.html.br` beside every text file.

Static hosts that look for them (nginx's gzip_static and brotli_static, Caddy's
precompressed, most CDNs' origin pulls) serve the smaller file without compressing
on each request, and at the best level. Compressed copies are cached by the
digest of what they compress, so a build that changes one page compresses one page.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

from ogp_local.cache.files import link_or_copy
from ogp_local.cache.stores import Kept

TEXT = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map"})
KEEP = 3
"""The cache may hold this many times what one build uses."""
SMALLEST = 512
"""Bytes: below this, a compressed copy saves less than a request's headers."""
ENCODINGS = (
    (".gz", lambda data: gzip.compress(data, 9, mtime=0)),
    (".br", lambda data: brotli.compress(data, quality=7)),
)


@dataclass(frozen=True)
class Compressed:
    files: int
    made: int
    bytes_in: int
    bytes_out: int
    """Of the .br copies: what a reader's browser gets."""
    seconds: float


_KEYS = Kept("compressed")
"""A text file's identity (device, inode, size, modification time) → the digest of
its bytes: a page the build linked from the last site unchanged is not read again."""


def precompress(site_dir: Path, cache: Path) -> Compressed:
    """The .gz and .br copies of every text file in `site_dir`, from the cache or made
    (on every core: zlib and brotli let go of the interpreter while they work)."""
    started = time.monotonic()
    used: set[str] = set()
    bytes_in = files = 0
    placed: list[tuple[Path, str]] = []
    """(cached copy, the site's file it goes beside), in the order of the walk."""
    missing: dict[Path, str] = {}
    """Copies the cache lacks → the site file they are made from."""
    for folder, subfolders, names in os.walk(site_dir):
        subfolders.sort()
        for name in sorted(names):
            if os.path.splitext(name)[1] not in TEXT:
                continue
            path = os.path.join(folder, name)
            info = os.stat(path)
            if info.st_size < SMALLEST:
                continue
            files += 1
            bytes_in += info.st_size
            identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
            key = _KEYS.find(identity)
            if key is None:
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:40]
                key = _KEYS.keep(identity, digest)
            for suffix, _ in ENCODINGS:
                kept = cache / key[:2] / (key + suffix)
                used.add(kept.name)
                if not os.path.exists(kept):
                    missing.setdefault(kept, path)
                placed.append((kept, path + suffix))
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_make, missing.items()))
    bytes_out = 0
    for kept, target in placed:
        link_or_copy(kept, Path(target))
        if target.endswith(".br"):
            bytes_out += os.stat(kept).st_size
    _KEYS.forget_unused()
    _forget(cache, used)
    return Compressed(files, len(missing), bytes_in, bytes_out, time.monotonic() - started)


_ENCODE = dict(ENCODINGS)


def _make(job: tuple[Path, str]) -> None:
    """One compressed copy into the cache, written whole (then renamed into place)."""
    kept, source = job
    packed = _ENCODE[kept.suffix](Path(source).read_bytes())
    kept.parent.mkdir(parents=True, exist_ok=True)
    temporary = kept.with_name(f".{kept.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_bytes(packed)
    temporary.replace(kept)


def _forget(cache: Path, used: set[str]) -> None:
    """Keep the cache near the size of the site: past KEEP times what this build
    used, drop the oldest copies this build did not use. (A preview that switches
    between two configurations, or an edit undone, finds its copies still there.)"""
    if not cache.is_dir():
        return
    entries = []
    for folder in cache.iterdir():
        for kept in folder.iterdir():
            info = kept.stat()
            entries.append((info.st_mtime, kept.name, info.st_size, kept))
    live = sum(size for _, name, size, _ in entries if name in used)
    total = sum(size for _, _, size, _ in entries)
    for _, name, size, kept in sorted(entries):
        if total <= KEEP * live:
            break
        if name not in used:
            kept.unlink()
            total -= size
