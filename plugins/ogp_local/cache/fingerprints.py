"""Fingerprints: a digest of any value a page or output is made of (stories, settings,
strings, numbers, dates, lists, dataclasses), written unambiguously, so that two
values with the same digest are the same value. What a fingerprint cannot vouch for
raises Unknown, and whatever asked makes the thing again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
from pathlib import Path


class Unknown(Exception):
    """A value the fingerprint cannot vouch for: the page is always rendered."""


def digest(*values) -> str:
    out = bytearray()
    for value in values:
        _feed(out, value, 0)
    return hashlib.sha256(out).hexdigest()


_STORY_SKIPPED = {"original", "translations", "lines", "body_line"}
_story_digests: dict[int, tuple[object, str]] = {}


@functools.cache
def _fields_of(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once (a digest walks thousands of stories)."""
    return tuple(f.name for f in dataclasses.fields(cls))


def story_digest(story) -> str:
    """What a story shows anywhere: its fields, its versions' addresses, its kind."""
    found = _story_digests.get(id(story))
    if found is not None and found[0] is story:
        return found[1]
    out = bytearray(type(story).__name__.encode())
    for name in _fields_of(type(story)):
        if name not in _STORY_SKIPPED:
            out += name.encode()
            _feed(out, getattr(story, name), 1)
    original = story.original
    _feed(out, original.path if original is not None else None, 1)
    _feed(out, sorted((lang, t.path) for lang, t in story.translations.items()), 1)
    value = hashlib.sha256(out).hexdigest()
    _story_digests[id(story)] = (story, value)
    return value


def forget_stories() -> None:
    _story_digests.clear()


def _feed(out: bytearray, value, depth: int) -> None:
    """`value` written into `out`, unambiguously (lengths and types before contents)."""
    if depth > 12:
        raise Unknown("too deep")
    cls = type(value)
    if cls is str or isinstance(value, str):  # Markup too
        data = value.encode("utf-8", "surrogatepass")
        out += b"s%d:" % len(data)
        out += data
    elif value is None or cls is bool or cls is int or cls is float:
        out += f"{cls.__name__}:{value!r};".encode()
    elif cls is list or cls is tuple:
        out += b"[%d:" % len(value)
        for item in value:
            _feed(out, item, depth + 1)
        out += b"]"
    elif cls is dict:
        out += b"{%d:" % len(value)
        for key, item in value.items():
            _feed(out, key, depth + 1)
            _feed(out, item, depth + 1)
        out += b"}"
    elif isinstance(value, dt.date):
        out += f"d:{value.isoformat()};".encode()
    elif isinstance(value, Path):
        _feed(out, str(value), depth)
    elif isinstance(value, enum.Enum):
        _feed(out, value.value, depth)
    # Areas and stories by their shape: this module does not import the model (the
    # no-change check runs before anything heavy is loaded).
    elif hasattr(value, "slug") and cls.__name__ == "Area":
        out += f"area:{value.slug};".encode()  # areas.yml is an input of every page
    elif hasattr(value, "translations") and hasattr(value, "stand_in"):
        out += f"story:{story_digest(value)};".encode()
    elif isinstance(value, bool | int | float):
        out += f"{cls.__name__}:{value!r};".encode()
    elif isinstance(value, list | tuple):
        _feed(out, list(value), depth)
    elif isinstance(value, dict):
        _feed(out, dict(value), depth)
    elif isinstance(value, set | frozenset):
        _feed(out, sorted(value, key=repr), depth)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out += f"<{cls.__name__}:".encode()
        for name in _fields_of(cls):
            out += name.encode()
            _feed(out, getattr(value, name), depth + 1)
        out += b">"
    else:
        raise Unknown(cls.__name__)
