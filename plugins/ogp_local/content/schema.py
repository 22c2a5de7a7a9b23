"""The front matter schema: one place that says which fields each kind of story
has, what they hold and how to fix them. It drives validation, the scaffold and
the README's field tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from ogp_local.content import urls
from ogp_local.content.model import Case, Impact, Item, Link, Roundup

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
STR = "tag:yaml.org,2002:str"

SUMMARY_MAX = 300
ITEM_KINDS = ("news", "video", "blog", "face")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]+(\d{1,2}:\d{2}(?::\d{2})?)$")
"""A date with a time of day: `2026-12-01 09:00` (YAML's `2026-12-01 09:00:00` too)."""
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class Invalid(Exception):
    """A value that does not fit its field; `node` says where."""

    def __init__(self, node: yaml.Node, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint


def text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL:
        value = str(node.value).strip()
        if value:
            return value
    if isinstance(node, yaml.ScalarNode):
        raise Invalid(node, "is empty", "give it a value or remove the line")
    raise Invalid(node, "expected text, found a list or mapping", "write it on one line")


def texts(node: yaml.Node) -> tuple[str, ...]:
    """Text, or a list of texts (`member: [São Paulo, Santa Catarina]`)."""
    if isinstance(node, yaml.SequenceNode):
        if not node.value:
            raise Invalid(node, "is an empty list", "give at least one value")
        return tuple(text(child) for child in node.value)
    return (text(node),)


def date(node: yaml.Node) -> dt.date:
    value = text(node)
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise Invalid(node, f"'{value}' is not a date: {exc}", "expected YYYY-MM-DD") from exc
    raise Invalid(node, f"'{value}' is not a date", "expected YYYY-MM-DD, e.g. 2023-11-30")


def publication(node: yaml.Node) -> dt.date | dt.datetime:
    """A story's date, or its date and time of day (the story is scheduled for then)."""
    value = text(node)
    moment = _MOMENT.match(value)
    if moment is None:
        return date(node)
    try:
        day = dt.date.fromisoformat(moment[1])
        return dt.datetime.combine(day, dt.time(*(int(part) for part in moment[2].split(":"))))
    except ValueError as exc:
        raise Invalid(
            node, f"'{value}' is not a date and time: {exc}", "expected YYYY-MM-DD HH:MM"
        ) from exc


def boolean(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
        return node.value.lower() == "true"
    raise Invalid(node, f"expected true or false, found '{getattr(node, 'value', '')}'")


def count(node: yaml.Node) -> int:
    value = text(node).rstrip("+")
    if value.isdigit():
        return int(value)
    raise Invalid(node, f"expected a whole number, found '{value}'", "e.g. 160")


def url(node: yaml.Node) -> str:
    value = text(node)
    parts = urls.split(value)
    if parts and parts.scheme in ("http", "https") and parts.netloc:
        return value
    raise Invalid(node, f"'{value}' is not a web address", "start it with https://")


def language(node: yaml.Node) -> str:
    value = text(node)
    if _LANG.match(value):
        return value
    raise Invalid(node, f"'{value}' is not a language tag", "use a BCP 47 tag such as es or pt-BR")


def summary(node: yaml.Node) -> str:
    value = " ".join(text(node).split())
    if len(value) > SUMMARY_MAX:
        raise Invalid(
            node,
            f"is {len(value)} characters long; the limit is {SUMMARY_MAX}",
            f"shorten it by {len(value) - SUMMARY_MAX} characters",
        )
    return value


def hashtags(node: yaml.Node) -> tuple[str, ...]:
    tags = []
    for child, tag in zip(_children(node), texts(node), strict=True):
        tag = tag if tag.startswith("#") else f"#{tag}"
        if not re.fullmatch(r"#\w+", tag):
            raise Invalid(child, f"'{tag}' is not a hashtag", "use letters, digits and _ only")
        tags.append(tag)
    return tuple(tags)


def _children(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def _mappings(node: yaml.Node, keys: tuple[str, ...], example: str) -> list[dict[str, str]]:
    if not isinstance(node, yaml.SequenceNode):
        raise Invalid(node, "expected a list", f"write it as: [{example}]")
    found = []
    for child in node.value:
        if not isinstance(child, yaml.MappingNode):
            raise Invalid(child, "expected an entry with " + " and ".join(keys), example)
        entry = {str(k.value): v for k, v in child.value}
        for key in keys:
            if key not in entry:
                raise Invalid(child, f"entry has no '{key}'", example)
        unknown = sorted(set(entry) - set(keys))
        if unknown:
            raise Invalid(child, f"unknown key '{unknown[0]}'", "keys: " + ", ".join(keys))
        found.append({key: text(entry[key]) for key in keys})
    return found


def impact(node: yaml.Node) -> tuple[Impact, ...]:
    example = '{value: "600+", label: "registered lobbies"}'
    return tuple(Impact(**m) for m in _mappings(node, ("value", "label"), example))


def links(node: yaml.Node) -> tuple[Link, ...]:
    example = '{title: "Lobby registry", url: "https://…"}'
    found = []
    for child, m in zip(node.value, _mappings(node, ("title", "url"), example), strict=True):
        url_node = next(v for k, v in child.value if k.value == "url")
        found.append(Link(m["title"], url(url_node)))
    return tuple(found)


def focus(node: yaml.Node) -> tuple[float, float]:
    value = text(node)
    parts = [p.strip().rstrip("%") for p in value.split(",")]
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        x = y = -1.0
    if len(parts) == 2 and 0 <= x <= 100 and 0 <= y <= 100:
        return (x, y)
    raise Invalid(
        node, f"'{value}' is not a point", "write x,y in percent of width and height, e.g. 50,30"
    )


def item_kind(node: yaml.Node) -> str:
    value = text(node).lower()
    if value in ITEM_KINDS:
        return value
    from ogp_local.content.problems import did_you_mean

    hint = did_you_mean(value, ITEM_KINDS) or "one of: " + ", ".join(ITEM_KINDS)
    raise Invalid(node, f"unknown kind '{value}'", hint)


def video(node: yaml.Node) -> str:
    value = url(node)
    from ogp_local.content.video import embed_url

    if embed_url(value):
        return value
    raise Invalid(
        node,
        f"'{value}' is not a YouTube or Vimeo video address",
        "link the video's own page, e.g. https://www.youtube.com/watch?v=… or "
        "https://vimeo.com/123456",
    )


@dataclass(frozen=True)
class Field:
    name: str
    convert: Callable[[yaml.Node], object]
    required: bool
    hint: str
    example: str

    def __str__(self) -> str:
        return self.name


def _f(name: str, convert, required: bool, hint: str, example: str) -> Field:
    return Field(name, convert, required, hint, example)


# `challenges` and `image` are checked by the content reader (they need the
# areas and the file's folder); here they are only read as text.
_TITLE = _f("title", text, True, "the headline", '"Creation of a Mandatory Lobby Registry"')
_MEMBER = _f(
    "member", texts, True, "OGP Local member(s): city, district, province or region", "Madrid"
)
_COUNTRY = _f("country", texts, True, "country (a list when members are in several)", "Spain")
_DATE_F = _f(
    "date",
    publication,
    True,
    "publication date, YYYY-MM-DD; a later date (and HH:MM) schedules the story",
    "2023-11-30",
)
_SUMMARY = _f(
    "summary",
    summary,
    True,
    f"one or two plain-text sentences, at most {SUMMARY_MAX} characters",
    '"Madrid made lobbyists register before they meet decision-makers."',
)
_CHALLENGES = _f(
    "challenges",
    texts,
    True,
    "challenge areas, slugs or names; the first is the primary area",
    "[anti-corruption, public-participation]",
)
_HASHTAGS = _f("hashtags", hashtags, False, "campaign hashtags", '["#16Days"]')
_IMAGE = _f("image", text, False, "hero image, path relative to this file", "images/madrid.jpg")
_IMAGE_ALT = _f(
    "image_alt", text, False, "what the image shows (required with image)", '"Madrid city hall"'
)
_IMAGE_CREDIT = _f("image_credit", text, False, "who took the photo", '"Ayuntamiento de Madrid"')
_IMAGE_LICENSE = _f("image_license", text, False, "the photo's licence", '"CC BY 4.0"')
_IMAGE_FOCUS = _f(
    "image_focus", focus, False, "the point to keep when cropping, x,y in percent", "50,30"
)
_LINKS = _f(
    "links", links, False, "further reading", '[{title: "Registry", url: "https://example.org"}]'
)
_UPDATED = _f("updated", date, False, "date of the last substantive change", "2024-01-15")
_LANG_F = _f("lang", language, False, "BCP 47 language tag, if not the site's", "es")
_DRAFT = _f("draft", boolean, False, "true: preview only, left out of builds", "false")

CASE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        _TITLE,
        _MEMBER,
        _COUNTRY,
        _DATE_F,
        _SUMMARY,
        _CHALLENGES,
        _HASHTAGS,
        _f(
            "impact",
            impact,
            False,
            "headline figures; the first goes on the card",
            '[{value: "600+", label: "registered lobbies"}]',
        ),
        _IMAGE,
        _IMAGE_ALT,
        _IMAGE_CREDIT,
        _IMAGE_LICENSE,
        _IMAGE_FOCUS,
        _LINKS,
        _UPDATED,
        _LANG_F,
        _DRAFT,
    )
}

ROUNDUP_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        _DATE_F,
        _SUMMARY,
        _f(
            "title",
            text,
            False,
            "default: Local Roundup — <Month YYYY>",
            '"Local Roundup — November 2023"',
        ),
        _f("news_count", count, False, "how many news items the month gathered", "160"),
        _IMAGE,
        _IMAGE_ALT,
        _IMAGE_CREDIT,
        _IMAGE_LICENSE,
        _IMAGE_FOCUS,
        _HASHTAGS,
        _UPDATED,
        _LANG_F,
        _DRAFT,
    )
}

