"""Incremental builds (issue 17): after any sequence of edits, what `ogp-local build`
publishes (taking unchanged pages from the last build) is byte for byte what a clean
full build of the same tree writes.

A Hypothesis state machine edits a small two-language project: it adds, changes,
renames and deletes case studies, roundup items and translations, and changes a
template, a setting, an area's colour and a content page. After each edit it publishes
with the real `publish` of `ogp-local build` (MkDocs in-process, to keep a sequence
fast) and compares every file with a clean build into another folder.

Budget: `INCREMENTAL_SEQUENCES` sequences (CI: a few; the long run: 500), each of up
to `INCREMENTAL_STEPS` edits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from conftest import REPO, front_matter
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from ogp_local.build import build_record
from ogp_local.cache import stores
from ogp_local.cli.build import publish
from ogp_local.mkdocs.commands import environment

SEQUENCES = int(os.environ.get("INCREMENTAL_SEQUENCES", "6"))
JOURNAL = os.environ.get("INCREMENTAL_JOURNAL")
"""A file to append one line per edit and per sequence to (a long run's progress)."""
STEPS = int(os.environ.get("INCREMENTAL_STEPS", "4"))
EPOCH = "1764547200"

CONFIG = """\
site_name: Test Stories
site_url: https://example.org/stories/
docs_dir: content
theme:
  name: material
  custom_dir: theme
  font: false
plugins:
  - ogp-local:
      languages: [en, es]
      per_page: {per_page}
      areas_file: areas.yml
      cards:
        sizes: [1200x630]
      feeds:
        size: {feed_size}
nav:
  - Home: index.md
  - Case studies: cases/index.md
  - Roundups: roundups/index.md
  - Challenge areas: challenges/index.md
  - About: about.md
"""

AREAS = ["anti-corruption", "gender-and-inclusion", "public-participation", "justice"]
MEMBERS = [("Madrid", "Spain"), ("Bogotá", "Colombia"), ("Banggai", "Indonesia")]
WORDS = ["registry", "parity", "budget", "open data", "lobby", "pregnant women", "courts"]


def run_in_process(*args: str, env: dict[str, str] | None = None) -> int:
    """`mkdocs build …` as `ogp-local build` runs it, in this process."""
    config_file = args[args.index("--config-file") + 1]
    site_dir = args[args.index("--site-dir") + 1]
    dirty = "--dirty" in args
    with environment(env):
        cfg = load_config(config_file=config_file, site_dir=site_dir, strict="--strict" in args)
        cfg.plugins.on_startup(command="build", dirty=dirty)
        try:
            mkdocs_build.build(cfg, dirty=dirty)
        finally:
            cfg.plugins.on_shutdown()
    return 0


def clean_build(root: Path, site: Path) -> None:
    """A full build from nothing (the record it leaves is put back as it was)."""
    folder = root / ".cache" / "ogp-local"
    # The record and the stores the incremental build left (stores.load):
    # the next incremental build reads them, not the full build's.
    left = [*folder.glob("build-record-*.json"), *folder.glob(f"{stores.FOLDER}/*")]
    kept = {p: p.read_bytes() for p in left}
    shutil.rmtree(site, ignore_errors=True)
    args = ["build", "--clean", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)]
    stores.forget()  # from nothing: none of this process's stores
    assert run_in_process(*args) == 0
    stores.forget()  # the next build reads the stores as `ogp-local build` does
    for path in [*folder.glob("build-record-*.json"), *folder.glob(f"{stores.FOLDER}/*")]:
        if path not in kept:
            path.unlink()  # the full build's own record: not the published site's
    for path, data in kept.items():
        path.write_bytes(data)


def differences(left: Path, right: Path) -> list[str]:
    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    a, b = files(left), files(right)
    found = [f"only in the incremental build: {p}" for p in sorted(set(a) - set(b))]
    found += [f"only in the full build: {p}" for p in sorted(set(b) - set(a))]
    found += [f"differs: {p}" for p in sorted(set(a) & set(b)) if a[p] != b[p]]
    return found


def case_text(slug: str, title: str, area: str, member: tuple[str, str], date: str, body: str):
    fields = {
        "title": title,
        "member": member[0],
        "country": member[1],
        "date": date,
        "summary": f"What {member[0]} did about {body.split()[0]}.",
        "challenges": [area],
    }
    return front_matter(fields, f"## The problem\n\n{body}\n")


