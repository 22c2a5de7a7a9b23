"""Builds a corpus several ways and measures each (measure.py): medians of several
runs, interleaved so that a noisy moment of the machine does not fall on one kind."""

from __future__ import annotations

import shutil
import sys
from dataclasses import asdict
from pathlib import Path

from ogp_local.bench import corpus
from ogp_local.bench.measure import Result, measure


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
    """Every measure of a corpus of `n` stories written into `work`."""
    run = _Run(n, work, template, repeat, log)
    run.cold_and_warm(languages)
    run.edits()
    run.plain()
    if search:
        run.first_searches()
    if serve:
        run.saves()
    if compare:
        from ogp_local.bench import material

        material.run_compare(run.result, run.stories, work, repeat, log)
    return run.result


class _Run:
    """One corpus and the builds measured on it."""

    def __init__(self, n: int, work: Path, template: Path, repeat: int, log) -> None:
        self.n, self.work, self.template, self.repeat, self.log = n, work, template, repeat, log
        self.stories = work / "stories"
        self.plain_root = work / "plain"
        layout = corpus.write(self.stories, n, template)
        corpus.write_plain(self.stories, self.plain_root)
        self.result = Result(n, asdict(layout) | {"stories": layout.stories})
        self.python = sys.executable
        self.ours = mkdocs(self.python, self.stories)
        self.publish = [self.python, "-m", "ogp_local", "build"]
        """The product's own build command (atomic, with the build record)."""
        # The same site with Material's lunr search in place of ours (no index of our
        # own, nothing precompressed): what the search and the .gz/.br copies cost.
        self.lunr = self._variant(
            "lunr", "  - search\n", "      search: {enabled: false}\n      precompress: false\n"
        )
        self.edited = sorted((self.stories / "cases").glob("*.md"))[0]

    def record(self, name: str, attempt: int, command: list[str], root: Path | None = None):
        m = measure(command, root or self.stories)
        self.result.runs.setdefault(name, []).append(m)
        self.log(
            f"  N={self.n} {name} #{attempt + 1}: {m.wall:.1f} s wall, {m.cpu:.1f} s CPU, "
            f"{m.peak_mb:.0f} MB, cards {m.made} made / {m.reused} reused"
        )

    def _variant(self, name: str, plugin: str, options: str) -> list[str]:
        """The corpus's mkdocs.yml with more options for our plugin (and `plugin`)."""
        config = self.stories / f"mkdocs-{name}.yml"
        text = (self.stories / "mkdocs.yml").read_text("utf-8")
        config.write_text(
            text.replace("  - ogp-local:\n", f"{plugin}  - ogp-local:\n{options}", 1), "utf-8"
        )
        # A site of its own: each variant's build record and pages stay its own, so
        # that a warm build of one follows a build of the same.
        site = str(self.stories / f"site-{name}")
        return [self.python, "-m", "mkdocs", "build", "-f", str(config), "-d", site]

    def _root_of(self, name: str) -> Path:
        return self.work / "languages" if name.endswith("-languages") else self.stories

    def cold_and_warm(self, languages: tuple[str, ...]) -> None:
        """Cold builds (no cache of that corpus), then warm ones, each kind in turn."""
        # Without trends, circles and open data: what those pages cost.
        bare = self._variant(
            "bare",
            "",
            "      trends: false\n      circles: false\n      open_data: {enabled: false}\n",
        )
        colds: tuple = (("cold", self.publish), ("cold-lunr", self.lunr))
        # warm: `mkdocs build` again, nothing changed (the pages taken from site/);
        # warm-rendered: the same with no site/ to take them from (every page rendered).
        warms: tuple = (
            ("warm", self.ours),
            ("warm-rendered", self.ours),
            ("warm-bare", bare),
            ("warm-lunr", self.lunr),
        )
        if languages:
            # The same stories with a quarter of them translated into each other
            # language: what a site in several languages costs against one language.
            multi = self.work / "languages"
            langs = ("en", *languages)
            corpus.write(multi, self.n, self.template, languages=langs, translated=0.25)
            colds += (("cold-languages", mkdocs(self.python, multi)),)
            warms += (("warm-languages", mkdocs(self.python, multi)),)
        for attempt in range(self.repeat):
            k = attempt % len(colds)
            for name, command in colds[k:] + colds[:k]:
                # Cold: no cache of that corpus (the other's stays, for its warm builds).
                shutil.rmtree(self._root_of(name) / ".cache", ignore_errors=True)
                self.record(name, attempt, command, self._root_of(name))
        # The last cold build was another variant's, which began by removing the cache:
        # one build first, unmeasured, so that warm follows a build of its own.
        measure(self.ours, self.stories)
        for attempt in range(self.repeat):
            k = attempt % len(warms)
            for name, command in warms[k:] + warms[:k]:
                if name == "warm-rendered":
                    shutil.rmtree(self.stories / "site", ignore_errors=True)
                self.record(name, attempt, command, self._root_of(name))
        if languages:
            self.result.shape["pages"] = _pages(self.stories / "site")
            self.result.shape["pages-languages"] = _pages(self.work / "languages" / "site")
            self.result.shape["languages"] = ["en", *languages]

    def _edit(self, attempt: int, mark: str) -> None:
        text = self.original.replace('title: "', f'title: "{mark} {attempt} ', 1)
        self.edited.write_text(text, "utf-8")

    def edits(self) -> None:
        """A full build after a one-story edit; then what `ogp-local build` does (the
        build record: nothing at all when nothing changed, the pages an edit touches
        otherwise)."""
        self.original = self.edited.read_text("utf-8")
        for attempt in range(self.repeat):
            self._edit(attempt, "Edit")
            shutil.rmtree(self.stories / "site", ignore_errors=True)  # every page rendered
            self.record("edit-full", attempt, self.ours)
        publish = self.publish
        measure(publish, self.stories)  # the site/ the next ones start from, and its record
        for attempt in range(self.repeat):
            self.record("nochange", attempt, publish)
        for attempt in range(self.repeat):
            self._edit(attempt, "Incremental")
            self.record("edit", attempt, publish)
        self.edited.write_text(self.original, "utf-8")

    def plain(self) -> None:
        """A plain `mkdocs build` of the same stories as ordinary pages: the floor."""
        for attempt in range(self.repeat):
            self.record("plain", attempt, mkdocs(self.python, self.plain_root), self.plain_root)

    def first_searches(self) -> None:
        """Build the site each way, then search it in Chromium as a reader would."""
        from ogp_local.bench.search import first_search

        page = f"cases/{self.edited.stem}/"
        for name, command in {"lunr": self.lunr, "ours": self.ours}.items():
            measure(command, self.stories)
            site = Path(command[command.index("-d") + 1])
            runs = sorted(
                (first_search(site, page, "lobby") for _ in range(3)),
                key=lambda r: r.seconds,
            )
            found = self.result.searches[name] = asdict(runs[1])  # the median of three
            kb, seconds = found["gzip_bytes"] / 1024, found["seconds"]
            self.log(f"  N={self.n} first search, {name}: {kb:.0f} KB, {seconds:.2f} s")

    def saves(self) -> None:
        """Saves of a story in `serve`, timed until Chromium shows them."""
        from ogp_local.bench.preview import saves

        self.result.saves = saves(self.stories, self.edited).seconds
        shown = ", ".join(f"{s:.2f}" for s in self.result.saves)
        self.log(f"  N={self.n} save to page in the preview: {shown} s")


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))
