"""What links a story has: every web address its file names, with the line it is
written on — the front matter's `links` (their `url`), `link` and `video`, and the
links and images of the body. Translations are files of their own and are read as
such; so are the pages of docs_dir (their bodies only).

Nothing here asks the internet: `ogp-local links` checks what this finds."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml

from ogp_local.content import source, urls
from ogp_local.content.bodies import Targets
from ogp_local.content.discovery import Finder
from ogp_local.content.problems import Problems, Severity

FIELDS = ("links", "link", "video")
"""The front-matter fields holding web addresses (content/schema.py)."""

# Rendered as the site renders them (mkdocs.yml), so that a link is what Markdown
# makes a link, not an address in a code sample.
_MARKDOWN = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "admonition"])
_WEB = re.compile(r"https?://", re.I)
"""Cheap test first: only bodies naming a web address are rendered."""
_URL_ENDS = r"(?=$|[\s)\]>\"'`<|])"
"""What may follow an address where it is written (`](…)`, `<…>`, `href="…"`)."""


@dataclass(frozen=True, order=True)
class Place:
    """A web address where a file writes it."""

    path: str
    """Relative to the project root."""
    line: int
    url: str
    field: str
    """Where in the file: links, link, video or body."""


def find(
    root: Path,
    cases_dir: str,
    roundups_dir: str,
    problems: Problems,
    docs_dir: Path | None = None,
) -> list[Place]:
    """Every web address of every story file (originals, translations and drafts: a
    draft's dead link is published on its day) and of the pages of `docs_dir`, in file
    order. A file that cannot be read is a problem in `problems`, and is skipped."""
    names = Problems()  # misplaced files and bad names: `check` says those
    found = Finder(root, cases_dir, roundups_dir, names).find()
    stories = [
        *found.cases,
        *(p for m in found.months for p in ([m.index] if m.index else []) + m.items),
    ]
    places: list[Place] = []
    for path in stories:
        text = _text_of(root, path, problems)
        if text is not None:
            places += story_links(_rel(root, path), text, problems)
    for path in _pages(docs_dir):
        text = _text_of(root, path, problems)
        if text is not None:
            places += page_links(_rel(root, path), text)
    return places


def story_links(path: str, text: str, problems: Problems) -> list[Place]:
    """The web addresses of one story file; what makes it unreadable, in `problems`."""
    said = Problems()
    src = source.read(path, text, said)
    # Only what stops the file being read: the rest is `check`'s to say.
    problems.extend(p for p in said.items if p.severity is Severity.ERROR)
    if not src.ok:
        return []
    places = []
    for name in FIELDS:
        entry = src.fields.get(name)
        if entry is not None:
            places += [Place(path, src.line_of(n), url, name) for n, url in _field_urls(entry)]
    places += body_links(path, src.body, src.body_line)
    return places


def page_links(path: str, text: str) -> list[Place]:
    """The web addresses of a page of docs_dir: its body, after any front matter."""
    src = source.read(path, text.lstrip("\ufeff"), Problems())
    if src.ok and src.fields:
        return body_links(path, src.body, src.body_line)
    return body_links(path, text, 1)


def body_links(path: str, body: str, first_line: int) -> list[Place]:
    """The web addresses the Markdown `body` links (and shows as images), each on the
    line it is written on; once per line."""
    if not _WEB.search(body):
        return []
    targets = Targets()
    targets.feed(_MARKDOWN.reset().convert(body))
    lines = body.split("\n")
    places = []
    for url in dict.fromkeys(t.strip() for t in targets.found if _is_web(t.strip())):
        numbers = _lines_naming(url, lines) or [0]  # written in a way we cannot spot
        places += [Place(path, first_line + n, url, "body") for n in numbers]
    return places


def _field_urls(entry: source.Entry) -> Iterable[tuple[yaml.Node, str]]:
    """The address nodes of one field: `link` and `video` are one address, `links` a
    list of `{title, url}`. Values of the wrong shape are `check`'s to report."""
    nodes = []
    if entry.key == "links":
        for item in source.items_of(entry.node):
            if isinstance(item, yaml.MappingNode):
                nodes += [v for k, v in item.value if getattr(k, "value", None) == "url"]
    else:
        nodes = [entry.node]
    for node in nodes:
        if isinstance(node, yaml.ScalarNode) and _is_web(str(node.value).strip()):
            yield node, str(node.value).strip()


def _is_web(value: str) -> bool:
    parts = urls.split(value)
    return parts is not None and parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _lines_naming(url: str, lines: list[str]) -> list[int]:
    """The lines of `lines` (from 0) where `url` is written, as is or HTML-escaped."""
    spellings = {url, html.escape(url, quote=False), html.escape(url)}
    pattern = re.compile("|".join(re.escape(s) + _URL_ENDS for s in spellings))
    return [n for n, text in enumerate(lines) if pattern.search(text)]


def _text_of(root: Path, path: Path, problems: Problems) -> str | None:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        problems.error(
            _rel(root, path),
            1,
            "file",
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            "save it as UTF-8",
        )
        return None


def _pages(docs_dir: Path | None) -> list[Path]:
    if docs_dir is None or not docs_dir.is_dir():
        return []
    return [
        p
        for p in sorted(docs_dir.rglob("*.md"))
        if p.is_file() and not any(s.startswith(".") for s in p.relative_to(docs_dir).parts)
    ]


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
