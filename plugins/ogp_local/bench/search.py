"""What a reader's first search costs: bytes and time, measured in Chromium.

Opens a story page of a built site in a fresh browser (empty cache), types a query
into the header's search box as soon as the page has loaded, and waits for the
first result. Reports what the browser downloaded up to that moment (as served,
and as a static host serves it gzip-compressed) and how long the results took.
Works on the site's own search and on Material's (lunr) search, so one tool gives
the "before" and the "after".
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Types a static host compresses on the fly (and the build precompresses).
TEXT = ("text/", "application/javascript", "application/json", "image/svg", "application/xml")


@dataclass(frozen=True)
class FirstSearch:
    search: str
    """"ogp" (the site's own) or "material" (lunr)."""
    requests: int
    raw_bytes: int
    gzip_bytes: int
    """What a static host that compresses text sends: what the reader pays on the wire."""
    seconds: float
    """From the page's load event to the first result on screen."""
    results: str
    """The first result's title: proof the search found something."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def wire_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire from a host that gzips text (level 6, as nginx and most CDNs)."""
    if content_type.startswith(TEXT):
        return len(gzip.compress(body, 6, mtime=0))
    return len(body)


def first_search(site: Path, page: str, query: str, chromium: str = CHROMIUM) -> FirstSearch:
    from playwright.sync_api import sync_playwright

    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        fetched: list[tuple[int, int]] = []

        def finished(request) -> None:
            response = request.response()
            if response is None:
                return
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - a redirect or an aborted fetch has no body
                return
            kind = response.headers.get("content-type", "")
            fetched.append((len(body), wire_size(body, kind)))

        tab.on("requestfinished", finished)
        tab.goto(base + page, wait_until="load")
        start = time.perf_counter()
        if tab.locator("#ogp-search-input").count():
            search, result, box = "ogp", ".ogp-search__result", "#ogp-search-input"
        else:
            search, result, box = "material", ".md-search-result__item", ".md-search__input"
        tab.locator(box).click()
        tab.keyboard.type(query)  # key by key: Material's search listens to key events
        first = tab.locator(result).first
        first.wait_for(state="visible", timeout=120_000)
        seconds = time.perf_counter() - start
        title = first.inner_text().splitlines()[0]
        seen = list(fetched)
        browser.close()
    return FirstSearch(
        search,
        len(seen),
        sum(raw for raw, _ in seen),
        sum(wire for _, wire in seen),
        seconds,
        title,
    )


def main() -> None:
    import argparse
    import json
    from dataclasses import asdict

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", default="cases/case-00001/")
    parser.add_argument("--query", default="lobby")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [first_search(args.site, args.page, args.query) for _ in range(args.repeat)]
    runs.sort(key=lambda r: r.seconds)
    print(json.dumps(asdict(runs[len(runs) // 2]) | {"all_seconds": [r.seconds for r in runs]}))


if __name__ == "__main__":
    main()
