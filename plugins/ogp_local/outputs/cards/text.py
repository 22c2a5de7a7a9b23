"""Text that always fits its box: wrap by measured width, then shrink down to a
floor size, then ellipsize. Every placed run knows its ink box."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ogp_local.outputs.cards.fonts import FontChain, Run
from ogp_local.outputs.cards.fonts import _load as _font

ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Box) -> bool:
        return (
            self.x0 <= other.x0
            and self.y0 <= other.y0
            and other.x1 <= self.x1
            and other.y1 <= self.y1
        )


@dataclass(frozen=True)
class Placed:
    """One run of text at its position: drawn with anchor left-baseline."""

    text: str
    family: str
    bold: bool
    size: int
    x: float
    baseline: float
    rtl: bool
    box: Box
    """The ink box of the drawn glyphs."""


@dataclass(frozen=True)
class Block:
    runs: tuple[Placed, ...]
    size: int
    lines: int
    truncated: bool
    bottom: float
    """Where the next element may start: below the last line."""

    @property
    def boxes(self) -> list[Box]:
        return [run.box for run in self.runs]


@dataclass(frozen=True)
class Style:
    bold: bool
    max_size: int
    min_size: int
    max_lines: int
    leading: float = 1.2
    align: str = "start"


def _width(chain: FontChain, runs: list[Run], bold: bool, size: int) -> float:
    return sum(_advance(chain, r.text, r.family, bold, size, r.rtl) for r in runs)


@lru_cache(maxsize=65536)
def _advance_cached(path: str, text: str, size: int, rtl: bool) -> float:
    return _font(path, size).getlength(text, direction="rtl" if rtl else "ltr")


def _advance(chain: FontChain, text: str, family: str, bold: bool, size: int, rtl: bool) -> float:
    # Cards repeat words (area names, members, "open government"): measure each once.
    return _advance_cached(str(chain.path(family, bold)), text, size, rtl)


def _word_width(chain: FontChain, word: str, bold: bool, size: int) -> float:
    return _width(chain, chain.runs(word), bold, size)


def _wrap(chain: FontChain, words: list[str], style: Style, size: int, width: float) -> list[str]:
    """Greedy lines by measured width: each word measured once, joined by spaces."""
    space = _word_width(chain, " ", style.bold, size)
    lines: list[str] = []
    line, line_width = "", 0.0
    for word in words:
        word_width = _word_width(chain, word, style.bold, size)
        candidate = line_width + space + word_width if line else word_width
        if candidate <= width:
            line = f"{line} {word}" if line else word
            line_width = candidate
            continue
        if line:
            lines.append(line)
        line, line_width = word, word_width
        # A single word wider than the line (a long name or address) is cut by characters.
        while line_width > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and _word_width(chain, line[:cut], style.bold, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
            line_width = _word_width(chain, line, style.bold, size)
    if line:
        lines.append(line)
    return lines


def _ellipsize(chain: FontChain, line: str, style: Style, size: int, width: float) -> str:
    words = line.split(" ")
    while words:
        candidate = " ".join(words).rstrip(",;:.-–— ") + ELLIPSIS
        if _width(chain, chain.runs(candidate), style.bold, size) <= width:
            return candidate
        if len(words) == 1:
            words[0] = words[0][:-1]
            if not words[0]:
                break
        else:
            words.pop()
    return ELLIPSIS


def fit(chain: FontChain, text: str, area: Box, style: Style) -> Block:
    """Lay `text` out inside `area`: the largest size at which it fits, else the floor
    size with the last line ellipsized."""
    dropped = set(chain.drops(text))  # an emoji no font has: gone, spaces closed up
    words = " ".join("".join(c for c in text if c not in dropped).split()).split(" ")
    size = style.max_size
    while True:
        lines = _wrap(chain, words, style, size, area.width)
        line_height = size * style.leading
        # The last line's descenders reach ~0.1 em below its line box.
        fits_height = len(lines) * line_height + 0.1 * size <= area.height
        if (len(lines) <= style.max_lines and fits_height) or size <= style.min_size:
            break
        size = max(style.min_size, int(size * 0.92))
    room = min(style.max_lines, max(1, int((area.height - 0.1 * size) // (size * style.leading))))
    truncated = len(lines) > room
    if truncated:
        lines = lines[:room]
        lines[-1] = _ellipsize(chain, lines[-1], style, size, area.width)
    return _place(chain, lines, area, style, size, truncated)


def _place(
    chain: FontChain, lines: list[str], area: Box, style: Style, size: int, truncated: bool
) -> Block:
    placed: list[Placed] = []
    line_height = size * style.leading
    ascent, _ = chain.font(chain.families[0], style.bold, size).getmetrics()
    baseline = area.y0 + min(ascent, line_height * 0.8)
    for line in lines:
        runs = chain.runs(line)
        rtl_line = bool(runs) and _starts_rtl(line)
        widths = [_width(chain, [r], style.bold, size) for r in runs]
        total = sum(widths)
        right_aligned = (style.align == "start" and rtl_line) or style.align == "end"
        x = area.x1 - total if right_aligned else area.x0
        order = list(zip(runs, widths, strict=True))
        if rtl_line:
            order.reverse()  # right-to-left paragraph: the first run sits rightmost
        line_runs = []
        for run, width in order:
            direction = "rtl" if run.rtl else "ltr"
            ink = ink_box(str(chain.path(run.family, style.bold)), size, run.text, direction)
            line_runs.append((run, x, ink))
            x += width
        # Glyphs may overhang their advance (bearings, rounding): nudge the line back in.
        left = min(x0 + ink[0] for _, x0, ink in line_runs)
        right = max(x0 + ink[2] for _, x0, ink in line_runs)
        shift = min(0, area.x1 - right) or max(0, area.x0 - left)
        for run, x0, ink in line_runs:
            x0 += shift
            box = Box(x0 + ink[0], baseline + ink[1], x0 + ink[2], baseline + ink[3])
            placed.append(
                Placed(run.text, run.family, style.bold, size, x0, baseline, run.rtl, box)
            )
        baseline += line_height
    bottom = baseline - line_height + size * 0.35 if lines else area.y0
    return Block(tuple(placed), size, len(lines), truncated, bottom)


def _starts_rtl(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=4096)
def ink_box(path: str, size: int, text: str, direction: str) -> tuple[int, int, int, int]:
    """The ink box of `text` drawn at the origin, anchored left-baseline. Cached: the
    site's name, area labels and members come back on card after card."""
    return _font(path, size).getbbox(text, anchor="ls", direction=direction)
