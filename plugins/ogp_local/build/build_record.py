"""What the last build read and wrote, so that the next one redoes only what changed.

The record (`.cache/ogp-local/build-record.json`) holds:

- the digest of every input file (Markdown, mkdocs.yml, the theme, areas, images)
  and of the code that builds them;
- for every page: a fingerprint of what it is made from (its source, the stories
  and settings it shows), the dependencies it revealed while it was rendered (a
  member's page address, an image's widths, a link's target: as a compiler's depfile
  names the headers it read), and what the rest of the build took from it (the body
  for the feeds, the text for the search);
- every file of the published site, with its size and modification time.

A no-change build compares the inputs with the record and stops before MkDocs
loads. A build after an edit renders again only the pages whose fingerprint or
dependencies changed, and takes the others from the last published site. Anything
the record cannot vouch for (another version of the code, of mkdocs.yml, of the
theme) makes a full build, which says why.

This module imports nothing heavy: `ogp-local build` answers a no-change build with
it alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from ogp_local.cache.files import write_whole

FORMAT = 1
RECORD_NAME = "build-record-{site}.json"
"""One record per published site: `site/`, and each `serve` preview's folder."""
KEPT_RECORDS = 4
BIG = 1 << 20
"""Files larger than this (photos, fonts) are hashed once per size and modification
time, as make and rsync trust them; everything smaller is hashed on every build."""

PREVIOUS_SITE = "OGP_LOCAL_PREVIOUS_SITE"
"""Where the last build was published, when this one builds into another folder
(`ogp-local build` builds beside the site, then swaps): the pages that did not change
are taken from there."""

_SKIPPED_DIRS = {".git", ".cache", ".venv", "node_modules", "__pycache__"}
_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


# -- inputs ---------------------------------------------------------------------------


_handed: tuple | None = None


def scan(root: Path, places: Iterable[str], known: dict[str, list] | None = None) -> dict:
    """path (relative to `root`) → [sha256, size, mtime_ns] of every file under
    `places` (files or folders relative to `root`); hidden folders and caches left out.

    The scan `ogp-local build` made to decide that something changed is handed to the
    build it then runs in the same process (once: a preview's next build scans again)."""
    global _handed
    handed, _handed = _handed, None
    places = sorted(set(places))
    if handed is not None and handed[:2] == (str(root), places):
        return handed[2]
    known = known or {}
    found: dict[str, list] = {}
    for place in places:
        base = root / place  # an absolute place (a theme kept elsewhere) stays as it is
        if base.is_file():
            _hash_into(found, root, base, known)
            continue
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(files):
                _hash_into(found, root, Path(folder) / name, known)
    return found


def _hash_into(found: dict, root: Path, path: Path, known: dict) -> None:
    try:
        stat = path.stat()
    except OSError:
        return
    key = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    before = known.get(key)
    if stat.st_size > BIG and before and before[1:] == [stat.st_size, stat.st_mtime_ns]:
        found[key] = before
        return
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return
    found[key] = [digest, stat.st_size, stat.st_mtime_ns]


def environment(args: Iterable[str] = ()) -> dict:
    """What of the process shapes the output besides the files: the variables, the
    command's options."""
    return {"env": {k: os.environ.get(k, "") for k in _ENVIRONMENT}, "args": sorted(args)}


