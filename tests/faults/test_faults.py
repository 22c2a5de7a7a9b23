"""Faults, done for real on the demo site (four languages): builds that meet, builds
killed with SIGKILL, a Pagefind that crashes halfway, a full disk. After each, the next
build must publish exactly what a clean build publishes, file by file; and builds of
the same content, clean or incremental, are the same bytes.

CI runs few rounds of each; `FAULT_ROUNDS=20` runs the long version."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, env
from images import jpeg
from ogp_local.build import lock

ROUNDS = int(os.environ.get("FAULT_ROUNDS", "2"))
EPOCH = "1764547200"
pytestmark = pytest.mark.faults


PHOTO_STORY = "cases/madrid-lobby-registry.md"


def demo(into: Path) -> Path:
    """A copy of the demo project (no site, no cache), one story with a photo so that
    every build makes photo variants too."""
    for name in ("content", "cases", "roundups", "theme"):
        shutil.copytree(REPO / name, into / name)
    shutil.copy(REPO / "mkdocs.yml", into / "mkdocs.yml")
    (into / "cases/madrid-hall.jpg").write_bytes(jpeg(1600, 1000))
    story = into / PHOTO_STORY
    story.write_text(
        story.read_text("utf-8").replace(
            "\nsummary:", "\nimage: madrid-hall.jpg\nimage_alt: The city hall\nsummary:", 1
        ),
        "utf-8",
    )
    return into


def retitle(story: Path, words: str) -> None:
    """Put `words` in front of the story's title (a new card, a new page)."""
    text = story.read_text("utf-8")
    quoted = 'title: "' in text
    old, new = ('title: "', f'title: "{words} ') if quoted else ("title: ", f"title: {words} ")
    story.write_text(text.replace(old, new, 1), "utf-8")


def build(root: Path, *args: str, extra: dict | None = None, timeout: int = 600):
    return subprocess.run(
        [sys.executable, "-m", "ogp_local", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env(SOURCE_DATE_EPOCH=EPOCH, **(extra or {})),
        timeout=timeout,
    )


def start(root: Path, *args: str, extra: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ogp_local", "build", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(SOURCE_DATE_EPOCH=EPOCH, **(extra or {})),
    )


def files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def differences(site: Path, clean: dict[str, bytes]) -> list[str]:
    """Every file that is extra, missing or different against a clean build."""
    found = files(site)
    extra = sorted(found.keys() - clean.keys())
    missing = sorted(clean.keys() - found.keys())
    changed = sorted(k for k in found.keys() & clean.keys() if found[k] != clean[k])
    return [f"+{k}" for k in extra] + [f"-{k}" for k in missing] + [f"~{k}" for k in changed]


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, bytes]:
    """What a clean build of the demo publishes."""
    root = demo(tmp_path_factory.mktemp("clean"))
    done = build(root)
    assert done.returncode == 0, done.stderr[-2000:]
    return files(root / "site")


def test_clean_and_incremental_builds_are_the_same_bytes(tmp_path: Path, clean):
    root = demo(tmp_path / "demo")
    story = sorted((root / "cases").glob("*.md"))[0]
    original = story.read_text("utf-8")
    for n in range(ROUNDS):
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        assert build(root).returncode == 0
        assert differences(root / "site", clean) == [], f"clean build {n}"
        story.write_text(original.replace("title: ", f"title: Edit {n} ", 1), "utf-8")
        assert build(root).returncode == 0  # incremental
        story.write_text(original, "utf-8")
        done = build(root)  # incremental, back to the same content
        assert done.returncode == 0 and "Published" in done.stderr
        assert differences(root / "site", clean) == [], f"incremental build {n}"


def test_three_builds_at_once_wait_their_turn(tmp_path: Path, clean):
    root = demo(tmp_path / "demo")
    for n in range(ROUNDS):
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        running = [start(root) for _ in range(3)]
        said = [p.communicate(timeout=600) for p in running]
        assert [p.returncode for p in running] == [0, 0, 0], [e[-1500:] for _, e in said]
        waited = [e for _, e in said if "another build of this project is running" in e]
        assert len(waited) >= 1, "the builds met: nobody waited"
        assert differences(root / "site", clean) == [], f"round {n}"
        done = build(root)
        assert "up to date" in done.stderr and differences(root / "site", clean) == []


