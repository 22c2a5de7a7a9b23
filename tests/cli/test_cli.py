"""`ogp-local` run as a subprocess, the way the communications team runs it."""

from __future__ import annotations

import csv
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, Project, env

SAMPLE = REPO / "plugins/ogp_local/data/roundup-items-sample.csv"


def ogp(project: Project, *args: str, stdin: str | None = ""):
    return subprocess.run(
        [sys.executable, "-m", "ogp_local", *args],
        cwd=project.root,
        input=stdin,
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )


def test_every_scaffold_passes_check_and_builds(project: Project):
    made = [
        ogp(
            project,
            "new",
            "case",
            "Creation of a Mandatory Lobby Registry",
            "--member",
            "Madrid",
            "--country",
            "Spain",
            "--area",
            "Anti-Corruption",
            "--date",
            "2023-11-06",
        ),
        ogp(project, "new", "roundup", "2023-12", "--date", "2023-12-31"),
        ogp(
            project,
            "new",
            "item",
            "2023-12",
            "Buenos Aires launches the City of Childhood Index",
            "--member",
            "Buenos Aires",
            "--country",
            "Argentina",
            "--area",
            "public-participation",
        ),
        ogp(
            project,
            "new",
            "item",
            "2023-12",
            "Brazilian members lead a debate",
            "--member",
            "São Paulo",
            "--member",
            "Santa Catarina",
            "--country",
            "Brazil",
            "--area",
            "public-participation",
            "--area",
            "civic-space",
        ),
    ]
    for result in made:
        assert result.returncode == 0, result.stderr
    case = project.root / "cases/creation-of-a-mandatory-lobby-registry.md"
    text = case.read_text()
    assert "date: 2023-11-06" in text and "challenges: [anti-corruption]" in text
    assert "## The problem" in text and "## What they did" in text and "## Results" in text
    for field in ("hashtags", "impact", "image", "image_alt", "links", "updated", "lang"):
        assert f"# {field}: " in text, field

    checked = ogp(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "still holds the template's placeholder" in checked.stdout
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert (project.root / "site/cases/creation-of-a-mandatory-lobby-registry/index.html").exists()
    month = (project.root / "site/roundups/2023-12/index.html").read_text()
    assert 'id="buenos-aires-launches-the-city-of-childhood-index"' in month
    assert 'id="brazilian-members-lead-a-debate"' in month


def test_new_never_overwrites(project: Project):
    path = project.case("creation-of-a-registry", title="Mine")
    before = path.read_bytes()
    result = ogp(
        project,
        "new",
        "case",
        "Creation of a registry",
        "--member",
        "Madrid",
        "--country",
        "Spain",
        "--area",
        "anti-corruption",
    )
    assert result.returncode == 1
    assert "exists already; nothing was written" in result.stderr
    assert path.read_bytes() == before
    project.roundup("2023-11")
    index = project.root / "roundups/2023-11/index.md"
    before = index.read_bytes()
    assert ogp(project, "new", "roundup", "2023-11").returncode == 1
    assert index.read_bytes() == before


def test_missing_values_without_a_terminal_are_usage_errors(project: Project):
    result = ogp(project, "new", "case", "A title", "--member", "Madrid")
    assert result.returncode == 2
    assert "missing --country" in result.stderr
    unknown = ogp(
        project, "new", "case", "T", "--member", "M", "--country", "C", "--area", "anti-corruptoin"
    )
    assert unknown.returncode == 2
    assert "did you mean 'anti-corruption'?" in unknown.stderr


def test_missing_values_are_asked_for_on_a_terminal(project: Project):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ogp_local", "new", "case", "--date", "2023-11-06"],
        cwd=project.root,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env(),
    )
    os.close(terminal)
    transcript = b""
    answers = iter([b"A registry of lobbyists\n", b"Madrid\n", b"Spain\n", b"anti-corruption\n"])
    # A deadline: a changed prompt must fail this test, not hang the run.
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None or transcript.count(b":") < 4:
            left = deadline - time.monotonic()
            assert left > 0, f"no answer to a prompt within 60 s: {transcript!r}"
            ready, _, _ = select.select([controller], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                chunk = os.read(controller, 1024)
            except OSError:
                break
            transcript += chunk
            if chunk.rstrip().endswith(b":"):
                answer = next(answers, None)
                assert answer is not None, f"more prompts than expected: {transcript!r}"
                os.write(controller, answer)
        process.wait(timeout=30)
    finally:
        process.kill()
        os.close(controller)
    assert process.returncode == 0, transcript
    assert b"Title:" in transcript and b"Country:" in transcript
    text = (project.root / "cases/a-registry-of-lobbyists.md").read_text()
    assert 'member: "Madrid"' in text and "challenges: [anti-corruption]" in text


def test_check_reports_every_problem_and_exits_1(project: Project):
    project.case("a", challenges=["anti-corruptoin"])
    project.case("b", date="2023-13-45")
    project.write("cases/c.md", "---\ntitle: [unclosed\n---\n")
    project.case("d", challenges=None, body="A lobby registry for lobbyists.\n")
    result = ogp(project, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "cases/a.md:8: challenges: unknown area 'anti-corruptoin' (did you mean 'anti-corruption'?)"
    ) in lines
    assert any(line.startswith("cases/b.md:5: date: '2023-13-45' is not a date") for line in lines)
    assert any(line.startswith("cases/c.md:2: front matter: YAML syntax error") for line in lines)
    assert any(
        line.startswith("cases/d.md:1: challenges: missing; inferred anti-corruption")
        for line in lines
    )
    assert "3 error(s), 1 warning(s)" in result.stderr

    as_json = ogp(project, "check", "--format", "json")
    assert as_json.returncode == 1
    problems = json.loads(as_json.stdout)
    assert {(p["path"], p["line"], p["field"], p["severity"]) for p in problems} == {
        ("cases/a.md", 8, "challenges", "error"),
        ("cases/b.md", 5, "date", "error"),
        ("cases/c.md", 2, "front matter", "error"),
        ("cases/d.md", 1, "challenges", "warning"),
    }


def test_strict_check_fails_on_warnings(project: Project):
    project.case("d", challenges=None, body="A lobby registry for lobbyists.\n")
    assert ogp(project, "check").returncode == 0
    assert ogp(project, "check", "--strict").returncode == 1


def test_check_warns_of_letters_the_cards_would_leave_out(project: Project):
    project.case("tokyo", title="Open data day in 東京 🎉")
    result = ogp(project, "check")
    assert result.returncode == 0
    assert "cases/tokyo.md:2: title: no card font has '東' '京': left out of the cards" in (
        result.stdout
    )
    assert ogp(project, "check", "--strict").returncode == 1


def test_help_has_examples_and_exit_codes(project: Project):
    for command in (
        [],
        ["new", "case"],
        ["new", "roundup"],
        ["new", "item"],
        ["check"],
        ["import"],
        ["build"],
        ["serve"],
    ):
        result = ogp(project, *command, "--help")
        assert result.returncode == 0
        assert "ogp-local" in result.stdout
        if command:
            assert "Example" in result.stdout, command
    assert "Exit codes: 0 clean, 1 problems" in ogp(project, "--help").stdout
    assert "Exit codes: 0 clean, 1 problems" in ogp(project, "check", "--help").stdout


def write_csv(path: Path, rows: list[dict[str, str]], bom: bool = False) -> Path:
    columns = ["title", "member", "country", "areas", "summary", "link", "image", "image_alt"]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def rows(count: int) -> list[dict[str, str]]:
    areas = [
        "public-participation",
        "Anti-Corruption",
        "gender-and-inclusion; justice",
        "Climate and Environment",
    ]
    return [
        {
            "title": f"News {n:03d} from São Paulo",
            "member": "São Paulo; Santa Catarina",
            "country": "Brazil",
            "areas": areas[n % 4],
            "summary": f"Item number {n}.",
            "link": f"https://example.org/news/{n}",
            "image": "",
            "image_alt": "",
        }
        for n in range(count)
    ]


def test_160_rows_import_into_160_items_that_build(project: Project, tmp_path_factory):
    project.roundup("2023-12")
    sheet = write_csv(tmp_path_factory.mktemp("csv") / "items.csv", rows(160), bom=True)
    result = ogp(project, "import", "2023-12", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    items = sorted((project.root / "roundups/2023-12").glob("news-*.md"))
    assert len(items) == 160
    built = project.build()
    assert built.returncode == 0, built.stderr
    month = (project.root / "site/roundups/2023-12/index.html").read_text()
    assert month.count('class="ogp-item"') == 160
    assert 'id="news-000-from-sao-paulo"' in month


def test_one_bad_row_names_row_and_column_and_writes_nothing(project: Project, tmp_path):
    project.roundup("2023-12")
    sheet_rows = rows(5)
    sheet_rows[3]["areas"] = "anti-corruptoin"
    sheet = write_csv(tmp_path / "items.csv", sheet_rows)
    before = sorted(p.name for p in (project.root / "roundups/2023-12").iterdir())
    result = ogp(project, "import", "2023-12", str(sheet))
    assert result.returncode == 1
    assert (
        f"{sheet}:5: areas: unknown area 'anti-corruptoin' (did you mean 'anti-corruption'?)"
    ) in result.stdout
    assert "nothing was written" in result.stderr
    assert sorted(p.name for p in (project.root / "roundups/2023-12").iterdir()) == before


def test_import_never_overwrites_and_dry_run_writes_nothing(project: Project, tmp_path):
    project.roundup("2023-12")
    sheet = write_csv(tmp_path / "items.csv", rows(3))
    dry = ogp(project, "import", "2023-12", str(sheet), "--dry-run")
    assert dry.returncode == 0
    assert "would write roundups/2023-12/news-000-from-sao-paulo.md (row 2)" in dry.stdout
    assert not list((project.root / "roundups/2023-12").glob("news-*"))
    existing = project.write("roundups/2023-12/news-001-from-sao-paulo.md", "mine\n")
    result = ogp(project, "import", "2023-12", str(sheet))
    assert result.returncode == 1
    assert f"{sheet}:3: title: roundups/2023-12/news-001-from-sao-paulo.md exists" in (
        result.stdout
    )
    assert existing.read_text() == "mine\n"
    assert not (project.root / "roundups/2023-12/news-000-from-sao-paulo.md").exists()


def test_the_documented_sample_imports(project: Project):
    project.roundup("2023-11")
    result = ogp(project, "import", "2023-11", str(SAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert project.build("--strict").returncode == 0
