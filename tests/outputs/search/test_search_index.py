"""What the build writes for search and for static hosts, read back from the files:
the Pagefind index (its records decoded), the precompressed siblings (decompressed),
and the settings that turn them off."""

from __future__ import annotations

import contextlib
import gzip
import re
from pathlib import Path

import brotli
import pytest
from conftest import Project, search_records

SEARCH_LINE = re.compile(r"search: (\d+) records (indexed|copied from the cache)")


def _options(project: Project, text: str) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  - ogp-local:\n", "  - ogp-local:\n" + text, 1)
    )


def test_every_story_is_a_record_with_its_filters(project: Project):
    project.case(
        "lobby",
        title="A lobby registry",
        member=["Madrid", "Getafe"],
        country="Spain",
        date="2024-03-05",
        challenges=["anti-corruption", "Access to Information"],
        lang="es",
    )
    project.roundup("2023-11", {"a-video": {"title": "A video", "kind": "video"}})
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    records = {r["meta"]["href"]: r for r in search_records(project.root / "site")}
    case = records["cases/lobby/"]
    assert case["filters"] == {
        "kind": ["case"],
        "year": ["2024"],
        "area": ["anti-corruption", "access-to-information"],  # the story's order
        "country": ["Spain"],
        "member": ["madrid", "getafe"],
        "lang": ["es"],
    }
    assert case["meta"]["title"] == "A lobby registry"
    assert case["meta"]["kind"] == "Case study"
    assert case["meta"]["member"] == "Madrid, Getafe"
    assert case["meta"]["date"] == "5 March 2024"
    assert case["meta"]["lang"] == "es"
    item = records["roundups/2023-11/#a-video"]
    assert item["filters"]["kind"] == ["video"]
    assert "lang" not in item["meta"]  # the site's own language is not marked
    assert records["roundups/2023-11/"]["filters"]["kind"] == ["roundup"]
    assert "challenges/anti-corruption/" in records
    assert "members/madrid/" in records
    html = (project.root / "site/stories/index.html").read_text("utf-8")
    assert '<option value="getafe">Getafe</option>' in html
    assert '<option value="es">Spanish</option>' in html


def test_the_index_is_remade_only_when_its_text_changes(project: Project):
    case = project.case("one", title="First words")
    first = project.build()
    assert SEARCH_LINE.search(first.stderr)[2] == "indexed", first.stderr
    again = project.build()
    assert SEARCH_LINE.search(again.stderr)[2] == "copied from the cache", again.stderr
    case.write_text(case.read_text("utf-8").replace("First words", "Second words"))
    changed = project.build()
    assert SEARCH_LINE.search(changed.stderr)[2] == "indexed", changed.stderr
    titles = [r["meta"]["title"] for r in search_records(project.root / "site")]
    assert "Second words" in titles and "First words" not in titles


def test_text_files_have_gzip_and_brotli_siblings(project: Project):
    project.case("one", body="Words. " * 400)
    result = project.build()
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    page = site / "cases/one/index.html"
    original = page.read_bytes()
    assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == original
    assert brotli.decompress(Path(f"{page}.br").read_bytes()) == original
    for path in site.rglob("*"):
        if path.suffix in (".gz", ".br"):
            assert path.with_suffix("").exists(), path
        elif path.suffix in (".png", ".jpg", ".webp", ".zip") or path.name.endswith(".pf_meta"):
            assert not Path(f"{path}.gz").exists(), f"{path} is compressed already"


def test_search_and_precompression_can_be_turned_off(project: Project):
    _options(project, "      search: {enabled: false}\n      precompress: false\n")
    project.case("one")
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    assert not (site / "pagefind").exists()
    assert not (site / "stories").exists()
    packed = [p.name for p in [*site.rglob("*.gz"), *site.rglob("*.br")]]
    assert packed == ["sitemap.xml.gz"]  # MkDocs' own, always written
    assert 'id="ogp-search-input"' not in (site / "cases/one/index.html").read_text("utf-8")


def test_materials_search_beside_ours_gets_a_warning(project: Project):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("plugins:\n", "plugins:\n  - search\n"))
    project.case("one")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "remove `- search` from `plugins:`" in result.stderr
    strict = project.build("--strict", agree=False)
    assert strict.returncode != 0


def test_compressed_copies_are_cached_and_the_cache_stays_bounded(tmp_path: Path):
    from ogp_local.outputs.compress import KEEP, precompress

    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    page = site / "page.html"
    for n in range(12):  # twelve edits of one page
        page.write_text(f"<p>Edit {n}</p>" + "words " * 500)
        made = precompress(site, cache)
        assert made.files == 1 and made.made == 2
        assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
    again = precompress(site, cache)
    assert again.made == 0  # nothing changed: every copy from the cache
    kept = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    live = Path(f"{page}.gz").stat().st_size + Path(f"{page}.br").stat().st_size
    assert kept <= KEEP * live * 1.1, "the cache grows with every edit"


