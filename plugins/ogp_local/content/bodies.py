"""Checks of a story's Markdown body. Bodies are trusted author content (SPEC §6)
and published as written, but some things in them break promises the site makes:
raw scripts and event handlers run in every reader's browser, and frames load
third-party pages into ours. They are warnings (`--strict` refuses them)."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import markdown

from ogp_local.content import urls
from ogp_local.content.problems import Problems

MAX_BYTES = 1024 * 1024
"""Past this a story file is almost surely a paste gone wrong (a document's
embedded images, a whole annex): every page and feed carrying it grows."""

# Cheap test first: most bodies hold none of these words, and only those that do
# are rendered to find out whether it is markup or text in a code sample.
_SUSPECT = re.compile(r"<\s*(?:script|iframe|object|embed|frame)|\bon[a-z]+\s*=|javascript:", re.I)
_EMBEDS = ("iframe", "object", "embed", "frame")
# A destination that may name a file: anything in ](…) or src=/href= that is not a web
# address. Cheap to test; only such bodies are rendered to find their links.
_RELATIVE_FILE = re.compile(
    r"\]\(\s*<?(?!\w+:|/|#)[^)\s]|(?:src|href)\s*=\s*[\"']?(?!\w+:|/|#)\w", re.I
)
# The extensions that let Markdown itself carry attributes (`{: onclick=… }`).
_MARKDOWN = markdown.Markdown(extensions=["attr_list", "md_in_html"])


class Targets(HTMLParser):
    """The destinations of links and images, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.found.append(value)


def missing_targets(
    path: str, body: str, first_line: int, root: Path, folder: Path, problems: Problems
) -> None:
    """A link or image written as a file of the repository that is not there: MkDocs
    warns about it while building; `check` says it first, from the same files."""
    if not _RELATIVE_FILE.search(body):
        return
    targets = Targets()
    targets.feed(_MARKDOWN.reset().convert(body))
    lines = body.split("\n")
    for target in dict.fromkeys(targets.found):
        parts = urls.split(target)
        if (
            parts is None
            or parts.scheme
            or parts.netloc
            or not parts.path
            or parts.path.startswith("/")
        ):
            continue
        local = posixpath.normpath(posixpath.join(folder.as_posix(), unquote(parts.path)))
        if Path(local).exists():
            continue
        line = next((n for n, text in enumerate(lines) if parts.path in text), 0)
        shown = (
            Path(local).relative_to(root).as_posix() if Path(local).is_relative_to(root) else local
        )
        problems.warning(
            path,
            first_line + line,
            "body",
            f"links to {parts.path}, and {shown} does not exist",
            "check the file name and folder: links are relative to this file",
        )


class _Finder(HTMLParser):
    """The tags and attributes that run or embed something, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        """(what, the text to look for in the source)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" or tag in _EMBEDS:
            self.found.append((tag, f"<{tag}"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"{name}=", name))
            elif name in ("href", "src") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(("javascript:", "javascript:"))


_ADVICE = {
    "script": (
        "a raw <script> runs in every reader's browser",
        "remove it: the site adds no scripts from story text",
    ),
    "embed": (
        "a raw <{tag}> loads a third-party page into ours, and the site promises to "
        "request nothing from third parties",
        "for a video use the `video:` field, played only when the reader clicks; "
        "otherwise link the page",
    ),
    "handler": (
        "a raw {tag} attribute runs script in every reader's browser",
        "remove the attribute",
    ),
    "javascript": ("a javascript: link runs script when clicked", "link a web address instead"),
}


def check(path: str, body: str, first_line: int, size: int, problems: Problems) -> None:
    """Warn about what in `body` runs or embeds, and about an oversized file."""
    if size > MAX_BYTES:
        problems.warning(
            path,
            1,
            "file",
            f"is {size / 1024 / 1024:.1f} MB; a story is rarely over 100 KB, and every page "
            "and feed that carries this one grows with it (feeds get only its summary)",
            "move long annexes to a linked document and images to image files",
        )
    if not _SUSPECT.search(body):
        return
    finder = _Finder()
    finder.feed(_MARKDOWN.reset().convert(body))
    reported: set[str] = set()
    lines = body.split("\n")
    for what, needle in finder.found:
        if what in reported:
            continue
        reported.add(what)
        kind = (
            "script"
            if what == "script"
            else "embed"
            if what in _EMBEDS
            else "javascript"
            if what == "javascript:"
            else "handler"
        )
        message, hint = _ADVICE[kind]
        line = next((n for n, text in enumerate(lines) if needle.lower() in text.lower()), 0)
        problems.warning(path, first_line + line, "body", message.format(tag=what), hint)
