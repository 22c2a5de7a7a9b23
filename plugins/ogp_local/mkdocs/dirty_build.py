"""The MkDocs side of builds that redo only what changed (build/reuse.py decides which).

MkDocs' dirty build skips a page when `File.is_modified()` says False: here that
answer comes from the build record. Pages taken from the last build are hard-linked
into the new build folder and given back their title and settings (the navigation of
the pages rendered shows them as a full build would). While a page renders, what it
depends on is noted, and whether it warned: a page that warned is rendered again
next time, so that its warning is never lost.

A plain `mkdocs build` (not --dirty) over a site this project built takes its
unchanged pages the same way: the site is set aside before MkDocs empties the folder
(`set_aside`), the pages the record vouches for are linked from there, and MkDocs,
which goes through every page when not dirty, lays them out through an empty
template that writes nothing (`taken`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ogp_local.build import build_record, publish
from ogp_local.build.reuse import Rebuild, link_into
from ogp_local.cache import dependencies
from ogp_local.cache.files import remove_later
from ogp_local.outputs.photos.variants import PhotoError
from ogp_local.outputs.search.pagefind import SearchError

log = logging.getLogger("mkdocs.plugins.ogp_local")

_NAMED = re.compile(r"Doc file '([^']+)' ")
TAKEN_TEMPLATE = "ogp-local-taken-page.html"
"""The template of a page taken from the last build in a plain `mkdocs build`: empty,
so MkDocs writes nothing over the page linked into place."""


class _Warnings(logging.Handler):
    """MkDocs' warnings: how many, what they said, which pages they named."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.said: list[str] = []
        """Every warning of this build, for a no-change build to say again."""
        self.named: set[str] = set()
        """Pages named by a warning given after they were built: MkDocs' check of the
        anchors their links point at (`Doc file 'x.md' contains a link …`)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.said.append(f"{record.levelname}: {record.getMessage()}")
        found = _NAMED.match(record.getMessage())
        if found:
            self.named.add(found[1])


def _quiet_dirty(record: logging.LogRecord) -> bool:
    """MkDocs' own caveats about --dirty builds, which the build record answers."""
    message = record.getMessage()
    return not message.startswith(
        ("A 'dirty' build is being performed", "The directory contains stale")
    )


