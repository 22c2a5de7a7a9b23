"""The benchmark's results: the table printed at the end, the ratios, results.json."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict
from pathlib import Path

from ogp_local.bench.measure import Result


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
            "warm-rendered",
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
    rows += stages(results)
    for result in results:
        ratios = ratios_of(result)
        rows.append(f"N={result.n}: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    return "\n".join(rows)


STAGED = ("cold", "edit", "warm")
"""The builds whose stages the report shows."""


def stages(results: list[Result]) -> list[str]:
    """Where each build's time goes: each stage's wall and CPU seconds and how busy
    both (all) cores were meanwhile. Stages overlap: cards, photos and search run
    beside the pages."""
    rows = []
    for result in results:
        for name in STAGED:
            m = result.median(name)
            if m is None or not m.stages:
                continue
            rows += [
                "",
                f"N={result.n} {name} ({m.wall:.1f} s wall, {m.cpu:.1f} s CPU), by stage:",
                "| stage | from s | wall s | CPU s | whose CPU | cores busy |",
                "|---|---|---|---|---|---|",
            ]
            rows += [
                f"| {s.stage} | {s.start:.1f} | {s.wall:.2f} | {s.cpu:.2f} | {s.of} | "
                f"{s.busy:.0%} |"
                for s in sorted(m.stages, key=lambda s: s.start)
            ]
    return rows


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
