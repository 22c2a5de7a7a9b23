"""Builds a corpus several ways and measures each: wall and CPU seconds, peak memory
of the whole process tree, cards drawn and reused. Medians of several runs."""

from __future__ import annotations

import compileall
import contextlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import psutil

from ogp_local.bench import corpus

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


def mkdocs(python: str, root: Path) -> list[str]:
    return [
        python,
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(root / "mkdocs.yml"),
        "-d",
        str(root / "site"),
    ]


def bench(
    n: int,
    work: Path,
    template: Path,
    repeat: int,
    compare: bool,
    log=print,
    search: bool = False,
    languages: tuple[str, ...] = (),
    serve: bool = False,
) -> Result:
    stories = work / "stories"
    plain = work / "plain"
    layout = corpus.write(stories, n, template)
    corpus.write_plain(stories, plain)
    result = Result(n, asdict(layout) | {"stories": layout.stories})
    python = sys.executable

    def record(name: str, attempt: int, command: list[str], root: Path = stories) -> None:
        m = measure(command, root)
        result.runs.setdefault(name, []).append(m)
        log(
            f"  N={n} {name} #{attempt + 1}: {m.wall:.1f} s wall, {m.cpu:.1f} s CPU, "
            f"{m.peak_mb:.0f} MB, cards {m.made} made / {m.reused} reused"
        )

    def run(name: str, prepare=None, root: Path = stories) -> None:
        for attempt in range(repeat):
            if prepare:
                prepare(attempt)
            record(name, attempt, mkdocs(python, root), root)

    def variant(name: str, plugin: str, options: str) -> list[str]:
        """The corpus's mkdocs.yml with more options for our plugin (and `plugin`)."""
        config = stories / f"mkdocs-{name}.yml"
        text = (stories / "mkdocs.yml").read_text("utf-8")
        config.write_text(
            text.replace("  - ogp-local:\n", f"{plugin}  - ogp-local:\n{options}", 1), "utf-8"
        )
        return [python, "-m", "mkdocs", "build", "-f", str(config), "-d", str(stories / "site")]

    # The same site with Material's lunr search in place of ours (no index of our own,
    # nothing precompressed): what the search and the .gz/.br copies cost.
    lunr = variant(
        "lunr", "  - search\n", "      search: {enabled: false}\n      precompress: false\n"
    )
    # Without trends, circles and open data: what those pages cost.
    bare = variant(
        "bare", "", "      trends: false\n      circles: false\n      open_data: {enabled: false}\n"
    )
    ours = mkdocs(python, stories)
    colds: tuple = (("cold", ours), ("cold-lunr", lunr))
    warms: tuple = (("warm", ours), ("warm-bare", bare), ("warm-lunr", lunr))
    if languages:
        # The same stories with a quarter of them translated into each other language:
        # what a site in several languages costs against the one-language build.
        multi = work / "languages"
        corpus.write(multi, n, template, languages=("en", *languages), translated=0.25)
        colds += (("cold-languages", mkdocs(python, multi)),)
        warms += (("warm-languages", mkdocs(python, multi)),)

    def root_of(name: str) -> Path:
        return work / "languages" if name.endswith("-languages") else stories

    def record_any(name: str, attempt: int, command: list[str]) -> None:
        record(name, attempt, command, root_of(name))

    for attempt in range(repeat):
        k = attempt % len(colds)
        for name, command in colds[k:] + colds[:k]:
            # Cold: no cache of that corpus (the other's stays, for its warm builds).
            shutil.rmtree(root_of(name) / ".cache", ignore_errors=True)
            record_any(name, attempt, command)
    for attempt in range(repeat):
        k = attempt % len(warms)
        for name, command in warms[k:] + warms[:k]:
            record_any(name, attempt, command)
    if languages:
        result.shape["pages"] = _pages(stories / "site")
        result.shape["pages-languages"] = _pages(work / "languages" / "site")
        result.shape["languages"] = ["en", *languages]
    edited = sorted((stories / "cases").glob("*.md"))[0]
    original = edited.read_text("utf-8")

    def edit(attempt: int, mark: str = "Edit") -> None:
        edited.write_text(original.replace('title: "', f'title: "{mark} {attempt} ', 1), "utf-8")

    # A full build after a one-story edit; then what `ogp-local build` does (the build
    # record: nothing at all when nothing changed, the pages an edit touches otherwise).
    run("edit-full", prepare=edit)
    publish = [python, "-m", "ogp_local", "build"]
    measure(publish, stories)  # the site/ the next ones start from, and its record
    for attempt in range(repeat):
        record("nochange", attempt, publish)
    for attempt in range(repeat):
        edit(attempt, "Incremental")
        record("edit", attempt, publish)
    edited.write_text(original, "utf-8")
    run("plain", root=plain)
    if search:
        _first_searches(result, stories, {"lunr": lunr, "ours": ours})
        for name, found in result.searches.items():
            kb, seconds = found["gzip_bytes"] / 1024, found["seconds"]
            log(f"  N={n} first search, {name}: {kb:.0f} KB, {seconds:.2f} s")
    if serve:
        from ogp_local.bench.preview import saves

        result.saves = saves(stories, edited).seconds
        log(f"  N={n} save to page in the preview: {', '.join(f'{s:.2f}' for s in result.saves)} s")
    if compare:
        from ogp_local.bench import material

        material.run_compare(result, stories, work, repeat, log)
    return result


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def _first_searches(result: Result, stories: Path, commands: dict[str, list[str]]) -> None:
    """Build the site each way, then search it in Chromium as a reader would."""
    from ogp_local.bench.search import first_search

    page = f"cases/{sorted((stories / 'cases').glob('*.md'))[0].stem}/"
    for name, command in commands.items():
        measure(command, stories)
        runs = sorted(
            (first_search(stories / "site", page, "lobby") for _ in range(3)),
            key=lambda r: r.seconds,
        )
        result.searches[name] = asdict(runs[1])  # the median of three


