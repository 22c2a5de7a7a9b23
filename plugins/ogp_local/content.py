"""Reads `cases/` and `roundups/` into the story model, collecting every problem
of every file (nothing stops at the first)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
from slugify import slugify

from . import bodies, checks, circles, images, schema, source
from .areas import Areas
from .model import Case, Circle, Image, Item, Member, Roundup, Story
from .problems import Problem, Problems, did_you_mean

PLACEHOLDER = "TODO"
"""How the scaffold's placeholder texts start; check warns about them."""
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


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

    def stories(self) -> list[Story]:
        """Case studies, roundups and their items, in reading order."""
        return [*self.cases, *(s for r in self.roundups for s in (r, *r.items))]


@dataclass
class Reader:
    root: Path
    areas: Areas
    include_drafts: bool = False
    cases_dir: str = "cases"
    roundups_dir: str = "roundups"
    problems: Problems = field(default_factory=Problems)

    def read(self) -> Content:
        content = Content()
        cases = self.root / self.cases_dir
        if cases.is_dir():
            self._cases(cases, content)
        roundups = self.root / self.roundups_dir
        if roundups.is_dir():
            for path in sorted(roundups.iterdir()):
                self._month_or_stray(path, content)
        return content

    # -- paths ---------------------------------------------------------------------

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _story_files(self, folder: Path, content: Content, what: str, skip: Path | None = None):
        """The story files directly in `folder` with good names; other files become
        assets, misplaced ones problems."""
        for path in sorted(folder.rglob("*")):
            if _hidden(path, folder) or path.is_dir() or path == skip:
                continue
            if path.suffix.lower() != ".md":
                content.assets.append(self._rel(path))
            elif path.parent != folder:
                self.problems.error(
                    self._rel(path),
                    1,
                    "file",
                    f"{what} live directly in {self._rel(folder)}/",
                    f"move it to {self._rel(folder)}/{path.name}",
                )
            elif self._slug_ok(path):
                content.sources.append(self._rel(path))
                yield path

    def _cases(self, folder: Path, content: Content) -> None:
        for path in self._story_files(folder, content, "case studies"):
            case = self._story(path, Case, schema.CASE_FIELDS)
            if case is not None and (self.include_drafts or not case.draft):
                content.cases.append(case)

    def _month_or_stray(self, folder: Path, content: Content) -> None:
        if folder.name.startswith((".", "_")):
            return
        if not folder.is_dir():
            self.problems.error(
                self._rel(folder),
                1,
                "file",
                "roundup files belong in a month folder",
                f"move it to {self.roundups_dir}/YYYY-MM/",
            )
            return
        if not _MONTH.match(folder.name):
            self.problems.error(
                self._rel(folder),
                1,
                "folder",
                f"'{folder.name}' is not a month",
                "name it YYYY-MM, e.g. 2023-11",
            )
            return
        roundup = None
        index = folder / "index.md"
        if index.is_file():
            content.sources.append(self._rel(index))
            roundup = self._story(index, Roundup, schema.ROUNDUP_FIELDS, month=folder.name)
        else:
            self.problems.error(
                self._rel(folder),
                1,
                "index.md",
                "the month has no index.md",
                f"run `ogp-local new roundup {folder.name}`",
            )
        items = []
        for path in self._story_files(folder, content, "items", skip=index):
            item = self._story(path, Item, schema.ITEM_FIELDS, month=folder.name)
            if item is not None:
                items.append(item)
        if roundup is None or (roundup.draft and not self.include_drafts):
            return
        for item in items:
            item.date = roundup.date
            item.draft = item.draft or roundup.draft
        roundup.items = sorted(
            (i for i in items if self.include_drafts or not i.draft),
            key=lambda i: (i.order is None, i.order or 0, i.slug),
        )
        content.roundups.append(roundup)

    def _slug_ok(self, path: Path) -> bool:
        stem = path.stem
        if stem == "index" and path.parent.name == self.cases_dir:
            self.problems.error(
                self._rel(path),
                1,
                "file name",
                "'index' is reserved for the list of case studies",
                "give the file the story's slug",
            )
            return False
        if not _SLUG.match(stem):
            better = slugify(stem) or "story"
            self.problems.error(
                self._rel(path),
                1,
                "file name",
                f"'{path.name}' is not a slug: use lower-case letters, digits and hyphens",
                f"rename it to {better}.md",
            )
            return False
        return True

    # -- one file --------------------------------------------------------------------

    def _story(self, path: Path, cls: type[Story], fields: dict[str, schema.Field], **extra):
        """Read one story file; None when it has errors (they are in self.problems)."""
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.error(
                self._rel(path),
                1,
                "file",
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save it as UTF-8",
            )
            return None
        return self.story_from_text(path, text, cls, fields, **extra)

    def story_from_text(
        self, path: Path, text: str, cls: type[Story], fields: dict[str, schema.Field], **extra
    ):
        """Validate `text` as if it were the file at `path` (which need not exist yet)."""
        rel = self._rel(path)
        errors_before = self.problems.error_count()
        src = source.read(rel, text, self.problems)
        if not src.ok:
            return None
        bodies.check(rel, src.body, src.body_line, len(text.encode("utf-8")), self.problems)
        values, lines = self._fields(rel, src, fields)
        if cls is Item and "summary" not in src.fields:
            values["summary"] = first_paragraph(src.body)
            if not values["summary"]:
                self.problems.error(
                    rel,
                    1,
                    "summary",
                    "missing, and the body is empty",
                    "add `summary:` or a first paragraph",
                )
        for key in ("title", "summary"):
            if str(values.get(key, "")).startswith(PLACEHOLDER):
                line = lines.get(key, src.body_line)
                hint = "write the real text"
                self.problems.warning(
                    rel, line, key, "still holds the template's placeholder", hint
                )
        if cls is Roundup:
            year, month = extra["month"].split("-")
            values.setdefault("title", f"Local Roundup — {MONTHS[int(month) - 1]} {year}")
        else:
            values["areas"], values["inferred"] = self._areas(rel, src, values)
            values["members"] = self._members(rel, lines, values)
        values["image"] = self._image(rel, path, lines, values)
        if self.problems.error_count() > errors_before:
            return None
        # Fields the model holds in another shape (members, areas, image) or name.
        for key in ("member", "country", "challenges", "image_alt"):
            values.pop(key, None)
        if cls is Item:
            values["item_kind"] = values.pop("kind", "news")
            values["date"] = None  # an item takes its month's date
        slug = extra["month"] if cls is Roundup else path.stem
        return cls(
            slug=slug,
            path=rel,
            body=src.body,
            body_line=src.body_line,
            lines=lines,
            **extra,
            **values,
        )

    def _fields(self, rel: str, src: source.Source, fields: dict[str, schema.Field]):
        """Convert every field by the schema; report unknown, invalid and missing ones."""
        values: dict[str, object] = {}
        lines: dict[str, int] = {}
        for key, entry in src.fields.items():
            lines[key] = entry.line
            spec = fields.get(key)
            if spec is None:
                hint = did_you_mean(key, fields) or "known fields: " + ", ".join(fields)
                self.problems.error(rel, entry.line, key, "unknown field", hint)
                continue
            try:
                values[key] = spec.convert(entry.node)
            except schema.Invalid as exc:
                line = src.line_of(exc.node)
                hint = src.quoting_hint(line) or exc.hint
                self.problems.error(rel, line, key, exc.message, hint)
        for spec in fields.values():
            # A missing `challenges` is inferred (see _areas), not an error.
            if spec.required and spec.name != "challenges" and spec.name not in src.fields:
                self.problems.error(
                    rel, 1, spec.name, "missing", f"add `{spec.name}: {spec.example}`"
                )
        return values, lines

    def _areas(self, rel: str, src: source.Source, values: dict) -> tuple[tuple, bool]:
        entry = src.fields.get("challenges")
        names = values.get("challenges")
        if entry is not None and names:
            found = []
            nodes = (
                entry.node.value
                if hasattr(entry.node, "value") and isinstance(entry.node.value, list)
                else [entry.node]
            )
            for name, node in zip(names, nodes, strict=False):
                area = self.areas.lookup(name)
                if area is None:
                    self.problems.error(
                        rel,
                        src.line_of(node),
                        "challenges",
                        f"unknown area '{name}'",
                        self.areas.suggest(name),
                    )
                elif area not in found:
                    found.append(area)
            return tuple(found), False
        if entry is not None:
            return (), False  # its own problem is already reported
        text = " ".join(str(values.get(k, "")) for k in ("title", "summary")) + " " + src.body
        inferred = self.areas.infer(text)
        if not inferred:
            self.problems.error(
                rel,
                1,
                "challenges",
                "missing, and no area could be inferred from the text",
                "add e.g. `challenges: [public-participation]`",
            )
            return (), False
        slugs = ", ".join(a.slug for a, _ in inferred)
        words = "; ".join(f"{a.slug}: " + ", ".join(f"'{w}'" for w in ws[:5]) for a, ws in inferred)
        self.problems.warning(
            rel,
            1,
            "challenges",
            f"missing; inferred {slugs} from the words {words}",
            f"add `challenges: [{slugs}]` to confirm",
        )
        return tuple(a for a, _ in inferred), True

    def _members(self, rel: str, lines: dict[str, int], values: dict) -> tuple[Member, ...]:
        names = values.get("member") or ()
        countries = values.get("country") or ()
        if not names or not countries:
            return ()
        if len(countries) == 1:
            countries = countries * len(names)
        if len(countries) != len(names):
            self.problems.error(
                rel,
                lines["country"],
                "country",
                f"{len(countries)} countries for {len(names)} members",
                "give one country, or one per member",
            )
            return ()
        return tuple(Member(n, c) for n, c in zip(names, countries, strict=True))

    def _image(self, rel: str, path: Path, lines: dict[str, int], values: dict) -> Image | None:
        value, alt = values.pop("image", None), values.get("image_alt")
        if value is None:
            if alt is not None:
                self.problems.warning(
                    rel,
                    lines["image_alt"],
                    "image_alt",
                    "given without an image",
                    "add `image:` or remove image_alt",
                )
            return None
        try:
            shown, width, height = images.check(self.root, path.parent, str(value))
        except images.ImageError as exc:
            self.problems.error(rel, lines["image"], "image", exc.message, exc.hint)
            return None
        if not alt:
            self.problems.error(
                rel,
                lines["image"],
                "image_alt",
                "missing: an image needs a text alternative",
                'add `image_alt: "what the image shows"`',
            )
            return None
        return Image(shown, str(alt), width, height)


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_MARKDOWN = markdown.Markdown()


def plain_text(markdown_text: str) -> str:
    """Markdown to one line of plain text."""
    parser = _Text()
    parser.feed(_MARKDOWN.reset().convert(markdown_text))
    return " ".join("".join(parser.parts).split())


def first_paragraph(body: str, limit: int = schema.SUMMARY_MAX) -> str:
    """The body's first paragraph as plain text, cut at a word to fit `limit`."""
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.lstrip().startswith(("#", "<!--", "![", "|", "```")):
            continue
        text = plain_text(block)
        if text:
            if len(text) > limit:
                text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return text
    return ""


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
    reader = Reader(root, areas, include_drafts, cases_dir, roundups_dir)
    found = reader.read()
    if docs_dir is not None and with_circles:
        found.circles = circles.load(root, docs_dir, areas, reader.problems)
    members = [m for circle in found.circles for m in circle.members]
    reader.problems.extend(checks.run(found.stories(), members))
    if docs_dir is not None:
        reader.problems.extend(_in_the_way(root, docs_dir, found))
    return found, reader.problems


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
