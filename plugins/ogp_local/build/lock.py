"""One build at a time per project. Every way in (`ogp-local build`, a preview's
rebuilds, `mkdocs build` with our plugin, the scheduled workflow) takes the project's
lock first; a second build waits its turn and says so in one line.

The lock is `flock` on a file in the project's cache folder: the system releases it
when its process ends, however it ends, so a lock left by a killed build never
blocks. The file also says who holds it and since when, for that one line. Within
one process the lock is reentrant: `ogp-local build` holds it and runs MkDocs, whose
plugin takes it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

NAME = "build.lock"


class Busy(Exception):
    """Another build of the project is running (and we were asked not to wait)."""


_held: dict[str, list] = {}
"""Lock path → [open file, depth] for the locks this process holds."""
_guard = threading.RLock()


def _holder(path: Path) -> str:
    """Who holds the lock, as its file says: 'pid 1234, since 10:42:03'."""
    try:
        pid, since = path.read_text("utf-8").split()[:2]
        started = dt.datetime.fromtimestamp(float(since)).strftime("%H:%M:%S")
        return f"pid {pid}, since {started}"
    except (OSError, ValueError):
        return "since a moment ago"


def busy_line(path: Path) -> str:
    """The one line a build says when another build of the project holds the lock."""
    return f"ogp-local: another build of this project is running ({_holder(path)})"


@contextlib.contextmanager
def one_build(
    folder: Path, wait: bool = True, say: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the project's build lock (in `folder`, the project's cache) for the block.
    Another process's build: wait for it, saying so once, or raise Busy at once."""
    acquire(folder, wait, say)
    try:
        yield
    finally:
        release(folder)


def acquire(folder: Path, wait: bool = True, say: Callable[[str], None] = print) -> None:
    """Take the project's lock (see one_build); taken again by its holder, it nests."""
    path = folder / NAME
    key = str(path)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            return
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _lock(handle, path, wait, say)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {time.time():.3f}\n")
        handle.flush()
        _held[key] = [handle, 1]


def _lock(handle, path: Path, wait: bool, say: Callable[[str], None]) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    line = busy_line(path)
    if not wait:
        raise Busy(f"{line}: try again when it is done")
    say(f"{line}; waiting for it to finish")
    fcntl.flock(handle, fcntl.LOCK_EX)


def release(folder: Path) -> None:
    """Let go of the lock once (the last release lets the next build in)."""
    key = str(folder / NAME)
    with _guard:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[key]
        handle = entry[0]
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _in_a_forked_child() -> None:
    """A process forked by a build or a preview (their card and photo workers) lets go
    of the build's lock file and ends when its parent does. Else a build killed with
    SIGKILL leaves workers that hold the lock for ever, and every later build waits."""
    for handle, _depth in _held.values():
        with contextlib.suppress(OSError):
            handle.close()  # the child's copy: the build's own holds the lock still
    _held.clear()
    build = os.getppid()
    threading.Thread(target=_end_with, args=(build,), daemon=True).start()


def _end_with(build: int) -> None:
    while os.getppid() == build:
        time.sleep(0.5)
    os._exit(1)


os.register_at_fork(after_in_child=_in_a_forked_child)


def holds(folder: Path) -> bool:
    """This process holds the project's lock."""
    return str(folder / NAME) in _held


class Holder:
    """The lock held by one build that begins and ends in different places (the MkDocs
    plugin's events, a preview's background work): taken once, let go once."""

    def __init__(self) -> None:
        self.folder: Path | None = None

    def take(self, folder: Path, say: Callable[[str], None] = print) -> None:
        if self.folder is None:
            acquire(folder, say=say)
            self.folder = folder

    def let_go(self) -> None:
        if self.folder is not None:
            release(self.folder)
            self.folder = None
