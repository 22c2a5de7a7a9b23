"""The GitHub Pages workflow a new site copies (.github/workflows/publish.yml).

`actionlint` checks the file as GitHub would read it. Then its build job's steps run
here as a runner runs them: a fresh `git clone` for the checkout (every file with a
new modification time), the build cache restored and saved as actions/cache does it
(a POSIX tar of the paths the workflow names, found by the key or the newest match of
a restore key), each `run:` with `bash -e` in the workspace. A first run is cold; a
run after a one-story commit, in another fresh clone, must be warm and publish what a
clean build of that content publishes; a scheduled run with nothing new builds
nothing and publishes the same.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from conftest import REPO
from PIL import Image

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
DEMO = ("content", "cases", "roundups", "theme", "mkdocs.yml")
EPOCH = "1764547200"  # 2025-12-01: every build here, warm or clean, at the same "now"
BIN = Path(sys.executable).parent
PHOTO = "cases/images/banggai-clinic.jpg"
EDITED = "cases/madrid-lobby-registry.md"
CARD_SIZES = 3  # mkdocs.yml's cards.sizes: an edited story's cards are drawn again


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


# -- the file itself ------------------------------------------------------------------


def test_actionlint_finds_nothing():
    # actionlint runs shellcheck on every `run:` when it finds it (make test installs
    # Debian's, .ci/system-deps); named here so that a missing one fails, not skips.
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: `make system-deps` installs it"
    result = subprocess.run(
        [BIN / "actionlint", f"-shellcheck={shellcheck}", "-pyflakes=", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_it_publishes_on_push_on_a_schedule_and_by_hand_to_pages():
    data = workflow()
    on = data["on"]
    assert on["push"]["branches"] == ["main"]
    assert [s["cron"] for s in on["schedule"]]  # a scheduled story goes out unpushed
    assert "workflow_dispatch" in on
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    used = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert used.index("actions/cache") < used.index("actions/upload-pages-artifact")
    runs = [s["run"] for s in build["steps"] if "run" in s]
    assert "ogp-local check --strict" in runs and "ogp-local build --strict" in runs
    assert runs.index("ogp-local check --strict") < runs.index("ogp-local build --strict")
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


# -- its build job, run ---------------------------------------------------------------


@dataclass
class Caches:
    """What actions/cache keeps between runs: key → archive, in the order saved."""

    folder: Path
    saved: dict[str, Path] = field(default_factory=dict)

    def restore(self, key: str, restore_keys: list[str]) -> Path | None:
        if key in self.saved:
            return self.saved[key]
        for prefix in restore_keys:  # each prefix in turn: its newest match
            found = [k for k in self.saved if k.startswith(prefix)]
            if found:
                return self.saved[found[-1]]
        return None

    def save(self, key: str, workspace: Path, paths: list[str]) -> None:
        if key in self.saved:  # as actions/cache: a key is written once
            return
        archive = self.folder / f"{len(self.saved)}.tar"
        present = [p for p in paths if (workspace / p).exists()]
        assert present, f"nothing to cache of {paths}"
        # As actions/cache makes its archive (GNU tar --posix: times to the nanosecond).
        subprocess.run(
            ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(workspace), *present],
            check=True,
        )
        self.saved[key] = archive


@dataclass
class Run:
    log: str
    published: Path
    seconds: dict[str, float]


def expand(text: str, run_id: int) -> str:
    """The `${{ … }}` expressions the workflow's cache key uses, as GitHub fills them."""
    known = {"runner.os": "Linux", "github.run_id": str(run_id), "github.run_attempt": "1"}

    def value(match: re.Match) -> str:
        name = match.group(1).strip()
        assert name in known, f"this test does not know the expression {name!r}"
        return known[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def is_install(command: str) -> bool:
    return bool(re.search(r"\bpip install\b", command))


def run_build_job(origin: Path, runner: Path, caches: Caches, run_id: int) -> Run:
    """The build job's steps in order, in a fresh workspace under `runner`."""
    data = workflow()
    job = data["jobs"]["build"]
    workspace = runner / "work"
    environment = {
        **os.environ,
        **{k: str(v) for k, v in (data.get("env") or {}).items()},
        **{k: str(v) for k, v in (job.get("env") or {}).items()},
        "CI": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",  # ogp-local, as installed
        "SOURCE_DATE_EPOCH": EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
    }
    defaults = (job.get("defaults") or {}).get("run") or {}
    to_save: list[tuple[str, list[str]]] = []
    published: Path | None = None
    log, seconds = [], {}
    for number, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or step["run"]
        given = step.get("with") or {}
        if "run" in step:
            if is_install(step["run"]):
                # The venv running this test already holds the package (installed by
                # `make test`, editable): installing it again would only reinstall
                # the code under test. Every other command runs as written.
                continue
            assert step.get("shell", defaults.get("shell", "bash")) == "bash"
            script = runner / f"step-{number}.sh"
            script.write_text(step["run"], "utf-8")
            cwd = workspace / step.get("working-directory", defaults.get("working-directory", "."))
            started = time.monotonic()
            done = subprocess.run(
                ["bash", "-e", str(script)],  # a runner's default shell on Linux
                cwd=cwd,
                env={**environment, **{k: str(v) for k, v in (step.get("env") or {}).items()}},
                capture_output=True,
                text=True,
                timeout=600,
            )
            seconds[step["run"]] = time.monotonic() - started
            output = done.stdout + done.stderr
            log.append(output)
            assert done.returncode == 0, f"step {name!r} failed:\n{output}"
            continue
        action = step["uses"].split("@")[0]
        if action == "actions/checkout":
            subprocess.run(["git", "clone", "-q", str(origin), str(workspace)], check=True)
        elif action == "actions/setup-python":
            assert str(given["python-version"]) == f"{sys.version_info[0]}.{sys.version_info[1]}"
        elif action == "actions/cache":
            paths = [p for p in given["path"].split("\n") if p.strip()]
            key = expand(given["key"], run_id)
            restore_keys = [
                expand(k, run_id) for k in (given.get("restore-keys") or "").split("\n") if k
            ]
            archive = caches.restore(key, restore_keys)
            if archive is not None:
                subprocess.run(["tar", "-xf", str(archive), "-P", "-C", str(workspace)], check=True)
            to_save.append((key, paths))  # its post step, when the job succeeded
        elif action == "actions/configure-pages":
            pass
        elif action == "actions/upload-pages-artifact":
            published = workspace / given["path"]
        else:
            raise AssertionError(f"this test does not know how to run {step['uses']}")
    for key, paths in reversed(to_save):  # post steps run in reverse order
        caches.save(key, workspace, paths)
    assert published is not None and published.is_dir()
    return Run("\n".join(log), published, seconds)


def git(origin: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Comms", "-c", "user.email=comms@example.org", *args],
        cwd=origin,
        check=True,
        capture_output=True,
    )


def make_origin(folder: Path) -> Path:
    """The demo project as a repository of its own, with a hero photo over 1 MB (files
    that large are trusted by size and time: a clone gives them a new time)."""
    origin = folder / "origin"
    origin.mkdir()
    for name in DEMO:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, origin / name)
        else:
            shutil.copy2(source, origin / name)
    photo = origin / PHOTO
    photo.parent.mkdir(parents=True)
    size = (1600, 1100)
    noise = random.Random(27).randbytes(size[0] * size[1] * 3)
    Image.frombytes("RGB", size, noise).save(photo, quality=90)
    assert photo.stat().st_size > 1 << 20
    story = origin / "cases/banggai-maternal-care-app.md"
    text = story.read_text("utf-8")
    story.write_text(
        text.replace(
            "\nchallenges:",
            "\nimage: images/banggai-clinic.jpg\nimage_alt: Health workers at a clinic\n"
            "challenges:",
            1,
        ),
        "utf-8",
    )
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "The demo")
    return origin


