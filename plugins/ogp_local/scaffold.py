"""New story files, written from the schema: every field, with its hint as a comment."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from . import schema
from .content import PLACEHOLDER

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
    body = f"{summary}\n" if summary else ITEM_BODY.format(todo=PLACEHOLDER)
    return _front_matter("Roundup item", schema.ITEM_FIELDS, given) + body
