"""One build measured: wall and CPU seconds, peak memory of its whole process tree,
what its log says of cards, photos, editions, search and precompression, and its
stages (the build's timeline) with how busy the machine's cores were in each."""

from __future__ import annotations

import bisect
import compileall
import contextlib
import json
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
    stages: list[Stage] = field(default_factory=list, compare=False)
    """The build's stages (our builds only): see Stage."""


@dataclass
class Stage:
    """A stage of one build, from its timeline (build/timeline.py): wall seconds, the
    CPU seconds its own work took (`of`: the build's thread, the worker processes,
    Pagefind), and how busy the cores were meanwhile (the whole process tree's CPU over
    the cores' time, sampled): what else ran beside it shows there."""

    stage: str
    start: float
    """Seconds after the build started."""
    wall: float
    cpu: float
    of: str
    busy: float


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
        numbers = [f.name for f in fields(Measure) if f.name != "stages"]
        middle = Measure(**{k: statistics.median(getattr(m, k) for m in runs) for k in numbers})
        middle.stages = sorted(runs, key=lambda m: m.wall)[len(runs) // 2].stages  # one run's
        return middle


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
    timeline = Path(tempfile.mkstemp(prefix="ogp-local-timeline-", suffix=".json")[1])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env[TIMELINE_ENV] = str(timeline)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, began = time.monotonic(), time.time()
    # The log goes to a file, not a pipe: a long log would fill the pipe and stall.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True
        )
        peak = 0
        tree = psutil.Process(process.pid)
        tree_cpu = _TreeCpu(tree)
        while process.poll() is None:
            peak = max(peak, _tree_memory(tree))
            tree_cpu.sample()
            time.sleep(0.1)
        tree_cpu.sample(ended=True)
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
    measured.stages = _stages(timeline, began, tree_cpu)
    timeline.unlink(missing_ok=True)
    return measured


TIMELINE_ENV = "OGP_LOCAL_TIMELINE"
"""build/timeline.py's variable (named here too: the benchmark runs builds, it does not
import them)."""


class _TreeCpu:
    """The CPU seconds of a process tree over time: each process's user and system time,
    sampled; a process that has ended counts with its last sample."""

    def __init__(self, root: psutil.Process) -> None:
        self.root = root
        self.last: dict[int, float] = {}
        self.times: list[float] = []
        self.totals: list[float] = []

    def sample(self, ended: bool = False) -> None:
        if not ended:
            with contextlib.suppress(psutil.Error):
                for proc in [self.root, *self.root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error, OSError):
                        times = proc.cpu_times()
                        self.last[proc.pid] = times.user + times.system
        self.times.append(time.time())
        self.totals.append(sum(self.last.values()))

    def at(self, moment: float) -> float:
        """The tree's CPU seconds until `moment` (between two samples: in proportion)."""
        k = bisect.bisect_left(self.times, moment)
        if k == 0:
            return self.totals[0] if self.totals else 0.0
        if k >= len(self.times):
            return self.totals[-1]
        t0, t1 = self.times[k - 1], self.times[k]
        c0, c1 = self.totals[k - 1], self.totals[k]
        return c0 + (c1 - c0) * (moment - t0) / (t1 - t0 or 1)


def _stages(timeline: Path, began: float, cpu: _TreeCpu) -> list[Stage]:
    """The stages the build wrote into its timeline, and start-up before the first."""
    try:
        data = json.loads(timeline.read_text("utf-8") or "{}")
    except (OSError, ValueError):
        return []
    cores = data.get("cores") or os.cpu_count() or 1
    spans = data.get("stages") or []
    if not spans:
        return []
    first = min(s["start"] for s in spans)
    startup = {"stage": "start-up", "start": began, "end": first, "cpu": None, "of": "tree"}
    stages = []
    for span in [startup, *spans]:
        wall = max(span["end"] - span["start"], 1e-6)
        used = cpu.at(span["end"]) - cpu.at(span["start"])
        own = used if span["cpu"] is None else span["cpu"]
        busy = min(1.0, used / (wall * cores))
        stages.append(Stage(span["stage"], span["start"] - began, wall, own, span["of"], busy))
    return stages


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
