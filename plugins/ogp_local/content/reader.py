"""Reads one story file into the model: its front matter through the schema of its
kind, then the checks across its fields. Every problem goes to `problems`, with
its line; a story with errors is not made. The importer validates spreadsheet
rows through `read_text`, as the files they would become."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ogp_local.cache import digests
from ogp_local.cache.stores import Kept
from ogp_local.content import bodies, checks, i18n, schema, source, versions
from ogp_local.content.areas import Areas
from ogp_local.content.plaintext import first_paragraph
from ogp_local.content.problems import Problems, did_you_mean
from ogp_local.content.schema import KINDS, Kind

PLACEHOLDER = "TODO"
"""How the scaffold's placeholder texts start; check warns about them."""

# Fields the model holds in another shape (members, areas, image) or name.
_RESHAPED = (
    "member",
    "country",
    "challenges",
    "image_alt",
    "image_credit",
    "image_license",
    "image_focus",
)


_PARSED = Kept("parsed")
"""(path, text) → its front matter and body, and what reading them reported."""


def forget_unused() -> None:
    """Keep only the files the last read of the content used."""
    _PARSED.forget_unused()


@dataclass
class StoryReader:
    root: Path
    areas: Areas
    problems: Problems
    language: str = i18n.SOURCE
    """The site's default language: a story's when it names none."""
    heroes: set[str] = field(default_factory=set)
    """Every file an `image:` field names (relative to the root), even in a story
    with errors: its problems are reported at that line, not again at the file."""

    _resolved: dict[Path, Path] = field(default_factory=dict, repr=False)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def resolved(self, folder: Path) -> Path:
        """`folder` with its links resolved: asked once per folder, not per story (a
        preview reads thousands of stories at each save)."""
        found = self._resolved.get(folder)
        if found is None:
            found = self._resolved[folder] = folder.resolve()
        return found

    def _text_of(self, path: Path) -> str | None:
        try:
            return path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.error(
                self.rel(path),
                1,
                "file",
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save it as UTF-8",
            )
            return None

    def read_file(self, path: Path, kind: str, month: str | None = None, lang: str | None = None):
        """The story in the file at `path` (named for language `lang`, if given); None
        when it has errors."""
        text = self._text_of(path)
        if text is None:
            return None
        return self.read_text(path, text, kind, month, lang)

    def _source(self, path: Path, rel: str, text: str) -> source.Source | None:
        """The file's front matter and body, with the body's own checks; None when the
        front matter cannot be read at all."""
        src = self._parsed(rel, text)
        if not src.ok:
            return None
        bodies.check(rel, src.body, src.body_line, len(text.encode("utf-8")), self.problems)
        bodies.missing_targets(
            rel,
            src.body,
            src.body_line,
            self.resolved(self.root),
            self.resolved(path.parent),
            self.problems,
        )
        return src

    def _parsed(self, rel: str, text: str) -> source.Source:
        """source.read, kept for the next read in this process (a preview reads every
        story at each save: only the saved one is parsed again). What it reported is
        reported again."""
        key = (rel, text)
        found = _PARSED.find(key)
        if found is not None:
            src, said = found
            self.problems.extend(said)
            return src
        before = len(self.problems.items)
        src = source.read(rel, text, self.problems)
        _PARSED.keep(key, (src, self.problems.items[before:]))
        return src

    def read_translation(self, path: Path, kind: str, original, lang: str, month=None):
        """The translation into `lang` in the file at `path`: its words, the rest from
        `original`. None when it has errors."""
        text = self._text_of(path)
        if text is None:
            return None
        rel = self.rel(path)
        errors_before = self.problems.error_count()
        src = self._source(path, rel, text)
        if src is None:
            return None
        values, lines = self._fields(rel, src, KINDS[kind].fields, required=False)
        language = i18n.language_name(lang, i18n.SOURCE)
        wanted = list(versions.REQUIRED_WORDS[kind])
        if original.image is not None:
            wanted.append("image_alt")
        for name in wanted:
            if name not in src.fields:
                self.problems.error(
                    rel,
                    1,
                    name,
                    f"missing: a translation writes its own (the original's is in "
                    f"{i18n.language_name(original.lang, i18n.SOURCE)})",
                    f"add `{name}:` in {language}",
                )
        if "lang" in values and values["lang"].lower() != lang.lower():
            self.problems.error(
                rel,
                lines["lang"],
                "lang",
                f"'{values['lang']}' is not the file's language ('{lang}')",
                "remove the line: the file name gives the language",
            )
        versions.contradictions(self, rel, path, src, values, original)
        if KINDS[kind].summary_from_body and "summary" not in src.fields:
            values["summary"] = self._summary_from(rel, src.body)
        if kind == "roundup" and "title" not in values:
            values["title"] = versions.roundup_title(month, lang)
        self._placeholders(rel, src, values, lines)
        if self.problems.error_count() > errors_before:
            return None
        return versions.translated(original, rel, lang, src, values, lines)

    def read_text(
        self, path: Path, text: str, kind: str, month: str | None = None, lang: str | None = None
    ):
        """Validate `text` as if it were the file at `path` (which need not exist yet)."""
        spec = KINDS[kind]
        rel = self.rel(path)
        errors_before = self.problems.error_count()
        src = self._source(path, rel, text)
        if src is None:
            return None
        values, lines = self._fields(rel, src, spec.fields)
        if spec.summary_from_body and "summary" not in src.fields:
            values["summary"] = self._summary_from(rel, src.body)
        self._placeholders(rel, src, values, lines)
        if spec.tagged:
            values["areas"] = self._areas(rel, src, values)
            values["members"] = checks.members(
                rel,
                lines.get("country", 1),
                values.get("member") or (),
                values.get("country") or (),
                self.problems,
            )
        if lang is not None and values.get("lang", lang).lower() != lang.lower():
            self.problems.error(
                rel,
                lines["lang"],
                "lang",
                f"'{values['lang']}' is not the file's language ('{lang}')",
                "remove the line: the file name gives the language",
            )
        values["lang"] = lang or values.get("lang") or self.language
        if not spec.tagged:
            values.setdefault("title", versions.roundup_title(month, values["lang"]))
        if values.get("image"):
            named = (path.parent / str(values["image"])).resolve()
            root = self.resolved(self.root)
            if named.is_relative_to(root):
                self.heroes.add(named.relative_to(root).as_posix())
        values["image"] = checks.image(
            self.root,
            rel,
            path.parent,
            lines,
            values.pop("image", None),
            values.get("image_alt"),
            self.problems,
            credit=values.get("image_credit"),
            license=values.get("image_license"),
            focus=values.get("image_focus"),
        )
        if self.problems.error_count() > errors_before:
            return None
        return self._make(spec, path, rel, src, values, lines, month)

    def _make(self, spec: Kind, path: Path, rel: str, src, values: dict, lines, month):
        for key in _RESHAPED:
            values.pop(key, None)
        extra: dict[str, object] = {"month": month} if spec.in_month else {}
        if spec.name == "item":
            values["item_kind"] = values.pop("kind", "news")
            values["date"] = None  # an item takes its month's date
        elif isinstance(values.get("date"), dt.datetime):  # scheduled for a time of day
            moment = values["date"]
            values["date"], values["time"] = moment.date(), moment.time()
        slug = month if spec.name == "roundup" else versions.split_name(path.stem)[0]
        return spec.story(
            slug=slug,
            path=rel,
            body=src.body,
            body_line=src.body_line,
            lines=lines,
            **extra,
            **values,
        )

    def _summary_from(self, rel: str, body: str) -> str:
        summary = digests.by_content("summary", body, lambda: first_paragraph(body))
        if not summary:
            self.problems.error(
                rel,
                1,
                "summary",
                "missing, and the body is empty",
                "add `summary:` or a first paragraph",
            )
        return summary

    def _placeholders(self, rel: str, src: source.Source, values: dict, lines: dict) -> None:
        for key in ("title", "summary"):
            if str(values.get(key, "")).startswith(PLACEHOLDER):
                line = lines.get(key, src.body_line)
                self.problems.warning(
                    rel, line, key, "still holds the template's placeholder", "write the real text"
                )

    def _fields(
        self, rel: str, src: source.Source, fields: dict[str, schema.Field], required: bool = True
    ):
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
            missing = spec.required and spec.name not in src.fields
            if required and missing and spec.name != "challenges":
                self.problems.error(
                    rel, 1, spec.name, "missing", f"add `{spec.name}: {spec.example}`"
                )
        return values, lines

    def _areas(self, rel: str, src: source.Source, values: dict) -> tuple:
        entry = src.fields.get("challenges")
        names = values.get("challenges")
        if entry is not None and names:
            nodes = source.items_of(entry.node)
            named = [(name, src.line_of(node)) for name, node in zip(names, nodes, strict=False)]
            return checks.named_areas(rel, "challenges", named, self.areas, self.problems)
        if entry is not None:
            return ()  # its own problem is already reported
        text = " ".join(str(values.get(k, "")) for k in ("title", "summary")) + " " + src.body
        return checks.inferred_areas(rel, text, self.areas, self.problems)
