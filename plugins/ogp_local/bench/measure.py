"""One build measured: wall and CPU seconds, peak memory of its whole process tree,
and what its log says of cards, photos, editions, search and precompression."""

from __future__ import annotations

import compileall
import contextlib
import os
import re
import resource
import statistics
import subprocess
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

import psutil

_IMAGES = re.compile(
    r"images: (\d+) published, (\d+) variants made, (\d+) reused in ([\d.]+) s; "
    r"([\d.]+) MB of originals → ([\d.]+) MB"
)
_EDITIONS = re.compile(r"newsletter: (\d+) editions? in ([\d.]+) s")
_CARDS = re.compile(r"cards: (\d+) made, (\d+) reused in ([\d.]+) s \(adding ([\d.]+) s")
_SEARCH = re.compile(
    r"search: \d+ records (?:indexed|copied from the cache) in ([\d.]+) s; \d+ files, ([\d.]+) MB"
)
_PACKED = re.compile(r"precompressed \d+ text files \(\d+ copies made\) in ([\d.]+) s")


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mb: float
    made: int = 0
    reused: int = 0
    card_seconds: float = 0.0
    card_cost: float = 0.0
    editions: int = 0
    edition_seconds: float = 0.0
    """Time the build spent making the newsletter editions (all months)."""
    variants_made: int = 0
    variants_reused: int = 0
    variant_seconds: float = 0.0
    photo_mb_in: float = 0.0
    photo_mb_out: float = 0.0
    search_seconds: float = 0.0
    """Making (or copying) the search index."""
    search_mb: float = 0.0
    precompress_seconds: float = 0.0


@dataclass
class Result:
    n: int
    shape: dict
    runs: dict[str, list[Measure]] = field(default_factory=dict)
    searches: dict[str, dict] = field(default_factory=dict)
    """A reader's first search on a story page: our search and Material's lunr."""
    saves: list[float] = field(default_factory=list)
    """Seconds from saving a story to its new text in Chromium, against `serve`."""

    def median(self, name: str) -> Measure | None:
        runs = self.runs.get(name)
        if not runs:
            return None
        middle = (statistics.median(getattr(m, f.name) for m in runs) for f in fields(Measure))
        return Measure(*middle)


def compile_code() -> None:
    """Bytecode for this package and what it imports, compiled once before any build
    is timed. The timed builds run with PYTHONDONTWRITEBYTECODE (none writes into the
    tree while measured), so a module without bytecode would be compiled again in every
    one of them: a cost an installed package does not pay."""
    package = Path(__file__).resolve().parents[1]
    for path in sorted({sysconfig.get_paths()["purelib"], str(package)}):
        compileall.compile_dir(path, quiet=1, workers=0)


def measure(command: list[str], cwd: Path, python: str | None = None) -> Measure:
    """Run a build; sample the memory of its whole process tree while it runs."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    # The log goes to a file, not a pipe: a long log would fill the pipe and stall.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True
        )
        peak = 0
        tree = psutil.Process(process.pid)
        while process.poll() is None:
            peak = max(peak, _tree_memory(tree))
            time.sleep(0.1)
        log_file.seek(0)
        output = log_file.read()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{output[-3000:]}")
    made = reused = 0
    seconds = cost = 0.0
    match = _CARDS.search(output)
    if match:
        made, reused = int(match[1]), int(match[2])
        seconds, cost = float(match[3]), float(match[4])
    editions = _EDITIONS.search(output)
    photos = _IMAGES.search(output)
    measured = Measure(
        wall,
        cpu,
        peak / 2**20,
        made,
        reused,
        seconds,
        cost,
        int(editions[1]) if editions else 0,
        float(editions[2]) if editions else 0.0,
    )
    if photos:
        measured.variants_made, measured.variants_reused = int(photos[2]), int(photos[3])
        measured.variant_seconds = float(photos[4])
        measured.photo_mb_in, measured.photo_mb_out = float(photos[5]), float(photos[6])
    searched, packed = _SEARCH.search(output), _PACKED.search(output)
    if searched:
        measured.search_seconds, measured.search_mb = float(searched[1]), float(searched[2])
    if packed:
        measured.precompress_seconds = float(packed[1])
    return measured


def _tree_memory(root: psutil.Process) -> int:
    """Memory of a process and all its descendants. PSS, where the system reports it,
    counts pages that forked workers share once, not once per worker."""
    total = 0
    with contextlib.suppress(psutil.Error):
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error, OSError):
                total += _pss(proc.pid) or proc.memory_info().rss
    return total


def _pss(pid: int) -> int:
    """Proportional set size from /proc/PID/smaps_rollup (cheap to read), else 0."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0
