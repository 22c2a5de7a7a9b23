"""The demo site served by real Caddy and real nginx, each started on 127.0.0.1 with
the configuration `ogp-local server-config` prints, and checked over HTTP: the
precompressed copies for each Accept-Encoding, each file's type, cache lifetimes,
each language's 404 page, a language's pages; and the story finder in Chromium
through that server. The servers come from Debian (`make system-deps`)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, env, run_ogp, search_records
from images import jpeg
from ogp_local.outputs.servers import configs

EPOCH = "1764547200"
SERVERS = sorted(configs.SERVERS)
INSTALL = "apt-get install -y caddy nginx libnginx-mod-http-brotli-static (or make system-deps)"


def demo(into: Path) -> Path:
    """A copy of the demo project, one story with a photo (so the site has photo
    variants, fingerprinted, in WebP)."""
    for name in ("content", "cases", "roundups", "theme"):
        shutil.copytree(REPO / name, into / name)
    shutil.copy(REPO / "mkdocs.yml", into / "mkdocs.yml")
    (into / "cases/madrid-hall.jpg").write_bytes(jpeg(1600, 1000))
    story = into / "cases/madrid-lobby-registry.md"
    story.write_text(
        story.read_text("utf-8").replace(
            "\nsummary:", "\nimage: madrid-hall.jpg\nimage_alt: The city hall\nsummary:", 1
        ),
        "utf-8",
    )
    return into


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The demo project, built once by `ogp-local build`."""
    root = demo(tmp_path_factory.mktemp("served"))
    done = subprocess.run(
        [sys.executable, "-m", "ogp_local", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env(SOURCE_DATE_EPOCH=EPOCH),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # Pagefind 1.x ships its WebAssembly gzipped, as wasm.<lang>.pagefind (pagefind.js
    # unpacks it); a .wasm file beside it checks the type the servers give one.
    (root / "site/pagefind/check.wasm").write_bytes(b"\0asm\x01\0\0\0")
    return root


def site_of(project: Path) -> Path:
    return project / "site"


def binary(server: str) -> str:
    found = shutil.which(server) or shutil.which(server, path="/usr/sbin:/usr/bin")
    if found is None:
        pytest.fail(f"{server} not found: install it with {INSTALL}")
    if server == "nginx" and not configs.BROTLI_MODULE.is_file():
        pytest.fail(f"{configs.BROTLI_MODULE} not found: install it with {INSTALL}")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Running:
    server: str
    process: subprocess.Popen
    port: int
    config: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def start(server: str, project: Path, work: Path) -> Running:
    """`server` on a free 127.0.0.1 port with the printed configuration, as this user,
    its pid file, temporary files and state in `work`."""
    program = binary(server)
    for _attempt in range(3):  # another process may take the free port first
        port = free_port()
        printed = run_ogp(project, "server-config", server, "--root", "site", "--port", str(port))
        assert printed.returncode == 0, printed.stderr
        config = work / configs.SERVERS[server]
        config.write_text(printed.stdout, "utf-8")
        if server == "caddy":
            command = [program, "run", "--config", str(config), "--adapter", "caddyfile"]
        else:
            run_as = " user root;" if os.geteuid() == 0 else ""  # else workers are `nobody`
            command = [program, "-p", str(work), "-c", str(config), "-e", "stderr"]
            command += ["-g", f"daemon off;{run_as}"]
        state = {"HOME": str(work), "XDG_CONFIG_HOME": str(work), "XDG_DATA_HOME": str(work)}
        log = (work / f"{server}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=work, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, **state)
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None and not listening(port):
            time.sleep(0.05)
        if process.poll() is None and listening(port):
            return Running(server, process, port, printed.stdout)
        stop(process)
        said = (work / f"{server}.log").read_text("utf-8", "replace")
        if "address already in use" not in said.lower():
            pytest.fail(f"{' '.join(command)} did not start:\n{said[-3000:]}")
    pytest.fail(f"{server}: no free port in three tries")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="module", params=SERVERS)
def served(request, project: Path, tmp_path_factory) -> Iterator[Running]:
    running = start(request.param, project, tmp_path_factory.mktemp(request.param))
    yield running
    stop(running.process)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def get(served: Running, path: str, encoding: str | None = None) -> Answer:
    """GET `path` over HTTP/1.1; `encoding` is the Accept-Encoding sent (None: none at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if encoding is not None:
            connection.putheader("Accept-Encoding", encoding)
        connection.endheaders()
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def one(site: Path, pattern: str) -> str:
    """The site path ("/…") of the first file of the site matching the glob `pattern`."""
    found = sorted(site.glob(pattern))
    assert found, f"the demo site has no {pattern}"
    return "/" + found[0].relative_to(site).as_posix()


def served_file(site: Path, path: str) -> Path:
    file = site / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


COMPRESSED = ["/", "/es/", "/feed.xml", "/es/atom.xml", "/data/stories.json"]


@pytest.mark.parametrize("path", COMPRESSED)
def test_each_encoding_is_the_copy_the_build_made(served: Running, project: Path, path: str):
    site = site_of(project)
    original = served_file(site, path)
    wanted = {
        "br": original.with_name(original.name + ".br").read_bytes(),
        "gzip": original.with_name(original.name + ".gz").read_bytes(),
        None: original.read_bytes(),
    }
    for encoding, body in wanted.items():
        answer = get(served, path, encoding)
        assert answer.status == 200, (path, encoding)
        assert answer.header("Content-Encoding") == (encoding or ""), (path, encoding)
        assert answer.body == body, (path, encoding)
        assert "accept-encoding" in answer.header("Vary").lower(), (path, encoding)
    # A browser's usual offer takes the smallest, brotli; `identity` alone, the file.
    assert get(served, path, "gzip, deflate, br, zstd").header("Content-Encoding") == "br"
    assert get(served, path, "identity").body == wanted[None]


def expected_types(site: Path) -> dict[str, str]:
    text = "; charset=utf-8"
    return {
        "/": "text/html" + text,
        "/es/cases/": "text/html" + text,
        "/feed.xml": "application/rss+xml" + text,
        "/es/feed.xml": "application/rss+xml" + text,
        "/fr/cases/feed.xml": "application/rss+xml" + text,
        "/atom.xml": "application/atom+xml" + text,
        "/pt/atom.xml": "application/atom+xml" + text,
        "/feed.json": "application/feed+json" + text,
        "/es/feed.json": "application/feed+json" + text,
        "/sitemap.xml": "application/xml" + text,
        "/data/stories.json": "application/json" + text,
        "/data/stories.csv": "text/csv" + text,
        "/assets/stylesheets/ogp.css": "text/css" + text,
        "/assets/javascripts/ogp.js": "text/javascript" + text,
        "/pagefind/pagefind.js": "text/javascript" + text,
        "/pagefind/pagefind-entry.json": "application/json" + text,
        "/assets/images/logo.svg": "image/svg+xml" + text,
        "/roundups/2023-11/email.txt": "text/plain" + text,
        "/pagefind/check.wasm": "application/wasm",
        "/pagefind/wasm.en.pagefind": "application/octet-stream",
        one(site, "pagefind/pagefind.en_*.pf_meta"): "application/octet-stream",
        one(site, "pagefind/index/*.pf_index"): "application/octet-stream",
        one(site, "pagefind/filter/*.pf_filter"): "application/octet-stream",
        one(site, "pagefind/fragment/*.pf_fragment"): "application/octet-stream",
        one(site, "cards/*.png"): "image/png",
        one(site, "cards/*.zip"): "application/zip",
        one(site, "cases/**/madrid-hall.*.webp"): "image/webp",
        one(site, "cases/**/madrid-hall.*.jpg"): "image/jpeg",
    }


def test_every_file_has_its_type(served: Running, project: Path):
    site = site_of(project)
    wrong = {}
    for path, wanted in expected_types(site).items():
        for encoding in ("br", None):
            answer = get(served, path, encoding)
            got = (answer.status, answer.header("Content-Type"))
            if got != (200, wanted):
                wrong[(path, encoding)] = got
    assert wrong == {}


def fingerprinted(path: str) -> bool:
    return re.fullmatch(configs.FINGERPRINTED, path) is not None


# A run of hex digits between dots, dashes or underscores: how Material, Pagefind and
# our photo variants write a content hash into a name.
_HASHED = re.compile(r"[._][0-9a-f]{7,}(?=[.-])")


def test_fingerprinted_files_are_exactly_those_with_a_hash_in_their_name(project: Path):
    site = site_of(project)
    paths = [
        "/" + p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.suffix not in (".br", ".gz") and p.name != "check.wasm"
    ]
    disagree = [p for p in paths if fingerprinted(p) != bool(_HASHED.search(p.rsplit("/")[-1]))]
    assert disagree == []
    kinds = {
        "Material's bundle": r"/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js",
        "Material's stylesheet": r"/assets/stylesheets/main\.[0-9a-f]{8}\.min\.css",
        "Pagefind's fragments": r"/pagefind/fragment/.*\.pf_fragment",
        "Pagefind's indexes": r"/pagefind/index/.*\.pf_index",
        "photo variants": r"/cases/.*\.[0-9a-f]{10}-\d+\.webp",
    }
    for kind, pattern in kinds.items():
        assert any(re.fullmatch(pattern, p) and fingerprinted(p) for p in paths), kind
    not_named_by_content = [
        "/index.html",
        "/feed.xml",
        "/assets/stylesheets/ogp.css",
        "/assets/javascripts/ogp.js",
        "/assets/javascripts/ogp-search.js",
        "/pagefind/pagefind.js",
        "/pagefind/pagefind-entry.json",
        "/pagefind/wasm.en.pagefind",
    ]
    assert [p for p in not_named_by_content if fingerprinted(p)] == []


def test_a_year_for_fingerprinted_files_minutes_for_pages_and_feeds(served: Running, project: Path):
    site = site_of(project)
    long = [
        one(site, "assets/javascripts/bundle.*.min.js"),
        one(site, "assets/stylesheets/palette.*.min.css"),
        one(site, "pagefind/fragment/*.pf_fragment"),
        one(site, "pagefind/pagefind.es_*.pf_meta"),
        one(site, "cases/**/madrid-hall.*.webp"),
    ]
    short = [
        "/",
        "/es/cases/",
        "/feed.xml",
        "/es/atom.xml",
        "/feed.json",
        "/assets/stylesheets/ogp.css",
        "/pagefind/pagefind-entry.json",
        "/pagefind/wasm.es.pagefind",
        one(site, "cards/*.png"),
    ]
    for path in long:
        for encoding in ("br", None):
            assert get(served, path, encoding).header("Cache-Control") == configs.LONG, path
    for path in short:
        for encoding in ("br", None):
            assert get(served, path, encoding).header("Cache-Control") == configs.SHORT, path
    # A fingerprinted name that is not there is a 404, and not kept for a year.
    missing = get(served, "/assets/javascripts/bundle.0123abcd.min.js", "br")
    assert missing.status == 404
    assert missing.header("Cache-Control") == configs.SHORT


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/no/such/page/", "en", "Page not found"),
        ("/cases/not-a-case/", "en", "Page not found"),
        ("/es/no/existe/", "es", "Página no encontrada"),
        ("/es/cases/nada.html", "es", "Página no encontrada"),
        ("/fr/pas-ici/", "fr", "Page introuvable"),
        ("/pt/nada/", "pt", "Página não encontrada"),
        ("/ar/missing/", "en", "Page not found"),  # no Arabic site in the demo: English
    ],
)
def test_a_missing_page_is_its_languages_404(
    served: Running, project: Path, path: str, lang: str, words: str
):
    site = site_of(project)
    page = site / ("" if lang == "en" else f"{lang}/") / "404.html"
    answer = get(served, path)
    assert answer.status == 404
    assert answer.body == page.read_bytes()
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    assert answer.header("Cache-Control") == configs.SHORT
    html = answer.body.decode("utf-8")
    assert f'<html lang="{lang}"' in html and f"<h1>{words}</h1>" in html
    home = "/" if lang == "en" else f"/{lang}/"
    assert f'<a href="{home}">' in html  # its links lead into its language's site
    compressed = get(served, path, "br")
    assert compressed.status == 404 and compressed.header("Content-Encoding") == "br"
    assert compressed.body == page.with_name("404.html.br").read_bytes()


def test_a_languages_pages(served: Running, project: Path):
    site = site_of(project)
    for lang in ("es", "fr", "pt"):
        answer = get(served, f"/{lang}/")
        assert answer.status == 200
        assert answer.header("Content-Type") == "text/html; charset=utf-8"
        assert answer.body == (site / lang / "index.html").read_bytes()
        assert f'<html lang="{lang}"' in answer.body.decode("utf-8")
        case = get(served, f"/{lang}/cases/bogota-gender-parity/")
        assert case.status == 200 and f'<html lang="{lang}"' in case.body.decode("utf-8")
        # A folder asked for without its slash: sent on to it, on the same host and port.
        bare = get(served, f"/{lang}")
        assert bare.status in (301, 308)
        assert bare.header("Location") in (f"/{lang}/", f"{served.base}{lang}/")
    spanish = get(served, "/es/cases/bogota-gender-parity/").body.decode("utf-8")
    assert "escaños" in spanish  # a word only the Spanish version has


def test_the_story_finder_works_through_the_server(served: Running, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url} {r.failure}"))
        answers: list[tuple[int, str]] = []
        page.on("response", lambda r: answers.append((r.status, r.url)))

        # The header's search box, as a reader types a word of a demo story.
        page.goto(served.base, wait_until="networkidle")
        page.locator("#ogp-search-input").press_sequentially("lobby", delay=30)
        first = page.locator(".ogp-search__result").first
        first.wait_for()
        assert "Lobby" in first.locator(".ogp-search__title").inner_text()

        # The finder page, with its filters, on the Spanish site.
        page.goto(served.base + "es/stories/?q=esca%C3%B1os", wait_until="networkidle")
        result = page.locator(".ogp-finder__results .ogp-search__result").first
        result.wait_for()
        assert (
            result.locator("a")
            .first.get_attribute("href")
            .endswith("/es/cases/bogota-gender-parity/")
        )

        # And from a Spanish 404 page: its search box searches the Spanish site.
        page.goto(served.base + "es/no/existe/", wait_until="networkidle")
        page.locator("#ogp-search-input").press_sequentially("escaños", delay=30)
        page.locator(".ogp-search__result").first.wait_for()
        hrefs = page.locator(".ogp-search__result a").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )
        assert "/es/cases/bogota-gender-parity/" in hrefs
        assert all(href.startswith("/es/") for href in hrefs), hrefs

        served_wasm = [url for status, url in answers if status == 200 and "wasm." in url]
        assert served_wasm, "Pagefind's WebAssembly was not loaded"
        bad = [(s, u) for s, u in answers if s >= 400 and not u.endswith("/es/no/existe/")]
        assert bad == []
        assert [e for e in errors if "404" not in e] == []
    finally:
        context.close()


def test_the_printed_configuration_names_the_site_and_its_languages(project: Path):
    for server in SERVERS:
        printed = run_ogp(project, "server-config", server, "--port", "8123")
        assert printed.returncode == 0, printed.stderr
        text = printed.stdout
        assert str((project / "site").resolve()) in text and "8123" in text
        for lang in ("es", "fr", "pt"):
            assert f"/{lang}/404.html" in text
        assert "/ar/404.html" not in text
    wrong = run_ogp(project, "server-config", "apache")
    assert wrong.returncode == 2
    quoted = run_ogp(project, "server-config", "nginx", "--root", 'we"ird')
    assert quoted.returncode == 2 and "misread" in quoted.stderr


def test_the_configurations_are_valid_for_the_servers_themselves(project: Path, tmp_path):
    """Each server's own check of the printed configuration (caddy adapt, nginx -t)."""
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(run_ogp(project, "server-config", "caddy").stdout, "utf-8")
    adapted = subprocess.run(
        [binary("caddy"), "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
    )
    assert adapted.returncode == 0, adapted.stderr
    assert "not formatted" not in adapted.stderr  # as `caddy fmt` writes it
    conf = tmp_path / "nginx.conf"
    conf.write_text(run_ogp(project, "server-config", "nginx").stdout, "utf-8")
    tested = subprocess.run(
        [binary("nginx"), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0, tested.stderr
    assert "[warn]" not in tested.stderr and "[emerg]" not in tested.stderr, tested.stderr


def test_each_languages_404_page_is_written_and_is_no_page_of_the_site(project: Path):
    site = site_of(project)
    for lang, words in (("es", "Página no encontrada"), ("fr", "Page introuvable")):
        html = (site / lang / "404.html").read_text("utf-8")
        assert f'<html lang="{lang}"' in html and words in html
        assert (site / lang / "404.html.br").is_file()  # precompressed as every page is
    assert not (site / "en/404.html").exists()  # the default language's is at the root
    published = [site / "sitemap.xml", *site.rglob("feed.xml"), *site.rglob("atom.xml")]
    published += [*site.rglob("feed.json"), *site.glob("*/data/stories.json")]
    assert [p for p in published if "404.html" in p.read_text("utf-8")] == []
    assert [r for r in search_records(site) if "404" in r["meta"].get("href", "")] == []
