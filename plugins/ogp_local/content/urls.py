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


def relative_url(target: str, page_url: str) -> str:
    """`target` (site-relative, may end in #anchor) as seen from the page at `page_url`."""
    path, _, anchor = target.partition("#")
    base = (
        [p for p in page_url.split("/")[:-1] if p]
        if not page_url.endswith("/")
        else [p for p in page_url.split("/") if p]
    )
    parts = [p for p in path.split("/") if p]
    common = 0
    while common < min(len(base), len(parts)) and base[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base) - common) + parts[common:])
    if path.endswith("/") and rel:
        rel += "/"
    rel = rel or "./"
    return f"{rel}#{anchor}" if anchor else rel
