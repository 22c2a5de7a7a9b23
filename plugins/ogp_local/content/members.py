"""Members as stories name them: one member may be spelled several ways ("Sao Paulo",
"São Paulo"); the spelling its page uses is chosen here, for the catalog's pages and
for the check that warns about the others."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ogp_local.content.model import Member


def canonical_spellings(members: Sequence[Member]) -> dict[tuple[str, str], Member]:
    """The spelling each member's page uses: the one most stories use (then the one
    with the most accents, then alphabetical), so "Sao Paulo" never renames "São Paulo"."""
    counts: dict[tuple[str, str], Counter[Member]] = defaultdict(Counter)
    for member in members:
        counts[member.key][member] += 1
    return {
        key: min(spellings, key=lambda m: (-spellings[m], -_accents(m.name), m.name, m.country))
        for key, spellings in counts.items()
    }


def _accents(name: str) -> int:
    return sum(not char.isascii() for char in name)
