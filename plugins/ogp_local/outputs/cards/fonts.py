"""A fallback chain of fonts that ship with the project, chosen per run of text.

Each character goes to the first font whose character map has it; characters no
font has (an emoji) are dropped, never drawn as a missing-glyph box.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from ogp_local.cache.stores import Kept

DEFAULT_CHAIN = ("NotoSans", "NotoSansArabic", "NotoSansArmenian", "NotoSansGeorgian")


_READ = Kept("fonts")
"""The font files (path, size, modification time) → their digest and character maps."""


@dataclass(frozen=True)
class Run:
    text: str
    family: str
    rtl: bool


class FontChain:
    def __init__(self, folder: Path, families: tuple[str, ...] = DEFAULT_CHAIN) -> None:
        self.folder = folder
        self.families = families
        files = []
        for family in families:
            for bold in (False, True):
                path = self.path(family, bold)
                if not path.is_file():
                    raise FileNotFoundError(f"card font missing: {path}")
                info = path.stat()
                files.append((str(path), info.st_size, info.st_mtime_ns))
        # Read once per version of the files (as make trusts them), not at every build.
        self.digest, self.cmaps = _READ.made(tuple(files), self._read)
        """digest: changes when any font file does: part of every card's cache key."""

    def _read(self) -> tuple[str, dict[str, frozenset[int]]]:
        cmaps: dict[str, frozenset[int]] = {}
        digest = hashlib.sha256()
        for family in self.families:
            for bold in (False, True):
                digest.update(self.path(family, bold).read_bytes())
            with TTFont(self.path(family, False), lazy=True) as font:
                cmaps[family] = frozenset(font.getBestCmap())
        return digest.hexdigest(), cmaps

    def path(self, family: str, bold: bool) -> Path:
        return self.folder / f"{family}-{'Bold' if bold else 'Regular'}.ttf"

    def font(self, family: str, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        return _load(str(self.path(family, bold)), size)

    def covers(self, family: str, char: str) -> bool:
        return ord(char) in self.cmaps[family]

    def runs(self, text: str) -> list[Run]:
        """Split `text` into runs of one font each, dropping what no font can draw."""
        runs: list[Run] = []
        current: str | None = None
        chars: list[str] = []
        for char in unicodedata.normalize("NFC", text):
            if current is not None and self.covers(current, char):
                chars.append(char)
                continue
            family = next((f for f in self.families if self.covers(f, char)), None)
            if family is None:
                continue  # no font has it: dropped, never a box
            if chars:
                runs.append(_run(chars, current))
            current, chars = family, [char]
        if chars:
            runs.append(_run(chars, current))
        return runs

    def drops(self, text: str) -> str:
        """The characters of `text` no font in the chain has."""
        return "".join(c for c in text if not any(self.covers(f, c) for f in self.families))


def _run(chars: list[str], family: str | None) -> Run:
    text = "".join(chars)
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    return Run(text, family or "", rtl)


@lru_cache(maxsize=256)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)