ITEM_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        _TITLE,
        _MEMBER,
        _COUNTRY,
        _CHALLENGES,
        _f("summary", summary, False, "default: the body's first paragraph", '"…"'),
        _IMAGE,
        _IMAGE_ALT,
        _IMAGE_CREDIT,
        _IMAGE_LICENSE,
        _IMAGE_FOCUS,
        _f("link", url, False, "the item's external source", "https://example.org/news"),
        _HASHTAGS,
        _f("order", count, False, "position in the roundup; default file-name order", "1"),
        _f("kind", item_kind, False, "news, video, blog or face", "news"),
        _f(
            "video",
            video,
            False,
            "YouTube or Vimeo address, played on click",
            "https://www.youtube.com/watch?v=…",
        ),
        _UPDATED,
        _LANG_F,
        _DRAFT,
    )
}


@dataclass(frozen=True)
class Kind:
    """What differs between the kinds of story files, in one table (KINDS)."""

    name: str
    story: type
    fields: dict[str, Field]
    summary_from_body: bool = False
    """An item without `summary:` takes the body's first paragraph."""
    in_month: bool = False
    """Roundups and items live in a month folder; the roundup's slug is the month."""
    tagged: bool = True
    """Has members and challenge areas (roundups gather those of their items)."""


KINDS: dict[str, Kind] = {
    "case": Kind("case", Case, CASE_FIELDS),
    "roundup": Kind("roundup", Roundup, ROUNDUP_FIELDS, in_month=True, tagged=False),
    "item": Kind("item", Item, ITEM_FIELDS, summary_from_body=True, in_month=True),
}
