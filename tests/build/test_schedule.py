"""Scheduled stories: a story dated later than now (a day, or a day and a time in the
site's time zone) is left out of everything a build publishes until a build runs on
or after that moment; then it is everywhere, as if it had never waited."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest
from conftest import REPO, Project, env, front_matter, run_ogp, search_records
from ogp_local.build.build_record import Record
from test_drafts import fetch, previewing

ZONE = "Europe/Madrid"
DUE = "2026-12-02 09:00"  # 08:00 UTC: Madrid is an hour ahead in winter
BEFORE = str(int(dt.datetime(2026, 12, 2, 7, 59, tzinfo=dt.UTC).timestamp()))
AT = str(int(dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC).timestamp()))
WORD = "qzkxjvw"  # in no file of the site but the scheduled stories (Decap's wasm holds "zyxwvut")
"""In the scheduled stories' titles and bodies: found nowhere before their moment."""


def demo_with_a_schedule(into: Path) -> Path:
    """The demo project (four languages) in the Madrid time zone, with a case study (and
    its Spanish translation) and a whole month (its index and an item) due at DUE."""
    for name in ("content", "cases", "roundups", "theme"):
        shutil.copytree(REPO / name, into / name)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    marker = "  - ogp-local:\n"
    assert marker in config
    (into / "mkdocs.yml").write_text(
        config.replace(marker, f"{marker}      timezone: {ZONE}\n", 1), "utf-8"
    )
    case = {
        "title": f"Kyiv opens its budget {WORD}",
        "member": "Kyiv",
        "country": "Ukraine",
        "date": DUE,
        "summary": f"Kyiv publishes every line of its budget ({WORD}).",
        "challenges": ["fiscal-openness"],
    }
    write(into / "cases/kyiv-open-budget.md", front_matter(case, f"The {WORD} reform.\n"))
    spanish = {"title": f"Kiev abre su presupuesto {WORD}", "summary": f"Kiev publica {WORD}."}
    write(into / "cases/kyiv-open-budget.es.md", front_matter(spanish, f"La reforma {WORD}.\n"))
    month = {"date": DUE, "summary": f"The month of {WORD}."}
    write(into / "roundups/2026-12/index.md", front_matter(month, f"The {WORD} month.\n"))
    item = {
        "title": f"Valencia votes {WORD}",
        "member": "Valencia",
        "country": "Spain",
        "challenges": ["public-participation"],
    }
    write(into / "roundups/2026-12/valencia-votes.md", front_matter(item, f"Body {WORD}.\n"))
    return into


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def build(root: Path, epoch: str) -> subprocess.CompletedProcess:
    done = run_ogp(root, "build", extra_env={"SOURCE_DATE_EPOCH": epoch}, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def readable(path: Path) -> bytes:
    """A published file's bytes as a reader gets them: .br and gzip (Pagefind's files,
    .gz copies) opened."""
    data = path.read_bytes()
    if path.suffix == ".br":
        return brotli.decompress(data)
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    return data


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory) -> dict:
    """One tree built before the moment, then at it; another built at it only."""
    root = demo_with_a_schedule(tmp_path_factory.mktemp("scheduled"))
    before = build(root, BEFORE)
    before_site = files(root / "site")
    before_places = [p for p in sorted((root / "site").rglob("*")) if p.is_file()]
    before_text = {p.relative_to(root / "site").as_posix(): readable(p) for p in before_places}
    after = build(root, AT)
    never = demo_with_a_schedule(tmp_path_factory.mktemp("never-waited"))
    build(never, AT)
    return {
        "root": root,
        "before": before,
        "before_site": before_site,
        "before_text": before_text,
        "after": after,
        "never": files(never / "site"),
    }


def test_before_its_moment_a_scheduled_story_is_nowhere_in_the_site(scheduled):
    found = [
        path
        for path, data in scheduled["before_text"].items()
        if WORD in data.decode("utf-8", "replace").lower()
    ]
    assert found == []  # pages, listings, feeds, cards' pages, search, open data, email
    names = [path for path in scheduled["before_site"] if "kyiv" in path or "2026-12" in path]
    assert names == []  # no page, card, photo or email file of theirs
    said = scheduled["before"].stderr
    assert f"scheduled: cases/kyiv-open-budget.md for {DUE} ({ZONE})" in said
    assert f"scheduled: roundups/2026-12/index.md for {DUE} ({ZONE})" in said


def test_from_its_moment_it_is_everywhere_as_if_it_had_never_waited(scheduled):
    root = scheduled["root"]
    site = root / "site"
    assert "scheduled:" not in scheduled["after"].stderr
    for page in ("cases/kyiv-open-budget", "es/cases/kyiv-open-budget", "roundups/2026-12"):
        assert WORD in (site / page / "index.html").read_text("utf-8"), page
    assert WORD in (site / "feed.xml").read_text("utf-8")
    assert WORD in (site / "es/feed.xml").read_text("utf-8")
    assert WORD in (site / "data/stories.json").read_text("utf-8")
    assert WORD in (site / "roundups/2026-12/email.html").read_text("utf-8")
    assert list((site / "cards").rglob("*kyiv-open-budget*.png"))
    assert [r for r in search_records(site) if WORD in json.dumps(r).lower()]
    now, never = files(site), scheduled["never"]
    assert sorted(now.keys() ^ never.keys()) == []
    assert sorted(k for k in now if now[k] != never[k]) == []  # byte for byte


