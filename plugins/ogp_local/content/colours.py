"""Colours as settings and data give them: `#RRGGBB`, checked for contrast with
the white text that cards and badges set on them (WCAG 2.1)."""

from __future__ import annotations

import re

MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def problem(colour: object) -> str | None:
    """Why `colour` cannot carry white text, or None when it can."""
    if not isinstance(colour, str) or not _HEX.match(colour):
        return f"'{colour}' is not a colour: write it as #RRGGBB, e.g. #12355B"
    ratio = 1.05 / (luminance(colour) + 0.05)
    if ratio < MIN_CONTRAST:
        return (
            f"{colour} gives white text a contrast of {ratio:.1f}:1; at least "
            f"{MIN_CONTRAST}:1 is needed: choose a darker shade"
        )
    return None
