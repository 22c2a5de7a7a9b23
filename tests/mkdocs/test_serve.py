"""`ogp-local serve` rebuilds what a save changed (issue 17), and the preview stays
right: a new story appears on its listings, a changed area moves it between area
pages, a deleted story's page goes."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import Project, env, fetch, free_port
from images import jpeg

WAIT = 90.0


def _until(what: str, check) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"the preview did not show {what} within {WAIT:.0f} s")


def _item(base: str, title: str) -> str:
    """The RSS item of the preview's feed whose title has `title` ("" when none has)."""
    items = fetch(base + "feed.xml")[1].split("<item>")[1:]
    return next((item.split("</item>")[0] for item in items if title in item), "")


@contextlib.contextmanager
def _serving(project: Project, tmp_path: Path):
    """`ogp-local serve` of `project`: its base URL and log, once the site is up."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ogp_local", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/stories/"  # the path of the site_url
    try:
        _until("the site", lambda: "Mandatory Lobby Registry" in fetch(base + "cases/")[1])
        yield base, tmp_path / "serve.log"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        log.close()


@pytest.fixture
def preview(project: Project, tmp_path: Path):
    project.case("madrid", title="Mandatory Lobby Registry")
    with _serving(project, tmp_path) as (base, log):
        yield project, base, log


def test_a_save_shows_on_every_listing_it_changes(preview):
    project, base, log = preview
    project.case("bogota", title="Route to Gender Parity", challenges=["justice"])
    _until(
        "the new story on /cases/", lambda: "Route to Gender Parity" in fetch(base + "cases/")[1]
    )
    assert "Route to Gender Parity" in fetch(base + "challenges/justice/")[1]
    assert fetch(base + "cases/bogota/")[0] == 200
    # The feeds, the cards and the open data follow the reload (written after it).
    _until("the story in the feed", lambda: "Route to Gender Parity" in fetch(base + "feed.xml")[1])
    _until("its card", lambda: fetch(base + "cards/case-bogota-1200x630.png")[0] == 200)
    assert "Route to Gender Parity" in fetch(base + "data/stories.json")[1]

    project.case("bogota", title="Route to Gender Parity", challenges=["anti-corruption"])
    _until(
        "the story on its new area's page",
        lambda: "Route to Gender Parity" in fetch(base + "challenges/anti-corruption/")[1],
    )
    assert "Route to Gender Parity" not in fetch(base + "challenges/justice/")[1]
    _until("the feed's new category", lambda: "Anti-Corruption" in _item(base, "Gender Parity"))
    assert "Justice" not in _item(base, "Gender Parity")

    (project.root / "cases" / "bogota.md").unlink()
    _until("the deleted story gone", lambda: fetch(base + "cases/bogota/")[0] == 404)
    assert "Route to Gender Parity" not in fetch(base + "cases/")[1]
    _until(
        "the story gone from the feed", lambda: "Gender Parity" not in fetch(base + "feed.xml")[1]
    )
    said = log.read_text("utf-8")
    assert "ogp-local: rendered" in said and "pages again, reused" in said  # not full builds


def test_stopping_the_preview_stops_its_workers(project: Project, tmp_path: Path):
    """`kill` (SIGTERM) stops the preview as Ctrl+C does, even while a save's cards
    are drawn after the reload: no worker process is left holding the port."""
    project.case("madrid", title="Mandatory Lobby Registry")
    config = project.root / "mkdocs.yml"  # two card workers, on a machine with one core too
    text = config.read_text("utf-8").replace(
        "      per_page:", "      cards: {workers: 2}\n      per_page:"
    )
    config.write_text(text, "utf-8")
    port = free_port()
    command = [sys.executable, "-m", "ogp_local", "serve", "-a", f"127.0.0.1:{port}"]
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=project.root, env=env(), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}/stories/"
        try:
            _until("the site", lambda: "Mandatory Lobby Registry" in fetch(base + "cases/")[1])
            # A large photo: its widths are made by the worker processes.
            (project.root / "cases" / "bogota.jpg").write_bytes(jpeg(4000, 3000))
            project.case(
                "bogota", title="Route to Gender Parity", image="bogota.jpg", image_alt="A street"
            )
            serving = psutil.Process(process.pid)
            workers = []
            deadline = time.monotonic() + WAIT
            while not workers and time.monotonic() < deadline:
                workers = serving.children(recursive=True)
                time.sleep(0.01)
            assert workers, "the save started no worker process"
        finally:
            process.terminate()
            process.wait(timeout=60)
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"left running: {alive}"
    with socket.socket() as probe:  # nobody listens on the port any more
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_a_busy_address_is_said_before_building(project: Project):
    project.case("madrid", title="Mandatory Lobby Registry")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        done = subprocess.run(
            [sys.executable, "-m", "ogp_local", "serve", "-a", address],
            cwd=project.root,
            env=env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"{address} is in use" in done.stderr and "Traceback" not in done.stderr
    assert not (project.root / "site").exists()


_HOLD = """\
\"\"\"Holds each build of the preview while a file named `hold` is there (a minute at most).\"\"\"
import pathlib
import time


def on_files(files, config):
    flag = pathlib.Path(config.config_file_path).parent / "hold"
    deadline = time.monotonic() + 60
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
"""


def test_the_saved_page_shows_while_the_site_is_built(project: Project, tmp_path: Path, browser):
    """The page open in the browser shows a save before the site is built again (a hook
    holds that build here): the listings the save changes follow with the build."""
    project.case("madrid", title="Mandatory Lobby Registry")
    project.write("hold.py", _HOLD)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks:\n  - hold.py\n", "utf-8")
    with _serving(project, tmp_path) as (base, log):
        page = browser.new_page()
        page.goto(base + "cases/madrid/")
        hold = project.write("hold", "")
        project.case("madrid", title="Madrid's Lobby Registry")
        page.wait_for_function(
            "() => document.querySelector('h1').textContent.includes(\"Madrid's Lobby\")",
            timeout=30_000,
        )
        assert "Mandatory Lobby Registry" in fetch(base + "cases/")[1]  # its build is held
        assert "ogp-local: showing cases/madrid/" in log.read_text("utf-8")
        page.evaluate("() => { window.shownFirst = true; }")
        hold.unlink()
        _until("the listing", lambda: "Madrid&#39;s Lobby Registry" in fetch(base + "cases/")[1])
        # The page reloads once more, with the site as built.
        page.wait_for_function("() => window.shownFirst === undefined", timeout=30_000)
        assert "Madrid's Lobby Registry" in page.inner_text("h1")
        page.close()
