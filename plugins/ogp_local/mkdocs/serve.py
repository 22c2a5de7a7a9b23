"""A preview's save shows its own page at once, then the rest of the site.

MkDocs' live-reload server builds the whole site again at each save, and holds every
request until that build is done: at thousands of stories, seconds before the author
sees the sentence they just wrote, and more when the save comes while the last one
is still being built. Like Hugo's server (its "fast render mode"), the preview
renders the pages of the saved story files as soon as they are saved, on their own,
with what the last complete build left (navigation, templates, catalog), in a thread
of its own (a build may be running), and lets the browsers reload. The build that
follows brings the listings, feeds and cards the save also changed, and the browsers
reload again when it is done. Meanwhile, pages are sent as they are on disk, never
held for a build.

The server keeps no public hook for this: the wrapper takes its `builder` and moves
its reload counter (the `_epoch` attributes of mkdocs.livereload, 1.5 and 1.6).
Another server, or another MkDocs, gets the preview as MkDocs makes it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ogp_local.build import saved_story

log = logging.getLogger("mkdocs.plugins.ogp_local")

MOST_SAVED = 8
"""More story files saved at once than this (a branch checked out) wait for the build."""

SETTLE = 0.03
"""Seconds to let an editor finish writing a file (some write it in two steps)."""

_WRITES = {"created", "modified", "moved", "closed"}
"""What inotify says of a file written (not of one read: each build reads them all)."""

_SERVER = ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")
_RENDER = (
    getattr(mkdocs_build, "_populate_page", None),
    getattr(mkdocs_build, "_build_page", None),
)


@dataclass(frozen=True)
class Built:
    """What a complete build leaves for a saved page to be rendered with."""

    config: object
    files: object
    nav: object
    env: object
    build: object
    """The SiteBuild (the plugin renders with a copy of it, see saved_story.build_with)."""
    links: object
    pictures: object
    navs: dict


class Showing:
    """An attribute of the plugin that the events read: the running build's, or, in
    the thread that shows a preview's saved page meanwhile, the last complete build's
    (`render_saved`)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, plugin, owner=None):
        if plugin is None:
            return self
        shown = getattr(plugin.showing, "built", None)
        return getattr(shown, self.name) if shown is not None else plugin.__dict__[self.name]

    def __set__(self, plugin, value) -> None:
        plugin.__dict__[self.name] = value


def render_saved(showing: threading.local, paused, paths: list[str], built: Built) -> list[str]:
    """The pages of the story files saved since they were read, rendered again with
    what the last complete build left; their addresses (none when a save cannot be
    shown alone). That build may still be writing its cards and feeds, and the next
    may be running: what the saved pages change is changed in a copy, which only this
    thread's events see (`showing.built`, read by the plugin's Showing attributes),
    with the record's notes `paused`."""
    planned = saved_story.read_again(built.build, paths)
    if not planned:
        return []
    showing.built = dataclasses.replace(built, build=saved_story.build_with(built.build, planned))
    shown = []
    try:
        with paused():
            for uri, page in planned.items():
                url = render(built, uri, page.markdown)
                if url is not None:
                    shown.append(url)
    finally:
        showing.built = None
    return shown


