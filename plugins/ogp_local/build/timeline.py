"""A build's stages in time, for the benchmark (`ogp-local bench`): when each began and
ended and the CPU seconds it spent, written as JSON to the file OGP_LOCAL_TIMELINE
names. Without that variable nothing is kept."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from ogp_local.outputs.work import Span

ENV = "OGP_LOCAL_TIMELINE"
_STAGES: list[dict] = []


def on() -> bool:
    return bool(os.environ.get(ENV))


def add(name: str, span: Span | None, cpu_of: str = "workers") -> None:
    """A stage done: `cpu_of` says whose CPU its span counts (the build's own thread,
    the worker processes, Pagefind)."""
    if on() and span is not None:
        _STAGES.append(
            {"stage": name, "start": span.start, "end": span.end, "cpu": span.cpu, "of": cpu_of}
        )


class Clock:
    """Wall and CPU time of this thread from its start: a stage run in this thread."""

    def __init__(self) -> None:
        self.start, self.cpu = time.time(), time.thread_time()

    def span(self) -> Span:
        return Span(self.start, time.time(), time.thread_time() - self.cpu)


@contextlib.contextmanager
def stage(name: str):
    """A stage run in this thread, from start to end."""
    clock = Clock()
    try:
        yield
    finally:
        add(name, clock.span(), "build")


def save() -> None:
    """The stages so far, into the file the variable names (a write failing is not the
    build's failure: the benchmark then says the timeline is missing)."""
    if not on():
        return
    data = {"cores": os.cpu_count(), "stages": _STAGES}
    with contextlib.suppress(OSError):
        Path(os.environ[ENV]).write_text(json.dumps(data, indent=1), "utf-8")
