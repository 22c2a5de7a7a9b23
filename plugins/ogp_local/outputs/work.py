"""Tasks of the build's worker processes, timed: each hands back its result with when
it ran and the CPU seconds it took there, for the build's timeline (build/timeline.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: float
    """Wall clock (time.time()), comparable across the processes of one machine."""
    end: float
    cpu: float
    """CPU seconds of the process that did the work, in that time."""


def timed(task: Callable, *args):
    """`task(*args)` and the Span it took, as (result, span)."""
    start, cpu = time.time(), time.process_time()
    result = task(*args)
    return result, Span(start, time.time(), time.process_time() - cpu)


def spent(spans: Iterable[Span]) -> Span | None:
    """From the first task's start to the last one's end, and the CPU of them all."""
    spans = list(spans)
    if not spans:
        return None
    return Span(min(s.start for s in spans), max(s.end for s in spans), sum(s.cpu for s in spans))
