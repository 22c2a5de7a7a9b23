"""`ogp-local serve` rebuilds what a save changed (issue 17), and the preview stays
right: a new story appears on its listings, a changed area moves it between area
pages, a deleted story's page goes."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import Project, env

WAIT = 90.0


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _until(what: str, check) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"the preview did not show {what} within {WAIT:.0f} s")


@pytest.fixture
def preview(project: Project, tmp_path: Path):
    project.case("madrid", title="Mandatory Lobby Registry")
    port = _port()
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
        _until("the site", lambda: "Mandatory Lobby Registry" in _get(base + "cases/")[1])
        yield project, base, tmp_path / "serve.log"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        log.close()


def test_a_save_shows_on_every_listing_it_changes(preview):
    project, base, log = preview
    project.case("bogota", title="Route to Gender Parity", challenges=["justice"])
    _until("the new story on /cases/", lambda: "Route to Gender Parity" in _get(base + "cases/")[1])
    assert "Route to Gender Parity" in _get(base + "challenges/justice/")[1]
    assert _get(base + "cases/bogota/")[0] == 200

    project.case("bogota", title="Route to Gender Parity", challenges=["anti-corruption"])
    _until(
        "the story on its new area's page",
        lambda: "Route to Gender Parity" in _get(base + "challenges/anti-corruption/")[1],
    )
    assert "Route to Gender Parity" not in _get(base + "challenges/justice/")[1]

    (project.root / "cases" / "bogota.md").unlink()
    _until("the deleted story gone", lambda: _get(base + "cases/bogota/")[0] == 404)
    assert "Route to Gender Parity" not in _get(base + "cases/")[1]
    said = log.read_text("utf-8")
    assert "ogp-local: rendered" in said and "pages again, reused" in said  # not full builds
