"""Links between Markdown files, written as the files lie in the repository.

An author links the way their editor and GitHub show the files: from
`cases/madrid.md` to `../roundups/2023-11/buenos-aires.md` (a roundup item) or
`../content/about.md`. On the site those are a section of the month's page and
`about/`. A Markdown treeprocessor rewrites each such link, on the parsed tree (so
code samples stay as written), to the page it becomes, relative to the page that
holds it; MkDocs' own treeprocessor, which runs next, then resolves and checks it
as usual. Links that do not name a known file are left for MkDocs to report.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ogp_local.content import urls

Resolve = Callable[[str], "tuple[str, str] | None"]
"""Repository path of a Markdown file → (src_uri of its page, anchor) or None."""

# After "inline" (20) has made the links, before MkDocs' "relpath" (0) resolves them.
_PRIORITY = 1


def destination(
    href: str,
    real_path: str,
    page_src_uri: str,
    resolve: Resolve,
    *,
    pages: bool = True,
    prefix: str = "",
) -> str | None:
    """Where `href`, written in the file at `real_path` (published as `page_src_uri`,
    in the site of the language under `prefix`), points on the site; None when it is
    not a link to a story or content file (with `pages=False`: to any file of docs_dir
    or the story folders, such as an image). A page is the page in the same language."""
    parts = urls.split(href)
    if parts is None or parts.scheme or parts.netloc or not parts.path:
        return None
    if pages and not parts.path.endswith(".md"):
        return None
    if parts.path.startswith("/"):
        return None
    folder = posixpath.dirname(real_path)
    found = resolve(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
    if found is None:
        return None
    src_uri, anchor = found
    if src_uri.endswith(".md"):
        src_uri = prefix + src_uri
    target = posixpath.relpath(src_uri, posixpath.dirname(page_src_uri) or ".")
    return target + (f"#{parts.fragment}" if parts.fragment else anchor)


class RepositoryLinks(Extension):
    """The Markdown extension; the build sets `page` to (real path, src_uri, language
    prefix) before each page is rendered, and to None for pages it knows no file of."""

    def __init__(self, resolve: Resolve) -> None:
        super().__init__()
        self.resolve = resolve
        self.page: tuple[str, str, str] | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_Rewrite(md, self), "ogp_repository_links", _PRIORITY)


class _Rewrite(Treeprocessor):
    def __init__(self, md: Markdown, extension: RepositoryLinks) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        if self.extension.page is None:
            return
        real_path, src_uri, prefix = self.extension.page
        resolve = self.extension.resolve
        for element in root.iter():
            if element.tag not in ("a", "img"):
                continue
            attribute = "href" if element.tag == "a" else "src"
            value = element.get(attribute)
            if value:
                pages = element.tag == "a"
                target = destination(value, real_path, src_uri, resolve, pages=pages, prefix=prefix)
                if target is not None:
                    element.set(attribute, target)
