"""Files of the caches: written whole or not at all, and handed to the site without
copying their bytes where the file system allows."""

from __future__ import annotations

import os
import shutil
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
