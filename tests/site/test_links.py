"""A small crawler over the built files: no broken internal link, anchor or image."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import Project

SITE_URL = "https://stories.ogplocal.example/"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "img", "script", "source", "iframe"):
                self.links.append((tag, attrs[key]))


def parse(path: Path, cache: dict[Path, Page]) -> Page:
    if path not in cache:
        page = Page()
        page.feed(path.read_text("utf-8"))
        cache[path] = page
    return cache[path]


def broken_links(site: Path) -> list[str]:
    cache: dict[Path, Page] = {}
    broken = []
    base_url = "http://site.invalid/"
    for html in sorted(site.rglob("*.html")):
        page_url = base_url + html.relative_to(site).as_posix()
        for tag, link in parse(html, cache).links:
            absolute = urljoin(page_url, link)
            if absolute.startswith(SITE_URL):
                absolute = base_url + absolute[len(SITE_URL) :]
            parts = urlsplit(absolute)
            if parts.scheme in ("mailto", "javascript", "data") or (
                parts.scheme in ("http", "https") and not absolute.startswith(base_url)
            ):
                continue
            target = site / unquote(parts.path[len(urlsplit(base_url).path) :])
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html.relative_to(site)}: <{tag}> {link}")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html" and anchor not in parse(target, cache).ids:
                broken.append(f"{html.relative_to(site)}: <{tag}> {link} (no such anchor)")
    return broken


def test_no_broken_link_anchor_or_image(demo_site: Path):
    assert broken_links(demo_site) == []


def test_the_checker_finds_a_broken_link(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">x</a>'
        '<img src="missing.png"><a href="https://elsewhere.example/">out</a>'
        f'<link rel="canonical" href="{SITE_URL}a/">'
    )
    (tmp_path / "a/index.html").write_text('<h2 id="here">Here</h2>')
    assert broken_links(tmp_path) == [
        "index.html: <a> a/#gone (no such anchor)",
        "index.html: <img> missing.png",
    ]


def test_links_written_as_repository_paths_reach_their_pages(project: Project):
    body = (
        "See [another](other.md#results), [an item](../roundups/2023-11/two.md),"
        " [the month](../roundups/2023-11/index.md), [about](../content/about.md)."
        " Code stays: `[x](../content/about.md)`\n\n[ref]: ../roundups/2023-11/one.md\n\n"
        "A [reference][ref].\n"
    )
    project.case("linking", body=body)
    project.case("other", body="## Results\n\nDone.\n")
    project.roundup("2023-11", {"one": {}, "two": {}})
    project.write("content/about.md", "# About\n\nRead [a case](../cases/linking.md).\n")
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    page = project.html("cases/linking")
    for href in (
        "../other/#results",
        "../../roundups/2023-11/#two",
        "../../roundups/2023-11/",
        "../../about/",
        "../../roundups/2023-11/#one",
    ):
        assert f'href="{href}"' in page, href
    assert "<code>[x](../content/about.md)</code>" in page
    assert 'href="../cases/linking/"' in project.html("about")
    assert 'id="two"' in project.html("roundups/2023-11")
    assert 'id="results"' in project.html("cases/other")


def test_a_link_to_a_missing_file_is_still_a_warning(project: Project):
    project.case("linking", body="See [gone](../roundups/2023-11/nothing.md).\n")
    result = project.build("--strict")
    assert result.returncode != 0
    assert "cases/linking.md" in result.stderr and "nothing.md" in result.stderr
