"""Publishes a finished build in place of the old one, so a reader (or a web
server) never sees a half-written site and a failed build changes nothing."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import glob
import os
import re
import secrets
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_PID = re.compile(r"^(\d+)(?:-.+)?$")


def _prefixes(target: Path) -> tuple[str, str]:
    """The names of the folders a build keeps beside `target`: the build, the old site."""
    return f".{target.name}-build-", f".{target.name}-old-"


def build_folder(target: Path) -> Path:
    """A new empty folder beside `target` for the build, named after this process
    so that a later build can tell a leftover from a build in progress.

    Made by mkdir, so it has the umask's permissions as `mkdocs build` would give
    it (a tempfile.mkdtemp folder is private: a web server could not read the site).
    """
    path = target.with_name(f"{_prefixes(target)[0]}{os.getpid()}-{secrets.token_hex(4)}")
    path.mkdir()
    return path


def clear_leftovers(target: Path) -> list[Path]:
    """Remove what builds killed midway left beside `target`; never the folder of a
    build still running. Returns the folders removed."""
    removed = []
    for prefix in _prefixes(target):
        for path in target.parent.glob(glob.escape(prefix) + "*"):
            if path.is_dir() and not path.is_symlink() and not _running(path.name[len(prefix) :]):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def move_aside(target: Path) -> Path | None:
    """`target` renamed to a folder beside it (removed by the next build, should this
    one be killed), an empty `target` made in its place: what a plain `mkdocs build`
    takes its unchanged pages from, instead of rendering them again. Its dot-files
    come back, as MkDocs keeps them when it cleans the folder (a `.git` of a site
    published by Git). None where the folder cannot be renamed (a mount point, no
    permission): the build renders every page, as MkDocs would."""
    if not target.is_dir() or target.is_symlink():
        return None
    aside = target.with_name(f"{_prefixes(target)[1]}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        target.rename(aside)
    except OSError:
        return None
    try:
        target.mkdir()
        for kept in aside.iterdir():
            if kept.name.startswith("."):
                kept.rename(target / kept.name)
    except OSError:  # the folder back as it was: nothing lost
        with contextlib.suppress(OSError):
            for moved in target.iterdir():
                moved.rename(aside / moved.name)
            target.rmdir()
            aside.rename(target)
        return None
    return aside


def put_back(aside: Path, target: Path) -> bool:
    """After a failed build: the folder move_aside() set aside back at `target`, what
    the build wrote there removed (the dot-files go back with it). False when it
    cannot be done; `aside` is then as it was."""
    try:
        for kept in target.iterdir():
            if kept.name.startswith(".") and not (aside / kept.name).exists():
                kept.rename(aside / kept.name)
        shutil.rmtree(target)
        aside.rename(target)
    except OSError:
        return False
    return True


def _running(suffix: str) -> bool:
    """Whether the process that named a folder `<prefix><pid>-<random>` still runs (a
    folder of an earlier version, named without a pid, belongs to no running build)."""
    match = _PID.match(suffix)
    if not match:
        return False
    try:
        os.kill(int(match[1]), 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, target: Path) -> None:
    """Put the directory `new` at `target`, removing what was there."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        # The site is published; an old copy left here goes with the next build.
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f"{_prefixes(target)[1]}{os.getpid()}")
    target.rename(old)
    new.rename(target)
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
