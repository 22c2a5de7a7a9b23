"""The reading path `check` and the build share: find the story files, read each,
gather the items into their months, then check across stories. Every problem of
every file is collected (nothing stops at the first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import checks, circles
from .areas import Areas
from .discovery import Finder
from .images import RASTER
from .model import Case, Circle, Item, Roundup, Story
from .problems import Problem, Problems
from .reader import StoryReader


@dataclass
class Content:
    """Everything read from the content folders."""

    cases: list[Case] = field(default_factory=list)
    roundups: list[Roundup] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    """Non-Markdown files under the story folders (images), relative to the root."""
    sources: list[str] = field(default_factory=list)
    """Every story file read, relative to the root."""
    circles: list[Circle] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    """Every raster image the site publishes (story folders and docs_dir), from the root."""

    def stories(self) -> list[Story]:
        """Case studies, roundups and their items, in reading order."""
        return [*self.cases, *(s for r in self.roundups for s in (r, *r.items))]


def load(
    root: Path,
    areas: Areas,
    *,
    include_drafts: bool = False,
    cases_dir: str = "cases",
    roundups_dir: str = "roundups",
    docs_dir: Path | None = None,
    with_circles: bool = True,
) -> tuple[Content, Problems]:
    """Read all stories under `root` (and the Local Circles in `docs_dir`, when given)
    and check them across files; every problem is in the returned Problems.

    `ogp-local check` and the build both read through here: one verdict."""
    problems = Problems()
    finder = Finder(root, cases_dir, roundups_dir, problems)
    reader = StoryReader(root, areas, problems)
    found = finder.find()
    content = Content(assets=found.assets)
    for path in found.cases:
        content.sources.append(finder.rel(path))
        case = reader.read_file(path, "case")
        if case is not None and (include_drafts or not case.draft):
            content.cases.append(case)
    for month in found.months:
        roundup = None
        if month.index is not None:
            content.sources.append(finder.rel(month.index))
            roundup = reader.read_file(month.index, "roundup", month.name)
        items: list[Item] = []
        for path in month.items:
            content.sources.append(finder.rel(path))
            item = reader.read_file(path, "item", month.name)
            if item is not None:
                items.append(item)
        if roundup is not None and (include_drafts or not roundup.draft):
            _gather(roundup, items, include_drafts)
            content.roundups.append(roundup)
    if docs_dir is not None and with_circles:
        content.circles = circles.load(root, docs_dir, areas, problems)
    members = [m for circle in content.circles for m in circle.members]
    problems.extend(checks.run(content.stories(), members))
    heroes = reader.heroes | {s.image.path for s in content.stories() if s.image is not None}
    content.images = [p for p in content.assets if Path(p).suffix.lower() in RASTER]
    if docs_dir is not None:
        problems.extend(_in_the_way(root, docs_dir, content))
        content.images += docs_images(root, docs_dir)
    problems.extend(checks.published_images(root, content.images, heroes))
    return content, problems


def docs_images(root: Path, docs_dir: Path) -> list[str]:
    """The raster images of docs_dir (content pages' pictures), relative to `root`."""
    if not docs_dir.is_dir() or not docs_dir.resolve().is_relative_to(root.resolve()):
        return []
    found = []
    for path in sorted(docs_dir.rglob("*")):
        parts = path.relative_to(docs_dir).parts
        if path.suffix.lower() in RASTER and not any(p.startswith(".") for p in parts):
            found.append(path.resolve().relative_to(root.resolve()).as_posix())
    return found


def _gather(roundup: Roundup, items: list[Item], include_drafts: bool) -> None:
    """The month's items into its roundup: its date, its draft state, in order."""
    for item in items:
        item.date = roundup.date
        item.draft = item.draft or roundup.draft
    roundup.items = sorted(
        (i for i in items if include_drafts or not i.draft),
        key=lambda i: (i.order is None, i.order or 0, i.slug),
    )


def _in_the_way(root: Path, docs_dir: Path, found: Content) -> list[Problem]:
    """Pages of docs_dir at the address of a story page: one would hide the other."""
    pages = {f"cases/{c.slug}.md": c for c in found.cases}
    pages.update({f"roundups/{r.month}/index.md": r for r in found.roundups})
    problems = []
    for uri, story in sorted(pages.items()):
        page = docs_dir / uri
        if not page.is_file():
            continue
        shown = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
        address = "/" + uri.removesuffix(".md").removesuffix("index").rstrip("/") + "/"
        message = f"is in the way of the story {story.path}: both would be {address}"
        problems.append(Problem(shown, 1, "file", message, "rename or remove one of them"))
    return problems