def seconds_now() -> float:
    """The build's now, in seconds: SOURCE_DATE_EPOCH when set (content/dates.py)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else time.time()


def code_version() -> str:
    """A digest of this package's code, templates and catalogs, and of the versions of
    what it builds with: another version of any of them means a full build."""
    from importlib import metadata

    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in _code_files(package):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions"):
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none;".encode())
    return h.hexdigest()


def _code_files(package: Path) -> list[Path]:
    """The package's own files that shape a build; of the editor's npm install, its
    lock file alone (it pins every one of the tens of thousands of files below)."""
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d not in ("node_modules", "__pycache__"))
        for name in sorted(names):
            if name == "package-lock.json" or os.path.splitext(name)[1] in _CODE:
                found.append(Path(folder, name))
    return found


_CODE = {".py", ".po", ".yml", ".html", ".txt", ".js"}


# -- outputs --------------------------------------------------------------------------


def site_files(site: Path) -> dict[str, list[int]]:
    """Every file of a built site: site path → [size, mtime_ns]."""
    found: dict[str, list[int]] = {}
    _list_into(found, str(site), "")
    return found


def _list_into(found: dict, folder: str, prefix: str) -> None:
    # Strings and scandir, not Path objects: a site of 5,000 stories has 35,000 files.
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone meanwhile: the preview's search index is remade
        return
    for entry in entries:
        try:
            if entry.is_dir():  # as os.walk: a linked folder is neither listed nor entered
                if not entry.is_symlink():
                    _list_into(found, entry.path, f"{prefix}{entry.name}/")
                continue
            stat = entry.stat()
        except OSError:
            continue
        found[prefix + entry.name] = [stat.st_size, stat.st_mtime_ns]


def site_intact(site: Path, outputs: dict[str, list[int]]) -> str | None:
    """None when `site` holds exactly the files the record lists, as they were
    written; else what differs."""
    if not site.is_dir():
        return f"{site} is missing"
    now = site_files(site)
    if now == outputs:
        return None
    changed = sorted(set(now) ^ set(outputs)) or sorted(p for p in now if now[p] != outputs[p])
    return f"{site}/{changed[0]} changed since the last build"


def where(site: Path, root: Path) -> str:
    """How the record names a site: relative to the project when inside it (a project
    moved or copied whole keeps its record)."""
    site, root = Path(site).resolve(), Path(root).resolve()
    return site.relative_to(root).as_posix() if site.is_relative_to(root) else str(site)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# -- the record -----------------------------------------------------------------------


@dataclasses.dataclass
class Record:
    """What one build read and wrote."""

    code: str = ""
    places: list[str] = dataclasses.field(default_factory=list)
    """The files and folders whose files are inputs (relative to the project)."""
    inputs: dict[str, list] = dataclasses.field(default_factory=dict)
    environment: dict = dataclasses.field(default_factory=dict)
    site: str = ""
    """The published site the outputs describe."""
    outputs: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    pages: dict[str, dict] = dataclasses.field(default_factory=dict)
    """src_uri → {fingerprint, deps, dest, title, kept}."""
    settled: str = ""
    """A digest of what shapes every page (code, settings, theme, navigation)."""
    warnings: list[str] = dataclasses.field(default_factory=list)
    """What the build warned of: a no-change build says it again."""
    scheduled: list[str] = dataclasses.field(default_factory=list)
    """The stories it left out until their day (`scheduled: … for …`): said again too."""
    due: int = 0
    """When the first of them is due (seconds since the epoch; 0: none): from then on
    the build is not up to date, though no file changed."""

    @staticmethod
    def path(folder: Path, site: str) -> Path:
        """The record of the site the record names `site` (where())."""
        name = hashlib.sha256(site.encode("utf-8")).hexdigest()[:16]
        return folder / RECORD_NAME.format(site=name)

    @classmethod
    def load(cls, folder: Path, site: str) -> Record | None:
        try:
            data = json.loads(cls.path(folder, site).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
            return None
        try:
            record = cls(**data)
        except TypeError:
            return None
        return record if record._well_formed() else None

    def _well_formed(self) -> bool:
        """A record edited by hand, or by another version, vouches for nothing."""
        shapes = (
            (self.code, str),
            (self.site, str),
            (self.settled, str),
            (self.places, list),
            (self.inputs, dict),
            (self.environment, dict),
            (self.outputs, dict),
            (self.pages, dict),
            (self.warnings, list),
            (self.scheduled, list),
            (self.due, int),
        )
        if not all(isinstance(value, kind) for value, kind in shapes):
            return False
        return (
            all(isinstance(p, str) for p in self.places)
            and all(isinstance(w, str) for w in [*self.warnings, *self.scheduled])
            and all(isinstance(v, list) and len(v) == 3 for v in self.inputs.values())
            and all(isinstance(v, list) and len(v) == 2 for v in self.outputs.values())
            and all(isinstance(v, dict) for v in self.pages.values())
        )

    def save(self, folder: Path) -> None:
        """Written whole, then renamed: a build killed midway leaves the old record."""
        folder.mkdir(parents=True, exist_ok=True)
        target = self.path(folder, self.site)
        fields = dataclasses.fields(self)  # not asdict: it would copy every page's text
        data = {"format": FORMAT, **{f.name: getattr(self, f.name) for f in fields}}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_whole(target, text.encode("utf-8"))  # the record vouches for the caches
        # The records of a few sites are kept (site/ and the latest previews).
        records = sorted(folder.glob(RECORD_NAME.format(site="*")), key=_modified, reverse=True)
        for old in records[KEPT_RECORDS:]:
            old.unlink(missing_ok=True)

    @classmethod
    def forget(cls, folder: Path, site: str) -> None:
        """After a failed build: no record, so the next build vouches for nothing."""
        with contextlib.suppress(OSError):
            cls.path(folder, site).unlink()

    def why_not_unchanged(self, root: Path, site: Path, args: Iterable[str]) -> str | None:
        """None when nothing the site is made of changed and `site` is as this record
        left it (a no-change build then writes nothing); else the first reason."""
        if self.site != where(site, root):
            return f"the last build went to {self.site or 'another folder'}"
        if self.environment != environment(args):
            return "the options or SOURCE_DATE_EPOCH changed"
        if self.due and seconds_now() >= self.due:
            return "a scheduled story is due"
        global _handed
        now = scan(root, self.places, self.inputs)
        _handed = (str(root), sorted(set(self.places)), now)
        if now != self.inputs:
            changed = sorted(set(now) ^ set(self.inputs)) or sorted(
                p for p in now if now[p][0] != self.inputs[p][0]
            )
            if changed:
                return f"{changed[0]} changed"
            self.inputs = now  # touched, not changed: the record learns the new times
        if self.code != code_version():
            return "the code that builds the site changed"
        return site_intact(site, self.outputs)
