"""Drafts: in the author's preview (`mkdocs serve`), never in a build."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import Project, env, search_records


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextlib.contextmanager
def previewing(project: Project):
    """`mkdocs serve` of `project` on a free port; yields its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_draft_is_left_out_of_the_build(project: Project):
    project.case("published")
    project.case("secret-plan", draft=True, challenges=["justice"])
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    assert not (project.root / "site/cases/secret-plan").exists()
    for path in (project.root / "site").rglob("*.html"):
        assert "secret-plan" not in path.read_text("utf-8"), path
    records = search_records(project.root / "site")
    assert records and not [r for r in records if "secret-plan" in json.dumps(r)]


def test_mkdocs_serve_shows_the_draft(project: Project):
    project.case("published")
    project.case("secret-plan", draft=True, title="Secret plan", challenges=["justice"])
    with previewing(project) as address:
        page = fetch(f"{address}/stories/cases/secret-plan/")
        assert "Secret plan" in page
        area = fetch(f"{address}/stories/challenges/justice/")
        assert "Secret plan" in area and "Draft" in area