def said(log: str, pattern: str) -> re.Match:
    found = re.search(pattern, log)
    assert found, f"{pattern!r} not in the build's log:\n{log}"
    return found


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_build_after_a_one_story_commit_is_warm_in_a_fresh_clone(tmp_path):
    origin = make_origin(tmp_path)
    caches = Caches(tmp_path)

    cold = run_build_job(origin, tmp_path / "run-1", caches, run_id=101)
    made = int(said(cold.log, r"cards: (\d+) made, 0 reused").group(1))
    said(cold.log, r"images: 1 published, \d+ variants made, 0 reused")

    story = origin / EDITED
    story.write_text(
        re.sub(r"(?m)^title: (.*)$", r"title: \1, Two Years On", story.read_text("utf-8"), count=1),
        "utf-8",
    )
    git(origin, "commit", "-q", "-am", "A new title")

    warm = run_build_job(origin, tmp_path / "run-2", caches, run_id=102)
    assert "full build" not in warm.log
    reuse = said(warm.log, r"rendered (\d+) pages again, reused (\d+)")
    rendered, reused = map(int, reuse.groups())
    assert reused > rendered > 0
    assert said(warm.log, r"cards: (\d+) made, (\d+) reused").groups() == (
        str(CARD_SIZES),
        str(made - CARD_SIZES),
    )
    said(warm.log, r"images: 1 published, 0 variants made, [1-9]\d* reused")

    clean = run_build_job(origin, tmp_path / "run-3", Caches(tmp_path / "run-3"), run_id=103)
    said(clean.log, rf"cards: {made} made, 0 reused")
    assert files(warm.published) == files(clean.published)

    # The hourly run with nothing new: the restored record says so, nothing is built,
    # and the restored site is what it publishes.
    idle = run_build_job(origin, tmp_path / "run-4", caches, run_id=104)
    said(idle.log, r"is up to date: no input changed since the last build")
    assert files(idle.published) == files(clean.published)

    build = "ogp-local build --strict"
    print(
        f"\nbuild step: cold {cold.seconds[build]:.1f} s, warm after a one-story commit "
        f"{warm.seconds[build]:.1f} s ({rendered} pages rendered, {reused} reused), "
        f"nothing new {idle.seconds[build]:.1f} s"
    )