class Edits(RuleBasedStateMachine):
    """A project, published incrementally after each edit and checked against a
    clean build."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ogp-incremental-"))
        self.root = self.folder / "project"
        self.counter = 0

    @initialize()
    def start(self) -> None:
        shutil.copytree(BASE, self.root, symlinks=True)
        self.journal("sequence")

    def journal(self, line: str) -> None:
        if JOURNAL:
            with open(JOURNAL, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers -----------------------------------------------------------------------

    def cases(self) -> list[Path]:
        return sorted(p for p in (self.root / "cases").glob("*.md") if p.stem.count(".") == 0)

    def items(self) -> list[Path]:
        return sorted(
            p
            for p in (self.root / "roundups").glob("*/*.md")
            if p.name != "index.md" and "." not in p.stem
        )

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}-{self.counter}"

    # -- edits ---------------------------------------------------------------------------

    @rule(
        pick=st.integers(0, 20),
        what=st.sampled_from(["title", "summary", "body", "challenges", "member", "date"]),
        word=st.sampled_from(WORDS),
        area=st.sampled_from(AREAS),
        member=st.sampled_from(MEMBERS),
        day=st.integers(1, 28),
    )
    def change_case(self, pick, what, word, area, member, day) -> None:
        cases = self.cases()
        if not cases:
            return
        path = cases[pick % len(cases)]
        text = path.read_text("utf-8")
        _, head, body = text.split("---\n", 2)
        fields = yaml.safe_load(head)
        if what == "title":
            fields["title"] = f"{fields['title']} on {word}"
        elif what == "summary":
            fields["summary"] = f"A summary about {word}."
        elif what == "body":
            body = body + f"\nMore about {word}.\n"
        elif what == "challenges":
            fields["challenges"] = [area]
        elif what == "member":
            fields["member"], fields["country"] = member
        else:
            fields["date"] = f"2023-0{1 + day % 9}-{day:02d}"
        path.write_text(front_matter(fields, body.lstrip("\n")), "utf-8")

    @rule(
        word=st.sampled_from(WORDS),
        area=st.sampled_from(AREAS),
        member=st.sampled_from(MEMBERS),
        day=st.integers(1, 28),
    )
    def add_case(self, word, area, member, day) -> None:
        slug = self.fresh("case")
        text = case_text(slug, f"New {word} case", area, member, f"2024-02-{day:02d}", word)
        (self.root / "cases" / f"{slug}.md").write_text(text, "utf-8")

    @rule(pick=st.integers(0, 20))
    def delete_case(self, pick) -> None:
        cases = self.cases()
        if len(cases) < 2:
            return
        path = cases[pick % len(cases)]
        for version in path.parent.glob(f"{path.stem}.*md"):
            version.unlink()

    @rule(pick=st.integers(0, 20))
    def rename_case(self, pick) -> None:
        cases = self.cases()
        if not cases:
            return
        path = cases[pick % len(cases)]
        slug = self.fresh("renamed")
        for version in sorted(path.parent.glob(f"{path.stem}.*md")):
            suffix = version.name[len(path.stem) :]
            version.rename(version.with_name(slug + suffix))

    @rule(pick=st.integers(0, 20), word=st.sampled_from(WORDS))
    def translate_case(self, pick, word) -> None:
        cases = self.cases()
        if not cases:
            return
        path = cases[pick % len(cases)]
        fields = {"title": f"Caso sobre {word}", "summary": f"Un resumen sobre {word}."}
        text = front_matter(fields, f"## El problema\n\nTexto sobre {word}.\n")
        path.with_name(f"{path.stem}.es.md").write_text(text, "utf-8")

    @rule(pick=st.integers(0, 20))
    def delete_translation(self, pick) -> None:
        found = sorted((self.root / "cases").glob("*.es.md"))
        if found:
            found[pick % len(found)].unlink()

    @rule(
        pick=st.integers(0, 20),
        word=st.sampled_from(WORDS),
        area=st.sampled_from(AREAS),
        action=st.sampled_from(["change", "add", "delete", "area"]),
    )
    def roundup_item(self, pick, word, area, action) -> None:
        items = self.items()
        if action == "add" or not items:
            month = sorted((self.root / "roundups").iterdir())[pick % 2]
            fields = {
                "title": f"Item on {word}",
                "member": "Valencia",
                "country": "Spain",
                "challenges": [area],
            }
            text = front_matter(fields, f"News about {word}.\n")
            (month / f"{self.fresh('item')}.md").write_text(text, "utf-8")
            return
        path = items[pick % len(items)]
        if action == "delete" and len(items) > 1:
            path.unlink()
            return
        _, head, body = path.read_text("utf-8").split("---\n", 2)
        fields = yaml.safe_load(head)
        if action == "area":
            fields["challenges"] = [area]
        else:
            fields["title"] = f"{fields['title']}, {word}"
        path.write_text(front_matter(fields, body.lstrip("\n")), "utf-8")

    @rule(word=st.sampled_from(WORDS))
    def change_template(self, word) -> None:
        path = self.root / "theme" / "partials" / "ogp" / "case.html"
        path.write_text(path.read_text("utf-8") + f"<!-- {word} -->\n", "utf-8")

    @rule(per_page=st.sampled_from([1, 2, 20]), feed_size=st.sampled_from([2, 50]))
    def change_setting(self, per_page, feed_size) -> None:
        text = CONFIG.format(per_page=per_page, feed_size=feed_size)
        (self.root / "mkdocs.yml").write_text(text, "utf-8")

    @rule(area=st.sampled_from(AREAS), colour=st.sampled_from(["#12355B", "#7A1F5C", "#0B5D1E"]))
    def area_colour(self, area, colour) -> None:
        path = self.root / "areas.yml"
        data = yaml.safe_load(path.read_text("utf-8"))
        entries = data["areas"] if isinstance(data, dict) else data
        for entry in entries:
            if entry.get("slug") == area:
                entry["colour"] = colour
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    @rule(word=st.sampled_from(WORDS))
    def change_page(self, word) -> None:
        path = self.root / "content" / "about.md"
        path.write_text(path.read_text("utf-8") + f"\nWe also write about {word}.\n", "utf-8")

    @rule(pick=st.integers(0, 20))
    def touch(self, pick) -> None:
        cases = self.cases()
        if cases:
            path = cases[pick % len(cases)]
            path.write_bytes(path.read_bytes())  # a new modification time, the same bytes

    # -- the property ----------------------------------------------------------------------

    @invariant()
    def same_as_a_full_build(self) -> None:
        if not self.root.exists():
            return
        site, full = self.root / "site", self.folder / "full"
        publish(self.root / "mkdocs.yml", site, False, run_in_process)
        clean_build(self.root, full)
        found = differences(site, full)
        self.journal(f"  checked: {len(found)} differences")
        assert not found, "\n".join(found[:20])


BASE: Path


@pytest.fixture(scope="module", autouse=True)
def _epoch():
    """Reproducible builds: the incremental and the full build must agree byte for byte."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        yield


