"""What a page depends on, noted while it renders (a member's page address, an
image's widths, a link's target), as a compiler's depfile names the headers it read.
The build record keeps the notes; the next build renders the page again when one of
them answers differently."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_noted: list | None = None


def note(kind: str, *key) -> None:
    """While a page renders: it used `kind` of `key` (a member's page, an image's
    widths). The next build renders the page again when that answers differently."""
    if _noted is not None:
        _noted.append([kind, *key])


@contextmanager
def noting(into: list) -> Iterator[list]:
    """Collect what `note` says into `into` until the block ends."""
    global _noted
    before, _noted = _noted, into
    try:
        yield into
    finally:
        _noted = before


def start_noting(into: list | None) -> None:
    """As `noting`, for the plugin, whose pages start and end in different events."""
    global _noted
    _noted = into
