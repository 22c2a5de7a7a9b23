"""What a social manager posts with a card: its alt text and a suggested post."""

from __future__ import annotations

import re

from ..model import Case, Item, Roundup, Story

POST_LIMIT = 280


def card_key(story: Story) -> str:
    """The stem every file of a story's cards shares: readable, unique, stable."""
    if isinstance(story, Item):
        return f"item-{story.month}-{story.slug}"
    if isinstance(story, Roundup):
        return f"roundup-{story.month}"
    return f"case-{story.slug}"


def kind_label(story: Story) -> str:
    return story.kind_label if isinstance(story, Item) else story.label


def place(story: Story) -> str:
    if isinstance(story, Roundup):
        count = f"{story.news_count}+ news" if story.news_count else f"{len(story.items)} stories"
        return f"{count} from OGP Local members"
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
        return f"{story.news_count}+", "news from OGP Local members this month"
    return None


def alt_text(story: Story) -> str:
    areas = ", ".join(a.name for a in story.areas)
    text = f"Social card: “{story.title}”. {kind_label(story)}, {place(story)}."
    if areas:
        text += f" Challenge area{'s' if len(story.areas) > 1 else ''}: {areas}."
    figure = impact(story)
    if figure:
        text += f" Key figure: {figure[0]} {figure[1]}."
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