def table(results: list[Result]) -> str:
    rows = [
        "| N | build | wall s | CPU s | peak MB | cards made | reused | cards/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name in (
            "cold",
            "cold-lunr",
            "warm",
            "warm-lunr",
            "warm-bare",
            "cold-languages",
            "warm-languages",
            "edit-full",
            "nochange",
            "edit",
            "plain",
            "material-cold",
            "material-warm",
        ):
            m = result.median(name)
            if m is None:
                continue
            # Cold: cards drawn per second of drawing. Warm: cards checked and copied per
            # second of what cards add to the build.
            if name == "cold" and m.card_seconds:
                rate = f"{m.made / m.card_seconds:.0f}"
            elif name == "warm" and m.card_cost:
                rate = f"{m.reused / m.card_cost:.0f}"
            else:
                rate = "—"
            rows.append(
                f"| {result.n} | {name} | {m.wall:.1f} | {m.cpu:.1f} | "
                f"{m.peak_mb:.0f} | {m.made} | {m.reused} | {rate} |"
            )
    rows.append("")
    for result in results:
        for name in ("cold", "warm"):
            m = result.median(name)
            if m and (m.variants_made or m.variants_reused):
                rows.append(
                    f"N={result.n} {name}: photo variants {m.variants_made:.0f} made, "
                    f"{m.variants_reused:.0f} reused in {m.variant_seconds:.1f} s; "
                    f"{m.photo_mb_in:.1f} MB of originals → {m.photo_mb_out:.1f} MB published"
                )
    for result in results:
        m = result.median("cold")
        if m and m.search_mb:
            rows.append(
                f"N={result.n} cold: search index {m.search_mb:.1f} MB made in "
                f"{m.search_seconds:.1f} s; precompression {m.precompress_seconds:.1f} s"
            )
    for result in results:
        for name, found in result.searches.items():
            rows.append(
                f"N={result.n} first search ({name}): {found['gzip_bytes'] / 1024:.0f} KB "
                f"on the wire ({found['raw_bytes'] / 1024:.0f} KB as served), "
                f"{found['requests']} requests, first result in {found['seconds']:.2f} s"
            )
    for result in results:
        if result.saves:
            rows.append(
                f"N={result.n} serve: save to the new text in Chromium, median of "
                f"{len(result.saves)}: {statistics.median(result.saves):.2f} s "
                f"({', '.join(f'{s:.2f}' for s in result.saves)})"
            )
    for result in results:
        ratios = ratios_of(result)
        rows.append(f"N={result.n}: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    return "\n".join(rows)


def ratios_of(result: Result) -> dict[str, float]:
    cold, warm, plain = (result.median(k) for k in ("cold", "warm", "plain"))
    ratios = {}
    if cold and plain:
        ratios["cold/plain"] = cold.wall / plain.wall
    if warm and plain:
        ratios["warm/plain"] = warm.wall / plain.wall
    for name in ("nochange", "edit", "edit-full"):
        m = result.median(name)
        if m and plain:
            ratios[f"{name}/plain"] = m.wall / plain.wall
    edit = result.median("edit")
    if edit and plain:
        # What a one-story edit cannot go below while Pagefind remakes the whole index
        # and the story's cards are drawn again (in worker processes, beside it).
        ratios["edit's search index/plain"] = edit.search_seconds / plain.wall
        ratios["edit's card drawing/plain"] = edit.card_seconds / plain.wall
    bare = result.median("warm-bare")
    if warm and bare:
        ratios["trends+circles+data share of warm"] = (warm.wall - bare.wall) / warm.wall
        ratios["trends+circles+data share of warm CPU"] = (warm.cpu - bare.cpu) / warm.cpu
    if warm and warm.editions:
        ratios["newsletter (all months) share of warm"] = warm.edition_seconds / warm.wall
        ratios["one edition share of warm"] = warm.edition_seconds / warm.editions / warm.wall
    for kind in ("cold", "warm"):
        ours, lunr = result.median(kind), result.median(f"{kind}-lunr")
        if ours and lunr:
            ratios[f"{kind}/{kind}-lunr (our search vs Material's)"] = ours.wall / lunr.wall
        if ours and ours.wall:
            ratios[f"search index share of {kind}"] = ours.search_seconds / ours.wall
            ratios[f"precompression share of {kind}"] = ours.precompress_seconds / ours.wall
    pages, more = result.shape.get("pages"), result.shape.get("pages-languages")
    for kind in ("cold", "warm"):
        one, several = result.median(kind), result.median(f"{kind}-languages")
        if one and several and pages and more:
            ratios[f"{kind}-languages/{kind} (wall)"] = several.wall / one.wall
            ratios[f"{kind}-languages/{kind} per page"] = (several.wall / more) / (one.wall / pages)
    if pages and more:
        ratios["pages-languages/pages"] = more / pages
    material = result.median("material-cold")
    if cold and material:
        ratios["cold/material-cold"] = cold.wall / material.wall
        ratios["peak/material-peak"] = cold.peak_mb / material.peak_mb
    material_warm = result.median("material-warm")
    if warm and material_warm:
        ratios["warm/material-warm"] = warm.wall / material_warm.wall
    return ratios


def save(results: list[Result], path: Path) -> None:
    data = [
        {
            "n": r.n,
            "shape": r.shape,
            "median": {k: asdict(r.median(k)) for k in r.runs},
            "runs": {k: [asdict(m) for m in v] for k, v in r.runs.items()},
            "first_search": r.searches,
            "saves": r.saves,
            "ratios": ratios_of(r),
        }
        for r in results
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
