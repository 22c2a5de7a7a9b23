"""`ogp-local` against what a comms team (or a hostile one) can type, paste or import,
and against a machine that refuses to write: a message, never a traceback or a leak."""

from __future__ import annotations

import csv
import os
import re
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Project, env

NEW_CASE = ("new", "case", "--member", "Madrid", "--country", "Spain", "--area", "justice")
COLUMNS = ["title", "member", "country", "areas", "summary", "link", "image", "image_alt"]


def run(project: Project, *args: str, umask: int = 0o022, fsize: int | None = None):
    """`ogp-local` as a subprocess with a given umask and, optionally, a file size limit."""

    def limits() -> None:
        os.umask(umask)
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "ogp_local", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
        preexec_fn=limits,
    )


def write_csv(path: Path, rows: list[list[str]], header: bool = True) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


# -- 1. the published site is readable by the web server ---------------------------------


def test_published_site_carries_the_umasks_normal_permissions(project: Project):
    project.case("good")
    result = run(project, "build", umask=0o022)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    for path in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = 0o755 if path.is_dir() else 0o644
        assert mode == expected, f"{path.relative_to(project.root)}: {oct(mode)}"


# -- 2. a --slug is a file name, and nothing is written outside the story folders ----------


def test_a_slug_that_is_not_a_file_name_is_a_usage_error(project: Project):
    project.roundup("2023-12")
    before = sorted(project.root.rglob("*"))
    escape = project.ogp(*NEW_CASE, "Escape", "--slug", "../../somewhere/x")
    assert escape.returncode == 2
    assert "'../../somewhere/x' is not a slug" in escape.stderr
    assert "somewhere-x" in escape.stderr
    spaced = project.ogp(*NEW_CASE, "Spaced", "--slug", "Bad Slug")
    assert spaced.returncode == 2
    assert "'bad-slug'" in spaced.stderr
    item = project.ogp(
        "new", "item", "2023-12", "Item", "--member", "Madrid", "--country", "Spain",
        "--area", "justice", "--slug", "../../../x",
    )  # fmt: skip
    assert item.returncode == 2
    assert "is not a slug" in item.stderr
    assert sorted(project.root.rglob("*")) == before
    assert not (project.root.parent / "somewhere").exists()
    assert not (project.root.parent / "x.md").exists()
    good = project.ogp(*NEW_CASE, "Good", "--slug", "good-one")
    assert good.returncode == 0, good.stderr
    assert (project.root / "cases/good-one.md").is_file()


def test_a_story_path_never_leaves_its_folder(tmp_path: Path):
    from ogp_local.cli.scaffold import story_path

    (tmp_path / "cases").mkdir()
    (tmp_path / "cases/out.md").symlink_to(tmp_path / "elsewhere.md")
    assert story_path(tmp_path / "cases", "fine") == tmp_path / "cases/fine.md"
    for slug in ("../x", "out", "a/b"):
        with pytest.raises(ValueError, match="outside"):
            story_path(tmp_path / "cases", slug)


# -- 3. a very long title: a short slug, the whole title ----------------------------------

LONG_TITLE = " ".join(["Participatory budgeting reaches every district"] * 6) + " again" * 4


def test_a_306_character_title_gets_a_capped_slug_and_stays_whole(project: Project, tmp_path):
    assert len(LONG_TITLE + "!") == 306
    result = project.ogp(*NEW_CASE, LONG_TITLE + "!")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    (case,) = (project.root / "cases").glob("*.md")
    assert len(case.stem) <= 80
    assert ("participatory-budgeting-reaches-every-district-" * 6).startswith(case.stem + "-")
    assert f'title: "{LONG_TITLE}!"' in case.read_text()

    project.roundup("2023-12")
    sheet = write_csv(tmp_path / "long.csv", [[LONG_TITLE, "Madrid", "Spain", "justice"]])
    imported = project.ogp("import", "2023-12", str(sheet))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    no_traceback(imported)
    (item,) = (project.root / "roundups/2023-12").glob("participatory-*.md")
    assert item.stem == case.stem
    assert f'title: "{LONG_TITLE}"' in item.read_text()


def test_a_capped_slug_is_the_start_of_the_title_word_for_word():
    from ogp_local.cli.scaffold import story_slug
    from slugify import slugify

    title = ("Participatory budgeting in every district " * 8)[:300]
    slug = story_slug(title)
    assert len(slug) <= 80 and (slugify(title) + "-").startswith(slug + "-")
    assert slug.endswith("in-every")  # not "…-every-in-in": no later words packed in
    assert len(story_slug("x" * 306)) == 80


# -- 4. OS errors: one line naming the path, a traceback only with -v ----------------------


def test_a_site_dir_that_cannot_be_made_is_one_line(project: Project):
    project.case("good")
    project.write("blocker", "a file where a folder should be\n")
    result = project.ogp("build", "--site-dir", "blocker/site")
    assert result.returncode == 1
    no_traceback(result)
    (line,) = result.stderr.splitlines()
    assert f"{project.root / 'blocker'}" in line
    assert line.startswith("ogp-local: ") and "(" in line
    verbose = project.ogp("-v", "build", "--site-dir", "blocker/site")
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr


