"""A small crawler over the built files: no broken internal link, anchor or image."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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
