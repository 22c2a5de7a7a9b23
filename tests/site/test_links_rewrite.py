"""The link rewrite, in process: Markdown with our treeprocessor, no MkDocs."""

from __future__ import annotations

import markdown
from ogp_local.site.links import RepositoryLinks

TARGETS = {
    "roundups/2023-11/buenos-aires.md": ("roundups/2023-11/index.md", "#buenos-aires"),
    "cases/madrid.md": ("cases/madrid.md", ""),
    "content/about.md": ("about.md", ""),
}


def render(text: str, real: str = "cases/bogota.md", uri: str = "cases/bogota.md") -> str:
    links = RepositoryLinks(lambda path: TARGETS.get(path))
    links.page = (real, uri, "")
    return markdown.Markdown(extensions=[links]).convert(text)


def test_a_link_to_an_item_file_points_at_its_section_of_the_month_page():
    html = render("See [the index](../roundups/2023-11/buenos-aires.md).")
    assert 'href="../roundups/2023-11/index.md#buenos-aires"' in html


def test_an_anchor_written_by_the_author_wins_and_content_pages_resolve():
    html = render("[a](madrid.md#results) and [b](../content/about.md)")
    assert 'href="madrid.md#results"' in html
    assert 'href="../about.md"' in html


def test_code_samples_keep_their_text():
    text = (
        "Indented:\n\n    [x](../roundups/2023-11/buenos-aires.md)\n\n"
        "Span: `[y](../cases/madrid.md)`\n\n"
        "```\n[z](../content/about.md)\n```\n"
    )
    html = render(text)
    assert "[x](../roundups/2023-11/buenos-aires.md)" in html
    assert "[y](../cases/madrid.md)" in html
    assert "href" not in html


def test_unknown_files_web_addresses_and_pages_without_a_file_are_left_alone():
    html = render("[a](missing.md) [b](https://example.org/x.md) [c](/abs.md)")
    assert 'href="missing.md"' in html
    assert 'href="https://example.org/x.md"' in html
    assert 'href="/abs.md"' in html
    links = RepositoryLinks(lambda path: TARGETS.get(path))
    links.page = None  # a generated page with no file behind it
    html = markdown.Markdown(extensions=[links]).convert("[m](madrid.md)")
    assert 'href="madrid.md"' in html
