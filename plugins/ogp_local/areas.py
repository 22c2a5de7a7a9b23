"""The ten challenge areas: loading, lookup by slug, name or alias, and inference
from keywords for stories that name none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from .model import Area
from .problems import did_you_mean

_REQUIRED = ("slug", "name", "description", "colour")


class AreasFileError(ValueError):
    """The areas file itself is malformed."""


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("&", "and").split())


def _pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for word in keywords:
        escaped = re.escape(word.casefold()).replace(r"\*", r"\w*").replace(r"\ ", r"\s+")
        parts.append(escaped)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class Areas:
    """The areas in their canonical order, with lookups."""

    def __init__(self, areas: list[Area]) -> None:
        self.all = tuple(areas)
        self.by_slug = {a.slug: a for a in areas}
        self._names: dict[str, Area] = {}
        for area in areas:
            for name in (area.slug, area.name, *area.aliases):
                self._names[_key(name)] = area
        self._patterns = {a.slug: _pattern(a.keywords) for a in areas}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Areas:
        """Read the areas file; the bundled one when `path` is None."""
        if path is None:
            text = resources.files(__package__).joinpath("data/areas.yml").read_text("utf-8")
            name = "areas.yml"
        else:
            text = Path(path).read_text("utf-8")
            name = str(path)
        data = yaml.safe_load(text)
        if not isinstance(data, list) or not data:
            raise AreasFileError(f"{name}: expected a list of areas")
        areas = []
        for index, entry in enumerate(data, 1):
            missing = [k for k in _REQUIRED if not isinstance(entry, dict) or not entry.get(k)]
            if missing:
                raise AreasFileError(f"{name}: area {index} lacks {', '.join(missing)}")
            areas.append(
                Area(
                    slug=str(entry["slug"]),
                    name=str(entry["name"]),
                    description=str(entry["description"]),
                    colour=str(entry["colour"]),
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                    keywords=tuple(str(k) for k in entry.get("keywords") or ()),
                )
            )
        return cls(areas)

    def __iter__(self):
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def lookup(self, text: str) -> Area | None:
        """The area a slug, name or alias stands for, in any case."""
        return self._names.get(_key(text))

    def suggest(self, text: str) -> str:
        return did_you_mean(text.replace(" ", "-"), self.by_slug) or (
            "known areas: " + ", ".join(self.by_slug)
        )

    def infer(self, text: str) -> list[tuple[Area, list[str]]]:
        """Areas whose keywords occur in `text`, best first, with the words matched.

        The best area is always kept; others only when they match at least half
        as often and more than once, so a stray word does not tag a story.
        """
        scored = []
        for area in self.all:
            pattern = self._patterns[area.slug]
            if pattern is None:
                continue
            words = [m.group(0).casefold() for m in pattern.finditer(text)]
            if words:
                scored.append((len(words), area, list(dict.fromkeys(words))))
        if not scored:
            return []
        order = {a.slug: i for i, a in enumerate(self.all)}
        scored.sort(key=lambda s: (-s[0], order[s[1].slug]))
        best = scored[0][0]
        chosen = [scored[0]] + [s for s in scored[1:3] if s[0] >= max(2, best / 2)]
        return [(area, words) for _, area, words in chosen]