def test_mkdocs_failing_to_write_is_one_line(project: Project):
    project.case("good")
    result = run(project, "build", fsize=64 * 1024)  # every bigger file: EFBIG
    assert result.returncode == 1
    no_traceback(result)
    assert re.search(r"ogp-local: .*/\.site-build-\S+: File too large \(", result.stderr)
    assert "Build failed; " in result.stderr and "left as it was" in result.stderr
    assert not (project.root / "site").exists()
    assert not list(project.root.glob(".site-build-*"))
    verbose = run(project, "--verbose", "build", fsize=64 * 1024)
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr


def test_new_into_a_folder_that_is_a_file_is_one_line(project: Project):
    project.write("cases", "not a folder\n")
    result = project.ogp(*NEW_CASE, "A reform")
    assert result.returncode == 1
    no_traceback(result)
    assert f"ogp-local: {project.root / 'cases'}: " in result.stderr


def test_an_unreadable_config_is_one_line(project: Project):
    (project.root / "mkdocs.yml").unlink()
    (project.root / "mkdocs.yml").symlink_to("/proc/self/mem")  # reading it fails, even as root
    for command in (["check"], ["build"], [*NEW_CASE, "T"]):
        result = project.ogp(*command)
        assert result.returncode == 1, command
        no_traceback(result)
        assert "mkdocs.yml" in result.stderr


def test_an_import_that_fills_the_disk_writes_nothing(project: Project, tmp_path):
    project.roundup("2023-12")
    rows = [[f"News {n}", "Madrid", "Spain", "justice"] for n in range(3)]
    sheet = write_csv(tmp_path / "items.csv", rows)
    result = run(project, "import", "2023-12", str(sheet), fsize=1024)  # an item is bigger
    assert result.returncode == 1
    no_traceback(result)
    assert f"ogp-local: {project.root / 'roundups/2023-12/news-0.md'}: File too large (" in (
        result.stderr
    )
    assert sorted(p.name for p in (project.root / "roundups/2023-12").iterdir()) == ["index.md"]


# -- 6. spreadsheet cells are plain text ------------------------------------------------------

HOSTILE = (
    "Budget <script>alert(1)</script> & <img src=x onerror=alert(2)> for *all*\n"
    "---\n"
    "# Heading\x0bmore [link](javascript:alert(3)) {: onclick=alert(4) }"
)


def test_imported_cells_come_out_as_text(project: Project, tmp_path):
    project.roundup("2023-12")
    sheet = write_csv(
        tmp_path / "items.csv",
        [
            ["Plain one", "Madrid", "Spain", "justice", "A plain summary."],
            ["Hostile one", "Madrid", "Spain", "justice", HOSTILE],
            ["Listed one", "Madrid", "Spain", "justice", "1. first\n- second\n> quoted"],
        ],
    )
    result = project.ogp("import", "2023-12", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    item = (project.root / "roundups/2023-12/hostile-one.md").read_text()
    assert "U+000B" not in result.stdout  # a line break in a cell is a space, quietly
    assert (  # the front matter holds the cell's text exactly, on one line
        'summary: "Budget <script>alert(1)</script> & <img src=x onerror=alert(2)> for *all* '
        '--- # Heading more [link](javascript:alert(3)) {: onclick=alert(4) }"'
    ) in item
    built = project.ogp("build")
    assert built.returncode == 0, built.stderr
    month = project.html("roundups/2023-12")
    bodies = "".join(re.findall(r'class="ogp-item__body">(.*?)</div>', month, re.S))
    assert "<script>alert" not in month and "<img src=x" not in month
    assert 'href="javascript:' not in month and 'onclick="' not in month
    assert (
        "<p>Budget &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt; "
        "for *all* --- # Heading more [link](javascript:alert(3)) {: onclick=alert(4) }</p>"
    ) in bodies
    assert "<p>1. first - second &gt; quoted</p>" in bodies
    assert sorted(re.findall(r'<h2 id="([^"]+)"', month)) == [
        "hostile-one",
        "listed-one",
        "plain-one",
    ]
    assert bodies.count("<") == 2 * bodies.count("<p>") == 6  # three paragraphs, nothing else


def test_a_csv_without_header_row_gets_one_message(project: Project, tmp_path):
    project.roundup("2023-12")
    row = ["Buenos Aires launches the City of Childhood Index", "Buenos Aires", "Argentina"]
    sheet = write_csv(
        tmp_path / "file.csv", [row + ["public-participation", "", "", "", ""]], False
    )
    result = project.ogp("import", "2023-12", str(sheet))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{sheet}:1: header: row 1 must be the header: title, member, country, areas, "
        "summary, link, image, image_alt (insert it above the first row)"
    ]


# -- 10. leftovers of killed builds ---------------------------------------------------------


def test_the_next_build_clears_leftovers_of_killed_builds(project: Project):
    project.case("good")
    dead = project.write(".site-build-123456789-abc/index.html", "half a site\n").parent
    alive = project.write(f".site-build-{os.getpid()}-busy/index.html", "in use\n").parent
    other = project.write(".other-build-123456789-abc/keep", "not ours\n").parent
    result = project.ogp("build")
    assert result.returncode == 0, result.stderr
    assert not dead.exists()
    assert alive.is_dir() and other.is_dir()


def test_make_clean_removes_leftovers(tmp_path: Path):
    (tmp_path / ".site-build-123456789-abc").mkdir()
    (tmp_path / ".site-build-123456789-abc/index.html").write_text("half a site\n")
    (tmp_path / "site").mkdir()
    result = subprocess.run(
        ["make", "-f", str(REPO / "Makefile"), "-C", str(tmp_path), "clean"],
        capture_output=True,
        text=True,
        env=env(),
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
