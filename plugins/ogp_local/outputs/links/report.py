"""The check told as the project tells problems: one line per link that needs work,
where it is written, sorted —

    cases/madrid.md:15: links: https://… answers 404 (since 2026-12-01)
    cases/madrid.md:16: links: https://… does not answer (timed out after 10 s) (since …)
    roundups/2023-11/x.md:9: links: http://… moved permanently to https://… (update the link)

— warnings all: the internet is not ours, `--strict` makes them fail."""

from __future__ import annotations

import datetime as dt

from ogp_local.content.problems import Problem, Severity
from ogp_local.outputs.links.answers import Answer
from ogp_local.outputs.links.check import Outcome
from ogp_local.outputs.links.lychee import Kind

FIELD = "links"


def problems(outcome: Outcome) -> list[Problem]:
    """A line for every place that names an address that is dead, silent or moved."""
    found = set()
    for place in outcome.places:
        answer = outcome.answers.get(place.url)
        said = _said(place.url, answer) if answer is not None else None
        if said is not None:
            message, hint = said
            found.add(Problem(place.path, place.line, FIELD, message, hint, Severity.WARNING))
    return sorted(found)


def _said(url: str, answer: Answer) -> tuple[str, str] | None:
    reply = answer.reply
    since = f"since {answer.since.isoformat()}" if answer.since else ""
    if reply.kind is Kind.BROKEN:
        return f"{url} answers {reply.code}", since
    if reply.kind is Kind.SILENT:
        return f"{url} does not answer ({reply.detail})", since
    if reply.kind is Kind.MOVED:
        return f"{url} moved permanently to {reply.moved_to}", "update the link"
    return None


def offline_line(outcome: Outcome) -> str:
    return f"{FIELD}: cannot reach the internet ({outcome.offline}); nothing was checked"


def summary(outcome: Outcome, found: list[Problem], max_age: dt.timedelta) -> str:
    """What was checked, in one line: how many links, asked or answered recently."""
    addresses = outcome.addresses
    files = len({p.path for p in outcome.places})
    parts = [f"{len(addresses)} address(es) in {files} file(s)"]
    if outcome.asked:
        parts.append(f"{outcome.asked} asked")
    if outcome.recent:
        parts.append(f"{outcome.recent} answered well within {_age(max_age)} (not asked again)")
    if outcome.skipped:
        parts.append(f"{len(outcome.skipped)} left out (example or reserved domains)")
    answers = outcome.answers
    to_fix = sum(1 for a in addresses if a in answers and _said(a, answers[a]) is not None)
    tail = f"{to_fix} to fix, named in {len(found)} place(s)" if found else "all answer"
    return f"{FIELD}: " + ", ".join(parts) + f"; {tail}"


def _age(age: dt.timedelta) -> str:
    seconds = int(age.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} s"
