"""Which pages a build renders again, and which it takes from the last build.

A page is rendered again when its fingerprint changed (its source, the stories it
shows and their order, its language's versions, its card set, its template's
settings) or when a dependency it revealed while it was rendered answers
differently now (a member's page address, an image's widths, a link's target).
Everything that shapes every page at once (the code, mkdocs.yml, the theme, the
areas, the pages of docs_dir, which titles the navigation) is one digest, the
"settled" one: when it changed, every page is rendered, and the build says why.

Knows nothing of MkDocs: the plugin hands over page addresses and file paths.
"""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path

from ogp_local.build import build_record
from ogp_local.build.build_record import Record
from ogp_local.cache import dependencies, fingerprints, stores
from ogp_local.cache.files import link_or_copy
from ogp_local.cache.fingerprints import Unknown, digest

_SKIPPED_CONTEXT = {"catalog"}
"""Context entries a page does not depend on as a whole: the catalog is read through
methods that note what they answer (Catalog.member_page, Catalog.counts)."""


class Rebuild:
    """The record of the last build, the decisions of this one, the record of this one."""

    def __init__(
        self, build, config_file: Path, published: Path, previous_site: Path | None, args=()
    ) -> None:
        self.build = build
        self.published = published
        """Where the site this build makes is published."""
        settings = build.settings
        self.root = settings.root.resolve()
        self.folder = settings.cache_path().parent
        self.args = list(args)
        self.previous_site = previous_site
        """Where the last build's pages are, to be taken (None: a full build)."""
        where = build_record.where(published, self.root)
        self.last = Record.load(self.folder, where) if previous_site is not None else None
        self.places = self._places(config_file)
        # Before the stories are read: a file saved while this build runs is newer than
        # what the record says of it, so the next build reads it again.
        self.inputs = build_record.scan(self.root, self.places, self._known())
        fingerprints.forget_stories()
        self.code = build_record.code_version()
        stores.load(self.folder, self.code, full=previous_site is None)
        self.settled = ""
        self.reason: str | None = None
        """Why every page is rendered (None when the record can say which)."""
        self.doubt: str | None = None
        """A reason, known before anything is compared, to render every page."""
        self.pages: dict[str, dict] = {}
        """This build's record of each page."""
        self.rendered: list[str] = []
        self.reused: list[str] = []

    def _known(self) -> dict | None:
        return self.last.inputs if self.last else None

    def settle(self) -> None:
        """Once the stories are read and planned: the photos they show from elsewhere in
        the project (a shared photos/ folder) become inputs too, and the digest of what
        shapes every page is made."""
        build, settings = self.build, self.build.settings
        heroes = {s.image.path for s in build.found.versions() if s.image is not None}
        shown = {
            build_record.where(settings.root / path, self.root)
            for path in {*build.found.images, *heroes}
        }
        extra = {path for path in shown if not any(path.startswith(f"{p}/") for p in self.places)}
        if extra:
            self.places = sorted(set(self.places) | extra)
            self.inputs.update(build_record.scan(self.root, extra, self._known()))
        self.settled = digest(
            self.code,
            build_record.environment(self.args),
            build.include_drafts,
            build.preview,
            settings.site.site_url,  # `serve` sets its own
            settings.site.use_directory_urls,
            [(p, d[0]) for p, d in sorted(self.inputs.items()) if self._shapes_every_page(p)],
            [(f.path, f.page, f.lang, f.title, f.format) for f in build.feeds],
        )
        self.reason = self._why_everything()

    def _places(self, config_file: Path) -> list[str]:
        settings = self.build.settings
        places = {config_file.resolve(), settings.docs_path(), settings.fonts_path()}
        places |= {settings.root / settings.cases_dir, settings.root / settings.roundups_dir}
        if settings.site.custom_dir:
            places.add(settings.root / settings.site.custom_dir)
        if settings.areas_path():
            places.add(settings.areas_path())
        # Inside the project: by their relative path (a theme elsewhere: absolute).
        return sorted(build_record.where(place, self.root) for place in places if place.exists())

    def _shapes_every_page(self, path: str) -> bool:
        """mkdocs.yml, the theme, the areas and docs_dir's Markdown (the navigation's
        titles) shape every page; a story's file or a photo shapes only its own."""
        settings = self.build.settings
        story_folders = (settings.cases_dir, settings.roundups_dir)
        if any(path == f or path.startswith(f"{f}/") for f in story_folders):
            return False
        return not path.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif"))

    def _why_everything(self) -> str | None:
        if self.previous_site is None:
            return None
        if self.doubt is not None:
            return self.doubt
        last = self.last
        if last is None:
            return "no record of an earlier build"
        if last.code != self.code:
            return "the code that builds the site changed"
        if last.settled != self.settled:
            changed = [
                p
                for p in sorted(set(self.inputs) | set(last.inputs))
                if self._shapes_every_page(p)
                and (self.inputs.get(p) or [None])[0] != (last.inputs.get(p) or [None])[0]
            ]
            return f"{changed[0]} changed" if changed else "the settings or the options changed"
        if last.site != build_record.where(self.published, self.root):
            return "the last build went to another folder"
        if not self.previous_site.is_dir():
            return f"{self.previous_site} is missing"
        return None

    # -- decisions --------------------------------------------------------------------

    def source_digest(self, abs_src_path: str | None, content: str | None) -> str:
        if abs_src_path:
            path = Path(abs_src_path).resolve()
            try:
                key = path.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                key = None
            if key in self.inputs:
                return self.inputs[key][0]
            return digest(path.read_bytes().decode("utf-8", "replace"))
        return digest(content or "")

    def fingerprint(self, uri: str, dest: str, source: str, level: str) -> str | None:
        """What page `uri` is made from, or None when something in it cannot be vouched
        for (the page is then always rendered)."""
        build = self.build
        planned = build.pages.get(uri)
        sites = build.sites
        parts = [
            self.settled,
            uri,
            dest,
            source,
            level,
            sites.versions_of(uri),
            sites.written.get(uri),
            sites.sources.get(uri),
        ]
        if planned is not None:
            context = {k: v for k, v in planned.context.items() if k not in _SKIPPED_CONTEXT}
            story = planned.story
            parts += [
                planned.title,
                planned.template,
                context,
                planned.markdown,
                planned.description,
                story,
                planned.prev_uri,
                planned.next_uri,
                planned.listing,
                planned.generated,
                planned.lang,
                planned.prefix,
                build.card_sets.get(story) if story is not None else None,
                story is not None and story in build.in_feeds,
            ]
        try:
            return digest(*parts)
        except Unknown:
            return None

    def decide(self, uri: str, dest: str, fingerprint: str | None) -> bool:
        """True when page `uri` must be rendered; False when the last build's output
        (and what the build took from it) serves. Records the decision."""
        entry = {"fingerprint": fingerprint, "dest": dest}
        self.pages[uri] = entry
        last = self.last.pages.get(uri) if self.last and self.reason is None else None
        if (
            last is None
            or fingerprint is None
            or not _usable(last)
            or last.get("fingerprint") != fingerprint
            or last.get("dest") != dest
            or not self._deps_hold(last.get("deps", []))
            or not self._output_there(dest)
        ):
            self.rendered.append(uri)
            return True
        entry.update(deps=last.get("deps", []), title=last.get("title"), kept=last.get("kept"))
        entry["meta"] = last.get("meta")
        self.reused.append(uri)
        return False

    def _output_there(self, dest: str) -> bool:
        last = self.last.outputs.get(dest) if self.last else None
        try:
            stat = (self.previous_site / dest).stat()
        except OSError:
            return False
        return last == [stat.st_size, stat.st_mtime_ns]

    def _deps_hold(self, deps: list) -> bool:
        return all(self.answer(dep[:-1]) == dep[-1] for dep in deps)

    def answer(self, dependency: list) -> str:
        """What a dependency a page noted while it rendered answers now (as a digest)."""
        kind, *key = dependency
        if kind == "member":
            lang, *member = key
            local = self.build.catalogs.get(lang)
            page = local.member_of.get(tuple(member)) if local else None
            value = (page.url, page.name, page.country) if page else None
        elif kind == "counts":
            local = self.build.catalogs.get(key[0])
            value = local.counts() if local else None
        elif kind == "image":
            value = self.build.renditions.get(key[0])
        elif kind == "link":
            with dependencies.noting([]):
                value = self.build.resolve(key[0])
        else:
            value = ("unknown", kind)
        return fingerprints.digest(value)

    # -- after rendering ----------------------------------------------------------------

    def rendered_page(self, uri: str, deps: list, title: str | None, meta: dict) -> None:
        """What rendering page `uri` revealed: its dependencies (with what they answered),
        its title and settings (for the navigation of later builds)."""
        entry = self.pages.get(uri)
        if entry is None:
            return
        unique = sorted({tuple(d) for d in deps})
        entry["deps"] = [[*dep, self.answer(list(dep))] for dep in unique]
        entry["title"] = title
        try:
            entry["meta"] = json.loads(json.dumps(meta))
        except (TypeError, ValueError):
            entry["fingerprint"] = None  # front matter JSON cannot hold: always rendered

    def save(self, built: Path, kept: dict[str, dict], warnings: list[str] = ()) -> None:
        """The record of this build: its inputs, its pages, and the files of `built`
        (the folder the site was built into, to be published where `published` says)."""
        for uri, entry in self.pages.items():
            if uri in kept:
                entry["kept"] = kept[uri]
        found = self.build.found
        record = Record(
            code=self.code,
            places=self.places,
            inputs=self.inputs,
            environment=build_record.environment(self.args),
            site=build_record.where(self.published, self.root),
            outputs=build_record.site_files(built),
            pages=self.pages,
            settled=self.settled,
            warnings=list(warnings),
            scheduled=found.waiting(),
            due=math.ceil(min((s.scheduled.timestamp() for s in found.scheduled), default=0)),
        )
        # A read-only cache costs the next build its shortcut, nothing else.
        with contextlib.suppress(OSError):
            record.save(self.folder)
        if not self.build.preview:  # a preview keeps its own, in its process
            stores.save(self.folder, self.code)

    def stale(self) -> list[str]:
        """Pages of the last build this one no longer has (their files are to go when
        the build writes over the last one, as `serve` does)."""
        if self.last is None or self.reason is not None:
            return []
        now = {entry["dest"] for entry in self.pages.values()}
        return sorted({e["dest"] for e in self.last.pages.values() if "dest" in e} - now)

    def summary(self) -> str:
        if self.reason is not None:
            return f"full build: {self.reason}"
        return f"rendered {len(self.rendered)} pages again, reused {len(self.reused)}"


def _usable(entry: dict) -> bool:
    """A page's entry in the record, of the shape this code writes (else it is rendered)."""
    deps, kept = entry.get("deps", []), entry.get("kept")
    return (
        isinstance(deps, list)
        and all(isinstance(dep, list) and len(dep) >= 2 for dep in deps)
        and (kept is None or isinstance(kept, dict))
        and isinstance(entry.get("title"), str | None)
        and isinstance(entry.get("meta"), dict | None)
    )


def link_into(source: Path, target: Path) -> None:
    """The last build's output at `source` into the new build's folder at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    link_or_copy(source, target)
