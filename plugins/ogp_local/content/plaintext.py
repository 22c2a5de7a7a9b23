"""Markdown as plain text: for summaries taken from a body, and anything else that
must be text (feeds, cards, meta descriptions)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

from ogp_local.content import schema


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_MARKDOWN = markdown.Markdown()


def plain_text(markdown_text: str) -> str:
    """Markdown to one line of plain text."""
    parser = _Text()
    parser.feed(_MARKDOWN.reset().convert(markdown_text))
    return " ".join("".join(parser.parts).split())


def first_paragraph(body: str, limit: int = schema.SUMMARY_MAX) -> str:
    """The body's first paragraph as plain text, cut at a word to fit `limit`."""
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.lstrip().startswith(("#", "<!--", "![", "|", "```")):
            continue
        text = plain_text(block)
        if text:
            if len(text) > limit:
                text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return text
    return ""
