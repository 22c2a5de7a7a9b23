"""Local Circles, one Markdown file each in content/circles/: front matter says who
and what, the body is the circle's short text. Checked like stories."""

from __future__ import annotations

from pathlib import Path

import yaml

from ogp_local.content import checks, schema, source
from ogp_local.content.areas import Areas
from ogp_local.content.model import Circle, Member
from ogp_local.content.problems import Problems, did_you_mean
from ogp_local.content.versions import split_name

FIELDS = ("name", "theme", "areas", "members")
FOLDER = "circles"


def _member(node: yaml.Node) -> Member:
    value = schema.text(node)
    name, _, country = value.rpartition(",")
    if not name.strip() or not country.strip():
        raise schema.Invalid(
            node,
            f"'{value}' needs its country",
            'write "Name, Country", e.g. "Scotland, United Kingdom"',
        )
    return Member(name.strip(), country.strip())


def load(root: Path, docs_dir: Path, areas: Areas, problems: Problems) -> list[Circle]:
    """Every circle in docs_dir/circles/ (the index.md there is the circles' intro)."""
    folder = docs_dir / FOLDER
    if not folder.is_dir():
        return []
    circles = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "index.md" or split_name(path.stem)[1] is not None:  # a translation
            continue
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            problems.error(
                rel,
                1,
                "file",
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save it as UTF-8",
            )
            continue
        src = source.read(rel, text, problems)
        if not src.ok:
            continue
        before = problems.error_count()
        values: dict = {}
        for key, entry in src.fields.items():
            if key not in FIELDS:
                if key in ("title", "description", "hide", "search"):
                    continue  # page settings MkDocs and Material read
                hint = did_you_mean(key, FIELDS) or "fields: " + ", ".join(FIELDS)
                problems.error(rel, entry.line, key, "unknown field", hint)
                continue
            try:
                if key in ("name", "theme"):
                    values[key] = schema.text(entry.node)
                elif key == "areas":
                    values[key] = _areas(rel, src, entry, areas, problems)
                else:
                    values[key] = tuple(_member(n) for n in source.items_of(entry.node))
            except schema.Invalid as exc:
                line = src.line_of(exc.node)
                problems.error(rel, line, key, exc.message, src.quoting_hint(line) or exc.hint)
        for key in FIELDS:
            if key not in src.fields:
                problems.error(rel, 1, key, "missing", f"add `{key}:`")
        if problems.error_count() == before:
            circles.append(
                Circle(
                    path.stem,
                    rel,
                    values["name"],
                    values["theme"],
                    values["areas"],
                    values["members"],
                    src.body,
                )
            )
    return circles


def _areas(rel: str, src: source.Source, entry, areas: Areas, problems: Problems) -> tuple:
    named = [(schema.text(node), src.line_of(node)) for node in source.items_of(entry.node)]
    return checks.named_areas(rel, "areas", named, areas, problems)
