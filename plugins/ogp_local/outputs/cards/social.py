"""What a social manager posts with a card: its alt text and a suggested post."""

from __future__ import annotations

import re

from ogp_local.content.i18n import gettext as _
from ogp_local.content.i18n import ngettext
from ogp_local.content.model import Case, Item, Roundup, Story

POST_LIMIT = 280


def card_key(story: Story) -> str:
    """The stem every file of a story's cards shares: readable, unique, stable."""
    story = story.source  # a stand-in shows its original's cards
    if isinstance(story, Item):
        key = f"item-{story.month}-{story.slug}"
    elif isinstance(story, Roundup):
        key = f"roundup-{story.month}"
    else:
        key = f"case-{story.slug}"
    return f"{key}.{story.lang}" if story.original is not None else key


def kind_label(story: Story) -> str:
    return story.kind_label if isinstance(story, Item) else story.label


def place(story: Story) -> str:
    if isinstance(story, Roundup):
        if story.news_count:
            return _("{count}+ news from OGP Local members").format(count=story.news_count)
        return ngettext(
            "{count} story from OGP Local members",
            "{count} stories from OGP Local members",
            len(story.items),
        ).format(count=len(story.items))
    names = ", ".join(m.name for m in story.members)
    return (
        f"{names} · {', '.join(story.countries)}"
        if len(story.members) > 1
        else (f"{names}, {', '.join(story.countries)}")
    )


def impact(story: Story) -> tuple[str, str] | None:
    if isinstance(story, Case) and story.impact:
        return story.impact[0].value, story.impact[0].label
    if isinstance(story, Roundup) and story.news_count:
        return f"{story.news_count}+", _("news from OGP Local members this month")
    return None


def alt_text(story: Story) -> str:
    areas = ", ".join(a.name for a in story.areas)
    text = _("Social card: “{title}”. {kind}, {place}.").format(
        title=story.title, kind=kind_label(story), place=place(story)
    )
    if areas:
        text += " " + ngettext(
            "Challenge area: {areas}.", "Challenge areas: {areas}.", len(story.areas)
        ).format(areas=areas)
    figure = impact(story)
    if figure:
        text += " " + _("Key figure: {value} {label}.").format(value=figure[0], label=figure[1])
    return text


def hashtag(name: str) -> str:
    """'Anti-Corruption' → '#AntiCorruption'."""
    words = re.findall(r"\w+", name)
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def post_text(story: Story, url: str) -> str:
    """Summary, hashtags (the story's, then its areas'), link: at most 280 characters."""
    tags = list(dict.fromkeys([*story.hashtags, *(hashtag(a.name) for a in story.areas)]))
    summary = story.summary
    while True:
        tail = " ".join([*tags, url])
        room = POST_LIMIT - len(tail) - 2
        if room >= 60 or not tags:
            break
        tags.pop()  # fewer hashtags before a shorter summary
    if len(summary) > room:
        summary = summary[: max(0, room - 1)].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{summary}\n\n{tail}"[:POST_LIMIT]
