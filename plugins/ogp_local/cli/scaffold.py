"""New story files, written from the schema: every field, with its hint as a comment;
and where they go: a slug from the title, a path that stays in its story folder."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

from slugify import slugify

from ogp_local.content import i18n, schema
from ogp_local.content.discovery import SLUG
from ogp_local.content.reader import PLACEHOLDER

SLUG_MAX = 80
"""Characters in a slug made from a title: file systems refuse names past 255 bytes,
and an address past 80 characters is no use to anyone."""

# Markdown reads these as markup anywhere in a line (links, emphasis, code, attribute
# lists, escapes); Python-Markdown lets a backslash escape each of them.
_INLINE_MARKUP = re.compile(r"([\\`*_{}\[\]])")
# These only at the start of a line: headings, lists, rules, admonitions (backslash-
# escapable); fences, details, blocks, tables (not: a character reference instead).
_LINE_START_MARKUP = re.compile(r"^(?:(\d+)(?=[.)])|([#+\-!])|([~?:=|/]))")

CASE_BODY = """\
## The problem

{todo}: what was wrong, for whom, with figures where you have them.

## What they did

{todo}: the reform, who took part, how government and civil society worked together.

## Results

{todo}: what changed, in numbers where possible.
"""

ROUNDUP_BODY = """\
{todo}: a short introduction to this month's news from OGP Local members.
"""

ITEM_BODY = """\
{todo}: the news in two or three sentences. The first paragraph is the item's summary
unless you set `summary:` above.
"""


def story_slug(title: str) -> str:
    """The file name (without .md) for a story titled `title`: cut at the last word
    that fits. (python-slugify's own word_boundary fills the room left with later
    short words: "…-in-every-in-in".)"""
    slug = slugify(title)
    if len(slug) <= SLUG_MAX:
        return slug
    head = slug[: SLUG_MAX + 1]  # one more: a hyphen right after the limit is a word end
    return head.rsplit("-", 1)[0] if "-" in head else slug[:SLUG_MAX]


def is_slug(value: str) -> bool:
    """Whether `value` is a file name the content reader accepts."""
    return bool(SLUG.match(value)) and len(value) <= SLUG_MAX


def story_path(folder: Path, slug: str) -> Path:
    """`folder/slug.md`, refused (ValueError) unless it really lies in `folder`:
    a slug or a symbolic link must never lead a new file elsewhere."""
    path = folder / f"{slug}.md"
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"{path} leads outside {folder}")
    return path


def one_line(text: str) -> str:
    """A spreadsheet cell on one line: line breaks (Word's and Excel's vertical tab
    included) become single spaces."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def markdown_text(text: str) -> str:
    """Plain text as one Markdown paragraph that shows exactly that text: no markup,
    no HTML, no change to the page's structure."""
    escaped = _INLINE_MARKUP.sub(r"\\\1", html.escape(one_line(text), quote=False))
    return _LINE_START_MARKUP.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(match: re.Match) -> str:
    """The first characters of a line, made plain text."""
    digits, escapable, other = match.groups()
    if digits:
        return digits + "\\"  # "1." starts a list, "1\." does not
    if escapable:
        return "\\" + escapable
    return f"&#{ord(other)};"


def quote(value: str) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _listing(values: Sequence[str]) -> str:
    if len(values) == 1:
        return quote(values[0])
    return "[" + ", ".join(quote(v) for v in values) + "]"


def _front_matter(title: str, fields: dict[str, schema.Field], given: dict[str, str]) -> str:
    """Given fields with their hints; the others commented out with an example."""
    lines = ["---", f"# {title}. Remove the # before a field to use it; the README explains all."]
    for name, spec in fields.items():
        line = f"{name}: {given[name]}" if name in given else f"# {name}: {spec.example}"
        lines.append(f"{line:<60}  # {spec.hint}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def case(
    title: str,
    members: Sequence[str],
    countries: Sequence[str],
    areas: Sequence[str],
    date: dt.date,
) -> str:
    given = {
        "title": quote(title),
        "member": _listing(members),
        "country": _listing(countries),
        "date": date.isoformat(),
        "summary": quote(f"{PLACEHOLDER}: one or two sentences on what changed, for whom."),
        "challenges": "[" + ", ".join(areas) + "]",
    }
    return _front_matter("Case study", schema.CASE_FIELDS, given) + CASE_BODY.format(
        todo=PLACEHOLDER
    )


def roundup(month: str, date: dt.date) -> str:
    given = {
        "date": date.isoformat(),
        "summary": quote(f"{PLACEHOLDER}: the month's highlights in one or two sentences."),
    }
    return _front_matter(f"Local Roundup of {month}", schema.ROUNDUP_FIELDS, given) + (
        ROUNDUP_BODY.format(todo=PLACEHOLDER)
    )


def item(
    title: str,
    members: Sequence[str],
    countries: Sequence[str],
    areas: Sequence[str],
    *,
    summary: str = "",
    link: str = "",
    image: str = "",
    image_alt: str = "",
    order: int | None = None,
) -> str:
    given = {
        "title": quote(title),
        "member": _listing(members),
        "country": _listing(countries),
    }
    if areas:  # without, the areas are inferred from the text (with a warning)
        given["challenges"] = "[" + ", ".join(areas) + "]"
    for name, value in (
        ("summary", summary),
        ("link", link),
        ("image", image),
        ("image_alt", image_alt),
    ):
        if value:
            given[name] = quote(value)
    if order is not None:
        given["order"] = str(order)
    # The summary is plain text (a spreadsheet cell): the body shows it as text.
    body = f"{markdown_text(summary)}\n" if summary else ITEM_BODY.format(todo=PLACEHOLDER)
    return _front_matter("Roundup item", schema.ITEM_FIELDS, given) + body


def _commented(text: str) -> list[str]:
    return [f"#   {line}" if line else "#" for line in text.splitlines()]


def translation(story, lang: str) -> str:
    """The scaffold of a translation of `story` into `lang`: the fields written in
    words, each with the original's words above it as a comment; the original's
    text, to translate, in an HTML comment before the body."""
    name = i18n.language_name(lang, i18n.SOURCE)
    lines = [
        "---",
        f"# The {name} version of {story.path}. Write the fields below in {name};",
        "# member, country, date, areas, picture and figures come from the original.",
    ]
    lines += ["# title, as the original has it:", *_commented(story.title)]
    lines.append(f"title: {quote('TODO: ' + story.title)}")
    if story.kind != "item" or story.summary:
        lines += ["# summary, as the original has it:", *_commented(story.summary)]
        lines.append(f"summary: {quote('TODO: ' + story.summary)}")
    if story.image is not None:
        lines += ["# image_alt, as the original has it:", *_commented(story.image.alt)]
        lines.append(f"image_alt: {quote('TODO: ' + story.image.alt)}")
    impact = getattr(story, "impact", ())
    if impact:
        lines.append("impact:  # the same figures, in the same order: translate the labels")
        for figure in impact:
            value, label = quote(figure.value), quote(figure.label)
            lines.append(f"  - {{value: {value}, label: {label}}}")
    links = getattr(story, "links", ())
    if links:
        lines.append("links:  # the same addresses (or the page in this language): the titles")
        for link in links:
            lines.append(f"  - {{title: {quote(link.title)}, url: {quote(link.url)}}}")
    lines.append("---")
    body = story.body.strip().replace("-->", "-- >")
    note = "The original's text, to translate (delete this comment when done):"
    original = f"<!-- {note}\n\n{body}\n\n-->\n\n"
    return "\n".join(lines) + "\n\n" + (original if body else "") + "TODO: the text.\n"
