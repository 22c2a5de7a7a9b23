"""Files of the caches: written whole or not at all, and handed to the site without
copying their bytes where the file system allows."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
from pathlib import Path


def link_or_copy(source: Path, target: Path) -> None:
    """Put a cached file into the site: a hard link where the file system allows one
    (no bytes copied; the cache never changes a file in place), else a copy."""
    try:
        os.link(source, target)
    except FileExistsError:
        if os.path.samefile(source, target):  # a preview built over itself: already there
            return
        target.unlink()
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_whole(path: Path, data: bytes) -> None:
    """`data` as the file `path`, whole or not at all: written to a temporary name in
    the same folder, flushed to the disk, then renamed over `path`. A build killed (or
    a disk filled) midway leaves the old file, never half a new one; the temporary
    file is removed when the write fails."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


_REMOVING: list[subprocess.Popen] = []
"""The `rm` processes removing old search bundles: reaped by the next call, or at exit."""


def remove_later(paths: list[Path], wait_at_exit: bool = True) -> None:
    """`paths` removed by `rm` in the background, or here where there is no `rm`.
    Not `wait_at_exit`: the removal may outlive this process (a whole site set aside
    by a build: the command's user does not wait for it)."""
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
            if wait_at_exit:
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
