"""Files the caches hand to the site: a cached file put into a build folder without
copying its bytes where the file system allows."""

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
