"""Links between Markdown files, written as the files lie in the repository.

An author links the way their editor and GitHub show the files: from
`cases/madrid.md` to `../roundups/2023-11/buenos-aires.md` (a roundup item) or
`../content/about.md`. On the site those are a section of the month's page and
`about/`. Before MkDocs resolves links, each such destination is rewritten to the
page it becomes, relative to the page that holds the link; MkDocs then checks it
as usual. Links that do not name a known file are left for MkDocs to report.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

# A code span or fence is left alone; a link destination ending in .md is a candidate:
# [text](path.md#anchor "title"), [text](<path.md>), and [ref]: path.md
_CANDIDATE = re.compile(
    r"(?P<code>^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$|`+[^`\n]*`+)"
    r"|(?P<lead>\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)"
    r"(?P<path>[^\s()<>#]+\.md)(?P<anchor>#[^\s()<>]*)?",
    re.MULTILINE | re.DOTALL,
)

Resolve = Callable[[str], "tuple[str, str] | None"]
"""Repository path of a Markdown file → (src_uri of its page, anchor) or None."""


def rewrite(markdown: str, real_path: str, page_src_uri: str, resolve: Resolve) -> str:
    """`markdown` (from the file at `real_path`, published as `page_src_uri`) with
    links to repository files pointing at the pages they became."""
    if ".md" not in markdown:
        return markdown
    folder = posixpath.dirname(real_path)
    page_folder = posixpath.dirname(page_src_uri) or "."

    def replace(match: re.Match) -> str:
        if match.group("code"):
            return match.group(0)
        path = match.group("path")
        if "://" in path or path.startswith(("/", "mailto:")):
            return match.group(0)
        found = resolve(posixpath.normpath(posixpath.join(folder, path)))
        if found is None:
            return match.group(0)
        src_uri, anchor = found
        target = posixpath.relpath(src_uri, page_folder)
        return match.group("lead") + target + (match.group("anchor") or anchor)

    return _CANDIDATE.sub(replace, markdown)
