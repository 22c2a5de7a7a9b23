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
import time
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
    started = time.monotonic()
    used: set[str] = set()
    made = bytes_in = bytes_out = files = 0
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
            data = None
            key = _KEYS.find(identity)
            if key is None:
                data = Path(path).read_bytes()
                key = _KEYS.keep(identity, hashlib.sha256(data).hexdigest()[:40])
            for suffix, compress in ENCODINGS:
                kept = cache / key[:2] / (key + suffix)
                used.add(kept.name)
                if not os.path.exists(kept):
                    data = Path(path).read_bytes() if data is None else data
                    packed = compress(data)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    temporary = kept.with_name(f".{kept.name}.{os.getpid()}")
                    temporary.write_bytes(packed)
                    temporary.replace(kept)
                    made += 1
                link_or_copy(kept, Path(path + suffix))
                if suffix == ".br":
                    bytes_out += os.stat(kept).st_size
    _KEYS.forget_unused()
    _forget(cache, used)
    return Compressed(files, made, bytes_in, bytes_out, time.monotonic() - started)


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
