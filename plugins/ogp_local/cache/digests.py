"""Content digests of the files the cache keys depend on (hero photos), remembered
between builds by path, size and modification time: a warm build at ten years of
stories should not read hundreds of megabytes of photos to learn they did not change
(the same bargain make and rsync strike)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ogp_local.cache.files import write_whole

_KNOWN: dict[str, object] = {}
"""'path|size|mtime_ns' → sha256 hex; 'check|sha256' → what checking the image with
that content found (content/images.py)."""
_SEEN: set[str] = set()


def file_digest(path: str | Path) -> str:
    stat = os.stat(path)
    key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    _SEEN.add(key)
    found = _KNOWN.get(key)
    if found is None:
        found = _KNOWN[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def remembered(kind: str, path: str | Path, compute):
    """`compute()` for the file at `path` as it is now, remembered by the file's content
    (its result must be JSON: a list, a number, text)."""
    # By content, not by time: a CI checkout gives every file a new time, and the
    # digest is made anyway (photos are cached by it); the time only spares rehashing.
    try:
        found = file_digest(path)
    except OSError:
        return compute()  # unreadable: compute() says what is wrong with it
    key = f"{kind}|{found}"
    _SEEN.add(key)
    if key not in _KNOWN:
        _KNOWN[key] = compute()
    return _KNOWN[key]


def by_content(kind: str, text: str, compute):
    """`compute()` for `text`, remembered by its digest (its result must be JSON): what
    a story's body gives (its first paragraph as plain text) without rendering it again."""
    key = f"{kind}|{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"
    _SEEN.add(key)
    if key not in _KNOWN:
        _KNOWN[key] = compute()
    return _KNOWN[key]


def load(memo: Path) -> None:
    """Remember the digests of an earlier build (a missing or broken file: none)."""
    try:
        data = json.loads(memo.read_text("utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict):
        _KNOWN.update(data)


def save(memo: Path) -> None:
    """Keep the digests of the files this build used (and only those)."""
    kept = {key: _KNOWN[key] for key in sorted(_SEEN) if key in _KNOWN}
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        write_whole(memo, json.dumps(kept).encode("utf-8"))
    except OSError:
        pass  # a read-only cache folder costs only the hashing next time
