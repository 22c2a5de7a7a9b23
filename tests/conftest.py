"""Test helpers: a small project in tmp_path, built by the real `mkdocs build`."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

MKDOCS_YML = """\
site_name: Test Stories
site_url: https://example.org/stories/
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  font: false
plugins:
  - ogp-local:
      per_page: {per_page}
nav:
  - Home: index.md
  - Case studies: cases/index.md
  - Roundups: roundups/index.md
  - Challenge areas: challenges/index.md
  - Members: members/index.md
"""


# `path:line: field: message` as check prints it and the build logs it (bare, or after
# MkDocs' WARNING/ERROR prefix), and the settings' `ogp-local: …` messages.
_PROBLEM = re.compile(r"^(?:(?:WARNING|ERROR)\s*-\s+)?((?:[^\s:]+:\d+: |ogp-local: `?).*)$")


def originals(folder: Path) -> list[Path]:
    """The story files of `folder` that are originals (not `x.es.md` translations)."""
    return sorted(p for p in folder.glob("*.md") if "." not in p.stem)


def problem_lines(output: str) -> set[str]:
    """The problems named in a command's output."""
    return {m.group(1) for line in output.splitlines() if (m := _PROBLEM.match(line))}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """(status, text) of a GET; (0, "") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def env(**extra: str) -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra)


def run_ogp(cwd: Path, *args: str, extra_env: dict[str, str] | None = None, timeout: int = 300):
    """`python -m ogp_local …` in `cwd`, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "ogp_local", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env(**(extra_env or {})),
        timeout=timeout,
    )


def front_matter(fields: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n" + body


@dataclass
class Project:
    root: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")
        return path

    def case(self, slug: str, body: str = "Some text about the reform.\n", **fields) -> Path:
        data = {
            "title": f"Case {slug}",
            "member": "Madrid",
            "country": "Spain",
            "date": "2023-11-06",
            "summary": "A short summary.",
            "challenges": ["anti-corruption"],
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return self.write(f"cases/{slug}.md", front_matter(data, body))

    def roundup(self, month: str, items: dict[str, dict] | None = None, **fields) -> None:
        data = {"date": f"{month}-28", "summary": "The month in short."}
        data.update(fields)
        self.write(f"roundups/{month}/index.md", front_matter(data, "Intro of the month.\n"))
        for slug, item in (items or {}).items():
            fields_ = {
                "title": f"Item {slug}",
                "member": "Valencia",
                "country": "Spain",
                "challenges": ["public-participation"],
                **item,
            }
            self.write(f"roundups/{month}/{slug}.md", front_matter(fields_, f"Body of {slug}.\n"))

    def mkdocs(self, *args: str, extra_env: dict[str, str] | None = None):
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env(**(extra_env or {})),
            timeout=300,
        )

    def build(self, *args: str, extra_env: dict[str, str] | None = None, agree: bool = True):
        """`mkdocs build`. When it refuses the tree, `ogp-local check` must refuse it too,
        with the same problems: every broken tree of the suite proves check and build
        read through one path. (`agree=False` where the build fails for a reason no
        check can know, such as an unwritable site folder.)"""
        result = self.mkdocs("build", *args, extra_env=extra_env)
        if agree and result.returncode != 0:
            strict = ["--strict"] if "--strict" in args or "-s" in args else []
            check = self.ogp("check", *strict, extra_env=extra_env)
            said = problem_lines(check.stdout + check.stderr)
            assert check.returncode == 1, f"check passed what the build refused:\n{result.stderr}"
            assert said == problem_lines(result.stderr), (check.stdout, check.stderr, result.stderr)
        return result

    def ogp(self, *args: str, extra_env: dict[str, str] | None = None):
        return run_ogp(self.root, *args, extra_env=extra_env)

    def html(self, url: str) -> str:
        return (self.root / "site" / url / "index.html").read_text("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project using the real theme, with a home page."""
    (tmp_path / "mkdocs.yml").write_text(
        MKDOCS_YML.format(theme=REPO / "theme", per_page=20), "utf-8"
    )
    proj = Project(tmp_path)
    proj.write("content/index.md", "# Test stories\n\nWelcome.\n")
    return proj


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The repository's demo content, built once by `ogp-local build` into a temp folder."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = run_ogp(REPO, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def search_records(site: Path) -> list[dict]:
    """Every record of the site's search index, read back from Pagefind's fragments
    (each is gzip of b"pagefind_dcd" and a JSON object: content, meta, filters)."""
    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        records.append(json.loads(data[len(b"pagefind_dcd") :]))
    return records


def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 on a free port; yields the base URL. (The server
    the benchmark's first-search measure uses: one way to serve a built site.)"""
    from ogp_local.bench.search import served

    with served(folder) as base:
        yield base


@pytest.fixture(scope="session")
def served_site(demo_site: Path):
    yield from serve(demo_site)


CHROMIUM = os.environ.get("OGP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (its own browser download does not work here)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield chromium
        chromium.close()


# The browser tests' `visit` fixture, for every test file (it needs REPO above).
from chromium import visit  # noqa: E402, F401
