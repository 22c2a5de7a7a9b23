"""Finding the story files: case studies directly in `cases/`, one folder per month
in `roundups/` holding its `index.md` and its items. Anything else in those folders
is an asset (images) or a problem with the fix (a misplaced file, a name that is not
a slug, a folder that is not a month). Nothing is read here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from ogp_local.content.dates import MONTH
from ogp_local.content.problems import Problems
from ogp_local.content.versions import split_name

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A story's file name without .md: lower-case letters, digits and hyphens."""


@dataclass
class Month:
    """A month folder: its roundup's file (None when missing) and its item files."""

    name: str
    index: Path | None
    items: list[Path] = field(default_factory=list)
    """Every other Markdown file: items, translations, and the roundup's translations
    (`index.es.md`)."""


@dataclass
class Found:
    cases: list[Path] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    """Non-Markdown files under the story folders (images), relative to the root."""


@dataclass
class Finder:
    root: Path
    cases_dir: str
    roundups_dir: str
    problems: Problems

    def find(self) -> Found:
        found = Found()
        cases = self.root / self.cases_dir
        if cases.is_dir():
            found.cases = list(self._story_files(cases, found, "case studies"))
        roundups = self.root / self.roundups_dir
        if roundups.is_dir():
            for path in sorted(roundups.iterdir()):
                month = self._month(path, found)
                if month is not None:
                    found.months.append(month)
        return found

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _story_files(self, folder: Path, found: Found, what: str, skip: Path | None = None):
        """The story files directly in `folder` with good names; other files become
        assets, misplaced ones problems."""
        for path in sorted(folder.rglob("*")):
            if _hidden(path, folder) or path.is_dir() or path == skip:
                continue
            if path.suffix.lower() != ".md":
                found.assets.append(self.rel(path))
            elif path.parent != folder:
                self.problems.error(
                    self.rel(path),
                    1,
                    "file",
                    f"{what} live directly in {self.rel(folder)}/",
                    f"move it to {self.rel(folder)}/{path.name}",
                )
            elif self._slug_ok(path):
                yield path

    def _month(self, folder: Path, found: Found) -> Month | None:
        if folder.name.startswith((".", "_")):
            return None
        if not folder.is_dir():
            self.problems.error(
                self.rel(folder),
                1,
                "file",
                "roundup files belong in a month folder",
                f"move it to {self.roundups_dir}/YYYY-MM/",
            )
            return None
        if not MONTH.match(folder.name):
            self.problems.error(
                self.rel(folder),
                1,
                "folder",
                f"'{folder.name}' is not a month",
                "name it YYYY-MM, e.g. 2023-11",
            )
            return None
        index = folder / "index.md"
        written = index.is_file() or any(folder.glob("index.*.md"))  # or first in a language
        if not written:
            self.problems.error(
                self.rel(folder),
                1,
                "index.md",
                "the month has no index.md",
                f"run `ogp-local new roundup {folder.name}`",
            )
        items = list(self._story_files(folder, found, "items", skip=index))
        return Month(folder.name, index if index.is_file() else None, items)

    def _slug_ok(self, path: Path) -> bool:
        stem, lang = split_name(path.stem)
        if stem == "index" and path.parent.name == self.cases_dir:
            self.problems.error(
                self.rel(path),
                1,
                "file name",
                "'index' is reserved for the list of case studies",
                "give the file the story's slug",
            )
            return False
        if not SLUG.match(stem):
            better = (slugify(stem) or "story") + (f".{lang}" if lang else "")
            self.problems.error(
                self.rel(path),
                1,
                "file name",
                f"'{path.name}' is not a slug: use lower-case letters, digits and hyphens",
                f"rename it to {better}.md",
            )
            return False
        return True


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)