def test_a_missing_pagefind_binary_is_one_clear_line(project: Project):
    project.case("one")
    result = project.build(extra_env={"PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}, agree=False)
    assert result.returncode != 0
    assert "Pagefind's binary is missing (/nonexistent/pagefind): pip install" in result.stderr
    assert "Traceback" not in result.stderr


def _running() -> list[str]:
    """The command lines of this process's children still running (an old bundle's
    `rm` that ended and was not reaped yet is not)."""
    import psutil

    commands = []
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # a zombie, or gone
            commands.append(" ".join(child.cmdline()))
    return commands


def test_a_previews_index_gives_way_to_the_next_saves(tmp_path: Path):
    """A preview's index still being made when the author saves again is given up,
    its Pagefind stopped: the next save's index is the one that counts."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from ogp_local.outputs.search import pagefind
    from ogp_local.outputs.search.records import Record

    words = "lobby registry participatory budget open contracting gender parity "
    records = [
        Record(f"cases/c{n}/", f"Case {n}", f"{words}{n} " * 40, (("kind", "Case"),))
        for n in range(4000)
    ]
    index = pagefind.SearchIndex(tmp_path / "cache", "en", background=True)
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(index.write, records, tmp_path / "site")
        deadline = time.monotonic() + 120
        while not job.done() and time.monotonic() < deadline:
            if any("pagefind" in command for command in _running()):
                break
            time.sleep(0.01)
        index.cancel()
        with pytest.raises(pagefind.Superseded):
            job.result(timeout=60)
    assert not any("pagefind" in command for command in _running())
    assert not (tmp_path / "site" / "pagefind").exists()
    made = pagefind.SearchIndex(tmp_path / "cache", "en").write(records[:10], tmp_path / "site")
    assert made.records == 10 and (tmp_path / "site" / "pagefind").is_dir()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_an_edit_rewrites_only_its_documents_and_makes_the_index_a_fresh_one_would(
    tmp_path: Path,
):
    """The documents Pagefind reads stay in the cache between builds: an edit rewrites
    the few that changed (the rest keep their files), a removed record's file goes, and
    the bundle is byte for byte the one an empty cache makes. Old bundles are removed."""
    import time

    from ogp_local.outputs.search import pagefind
    from ogp_local.outputs.search.records import Record

    def records(title: str, count: int) -> list[Record]:
        return [
            Record(f"cases/c{n}/", title if n == 3 else f"Case {n}", f"lobby registry {n}")
            for n in range(count)
        ]

    cache = tmp_path / "cache"
    pagefind.SearchIndex(cache, "en").write(records("Case 3", 1200), tmp_path / "first")
    documents = cache / pagefind.RECORDS
    before = {p: p.stat().st_mtime_ns for p in documents.rglob("*.html")}
    assert len(before) == 1200
    time.sleep(0.01)
    edited = records("A lobby registry for Madrid", 1100)
    pagefind.SearchIndex(cache, "en").write(edited, tmp_path / "edited")
    after = {p: p.stat().st_mtime_ns for p in documents.rglob("*.html")}
    assert len(after) == 1100, "the removed records' documents are gone"
    rewritten = sorted(p.name for p in after if after[p] != before[p])
    assert rewritten == ["000003.html"]
    assert "A lobby registry for Madrid" in (documents / "000" / "000003.html").read_text()

    pagefind.SearchIndex(tmp_path / "fresh", "en").write(edited, tmp_path / "clean")
    assert _tree(tmp_path / "edited" / "pagefind") == _tree(tmp_path / "clean" / "pagefind")

    for n in range(pagefind.KEPT + 2):
        pagefind.SearchIndex(cache, "en").write(records(f"Edit {n}", 50), tmp_path / f"s{n}")
    deadline = time.monotonic() + 60  # old bundles are removed in the background
    while len(bundles := [p for p in cache.iterdir() if p.name != pagefind.RECORDS]) > 3:
        assert time.monotonic() < deadline, sorted(p.name for p in bundles)
        time.sleep(0.05)
    assert len(bundles) == pagefind.KEPT == 3


def test_a_damaged_records_folder_is_mended_not_reported(tmp_path: Path):
    """The documents' folder is the cache's own: a file where a folder goes, a folder
    where a document goes, a stray folder, or a link to elsewhere (left alone) are
    put right, and the index is the one an empty cache makes."""
    from ogp_local.outputs.search import pagefind
    from ogp_local.outputs.search.records import Record

    records = [Record(f"cases/c{n}/", f"Case {n}", f"lobby {n}") for n in range(1500)]
    pagefind.SearchIndex(tmp_path / "clean", "en").write(records, tmp_path / "expected")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "000").mkdir(parents=True)
    (elsewhere / "000" / "keep.txt").write_text("not the cache's")
    for damage in ("file-for-folder", "folder-for-file", "stray", "link"):
        cache = tmp_path / damage
        folder = cache / pagefind.RECORDS
        folder.mkdir(parents=True)
        if damage == "file-for-folder":
            (folder / "000").write_text("junk")
        elif damage == "folder-for-file":
            (folder / "001" / "001004.html").mkdir(parents=True)
        elif damage == "stray":
            (folder / "999" / "x").mkdir(parents=True)
            (folder / "000").mkdir()
            (folder / "000" / "000000.html.tmp").write_text("junk")
        else:
            folder.rmdir()
            folder.symlink_to(elsewhere, target_is_directory=True)
        made = pagefind.SearchIndex(cache, "en").write(records, tmp_path / f"site-{damage}")
        assert made.records == 1500 and not made.reused
        assert _tree(tmp_path / f"site-{damage}" / "pagefind") == _tree(
            tmp_path / "expected" / "pagefind"
        ), damage
    assert (elsewhere / "000" / "keep.txt").read_text() == "not the cache's"
