"""What a build works out once and keeps for the next: parsed story files, card cache
keys, the downloads page's entries, feeds, compressed copies' digests. Each store is a
dictionary from a digest of what a value was made from to the value.

A process keeps its stores from one build to the next (a preview's saves). A store is
also written to the project's cache folder after `ogp-local build`, for the next one,
which is a new process: an edit then works out again only what it changed. Files made
by another version of the code, or that cannot be read, are ignored.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from ogp_local.cache.files import write_whole
from ogp_local.cache.fingerprints import Unknown, digest


class Kept:
    """Values a process keeps from one build to the next (a preview's saves): only
    those the last build used stay. A named store is also kept on disk, in the
    project's cache, for the next `ogp-local build` (a fresh process): see load()."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._values: dict = {}
        self._used: set = set()
        self._folder: Path | None = None
        """The cache folder the values were loaded from (None: this process's own)."""
        self._changed = False
        _STORES.append(self)

    def find(self, key):
        """The value kept for `key`, or None."""
        found = self._values.get(key)
        if found is not None:
            self._used.add(key)
        return found

    def keep(self, key, value):
        self._values[key] = value
        self._used.add(key)
        self._changed = True
        return value

    def made(self, key, make):
        """The value kept for `key`; else `make()`, kept."""
        found = self.find(key)
        return found if found is not None else self.keep(key, make())

    def made_from(self, salt: str | None, parts: tuple, make):
        """`make()`, kept by a digest of `salt` (what shapes the value besides `parts`:
        the code, the settings) and `parts`; made every time without a salt, or when a
        part has no digest."""
        if salt is None:
            return make()
        try:
            key = digest(salt, *parts)
        except Unknown:
            return make()
        return self.made(key, make)

    def forget_unused(self) -> None:
        unused = set(self._values) - self._used
        for key in unused:
            del self._values[key]
        self._changed = self._changed or bool(unused)
        self._used.clear()

    def _file(self, folder: Path) -> Path:
        return folder / FOLDER / f"{self.name}.pickle"


_STORES: list[Kept] = []
FOLDER = "kept"
"""Under the project's cache folder: one file per store."""


def load(folder: Path, code: str, *, full: bool = False) -> None:
    """The stores the last build of this project left in `folder` (the cache), when
    they were made by this code: a one-story build parses one story, not all. A
    process that already holds them (a preview) keeps its own; a file that cannot be
    read is no more than an empty store. A `full` build starts from empty stores."""
    for store in _STORES:
        if store._folder == folder and not full:
            continue
        store._values = {} if full else _saved(store._file(folder), code)
        store._used, store._folder, store._changed = set(), folder, False


def _saved(path: Path, code: str) -> dict:
    try:
        with path.open("rb") as handle:
            saved_code, saved = pickle.load(handle)
    except Exception:  # noqa: BLE001 - unreadable, truncated, another version's: unused
        return {}
    return saved if saved_code == code and isinstance(saved, dict) else {}


def forget() -> None:
    """Drop what this process keeps: its next build loads the stores as a new process
    would (tests)."""
    for store in _STORES:
        store._values, store._used, store._folder, store._changed = {}, set(), None, False


def save(folder: Path, code: str) -> None:
    """The stores this process changed, for the next build (written whole, then
    renamed). A read-only cache costs the next build its shortcut, nothing else."""
    for store in _STORES:
        if store._folder != folder or not store._changed:
            continue
        target = store._file(folder)
        values = dict(store._values)  # one step: a preview's other thread may add
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps((code, values), protocol=pickle.HIGHEST_PROTOCOL)
            write_whole(target, data)
            store._changed = False
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # the cache's folder may be what failed: the next build works it out
