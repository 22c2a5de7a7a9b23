"""The site's languages as sites: the default's pages at `/`, every other language's
under `/<lang>/` with the same paths. Which language a page belongs to, the same
page in the other languages, and the pages of docs_dir in every language."""

from __future__ import annotations

from collections.abc import Sequence

from ogp_local.content import versions
from ogp_local.content.model import Story
from ogp_local.site.pages import url_of


class Sites:
    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = tuple(languages)
        """The default first."""
        self.page_uris: set[str] = set()
        """Every page of the site (src_uri), once MkDocs knows them."""
        self.written: dict[str, str] = {}
        """Pages of docs_dir: src_uri → the language their text is written in."""
        self.sources: dict[str, str] = {}
        """Pages of docs_dir read from another file: src_uri → that file's src_uri."""

    @property
    def default(self) -> str:
        return self.languages[0]

    def prefix(self, lang: str) -> str:
        """Where a language's pages live: '' for the default language, 'es/' for Spanish."""
        return "" if lang == self.default else f"{lang}/"

    def home(self, story: Story) -> str:
        """The prefix of the site whose language a version of a story is written in."""
        return self.prefix(story.lang) if story.lang in self.languages else ""

    def language_of(self, src_uri: str) -> str:
        """The language of the site a page (by src_uri) belongs to."""
        first = src_uri.split("/", 1)[0]
        return first if "/" in src_uri and first in self.languages[1:] else self.default

    def versions_of(self, src_uri: str) -> list[tuple[str, str]]:
        """The page in each language, as (language, site-relative URL), the default
        first; empty on a one-language site."""
        if len(self.languages) < 2:
            return []
        base = src_uri.removeprefix(self.prefix(self.language_of(src_uri)))
        found = []
        for lang in self.languages:
            uri = self.prefix(lang) + base
            if uri in self.page_uris:
                found.append((lang, url_of(uri)))
        return found

    def docs_pages(self, uris: Sequence[str]) -> tuple[dict[str, str], set[str]]:
        """The pages of docs_dir in every language: {src_uri of the page: src_uri of the
        file it is read from} for each page to add (`es/about.md` ← `about.es.md`, or
        ← `about.md` where nobody translated it), and the translation files, which are
        no pages of their own."""
        languages = self.languages
        groups: dict[str, dict[str | None, str]] = {}
        for uri in uris:
            folder, _, name = uri.rpartition("/")
            stem, suffix = versions.split_name(name.removesuffix(".md"))
            lang = next((c for c in languages if suffix and c.lower() == suffix.lower()), None)
            if suffix is not None and lang is None:
                continue  # not a language suffix of this site: a page like any other
            base = f"{folder}/{stem}.md" if folder else f"{stem}.md"
            groups.setdefault(base, {})[lang] = uri
        added: dict[str, str] = {}
        translations: set[str] = set()
        for base, files in groups.items():
            original = files.get(None) or files[min(k for k in files if k)]
            for lang in languages:
                target = self.prefix(lang) + base
                chosen = (
                    files.get(lang)
                    or (files.get(None) if lang == languages[0] else None)
                    or original
                )
                if chosen != target:
                    added[target] = chosen
                written = next(k for k, u in files.items() if u == chosen)
                self.written[target] = written or languages[0]
            translations.update(u for k, u in files.items() if k is not None)
        return added, translations