class SavedFirst:
    """The last complete build, the stamps of the story files it read, and the thread
    that shows saved pages while the server builds."""

    def __init__(self) -> None:
        self.last: Built | None = None
        self.root = ""
        self.stamps: dict[str, tuple[int, int]] = {}
        """Story file (relative to the root) → (size, mtime_ns) when it was last read."""
        self._server = None
        self._render: Callable[..., list[str]] | None = None
        self._touched: set[str] | None = None
        """Story files saved during the preview (None: not watched, every one is
        looked at). While a build runs, a look at thousands of files would wait on
        it at every file (the interpreter's lock), so only these are."""
        self._poke = threading.Event()
        self._stopped = False
        self._threads: list = []

    def keep(self, built: Built, inputs: dict) -> None:
        """After a build: its state, and the story files it read (from its input scan).
        A file saved while it ran, after it read it, is shown now."""
        settings = built.build.settings
        folders = (f"{settings.cases_dir}/", f"{settings.roundups_dir}/")
        self.root = str(settings.root)
        self.last = built
        self.stamps = {
            path: (found[1], found[2])
            for path, found in inputs.items()
            if path.endswith(".md") and path.startswith(folders)
        }
        self._poke.set()

    def saved(self) -> dict[str, tuple[int, int]]:
        """Story files changed since they were last read, with their stamps now (new
        and deleted files are the build's to show)."""
        changed = {}
        stamps, touched = self.stamps, self._touched
        looked_at = (
            stamps.items() if touched is None else [(p, stamps.get(p)) for p in list(touched)]
        )
        for path, stamp in looked_at:
            if stamp is None:  # a new file
                continue
            try:
                found = os.stat(os.path.join(self.root, path))
            except OSError:
                continue
            if (found.st_size, found.st_mtime_ns) != stamp:
                changed[path] = (found.st_size, found.st_mtime_ns)
        return changed

    def first(self, render: Callable[..., list[str]]) -> list[str]:
        """`render(paths, built)` the pages of the story files saved since they were
        last read; the addresses of the pages it rendered."""
        last = self.last
        if last is None:
            return []
        read = self.saved()  # as read now: a save after this one is shown again
        if not read or len(read) > MOST_SAVED:
            return []
        started = time.monotonic()
        try:
            with _quiet():
                shown = render(list(read), last)
        except Exception:  # noqa: BLE001 - the build that follows says what is wrong
            log.debug("ogp-local: the saved page waits for the build", exc_info=True)
            shown = []
        self.stamps = {**self.stamps, **read}
        if shown:
            seconds = time.monotonic() - started
            log.info(
                f"ogp-local: showing {', '.join(shown)} ({seconds:.2f} s); "
                "the rest of the site follows"
            )
        return shown

    def attach(self, server, render: Callable[..., list[str]], folders: list[str]) -> None:
        """Show the saved pages of `folders` as they are saved, with `render`, and
        have the server send pages while it builds."""
        if not all(hasattr(server, name) for name in _SERVER) or None in _RENDER:
            return
        self._server, self._render = server, render
        builder = server.builder

        def build_without_holding(*args, **kwargs):
            with server._epoch_cond:  # pages are sent as they are while the site builds
                server._wanted_epoch = server._visible_epoch
                server._epoch_cond.notify_all()
            builder(*args, **kwargs)
            with server._epoch_cond:  # the site as built: the browsers reload
                server._wanted_epoch = server._visible_epoch + 1

        server.builder = build_without_holding
        worker = threading.Thread(target=self._work, name="ogp-saved-first", daemon=True)
        worker.start()
        self._threads.append(worker)
        observer = Observer()
        handler = FileSystemEventHandler()
        handler.on_any_event = self._saving
        for folder in folders:
            observer.schedule(handler, folder, recursive=True)
        observer.daemon = True
        self._touched = set()
        try:
            observer.start()
        except OSError as exc:  # no inotify watches left: shown after each build only
            log.debug(f"ogp-local: saved pages are looked for after each build ({exc})")
            self._touched = None
            return
        self._threads.append(observer)

    def _saving(self, event) -> None:
        if event.is_directory or event.event_type not in _WRITES:
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self._touched.add(
                    os.path.relpath(os.fsdecode(path), self.root).replace(os.sep, "/")
                )
        self._poke.set()

    def stop(self) -> None:
        self._stopped = True
        self._poke.set()
        for thread in self._threads:
            if isinstance(thread, Observer):
                thread.stop()
            thread.join(timeout=5)
        self._threads = []

    def _work(self) -> None:
        while True:
            self._poke.wait()
            if self._stopped:
                return
            time.sleep(SETTLE)
            self._poke.clear()
            if self.first(self._render):
                _reload(self._server)


def render(built: Built, src_uri: str, markdown: str) -> str | None:
    """Render the page at `src_uri` again from `markdown`, as MkDocs' build does, into
    the site folder; its URL, or None when the last build had no such page."""
    config, files = built.config, built.files
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
        built.nav,
        built.env,
        excluded=file.inclusion.is_excluded(),
    )
    return page.url


def _reload(server) -> None:
    """Browsers reload now, and the pages they ask for are sent (not held)."""
    with server._epoch_cond:
        epoch = max(server._visible_epoch, server._wanted_epoch) + 1
        server._visible_epoch = server._wanted_epoch = epoch
        server._epoch_cond.notify_all()


class _OtherThreads(logging.Filter):
    """Records of every thread but this one, and this one's errors."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self.thread or record.levelno >= logging.ERROR


@contextlib.contextmanager
def _quiet():
    """The build that follows says every warning of the saved page: once. (A build
    may be saying its own meanwhile, from its own thread.)"""
    quiet = _OtherThreads()
    handlers = [h for name in ("", "mkdocs") for h in logging.getLogger(name).handlers]
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)
