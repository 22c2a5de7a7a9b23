"""`ogp-local build` and `make site`: a failed build leaves the last good site alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, Project, env


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_build_leaves_the_published_site_untouched(project: Project):
    project.case("good")
    first = project.ogp("build")
    assert first.returncode == 0, first.stderr
    site = project.root / "site"
    before = tree_digest(site)
    assert (site / "cases/good/index.html").is_file()

    project.case("broken", date="2023-02-30")
    failed = project.ogp("build")
    assert failed.returncode == 1
    assert "cases/broken.md:5: date:" in failed.stderr
    assert "left as it was" in failed.stderr
    assert tree_digest(site) == before
    assert not list(project.root.glob(".site-build-*"))

    (project.root / "cases/broken.md").unlink()
    project.case("second")
    again = project.ogp("build")
    assert again.returncode == 0, again.stderr
    assert (site / "cases/second/index.html").is_file()
    assert not list(project.root.glob(".site-*"))


def test_make_site_builds_and_a_failed_make_site_changes_nothing(tmp_path: Path):
    # A copy of the project (mtimes kept, so make sees the venv as up to date).
    for name in ("Makefile", "pyproject.toml", "mkdocs.yml"):
        shutil.copy2(REPO / name, tmp_path / name)
    for name in ("content", "cases", "roundups", "theme"):
        shutil.copytree(REPO / name, tmp_path / name)
    venv = Path(os.environ.get("VIRTUAL_ENV") or REPO / ".venv")
    # -o: use the venv as it is, never reinstall it from the copy.
    make = ["make", "-o", f"{venv}/.installed", "site", f"VENV={venv}"]
    first = subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, env=env())
    assert first.returncode == 0, first.stdout + first.stderr
    before = tree_digest(tmp_path / "site")
    assert (tmp_path / "site/cases/madrid-lobby-registry/index.html").is_file()

    (tmp_path / "cases/broken.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    failed = subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, env=env())
    assert failed.returncode != 0
    assert "cases/broken.md:2: front matter: YAML syntax error" in failed.stdout + failed.stderr
    assert tree_digest(tmp_path / "site") == before