@pytest.fixture(scope="module")
def base(tmp_path_factory, _epoch) -> Path:
    """The project every sequence starts from, built once (record and caches kept)."""
    root = tmp_path_factory.mktemp("incremental") / "project"
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copy(REPO / "plugins" / "ogp_local" / "data" / "areas.yml", root / "areas.yml")
    (root / "mkdocs.yml").write_text(CONFIG.format(per_page=2, feed_size=50), "utf-8")
    (root / "content" / "index.md").write_text("# Stories\n\nWelcome.\n", "utf-8")
    (root / "content" / "about.md").write_text("# About\n\nWho we are.\n", "utf-8")
    (root / "content" / "about.es.md").write_text("# Acerca de\n\nQuiénes somos.\n", "utf-8")
    cases = root / "cases"
    cases.mkdir()
    for n, (word, area, member) in enumerate(zip(WORDS[:4], AREAS, MEMBERS * 2, strict=False)):
        text = case_text(f"c{n}", f"Case on {word}", area, member, f"2023-1{n % 3}-0{n + 1}", word)
        (cases / f"c{n}.md").write_text(text, "utf-8")
    fields = {"title": "Caso sobre registro", "summary": "Un resumen."}
    (cases / "c0.es.md").write_text(front_matter(fields, "Texto.\n"), "utf-8")
    for month in ("2023-10", "2023-11"):
        folder = root / "roundups" / month
        folder.mkdir(parents=True)
        fields = {"date": f"{month}-28", "summary": f"The news of {month}."}
        (folder / "index.md").write_text(front_matter(fields, "Intro.\n"), "utf-8")
        for n, area in enumerate(AREAS[:2]):
            item = {"title": f"Item {n}", "member": "Valencia", "country": "Spain"}
            item["challenges"] = [area]
            (folder / f"i{n}.md").write_text(front_matter(item, "News.\n"), "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    return root


def test_a_no_change_build_writes_nothing(base, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    site = root / "site"
    before = build_record.site_files(site)
    publish(root / "mkdocs.yml", site, False, run_in_process)
    assert "up to date" in capsys.readouterr().err
    assert build_record.site_files(site) == before  # not one file written or replaced


def test_a_no_change_build_says_the_warnings_again(base, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    path = root / "cases" / "c3.md"
    path.write_text(path.read_text("utf-8").replace("challenges:\n- justice\n", ""), "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    capsys.readouterr()
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    said = capsys.readouterr().err
    assert "up to date" in said
    assert "cases/c3.md:" in said and "challenges" in said  # the inferred areas, again


def test_a_change_to_one_story_renders_only_its_pages(base, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    path = root / "roundups" / "2023-10" / "i0.md"
    path.write_text(path.read_text("utf-8").replace("Item 0", "Item zero"), "utf-8")
    with contextlib.redirect_stderr(None):
        publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    record = build_record.Record.load(root / ".cache" / "ogp-local", "site")
    assert record is not None
    site = root / "site"
    assert "Item zero" in (site / "roundups" / "2023-10" / "index.html").read_text("utf-8")
    clean_build(root, tmp_path / "full")
    assert differences(site, tmp_path / "full") == []


def test_a_photo_kept_outside_the_story_folders_is_an_input(base, tmp_path, capsys):
    """A hero in a shared photos/ folder: replacing it is a change, not "up to date"."""
    from PIL import Image

    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    (root / "photos").mkdir()
    Image.new("RGB", (900, 600), "#12355B").save(root / "photos" / "hall.jpg", quality=90)
    path = root / "cases" / "c2.md"
    text = path.read_text("utf-8").replace(
        "challenges:", "image: ../photos/hall.jpg\nimage_alt: The city hall\nchallenges:", 1
    )
    path.write_text(text, "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    Image.new("RGB", (600, 900), "#7A1F5C").save(root / "photos" / "hall.jpg", quality=90)
    capsys.readouterr()
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    assert "up to date" not in capsys.readouterr().err
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []
    page = (root / "site" / "cases" / "c2" / "index.html").read_text("utf-8")
    assert 'width="600"' in page or "600w" in page  # the new, upright photo


def test_a_page_that_warned_warns_again_when_something_else_changed(base, tmp_path, caplog):
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    about = root / "content" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nSee [the archive](archive.md).\n", "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    path = root / "cases" / "c1.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    caplog.clear()
    with caplog.at_level("INFO"):
        publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    assert "ogp-local: rendered" in caplog.text  # not a full build
    assert "'about.md' contains a link 'archive.md'" in caplog.text


def test_a_damaged_record_means_rendering_again_never_a_traceback(base, tmp_path):
    import json

    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    [record] = (root / ".cache" / "ogp-local").glob("build-record-*.json")
    data = json.loads(record.read_text("utf-8"))
    for n, entry in enumerate(data["pages"].values()):  # each page damaged one way
        entry.update([("deps", "x"), ("kept", [1]), ("meta", 7)][n % 3 : n % 3 + 1])
    record.write_text(json.dumps(data), "utf-8")
    path = root / "cases" / "c1.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []
    record.write_text('{"format": 1, "pages": []}', "utf-8")  # the wrong shape altogether
    path.write_text(path.read_text("utf-8").replace("A case on", "The case on"), "utf-8")
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []


def test_an_edit_build_parses_only_the_story_it_changed(base, tmp_path, monkeypatch):
    """`ogp-local build` is a new process: what the last build parsed comes from the
    cache folder (stores.load), not from parsing every story again."""
    from ogp_local.content import reader

    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    kept = {p.name for p in (root / ".cache" / "ogp-local" / stores.FOLDER).iterdir()}
    assert kept >= {"card-digests.pickle", "feeds.pickle", "fragments.pickle", "parsed.pickle"}
    parsed = []
    real = reader.source.read
    monkeypatch.setattr(reader.source, "read", lambda *a: parsed.append(a[0]) or real(*a))
    path = root / "cases" / "c2.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    stores.forget()  # as a new process
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    assert parsed == ["cases/c2.md"]
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05\x95", "another code", "a file"],
    ids=["empty", "garbage", "truncated", "another-code", "folder-is-a-file"],
)
def test_a_damaged_store_costs_the_shortcut_never_a_traceback(base, tmp_path, damage):
    import pickle

    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    kept = root / ".cache" / "ogp-local" / stores.FOLDER
    if damage == "a file":  # neither read nor written: the build goes on without
        shutil.rmtree(kept)
        kept.write_bytes(b"x")
    for store in kept.iterdir() if kept.is_dir() else ():
        if damage == "another code":  # well formed, from another version of the code
            values = pickle.loads(store.read_bytes())[1]
            store.write_bytes(pickle.dumps(("0" * 64, values)))
        else:
            store.write_bytes(damage)
    path = root / "cases" / "c1.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    stores.forget()
    publish(root / "mkdocs.yml", root / "site", False, run_in_process)
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []


def test_another_plugin_makes_every_build_a_full_one(base, tmp_path, caplog):
    """Material's search indexes the pages a build renders: with it, nothing is reused."""
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace("plugins:\n", "plugins:\n  - search\n")
    config.write_text(
        text.replace("      per_page:", "      search: {enabled: false}\n      per_page:")
    )
    publish(config, root / "site", False, run_in_process)
    path = root / "cases" / "c1.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    caplog.clear()
    with caplog.at_level("INFO"):
        publish(config, root / "site", False, run_in_process)
    assert "full build: the `material/search` plugin needs every page rendered" in caplog.text
    index = (root / "site" / "search" / "search_index.json").read_text("utf-8")
    assert "A case on parity" in index and "Case on registry" in index  # the edited and the others
    clean_build(root, tmp_path / "full")
    assert differences(root / "site", tmp_path / "full") == []


def plain_mkdocs_build(root: Path) -> None:
    """`mkdocs build` as a person types it: not dirty, into site/, from a new process's
    stores."""
    stores.forget()
    args = ["build", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(root / "site")]
    assert run_in_process(*args) == 0
    stores.forget()


def set_aside(root: Path) -> list[Path]:
    """The last build's sites set aside beside site/, once their removal is done."""
    for _ in range(100):
        left = sorted(root.glob(".site-old-*"))
        if not left:
            break
        time.sleep(0.05)
    return left


def test_a_plain_mkdocs_build_takes_the_unchanged_pages(base, tmp_path, caplog):
    """A bare `mkdocs build` over a site the project built renders only what changed
    (no trap for whoever types it), and makes the site a full build makes."""
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    site = root / "site"
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", "utf-8")
    unchanged = site / "about" / "index.html"
    inode = unchanged.stat().st_ino
    path = root / "cases" / "c1.md"
    path.write_text(path.read_text("utf-8").replace("Case on", "A case on"), "utf-8")
    with caplog.at_level("INFO"):
        plain_mkdocs_build(root)
    rendered = [line for line in caplog.messages if line.startswith("ogp-local: rendered")]
    assert rendered and "reused 0" not in rendered[0], caplog.text
    assert "Page skipped" not in caplog.text  # the pages taken are not news
    assert unchanged.stat().st_ino == inode  # taken, not written again
    assert "A case on parity" in (site / "cases" / "c1" / "index.html").read_text("utf-8")
    assert (site / ".git" / "HEAD").read_text("utf-8").startswith("ref:")  # as MkDocs keeps it
    assert set_aside(root) == []
    shutil.rmtree(site / ".git")
    clean_build(root, tmp_path / "full")
    assert differences(site, tmp_path / "full") == []
    caplog.clear()
    with caplog.at_level("INFO"):
        plain_mkdocs_build(root)  # nothing changed: every page taken
    assert "ogp-local: rendered 0 pages again" in caplog.text
    assert differences(site, tmp_path / "full") == []


def test_a_failed_plain_mkdocs_build_leaves_the_last_site(base, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(base, root, symlinks=True)
    site = root / "site"
    before = tmp_path / "before"
    shutil.copytree(site, before)
    path = root / "cases" / "c1.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("challenges:\n", "challenges:\n- nowhere\n"), "utf-8")
    stores.forget()
    args = ["build", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)]
    with pytest.raises(Exception, match="BuildError"):  # the problem said in the log
        run_in_process(*args)
    assert differences(site, before) == []  # the last good site, whole
    assert set_aside(root) == []
    path.write_text(path.read_text("utf-8").replace("- nowhere\n", ""), "utf-8")
    plain_mkdocs_build(root)  # no record vouches for that site now: every page rendered
    clean_build(root, tmp_path / "full")
    assert differences(site, tmp_path / "full") == []


def test_random_edit_sequences_build_as_a_full_build_does(base):
    global BASE
    BASE = base
    Edits.TestCase.settings = settings(
        max_examples=SEQUENCES,
        stateful_step_count=STEPS,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    Edits.TestCase().runTest()