def test_no_wait_stops_at_once_with_one_line(tmp_path: Path):
    root = demo(tmp_path / "demo")
    folder = root / ".cache" / "ogp-local"
    lock.acquire(folder)  # another build, as far as the command can tell
    try:
        started = time.monotonic()
        done = build(root, "--no-wait")
        assert done.returncode == 1 and time.monotonic() - started < 30
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "another build of this project is running (pid" in lines[0]
        assert "Traceback" not in done.stderr and not (root / "site").exists()
        waiting = start(root)
        time.sleep(3)
        assert waiting.poll() is None, "a build went ahead while another held the lock"
    finally:
        lock.release(folder)
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0 and "waiting for it to finish" in err


def test_a_lock_left_by_a_killed_build_never_blocks(tmp_path: Path):
    root = demo(tmp_path / "demo")
    folder = root / ".cache" / "ogp-local"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from ogp_local.build import lock; from pathlib import Path; "
            f"lock.acquire(Path({str(folder)!r})); import time; time.sleep(600)",
        ],
    )
    time.sleep(2)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (folder / lock.NAME).exists()  # the file stays; the lock went with its process
    done = build(root, "--no-wait")
    assert done.returncode == 0, done.stderr[-1500:]


def test_the_next_build_after_sigkill_equals_a_clean_build(tmp_path: Path, clean):
    root = demo(tmp_path / "demo")
    started = time.monotonic()
    assert build(root).returncode == 0
    cold = time.monotonic() - started
    story = sorted((root / "cases").glob("*.md"))[0]
    original = story.read_text("utf-8")
    moments = max(ROUNDS, 2)
    killed = 0
    for n in range(moments * 2):
        warm = n % 2 == 1
        if not warm:
            shutil.rmtree(root / ".cache", ignore_errors=True)  # a cold build
        story.write_text(original.replace("title: ", f"title: Kill {n} ", 1), "utf-8")
        moment = cold * (0.05 + 0.9 * ((n // 2) / max(1, moments - 1)))
        running = start(root)
        time.sleep(moment)
        if running.poll() is None:
            running.send_signal(signal.SIGKILL)
            killed += 1
        running.communicate(timeout=30)  # its workers end with it: the pipes close
        story.write_text(original, "utf-8")
        # Nothing of the killed build holds the lock a moment later.
        done = build(root, "--no-wait")
        assert done.returncode == 0, done.stderr[-2000:]
        assert differences(root / "site", clean) == [], f"killed at {moment:.2f} s ({n})"
    assert killed >= moments  # most builds were killed before they finished


FAKE_PAGEFIND = """#!/bin/sh
# Pagefind that writes half a bundle, then crashes.
out=""
while [ $# -gt 0 ]; do [ "$1" = "--output-path" ] && out="$2"; shift; done
mkdir -p "$out/fragment" && echo '{"half":' > "$out/pagefind-entry.json"
head -c 5000 /dev/urandom > "$out/fragment/en_0000001.pf_fragment"
exit 1
"""


def test_a_pagefind_crash_fails_the_build_and_the_next_equals_a_clean_one(tmp_path, clean):
    root = demo(tmp_path / "demo")
    fake = tmp_path / "pagefind"
    fake.write_text(FAKE_PAGEFIND)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert build(root).returncode == 0
    story = sorted((root / "cases").glob("*.md"))[0]
    story.write_text(story.read_text("utf-8").replace("title: ", "title: Crash ", 1), "utf-8")
    failed = build(root, extra={"PAGEFIND_BINARY_PATH": str(fake)})
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "pagefind failed" in failed.stderr
    assert differences(root / "site", clean) == []  # the last good site, untouched
    story.write_text(story.read_text("utf-8").replace("title: Crash ", "title: ", 1), "utf-8")
    done = build(root)
    assert done.returncode == 0 and differences(root / "site", clean) == []
    leftovers = [p.name for p in (root / ".cache/ogp-local/search").iterdir()]
    assert not [name for name in leftovers if name.startswith(".making-")], leftovers


def test_a_full_disk_fails_cleanly_and_the_next_build_equals_a_clean_one(tmp_path):
    if os.geteuid() != 0:
        why = "mounting a small tmpfs needs root"
        if os.environ.get("CI"):
            pytest.fail(f"{why}: CI must run this suite as root")
        pytest.skip(f"{why} (CI runs as root and runs it)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], check=True)
    try:
        # The clean build to compare with is made on the same file system: Pagefind
        # numbers its pages in the order the folder lists its documents.
        reference = demo(mount / "reference")
        assert build(reference).returncode == 0
        clean = files(reference / "site")
        shutil.rmtree(reference)
        root = demo(mount / "demo")
        assert build(root).returncode == 0
        story = sorted((root / "cases").glob("*.md"))[0]
        original = story.read_text("utf-8")
        failures = 0
        for n, left in enumerate((2_000_000, 6_000_000, 12_000_000)):
            story.write_text(original.replace("title: ", f"title: Full {n} ", 1), "utf-8")
            if n == 2:
                shutil.rmtree(root / ".cache")  # a cold build on a full disk
            free = shutil.disk_usage(mount).free
            filler = mount / "filler"
            handle = os.open(filler, os.O_RDWR | os.O_CREAT)
            os.posix_fallocate(handle, 0, max(1, free - left))
            os.close(handle)
            failed = build(root)
            filler.unlink()
            assert "Traceback" not in failed.stderr
            if failed.returncode:
                failures += 1
                assert "the disk is full" in failed.stderr, failed.stderr[-1500:]
                assert differences(root / "site", clean) == []  # the last good site kept
            story.write_text(original, "utf-8")
            done = build(root)
            assert done.returncode == 0, done.stderr[-2000:]
            assert differences(root / "site", clean) == [], f"after a full disk ({left} left)"
        assert failures >= 2, "the disk was not full enough to fail the builds"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_an_edit_while_a_build_runs_is_in_the_next_build(tmp_path: Path, clean):
    """A story saved while a build runs (the editor, the preview): that build may show
    the old words or the new, but the next build shows the new, exactly as a clean
    build of them does."""
    edited_root = demo(tmp_path / "edited")
    retitle(edited_root / "cases/bogota-gender-parity.md", "Edited")
    assert build(edited_root).returncode == 0
    edited = files(edited_root / "site")
    root = demo(tmp_path / "demo")
    started = time.monotonic()
    assert build(root).returncode == 0
    cold = time.monotonic() - started
    story = root / "cases/bogota-gender-parity.md"
    original = story.read_text("utf-8")
    new_words = (edited_root / "cases/bogota-gender-parity.md").read_text("utf-8")
    moments = max(ROUNDS, 2)
    for n in range(moments * 2):
        # Every other pair of rounds a cold build, else one with its caches and no site/;
        # a story saved at a later moment each pair, to new words or back.
        cold_build = (n // 2) % 2 == 0
        shutil.rmtree(root / (".cache" if cold_build else "site"), ignore_errors=True)
        moment = cold * (0.05 + 0.9 * ((n // 2) / max(1, moments - 1)))
        running = start(root)
        time.sleep(moment)
        editing = n % 2 == 0
        story.write_text(new_words if editing else original, "utf-8")
        _, err = running.communicate(timeout=600)
        assert running.returncode == 0, err[-2000:]
        done = build(root)
        assert done.returncode == 0, done.stderr[-2000:]
        want = edited if editing else clean
        assert differences(root / "site", want) == [], f"saved at {moment:.2f} s ({n})"


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` and everything in it read-only, for root too: a read-only bind mount
    (root ignores permissions), or the folders' modes for anyone else."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
    for path in modes:
        path.chmod(0o555)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def new_card(root: Path) -> None:
    retitle(root / "cases/bogota-gender-parity.md", "Redrawn")


def new_photo(root: Path) -> None:
    (root / "cases/madrid-hall.jpg").write_bytes(jpeg(1800, 1200))


@pytest.mark.parametrize(
    "folder, change",
    [
        (".cache/ogp-local/cards", new_card),  # an OS error while writing a card
        (".cache/ogp-local/cards", new_photo),  # ... and while writing photo variants
        (".", new_card),  # the whole project on a read-only disk
    ],
    ids=["cards", "photos", "project"],
)
def test_a_read_only_folder_fails_in_one_line_and_the_next_build_equals_a_clean_one(
    tmp_path: Path, folder: str, change
):
    reference = demo(tmp_path / "reference")
    change(reference)
    assert build(reference).returncode == 0
    want = files(reference / "site")
    root = demo(tmp_path / "demo")
    assert build(root).returncode == 0
    before = files(root / "site")
    change(root)
    with read_only(root / folder):
        failed = build(root)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    said = [line for line in failed.stderr.splitlines() if "Read-only" in line]
    assert len(said) == 1, failed.stderr[-2000:]
    assert str(root) in said[0] and "(" in said[0], said  # the path, and what to do
    assert differences(root / "site", before) == []  # the last good site, untouched
    done = build(root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert differences(root / "site", want) == []