def test_check_lists_what_is_scheduled_and_passes(scheduled):
    root = scheduled["root"]
    done = run_ogp(root, "check", "--strict", extra_env={"SOURCE_DATE_EPOCH": BEFORE})
    assert done.returncode == 0, done.stderr
    assert f"scheduled: cases/kyiv-open-budget.md for {DUE} ({ZONE})\n" in done.stderr
    assert f"scheduled: roundups/2026-12/index.md for {DUE} ({ZONE}) with its 1 item(s)" in (
        done.stderr
    )
    listed = run_ogp(root, "check", "--format", "json", extra_env={"SOURCE_DATE_EPOCH": BEFORE})
    infos = [p for p in json.loads(listed.stdout) if p["field"] == "date"]
    assert {(p["path"], p["severity"]) for p in infos} == {
        ("cases/kyiv-open-budget.md", "info"),
        ("roundups/2026-12/index.md", "info"),
    }
    later = run_ogp(root, "check", extra_env={"SOURCE_DATE_EPOCH": AT})
    assert later.returncode == 0 and "scheduled:" not in later.stderr


def test_a_build_with_nothing_changed_still_says_what_waits(tmp_path: Path):
    project = Project(tmp_path)
    shutil.copytree(REPO / "theme", tmp_path / "theme")
    write(
        tmp_path / "mkdocs.yml",
        "site_name: S\nsite_url: https://example.org/\ndocs_dir: content\n"
        "theme:\n  name: material\n  custom_dir: theme\n  font: false\n"
        "plugins:\n  - ogp-local:\n      timezone: America/Bogota\n",
    )
    project.write("content/index.md", "# Home\n")
    project.case("published")
    project.case("later", date="2026-12-24")
    first = build(tmp_path, BEFORE)
    assert "scheduled: cases/later.md for 2026-12-24 00:00 (America/Bogota)" in first.stderr
    again = build(tmp_path, BEFORE)
    assert "is up to date" in again.stderr
    assert "scheduled: cases/later.md for 2026-12-24 00:00 (America/Bogota)" in again.stderr


def test_a_record_is_not_up_to_date_once_its_first_scheduled_story_is_due(tmp_path: Path):
    """Without SOURCE_DATE_EPOCH the clock moves: a build with no file changed must not
    say "up to date" once a story it left out is due (the scheduled workflow's case)."""
    project = Project(tmp_path)
    shutil.copytree(REPO / "theme", tmp_path / "theme")
    write(
        tmp_path / "mkdocs.yml",
        "site_name: S\nsite_url: https://example.org/\ndocs_dir: content\n"
        "theme:\n  name: material\n  custom_dir: theme\n  font: false\nplugins:\n  - ogp-local\n",
    )
    project.write("content/index.md", "# Home\n")
    project.case("published")
    soon = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=20)
    project.case("soon", date=f"{soon:%Y-%m-%d %H:%M:%S}")  # UTC, the default zone
    quick = dict(env())
    quick.pop("SOURCE_DATE_EPOCH", None)

    def ogp_build():
        return subprocess.run(
            [sys.executable, "-m", "ogp_local", "build"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=quick,
            timeout=600,
        )

    first = ogp_build()
    assert first.returncode == 0 and "scheduled: cases/soon.md" in first.stderr, first.stderr
    assert not (tmp_path / "site/cases/soon").exists()
    record = Record.load(tmp_path / ".cache/ogp-local", "site")
    assert record is not None and record.due == int(soon.timestamp())
    assert "is up to date" in ogp_build().stderr  # not yet
    time.sleep(max(0.0, record.due - time.time()) + 0.5)
    due = ogp_build()
    assert due.returncode == 0 and "is up to date" not in due.stderr, due.stderr
    assert (tmp_path / "site/cases/soon/index.html").is_file()


def test_the_far_date_warning_stays_and_bad_dates_and_zones_are_named(project: Project):
    project.case("published")
    project.case("typo", date="2099-11-06")
    project.case("late", date="2026-12-02 25:00")
    done = project.ogp("check")
    said = done.stdout + done.stderr
    assert "cases/typo.md:5: date: 2099-11-06 is more than a year after" in said
    assert "cases/late.md:5: date: '2026-12-02 25:00' is not a date and time" in said
    assert "expected YYYY-MM-DD HH:MM" in said
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  - ogp-local:\n", "  - ogp-local:\n      timezone: Europe/Madird\n"
        ),
        "utf-8",
    )
    project.write("cases/late.md", (project.root / "cases/typo.md").read_text("utf-8"))
    wrong = project.ogp("check")
    said = wrong.stdout + wrong.stderr
    assert wrong.returncode == 1 and "Traceback" not in said
    assert "unknown time zone 'Europe/Madird' (did you mean 'Europe/Madrid'?)" in said


def test_the_preview_shows_a_scheduled_story_marked_with_its_day(project: Project):
    project.case("published")
    project.case("later", title="Later plan", date="2099-01-05 09:30", challenges=["justice"])
    with previewing(project) as address:
        page = fetch(f"{address}/stories/cases/later/")
        assert "Later plan" in page and "Scheduled for 5 January 2099, 09:30" in page
        area = fetch(f"{address}/stories/challenges/justice/")
        assert "Later plan" in area and "Scheduled for 5 January 2099, 09:30" in area
