"""What a save costs the author: the time from writing a story's file to its new text
on the page open in Chromium, against `ogp-local serve` (which rebuilds what the save
changed, and reloads the page)."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

from ogp_local.bench.search import CHROMIUM

START_TIMEOUT = 1800.0
"""The preview's first build (a cold one at 20,000 stories takes minutes)."""


@dataclass(frozen=True)
class Saves:
    seconds: list[float]
    """From each save to its text on the page."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ogp-local serve stopped:\n{log.read_text('utf-8')[-3000:]}")
        with contextlib.suppress(OSError), urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"ogp-local serve did not answer {url} in {START_TIMEOUT:.0f} s")


def saves(
    root: Path, story: Path, count: int = 5, pause: float = 5.0, port: int | None = None
) -> Saves:
    """Open `story`'s page in the preview of the project at `root`, then `count` times:
    change its title, and time until the page shows the new one. Between saves, `pause`
    seconds as an author reads the page (what a save writes after the reload, its feeds
    and cards, is done by then). `port`: a free one when not given."""
    from playwright.sync_api import sync_playwright

    port = port or _free_port()
    url = f"http://127.0.0.1:{port}/cases/{story.stem}/"
    original = story.read_text("utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "ogp_local", "serve", "-a", f"127.0.0.1:{port}"]
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log_file:
        log = Path(log_file.name)
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log_file, stderr=log_file)
    seconds = []
    try:
        _wait_until_served(url, process, log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            page.goto(url)
            for n in range(count):
                marker = f"Saved {n} {time.time_ns()}"
                text = original.replace('title: "', f'title: "{marker} ', 1)
                started = time.monotonic()
                story.write_text(text, "utf-8")
                page.wait_for_function(
                    "marker => document.querySelector('h1')?.textContent.includes(marker)",
                    arg=marker,
                    timeout=120_000,
                    polling=10,
                )
                seconds.append(time.monotonic() - started)
                time.sleep(pause)
            browser.close()
    finally:
        story.write_text(original, "utf-8")
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        log.unlink(missing_ok=True)
    return Saves(seconds)
