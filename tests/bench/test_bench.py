"""`make bench` keeps working (CI runs it at N=20; the large runs are for people)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import REPO, env
from ogp_local.bench import corpus


def test_make_bench_at_20_stories(tmp_path: Path):
    venv = Path(os.environ.get("VIRTUAL_ENV") or REPO / ".venv")
    results = tmp_path / "results.json"
    command = [
        "make",
        "-o",
        f"{venv}/.installed-test",
        "bench",
        f"VENV={venv}",
        "N=20",
        "REPEAT=1",
        "SEARCH=1",
        "LANGUAGES=es,fr",
        f"BENCH_ARGS=--work {tmp_path / 'work'} --json {results}",
    ]
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, env=env(), timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| 20 | cold |" in result.stdout and "| 20 | plain |" in result.stdout
    [data] = json.loads(results.read_text())
    median = data["median"]
    assert median["cold"]["made"] == 3 * data["shape"]["stories"] == 60
    assert median["warm"]["made"] == 0 and median["warm"]["reused"] == 60
    assert median["edit-full"]["made"] == median["edit"]["made"] == 3
    assert median["nochange"]["made"] == median["nochange"]["reused"] == 0  # no build at all
    names = ("cold", "cold-lunr", "warm", "warm-lunr", "warm-bare", "edit-full", "edit", "plain")
    for name in (*names, "nochange"):
        assert median[name]["wall"] > 0
    for name in names:
        assert median[name]["peak_mb"] > 0
    assert {"nochange/plain", "edit/plain", "edit-full/plain"} <= set(data["ratios"])
    assert median["edit"]["search_seconds"] > 0 and median["edit"]["card_seconds"] > 0
    assert data["ratios"]["edit's search index/plain"] > 0
    assert median["cold"]["search_mb"] > 0 and median["cold-lunr"]["search_mb"] == 0
    assert "warm/plain" in data["ratios"]
    assert median["warm-rendered"]["made"] == 0 and median["warm-rendered"]["wall"] > 0
    # Where the time goes: each stage of the build, from its own timeline.
    for name in ("cold", "edit"):
        stages = {s["stage"]: s for s in median[name]["stages"]}
        assert {"start-up", "read", "render", "cards", "search", "precompression"} <= set(stages)
        assert "publish" in stages  # `ogp-local build`: the swap into site/
        for stage in stages.values():
            assert stage["wall"] > 0 and 0 < stage["busy"] <= 1, stage
        assert stages["cards"]["cpu"] > 0 and stages["cards"]["of"] == "workers"
        assert stages["search"]["of"] == "pagefind" and stages["search"]["cpu"] > 0
        assert stages["render"]["start"] >= stages["read"]["start"]
    assert "N=20 cold (" in result.stdout and "| cards |" in result.stdout
    assert "warm/warm-lunr (our search vs Material's)" in data["ratios"]
    searches = data["first_search"]
    assert searches["ours"]["search"] == "ogp" and searches["lunr"]["search"] == "material"
    for found in searches.values():
        assert "lobby registry" in found["results"] and found["gzip_bytes"] > 0
    assert "first search (ours)" in result.stdout
    # The same stories in three languages, a quarter translated into each other one.
    corpus_root = tmp_path / "work/20/languages"

    def stories_in(lang: str) -> int:
        return sum(
            len(list((corpus_root / d).rglob(f"*.{lang}.md"))) for d in ("cases", "roundups")
        )

    translated = stories_in("es")
    assert translated == stories_in("fr") > 0
    assert median["cold-languages"]["made"] == 60 + 2 * 3 * translated
    assert median["warm-languages"]["made"] == 0
    assert data["shape"]["pages-languages"] > 2.5 * data["shape"]["pages"]
    assert "warm-languages/warm per page" in data["ratios"]


def test_the_corpus_is_deterministic_and_shaped_like_ten_years(tmp_path: Path):
    first = corpus.write(tmp_path / "a", 500, REPO)
    corpus.write(tmp_path / "b", 500, REPO)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.md"))
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert first.stories == 500
    ten_years = corpus.shape(20_000)
    assert ten_years.cases == 500 and 120 <= ten_years.months <= 125
    text = "".join(p.read_text("utf-8") for p in (tmp_path / "a").rglob("*.md"))
    for name in ("Київ", "Վանաձոր", "თბილისი", "طنجة", "São Paulo", "Tübingen"):
        assert name in text
    assert list((tmp_path / "a/cases/images").glob("*.jpg"))
