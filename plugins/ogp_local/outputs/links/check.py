"""One check of the stories' links: each address once, however many stories name it;
those answered well recently taken from the cache, the others asked; the answers
kept for the next check. When nothing at all answers, the machine is offline and
nothing is recorded: a link is not dead because the train went into a tunnel."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ogp_local.content.links import Place
from ogp_local.outputs.links import lychee
from ogp_local.outputs.links.answers import Answer, Answers
from ogp_local.outputs.links.lychee import Kind, Options, Reply

FOLDER = "links"
"""The answers' folder in the project's cache."""


@dataclass
class Outcome:
    places: list[Place]
    answers: dict[str, Answer] = field(default_factory=dict)
    """The answer of each address, this check's or a recent one's."""
    asked: int = 0
    recent: int = 0
    """Addresses not asked, answered well recently."""
    skipped: list[str] = field(default_factory=list)
    """Addresses lychee leaves out (example and reserved domains)."""
    offline: str | None = None
    """Why nothing could be reached, when nothing could."""

    @property
    def addresses(self) -> list[str]:
        return list(dict.fromkeys(p.url for p in self.places))


def check(
    places: Sequence[Place],
    cache: Path,
    options: Options,
    max_age: dt.timedelta,
    now: dt.datetime,
) -> Outcome:
    """Check every address of `places`; the answers are kept in `cache`."""
    outcome = Outcome(list(places))
    addresses = outcome.addresses
    answers = Answers(cache)
    ask = answers.to_ask(addresses, now, max_age)
    witnesses = answers.witnesses(addresses, ask) if ask else []
    replies = lychee.ask([*ask, *witnesses], options)
    outcome.offline = _offline(replies)
    if outcome.offline is None:
        answers.record(replies, now)
        answers.save(addresses)
    outcome.asked = len(ask)
    outcome.recent = len(addresses) - len(ask)
    outcome.skipped = [a for a in addresses if replies.get(a, Reply(Kind.OK)).kind is Kind.SKIPPED]
    outcome.answers = {a: found for a in addresses if (found := answers.get(a)) is not None}
    return outcome


def _offline(replies: dict[str, Reply]) -> str | None:
    """Why no host answered, when none did though some were asked: the commonest
    reason and how many hosts gave it."""
    asked = {u: r for u, r in replies.items() if r.kind is not Kind.SKIPPED}
    if not asked or any(r.kind is not Kind.SILENT for r in asked.values()):
        return None
    hosts = {(urlsplit(u).hostname or u).lower() for u in asked}
    reason = Counter(r.detail for r in asked.values()).most_common(1)[0][0]
    noun = "host" if len(hosts) == 1 else "hosts"
    return f"no answer from {len(hosts)} {noun}: {reason}"
