"""A story in several languages: translations are files beside their original
(`cases/<slug>.<lang>.md`), and every language's site shows every story, in that
language where someone translated it, else as written (a stand-in, marked).

A translation writes only what is in words (title, summary, body, alt text, impact
labels, link titles); everything else comes from the original. A field it gives
overrides the original's, except those that make the story the same story in
every language (member, country, areas, date, picture, figures, place in its
month): a different value there contradicts the original and is an error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ogp_local.content import i18n
from ogp_local.content.model import Case, Item, Roundup, Story, _fold
from ogp_local.content.problems import Problems, did_you_mean

_SUFFIX = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")

REQUIRED_WORDS = {"case": ("title", "summary"), "roundup": ("summary",), "item": ("title",)}
"""The fields a translation must write itself (their original's are in another language)."""

OWN_FIELDS = frozenset(
    {
        "title",
        "summary",
        "image_alt",
        "impact",
        "links",
        "hashtags",
        "link",
        "video",
        "news_count",
        "image_credit",
        "image_license",
        "updated",
        "draft",
    }
)
"""Fields a translation may give its own value for; the rest must match the original."""


def split_name(stem: str) -> tuple[str, str | None]:
    """'bogota.es' → ('bogota', 'es'); 'bogota' → ('bogota', None)."""
    slug, dot, suffix = stem.rpartition(".")
    if dot and _SUFFIX.match(suffix.lower()):
        return slug, suffix
    return stem, None


@dataclass
class Group:
    """The files of one story: the original's (`name.md`) and its translations'."""

    slug: str
    base: Path | None = None
    by_lang: dict[str, Path] = field(default_factory=dict)


def group(paths: Iterable[Path]) -> list[Group]:
    groups: dict[str, Group] = {}
    for path in paths:
        slug, lang = split_name(path.name[: -len(".md")])
        entry = groups.setdefault(slug, Group(slug))
        if lang is None:
            entry.base = path
        else:
            entry.by_lang[lang] = path
    return [groups[slug] for slug in sorted(groups)]


@dataclass
class Languages:
    """The site's languages and the rules a file's language suffix must follow."""

    configured: tuple[str, ...]
    """The default first."""
    problems: Problems
    rel: object = None
    """Path → the repository-relative text messages show."""

    @property
    def default(self) -> str:
        return self.configured[0]

    def tag(self, suffix: str) -> str | None:
        """The configured tag a file suffix names ('pt-br' → 'pt-BR'), else None."""
        return next((c for c in self.configured if c.lower() == suffix.lower()), None)

    def pick(self, files: Group) -> tuple[Path | None, str | None, list[tuple[str, Path]]]:
        """The original's file, the language its name gives (None: see `lang:`), and the
        translations as (language, file). Problems for suffixes the site does not have
        and for translations of nothing."""
        known: list[tuple[str, Path]] = []
        for suffix, path in sorted(files.by_lang.items()):
            lang = self.tag(suffix)
            if lang is None:
                hint = did_you_mean(suffix, self.configured) or (
                    "add it to `languages:` under `ogp-local:` in mkdocs.yml, or rename the file"
                )
                self.problems.error(
                    self.rel(path),
                    1,
                    "file name",
                    f"'{suffix}' is not one of the site's languages ({', '.join(self.configured)})",
                    hint,
                )
            else:
                known.append((lang, path))
        if files.base is not None:
            return files.base, None, known
        if len(known) == 1:  # written first in that language: an original
            lang, path = known[0]
            return path, lang, []
        for _lang, path in known:
            original = path.with_name(f"{files.slug}.md")
            self.problems.error(
                self.rel(path),
                1,
                "file name",
                f"a translation of {self.rel(original)}, which does not exist",
                f"name the story's original {original.name} (with `lang:` when it is not "
                f"in {i18n.language_name(self.default, 'en')})",
            )
        return None, None, []


# -- reading a translation ---------------------------------------------------------------------


def contradictions(reader, rel: str, path: Path, src, values: dict, original: Story) -> None:
    """Errors for fields that must match the original and do not."""
    problems = reader.problems
    for key, entry in src.fields.items():
        if key in OWN_FIELDS or key not in values:
            continue
        mine, theirs = _compare(reader, key, values[key], path, original)
        if mine is None or mine == theirs:
            continue
        problems.error(
            rel,
            entry.line,
            key,
            f"contradicts the original ({original.path} says {_said(key, theirs, original)})",
            "remove the line: a translation takes it from its original",
        )
    impact = values.get("impact")
    if impact is not None and isinstance(original, Case):
        mine = [i.value for i in impact]
        theirs = [i.value for i in original.impact]
        if mine != theirs:
            problems.error(
                rel,
                src.fields["impact"].line,
                "impact",
                f"the figures {mine} are not the original's {theirs}",
                "translate only the labels; change a figure in the original",
            )


def _said(key: str, value, original: Story) -> str:
    """What the original says, as its author wrote it (not the folded form compared)."""
    if key == "member":
        return ", ".join(m.name for m in original.members)
    if key == "country":
        return ", ".join(original.countries)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _compare(reader, key: str, value, path: Path, original: Story):
    """(the translation's value, the original's), in comparable form; (None, None) for
    fields this check does not cover."""
    if key == "member":
        return tuple(_fold(n) for n in value), tuple(m.key[0] for m in original.members)
    if key == "country":
        return tuple(dict.fromkeys(_fold(c) for c in value)), tuple(
            dict.fromkeys(m.key[1] for m in original.members)
        )
    if key == "challenges":
        found = tuple(a.slug if (a := reader.areas.lookup(n)) else n for n in value)
        return found, tuple(a.slug for a in original.areas)
    if key == "date":
        return value, original.date
    if key == "image":
        named = (path.parent / str(value)).resolve()
        root = reader.root.resolve()
        mine = named.relative_to(root).as_posix() if named.is_relative_to(root) else str(value)
        return mine, original.image.path if original.image else None
    if key == "image_focus":
        return value, original.image.focus if original.image else None
    if key in ("order", "kind"):
        attribute = "item_kind" if key == "kind" else key
        return value, getattr(original, attribute, None)
    return None, None


def translated(original: Story, rel: str, lang: str, src, values: dict, lines: dict) -> Story:
    """The translation: the original, with the translation's words and own fields."""
    changes: dict = dict(
        path=rel,
        body=src.body,
        body_line=src.body_line,
        lines=lines,
        lang=lang,
        original=original,
        translations={},
        stand_in=False,
        updated=values.get("updated"),
        draft=original.draft or bool(values.get("draft")),
    )
    for key in ("title", "summary", "hashtags", "links", "impact", "link", "video", "news_count"):
        if key in values:
            changes[key] = values[key]
    if original.image is not None:
        changes["image"] = dataclasses.replace(
            original.image,
            alt=values.get("image_alt", original.image.alt),
            credit=values.get("image_credit", original.image.credit),
            license=values.get("image_license", original.image.license),
        )
    if isinstance(original, Roundup):
        changes["items"] = []  # each language's site gives its roundup its items
    return dataclasses.replace(original, **changes)


def roundup_title(month_name: str, lang: str) -> str:
    """A roundup's title when it gives none: "Local Roundup — November 2023"."""
    with i18n.using(lang):
        return i18n.gettext("Local Roundup — {month}").format(month=i18n.month_title(month_name))


# -- each language's stories ---------------------------------------------------------------------


def version(story: Story, lang: str, languages: Sequence[str]) -> Story:
    """The story as `lang`'s site shows it: itself when written in that language (or, on
    the default site, in a language the site has not), its translation, else a stand-in."""
    if story.lang == lang or (lang == languages[0] and story.lang not in languages):
        return story
    translation = story.translations.get(lang)
    if translation is not None:
        return translation
    return stand_in(story)


def stand_in(story: Story, **changes) -> Story:
    return dataclasses.replace(story, original=story, stand_in=True, **changes)


def localized(cases: Sequence[Case], roundups: Sequence[Roundup], lang: str, languages):
    """The case studies and roundups (with their items) of `lang`'s site."""
    local_cases = [version(c, lang, languages) for c in cases]
    local_roundups = []
    for roundup in roundups:
        items: list[Item] = [version(i, lang, languages) for i in roundup.items]  # type: ignore[misc]
        shown = version(roundup, lang, languages)
        if shown is roundup:
            if all(a is b for a, b in zip(items, roundup.items, strict=True)):
                local_roundups.append(roundup)
                continue
            shown = stand_in(roundup)  # the month as written, with other items' versions
        shown.items = items
        local_roundups.append(shown)
    return local_cases, local_roundups


def all_versions(stories: Iterable[Story]) -> list[Story]:
    """Every story as written: originals and their translations (what gets cards)."""
    found = []
    for story in stories:
        found.append(story)
        found.extend(story.translations[lang] for lang in sorted(story.translations))
    return found


# -- translation status ---------------------------------------------------------------------------


@dataclass
class Status:
    """How far one language's translations have come."""

    lang: str
    stories: int = 0
    """Stories written in another language (the ones that could be translated)."""
    untranslated: list[Story] = field(default_factory=list)
    stale: list[tuple[Story, Story]] = field(default_factory=list)
    """(translation, original) where the original changed after the translation."""

    @property
    def translated(self) -> int:
        return self.stories - len(self.untranslated)


def last_change(story: Story):
    """When a version last changed: its `updated`, else its (original's) date."""
    return story.updated or story.date


def status(stories: Iterable[Story], languages: Sequence[str]) -> list[Status]:
    """For each language but the default, what is not yet translated into it and which
    translations are older than their original's last change."""
    found = [Status(lang) for lang in languages[1:]]
    for story in stories:
        for entry in found:
            if story.lang == entry.lang:
                continue
            entry.stories += 1
            translation = story.translations.get(entry.lang)
            if translation is None:
                entry.untranslated.append(story)
            elif last_change(translation) < last_change(story):
                entry.stale.append((translation, story))
    return found


def status_problems(found: Sequence[Status]):
    """The status as information lines (`path:line: translation: …`), one per story."""
    from ogp_local.content.problems import Problem, Severity

    lines = []
    for entry in found:
        name = i18n.language_name(entry.lang, i18n.SOURCE)
        for story in entry.untranslated:
            target = _translation_path(story.path, entry.lang)
            lines.append(
                Problem(
                    story.path,
                    1,
                    "translation",
                    f"not yet translated into {name} ({entry.lang})",
                    f"ogp-local new --lang {entry.lang} --from {story.path} writes {target}",
                    Severity.INFO,
                )
            )
        for translation, story in entry.stale:
            lines.append(
                Problem(
                    translation.path,
                    translation.lines.get("updated", 1),
                    "translation",
                    f"older than its original: {story.path} changed on "
                    f"{last_change(story).isoformat()}, this translation on "
                    f"{last_change(translation).isoformat()}",
                    "bring it up to date, then set its `updated:`",
                    Severity.INFO,
                )
            )
    return lines


def _translation_path(path: str, lang: str) -> str:
    folder, _, name = path.rpartition("/")
    stem = split_name(name.removesuffix(".md"))[0]
    return f"{folder}/{stem}.{lang.lower()}.md" if folder else f"{stem}.{lang.lower()}.md"
