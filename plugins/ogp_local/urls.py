"""Addresses as authors write them. `urlsplit` raises on a malformed host such as
`http://[::1` or `http://[invalid]/`: here that is simply not an address."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split(value: str) -> SplitResult | None:
    """The parts of `value`, or None when it cannot be an address at all."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    return parts
