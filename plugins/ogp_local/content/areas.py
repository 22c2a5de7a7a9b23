"""The ten challenge areas: loading, lookup by slug, name or alias, and inference
from keywords for stories that name none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from ogp_local.content import colours
from ogp_local.content.model import Area
from ogp_local.content.problems import did_you_mean
from ogp_local.content.source import CONTROL

_REQUIRED = ("slug", "name", "description", "colour")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml where present: the areas file with its translations is read at every build."""


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


def _area(name: str, index: int, entry: object) -> Area:
    """One entry of the areas file, checked: the cards and badges depend on it."""
    where = f"{name}: area {index}"
    if not isinstance(entry, dict):
        raise AreasFileError(f"{where}: expected slug, name, description and colour")
    missing = [k for k in _REQUIRED if not entry.get(k)]
    if missing:
        raise AreasFileError(f"{where} lacks {', '.join(missing)}")
    slug = str(entry["slug"])
    if not _SLUG.match(slug):
        raise AreasFileError(f"{where}: slug '{slug}' must be lower-case letters, digits, hyphens")
    colour = entry["colour"]
    wrong = colours.problem(colour)
    if wrong:
        raise AreasFileError(f"{where} ({slug}): colour {wrong}")
    lists = {}
    for key in ("aliases", "keywords"):
        value = entry.get(key) or []
        if not isinstance(value, list):
            raise AreasFileError(f"{where} ({slug}): {key} must be a list")
        lists[key] = tuple(str(v) for v in value)
    # Area names and descriptions land in every feed and card: XML cannot carry these.
    for key in ("name", "description", "aliases", "keywords"):
        values = lists[key] if key in lists else (str(entry[key]),)
        for value in values:
            found = CONTROL.search(value)
            if found:
                raise AreasFileError(
                    f"{where} ({slug}): {key} contains control character "
                    f"U+{ord(found.group()):04X} (delete it: it is invisible in most editors)"
                )
    return Area(
        slug=slug,
        source_name=str(entry["name"]),
        source_description=str(entry["description"]),
        colour=str(colour),
        aliases=lists["aliases"],
        keywords=lists["keywords"],
        translations=_translations(where, slug, entry.get("translations")),
    )


def _translations(where: str, slug: str, given: object) -> tuple[tuple[str, str, str], ...]:
    """`translations: {es: {name: …, description: …}}`: the area in other languages."""
    if not given:
        return ()
    if not isinstance(given, dict):
        raise AreasFileError(f"{where} ({slug}): translations must map a language to its words")
    found = []
    for lang, words in sorted(given.items()):
        if not isinstance(words, dict) or not words.get("name") or not words.get("description"):
            raise AreasFileError(
                f"{where} ({slug}): translations.{lang} needs a name and a description"
            )
        for key in ("name", "description"):
            bad = CONTROL.search(str(words[key]))
            if bad:
                raise AreasFileError(
                    f"{where} ({slug}): translations.{lang}.{key} contains control character "
                    f"U+{ord(bad.group()):04X} (delete it)"
                )
        found.append((str(lang), str(words["name"]), str(words["description"])))
    return tuple(found)


class Areas:
    """The areas in their canonical order, with lookups."""

    def __init__(self, areas: list[Area]) -> None:
        self.all = tuple(areas)
        self.by_slug = {a.slug: a for a in areas}
        self._names: dict[str, Area] = {}
        for area in areas:
            names = (area.source_name, *(name for _, name, _ in area.translations))
            for name in (area.slug, *names, *area.aliases):
                self._names[_key(name)] = area
        self._patterns = {a.slug: _pattern(a.keywords) for a in areas}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Areas:
        """Read the areas file; the bundled one when `path` is None."""
        if path is None:
            text = resources.files("ogp_local").joinpath("data/areas.yml").read_text("utf-8")
            name = "areas.yml"
        else:
            name = str(path)
            try:
                text = Path(path).read_text("utf-8")
            except UnicodeDecodeError as exc:
                raise AreasFileError(f"{name}:1: not UTF-8 text ({exc.reason})") from exc
            except OSError as exc:
                raise AreasFileError(f"{name}: cannot be read ({exc.strerror})") from exc
        try:
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            reason = getattr(exc, "problem", None) or "invalid YAML"
            raise AreasFileError(f"{name}:{line}: YAML syntax error: {reason}") from exc
        if not isinstance(data, list) or not data:
            raise AreasFileError(f"{name}:1: expected a list of areas (see the bundled areas.yml)")
        areas = [_area(name, index, entry) for index, entry in enumerate(data, 1)]
        slugs = [a.slug for a in areas]
        doubled = sorted({s for s in slugs if slugs.count(s) > 1})
        if doubled:
            raise AreasFileError(f"{name}: area slug '{doubled[0]}' is given twice")
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