class DirtyPages:
    """One plugin's part in incremental builds, from start-up to shutdown."""

    def __init__(self) -> None:
        self.dirty = False
        self.rebuild: Rebuild | None = None
        self.noted: dict[str, list] = {}
        """What each page noted it depends on while it rendered."""
        self.warned: dict[str, int] = {}
        """Warnings each page gave while it was read and while it was laid out."""
        self._since = 0
        self._paused = threading.local()
        """Set in a thread that renders pages outside the build (paused)."""
        self.warnings = _Warnings()
        self.aside: Path | None = None
        """A plain `mkdocs build`: the last build's site, set aside (set_aside)."""
        self._site_dir: Path | None = None
        """Where the site set aside was (and goes back to, should the build fail)."""
        self.taken: set[str] = set()
        """Pages taken from the last build that MkDocs goes through all the same (a
        plain build): laid out empty, nothing of this build done for them."""
        self._skipped = _SkippedPages(self.taken)

    def start(self, dirty: bool) -> None:
        self.dirty = dirty
        logging.getLogger("mkdocs").addHandler(self.warnings)
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty)

    def stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        logging.getLogger("mkdocs.commands.build").removeFilter(_quiet_dirty)
        logging.getLogger("mkdocs.commands.build").removeFilter(self._skipped)

    def set_aside(self, build, config: MkDocsConfig) -> None:
        """Before MkDocs empties the site folder in a plain build: the site there is
        moved aside when the record of this project's last build names it, so that its
        unchanged pages can be taken rather than rendered again."""
        self.aside = None
        if self.dirty or build.preview or os.environ.get(build_record.PREVIOUS_SITE):
            return  # `ogp-local build`, `serve` and --dirty take the pages where they are
        site_dir = Path(config.site_dir).resolve()
        publish.clear_leftovers(site_dir)  # what a killed build set aside
        where = build_record.where(site_dir, build.settings.root)
        if build_record.Record.path(build.settings.cache_path().parent, where).is_file():
            self.aside, self._site_dir = publish.move_aside(site_dir), site_dir
        if self.aside is not None:
            logging.getLogger("mkdocs.commands.build").addFilter(self._skipped)

    def let_go_aside(self, failed: bool) -> None:
        """After the build: the site set aside is removed (in the background); after a
        failure it is put back, the last good site as it was."""
        aside, self.aside = self.aside, None
        if aside is None:
            return
        if failed and publish.put_back(aside, self._site_dir):  # even before begin()
            return
        remove_later([aside], wait_at_exit=False)

    def begin(self, build, config: MkDocsConfig) -> None:
        """This build's record, begun before the stories are read."""
        self.warnings.said, self.warnings.named = [], set()
        self.noted, self.warned = {}, {}
        site_dir = Path(config.site_dir).resolve()
        published = Path(os.environ.get(build_record.PREVIOUS_SITE) or site_dir).resolve()
        previous = published if self.dirty else self.aside
        args = ["strict"] if config.strict else []
        self.rebuild = Rebuild(build, Path(config.config_file_path), published, previous, args)
        self.taken.clear()
        if self.aside is not None:  # the record speaks of the site set aside, not of this
            where = build_record.where(published, self.rebuild.root)
            build_record.Record.forget(self.rebuild.folder, where)
        others = [name for name in config.plugins if name != "ogp-local"]
        if others:  # Material's search, a hook: they see only the pages a build renders
            self.rebuild.doubt = f"the `{others[0]}` plugin needs every page rendered"

    def decide(self, build, files: Files, config: MkDocsConfig) -> None:
        """Which pages to render; the others come from the last build."""
        site_dir = Path(config.site_dir).resolve()
        rebuild = self.rebuild
        rebuild.settle()
        build.salt = build.renderer.salt = rebuild.settled
        for file in files.documentation_pages():
            source = None if file.abs_src_path else file.content_string
            digest = rebuild.source_digest(file.abs_src_path, source)
            fingerprint = rebuild.fingerprint(
                file.src_uri, file.dest_uri, digest, file.inclusion.name
            )
            render = rebuild.decide(file.src_uri, file.dest_uri, fingerprint)
            file.is_modified = (lambda answer: lambda: answer)(render)  # what MkDocs asks
            if render:
                continue
            kept = rebuild.pages[file.src_uri].get("kept")
            if kept:
                build.kept[file.src_uri] = kept
            if rebuild.previous_site != site_dir:
                link_into(rebuild.previous_site / file.dest_uri, site_dir / file.dest_uri)
            if not self.dirty:
                self.taken.add(file.src_uri)
        if self.dirty or self.aside is not None:
            log.info(f"ogp-local: {rebuild.summary()}")

    def restore(self, files: Files) -> None:
        """Pages taken from the last build keep their title and settings: the
        navigation of the pages rendered now shows them as a full build would."""
        rebuild = self.rebuild
        if rebuild is None:
            return
        reused = set(rebuild.reused)
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri not in reused or page.markdown is not None:
                continue
            entry = rebuild.pages[file.src_uri]
            page.markdown = ""
            page.meta = dict(entry.get("meta") or {})
            page._title_from_render = entry.get("title")

    def taken_meta(self, uri: str) -> dict:
        """A page taken in a plain build: its settings as last time, and the empty
        template."""
        entry = self.rebuild.pages[uri]
        return dict(entry.get("meta") or {}) | {"template": TAKEN_TEMPLATE}

    def taken_title(self, uri: str) -> str | None:
        return self.rebuild.pages[uri].get("title")

    @contextlib.contextmanager
    def paused(self):
        """Pages rendered in this thread outside a build (a preview's saved page,
        shown first, maybe while a build runs) leave the build and its record alone."""
        self._paused.on = True
        try:
            yield
        finally:
            self._paused.on = False

    def _outside(self) -> bool:
        return getattr(self._paused, "on", False)

    def page_started(self, uri: str) -> None:
        """A page is read, or laid out: what it uses and says is its own."""
        if self._outside():
            return
        dependencies.start_noting(self.noted.setdefault(uri, []))
        self._since = self.warnings.count

    def page_read(self, uri: str) -> None:
        if self._outside():
            return
        self.warned[uri] = self.warned.get(uri, 0) + self.warnings.count - self._since
        dependencies.start_noting(None)

    def page_done(self, page: Page) -> None:
        if self._outside():
            return
        uri = page.file.src_uri
        dependencies.start_noting(None)
        if self.rebuild is None:
            return
        self.rebuild.rendered_page(uri, self.noted.get(uri, []), page.title, page.meta)
        warned = self.warned.get(uri, 0) + self.warnings.count - self._since > 0
        links = getattr(page, "links_to_anchors", None) or {}
        # An anchor on another page is checked against that page, which may not be
        # rendered next time: such a page is rendered every time, to say the same.
        if warned or any(target is not page.file for target in links):
            self.rebuild.pages[uri]["fingerprint"] = None

    def finish(self, build, config: MkDocsConfig) -> None:
        """After the build: pages a warning named, stale pages of a preview, the record."""
        rebuild = self.rebuild
        if rebuild is None:
            return
        for uri in self.warnings.named & set(rebuild.pages):
            rebuild.pages[uri]["fingerprint"] = None
        site_dir = Path(config.site_dir).resolve()
        if rebuild.previous_site == site_dir:  # a preview built over the last one
            for dest in rebuild.stale():
                for suffix in ("", ".gz", ".br"):
                    (site_dir / f"{dest}{suffix}").unlink(missing_ok=True)
        rebuild.save(site_dir, build.kept, self.warnings.said)


class _SkippedPages(logging.Filter):
    """MkDocs' line for each page laid out empty: a page taken from the last build."""

    def __init__(self, taken: set[str]) -> None:
        super().__init__()
        self.taken = taken

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Page skipped: '"):
            return True
        return message[len("Page skipped: '") :].split("'", 1)[0] not in self.taken


class Finishing:
    """A preview's save, after its pages: cards, feeds, data, editions and the record,
    written in a thread while the browser reloads the saved page. The next save, and
    the end of the preview, wait for it."""

    def __init__(self, pages: DirtyPages) -> None:
        self.pages = pages
        self._thread: threading.Thread | None = None

    def start(self, finish) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._run, args=(finish,), name="ogp-finish")
        self._thread.start()

    def _run(self, finish) -> None:
        try:
            finish()
        except Exception as exc:  # noqa: BLE001 - said in the preview's log, not lost
            known = isinstance(exc, PhotoError | SearchError | OSError)
            log.error(f"ogp-local: {exc}", exc_info=not known)
            rebuild = self.pages.rebuild
            if rebuild is not None:  # the next save renders everything again
                where = build_record.where(rebuild.published, rebuild.root)
                build_record.Record.forget(rebuild.folder, where)

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
