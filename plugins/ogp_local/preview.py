"""A preview's save shows its own page first, then the rest of the site.

MkDocs' live-reload server builds the whole site again at each save, and holds every
request until that build is done: at thousands of stories, seconds before the author
sees the sentence they just wrote. Like Hugo's server (its "fast render mode"), the
preview renders the pages of the saved story files first, on their own, with the
navigation, templates and everything else of the last build, and lets the browsers
reload; the build that follows brings the listings, feeds and cards that the save
also changed, and the browsers reload again when it is done.

The server keeps no public hook for this: the wrapper takes its `builder` and moves
its reload counter (the `_epoch` attributes of mkdocs.livereload, 1.5 and 1.6).
Another server, or another MkDocs, gets the preview as MkDocs makes it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.ogp_local")

MOST_SAVED = 8
"""More story files saved at once than this (a branch checked out) wait for the build."""

_SERVER = ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")
_RENDER = (
    getattr(mkdocs_build, "_populate_page", None),
    getattr(mkdocs_build, "_build_page", None),
)


class SavedFirst:
    """What the last build left for a save's page to be rendered with, and the stamps
    of the story files it read."""

    def __init__(self) -> None:
        self.last: tuple | None = None
        """(config, files, nav, env) of the last build that went through."""
        self.root = ""
        self.stamps: dict[str, tuple[int, int]] = {}
        """Story file (relative to the root) → (size, mtime_ns) when the build read it."""

    def keep(self, root, config, files, nav, env, inputs: dict, folders: tuple[str, ...]) -> None:
        """After a build: its state, and the story files it read (from its input scan)."""
        self.root = str(root)
        self.last = (config, files, nav, env)
        self.stamps = {
            path: (found[1], found[2])
            for path, found in inputs.items()
            if path.endswith(".md") and path.startswith(folders)
        }

    def forget(self) -> None:
        """A build begins: until it is done, there is no site to show a page in."""
        self.last = None

    def saved(self) -> list[str]:
        """Story files changed since the last build read them (new and deleted files
        are the build's to show)."""
        changed = []
        for path, stamp in self.stamps.items():
            try:
                found = os.stat(os.path.join(self.root, path))
            except OSError:
                continue
            if (found.st_size, found.st_mtime_ns) != stamp:
                changed.append(path)
        return changed

    def attach(self, server, show: Callable[[], list[str]]) -> None:
        """Have the server call `show()` before each build: it renders the saved
        files' pages (`first`), and returns their addresses."""
        if not all(hasattr(server, name) for name in _SERVER) or None in _RENDER:
            return
        builder = server.builder

        def build_saved_first(*args, **kwargs):
            shown = show()
            if shown:
                _reload(server, server._wanted_epoch)
            builder(*args, **kwargs)
            if shown:  # a newer version than the one shown: the browsers reload again
                with server._epoch_cond:
                    server._wanted_epoch += 1

        server.builder = build_saved_first

    def first(self, render: Callable[..., list[str]]) -> list[str]:
        """`render(paths, config, files, nav, env)` the pages of the story files saved
        since the last build; the addresses of the pages it rendered."""
        if self.last is None:
            return []
        paths = self.saved()
        if not paths or len(paths) > MOST_SAVED:
            return []
        started = time.monotonic()
        try:
            with _quiet():
                shown = render(paths, *self.last)
        except Exception:  # noqa: BLE001 - the build that follows says what is wrong
            log.debug("ogp-local: the saved page waits for the build", exc_info=True)
            return []
        if shown:
            seconds = time.monotonic() - started
            log.info(
                f"ogp-local: showing {', '.join(shown)} ({seconds:.2f} s); "
                "the rest of the site follows"
            )
        return shown


def render(config, files, nav, env, src_uri: str, markdown: str) -> str | None:
    """Render the page at `src_uri` again from `markdown`, as MkDocs' build does, into
    the site folder; its URL, or None when the last build had no such page."""
    before = files.get_file_from_path(src_uri)
    if before is None:
        return None
    populate, build_page = _RENDER
    file = File.generated(config, src_uri, content=markdown, inclusion=before.inclusion)
    page = Page(None, file, config)
    populate(page, config, files)
    build_page(
        page,
        config,
        files.documentation_pages(),
        nav,
        env,
        excluded=file.inclusion.is_excluded(),
    )
    return page.url


def _reload(server, epoch: int) -> None:
    """Browsers waiting on the server reload now, and the pages they ask for are sent."""
    with server._epoch_cond:
        server._visible_epoch = epoch
        server._epoch_cond.notify_all()


class _OtherThreads(logging.Filter):
    """Records of every thread but this one, and this one's errors."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self.thread or record.levelno >= logging.ERROR


@contextmanager
def _quiet():
    """The build that follows says every warning of the saved page: once. (The last
    save's cards and feeds may be said meanwhile, from their own thread.)"""
    quiet = _OtherThreads()
    handlers = [h for name in ("", "mkdocs") for h in logging.getLogger(name).handlers]
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)
