"""The reading path `check` and the build share: find the story files, read each,
gather the items into their months, then check across stories. Every problem of
every file is collected (nothing stops at the first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ogp_local.content import checks, circles, versions
from ogp_local.content.areas import Areas
from ogp_local.content.dates import Schedule
from ogp_local.content.discovery import Finder
from ogp_local.content.images import RASTER
from ogp_local.content.model import Case, Circle, Item, Roundup, Story
from ogp_local.content.problems import Problem, Problems, Severity
from ogp_local.content.reader import StoryReader, forget_unused


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
    pending: dict[int, tuple] = field(default_factory=dict, repr=False)
    """Stories read whose translations are not yet (id → kind, month, files)."""
    scheduled: list[Story] = field(default_factory=list)
    """Case studies and roundups dated later than now, by when they are due (their
    items and translations follow them): left out until then, but for the preview."""
    schedule: Schedule = field(default_factory=Schedule)

    def stories(self) -> list[Story]:
        """Case studies, roundups and their items, in reading order."""
        return [*self.cases, *(s for r in self.roundups for s in (r, *r.items))]

    def versions(self) -> list[Story]:
        """Every story as written: originals and translations."""
        return versions.all_versions(self.stories())

    def waiting(self) -> list[str]:
        """One line per scheduled story, `scheduled: roundups/2026-12/index.md for
        2026-12-01 09:00 (Europe/Madrid)`: what `check` and `build` say of them."""
        return [
            f"scheduled: {story.path} for {self.schedule.says(story.scheduled)}"
            + (f" with its {len(story.items)} item(s)" if getattr(story, "items", None) else "")
            for story in self.scheduled
        ]

    def waiting_problems(self) -> list[Problem]:
        """The same as information (`--format json`): never a failure."""
        return [
            Problem(
                story.path,
                story.lines.get("date", 1),
                "date",
                f"scheduled for {self.schedule.says(story.scheduled)}: published by the "
                "first build from then",
                "ogp-local serve shows it now",
                Severity.INFO,
            )
            for story in self.scheduled
        ]


def load(
    root: Path,
    areas: Areas,
    *,
    include_drafts: bool = False,
    cases_dir: str = "cases",
    roundups_dir: str = "roundups",
    docs_dir: Path | None = None,
    with_circles: bool = True,
    languages: Sequence[str] = ("en",),
    schedule: Schedule | None = None,
) -> tuple[Content, Problems]:
    """Read all stories under `root` (and the Local Circles in `docs_dir`, when given)
    and check them across files; every problem is in the returned Problems.

    `ogp-local check` and the build both read through here: one verdict."""
    problems = Problems()
    finder = Finder(root, cases_dir, roundups_dir, problems)
    reader = StoryReader(root, areas, problems, language=languages[0])
    langs = versions.Languages(tuple(languages), problems, finder.rel)
    found = finder.find()
    content = Content(assets=found.assets, schedule=schedule or Schedule())
    for files in versions.group(found.cases):
        case = _read(content, finder, reader, langs, files, "case")
        if case is not None and _shown(content, case, include_drafts):
            content.cases.append(case)
    for month in found.months:
        groups = versions.group([*([month.index] if month.index else []), *month.items])
        roundup = None
        items: list[Item] = []
        for files in groups:
            kind = "roundup" if files.slug == "index" else "item"
            story = _read(content, finder, reader, langs, files, kind, month.name, later=True)
            if story is None:
                continue
            if kind == "roundup":
                roundup = story
            else:
                items.append(story)
        if roundup is not None:
            shown = _shown(content, roundup, include_drafts)
            _gather(roundup, items, include_drafts)  # a scheduled month's too: they follow it
            if shown:
                content.roundups.append(roundup)
        # Translations take their original's date, known once the month is gathered.
        for story in [roundup, *items]:
            if story is not None:
                _translate(content, reader, story, include_drafts)
    for case in content.cases:
        _translate(content, reader, case, include_drafts)
    content.scheduled.sort(key=lambda s: (s.scheduled, s.path))
    if docs_dir is not None and with_circles:
        content.circles = circles.load(root, docs_dir, areas, problems)
    members = [m for circle in content.circles for m in circle.members]
    waiting = [] if include_drafts else content.scheduled  # checked as if published
    problems.extend(checks.run([*content.stories(), *waiting], members))
    heroes = reader.heroes | {s.image.path for s in content.stories() if s.image is not None}
    content.images = [p for p in content.assets if Path(p).suffix.lower() in RASTER]
    if docs_dir is not None:
        problems.extend(_in_the_way(root, docs_dir, content))
        content.images += docs_images(root, docs_dir)
    problems.extend(checks.published_images(root, content.images, heroes))
    forget_unused()
    return content, problems


def _shown(content: Content, story: Story, include_drafts: bool) -> bool:
    """Whether a case study or roundup is in this build: a draft or a story still to
    come is only in the preview (which marks it)."""
    story.scheduled = content.schedule.waits(story)
    if story.scheduled is not None and not story.draft:
        content.scheduled.append(story)
    return include_drafts or not (story.draft or story.scheduled)


def _read(content, finder, reader, langs, files, kind, month=None, later=False):
    """The original of one story's files; its translations' files wait on it."""
    path, lang, translations = langs.pick(files)
    if path is None:
        return None
    content.sources.append(finder.rel(path))
    story = reader.read_file(path, kind, month, lang)
    for _lang, other in translations:
        content.sources.append(finder.rel(other))
    if story is not None:
        story.translations = {}
        content.pending[id(story)] = (kind, month, translations)
    return story


def _translate(content: Content, reader: StoryReader, story: Story, include_drafts: bool) -> None:
    """Read the translations of `story` (whose own fields are all known now)."""
    kind, month, translations = content.pending.pop(id(story), (None, None, ()))
    for lang, path in translations:
        if lang == story.lang:
            reader.problems.error(
                reader.rel(path),
                1,
                "file name",
                f"translates {story.path} into its own language ('{lang}')",
                "remove one of them, or set the original's `lang:`",
            )
            continue
        translation = reader.read_translation(path, kind, story, lang, month)
        if translation is not None and (include_drafts or not translation.draft):
            story.translations[lang] = translation


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
        item.date, item.time, item.scheduled = roundup.date, roundup.time, roundup.scheduled
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
