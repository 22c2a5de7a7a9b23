"""A story file saved during a preview, read again on its own: the pages that show it,
planned again, for the preview to show before the whole site is built again.

The page is the one a full build makes of the saved file, with the rest of the site
as the last build left it: its listings, feeds and cards follow with the build that
comes next. When that cannot be said of a save (the file has a problem, its page was
not built before, it is shown as another language's stand-in), nothing is planned
and the preview waits for the build, as before. Knows nothing of MkDocs.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from pathlib import Path

from ogp_local.content.model import Item, Roundup, Story
from ogp_local.content.problems import Problems
from ogp_local.content.reader import StoryReader
from ogp_local.content.versions import split_name
from ogp_local.site.pages import Planned, story_page


def read_again(build, paths: Iterable[str]) -> dict[str, Planned]:
    """src_uri → the page of a saved file (a path relative to the root), planned again
    from the file as it is now. Empty when any saved file cannot be shown on its own."""
    settings = build.settings
    problems = Problems()
    reader = StoryReader(settings.root, build.areas, problems, language=settings.default_language)
    planned: dict[str, Planned] = {}
    for path in paths:
        found = _pages_of(build, path)
        if not found:
            return {}
        for uri, page in found:
            story = _story_again(reader, planned.get(uri, page).story, path)
            if story is None or problems.errors:
                return {}
            fresh = story_page(story)
            planned[uri] = dataclasses.replace(
                page,
                title=fresh.title,
                markdown=fresh.markdown,
                description=fresh.description,
                story=story,
            )
    return planned


def _pages_of(build, path: str) -> list[tuple[str, Planned]]:
    """The story pages that show the file at `path` as written (not as a stand-in)."""
    found = []
    for uri, page in build.pages.items():
        story = page.story
        if story is None or story.stand_in:
            continue
        parts = [story, *(story.items if isinstance(story, Roundup) else ())]
        if any(part.path == path for part in parts):
            found.append((uri, page))
    return found


def _story_again(reader: StoryReader, shown: Story, path: str) -> Story | None:
    """`shown` (a case or a month) with the part read from `path` read again."""
    if shown.path == path:
        story = _read(reader, shown, path)
        if story is not None and isinstance(shown, Roundup):
            story.items = shown.items
        return story
    assert isinstance(shown, Roundup)
    items: list[Item] = []
    for item in shown.items:
        if item.path == path:
            again = _read(reader, item, path)
            if again is None:
                return None
            again.date, again.draft = shown.date, again.draft or shown.draft
            item = again
        items.append(item)
    return dataclasses.replace(shown, items=items)


def _read(reader: StoryReader, story: Story, path: str):
    """One story's file read again: a translation against its original, an original
    with the translations it had."""
    month = getattr(story, "month", None) or None
    file = reader.root / path
    if story.original is not None:
        return reader.read_translation(file, story.kind, story.original, story.lang, month)
    again = reader.read_file(file, story.kind, month, split_name(Path(path).stem)[1])
    if again is not None:
        again.translations = story.translations
    return again


def build_with(build, planned: dict[str, Planned]):
    """A copy of the build with the `planned` pages in place of its own, the saved
    stories showing the cards they had until the next build draws them again. (The
    build itself may still be writing the last save's cards and feeds.)"""
    shown = copy.copy(build)
    shown.pages = {**build.pages, **planned}
    shown.card_sets = dict(build.card_sets)
    shown.kept = dict(build.kept)
    for uri, page in planned.items():
        old, new = build.pages[uri].story, page.story
        pairs = [(old, new)]
        if isinstance(old, Roundup) and isinstance(new, Roundup):
            pairs += zip(old.items, new.items, strict=True)
        for before, now in pairs:
            if before in build.card_sets:
                shown.card_sets.setdefault(now, build.card_sets[before])
    return shown
