"""The answers of recent checks, kept in the project's cache
(`.cache/ogp-local/links/answers.json`). An address that answered well within the
max age is not asked again; any other is asked every time. A failing address keeps
the day it was first seen failing, so that the report can say since when (a link
down for an afternoon is not one dead for a month)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ogp_local.cache.files import write_whole
from ogp_local.outputs.links.lychee import Kind, Reply

FILE = "answers.json"
VERSION = 1
"""Of the file's layout: a file of another version is ignored."""
FAILING = (Kind.BROKEN, Kind.SILENT)


@dataclass(frozen=True)
class Answer:
    reply: Reply
    checked: dt.datetime
    """When it was asked (aware)."""
    since: dt.date | None = None
    """The first day it was seen failing, while it fails."""


class Answers:
    """The answers kept in `folder`: read when made, written by save()."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.known: dict[str, Answer] = _load(folder / FILE)

    def get(self, url: str) -> Answer | None:
        return self.known.get(url)

    def fresh(self, url: str, now: dt.datetime, max_age: dt.timedelta) -> bool:
        """True when `url` answered well less than `max_age` ago."""
        answer = self.known.get(url)
        return (
            answer is not None
            and answer.reply.kind is Kind.OK
            and dt.timedelta(0) <= now - answer.checked < max_age
        )

    def to_ask(self, urls: Iterable[str], now: dt.datetime, max_age: dt.timedelta) -> list[str]:
        return [u for u in urls if not self.fresh(u, now, max_age)]

    def witnesses(self, urls: Iterable[str], asked: Iterable[str], most: int = 3) -> list[str]:
        """A few addresses that answered well last time, on hosts other than those of
        `asked`: asked along with them, they tell a machine without internet from
        links that all went dead (dead links often lose their whole domain)."""
        hosts = {_host(u) for u in asked}
        chosen: list[str] = []
        for url in urls:
            answer = self.known.get(url)
            host = _host(url)
            if answer is not None and answer.reply.kind is Kind.OK and host not in hosts:
                chosen.append(url)
                hosts.add(host)
                if len(chosen) == most:
                    break
        return chosen

    def record(self, replies: dict[str, Reply], now: dt.datetime) -> None:
        """The replies of this check; skipped addresses are not kept."""
        for url, reply in replies.items():
            if reply.kind is Kind.SKIPPED:
                self.known.pop(url, None)
                continue
            before = self.known.get(url)
            since = None
            if reply.kind in FAILING:
                failing_before = before is not None and before.since is not None
                since = before.since if failing_before else now.date()
            self.known[url] = Answer(reply, now, since)

    def save(self, keep: Iterable[str]) -> None:
        """Write the answers of the addresses in `keep` (those the stories still name)."""
        wanted = set(keep)
        entries = {url: _entry(a) for url, a in sorted(self.known.items()) if url in wanted}
        data = {"version": VERSION, "answers": entries}
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_whole(self.folder / FILE, text.encode("utf-8"))


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _entry(answer: Answer) -> dict:
    reply = answer.reply
    entry: dict = {"kind": reply.kind.value, "checked": answer.checked.isoformat()}
    if reply.code is not None:
        entry["code"] = reply.code
    if reply.detail:
        entry["detail"] = reply.detail
    if reply.moved_to:
        entry["moved_to"] = reply.moved_to
    if answer.since:
        entry["since"] = answer.since.isoformat()
    return entry


def _load(path: Path) -> dict[str, Answer]:
    """The answers in `path`; none when it is missing, unreadable or of another
    version (the cache is only a saving: asking again is always right)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    known = {}
    for url, entry in (data.get("answers") or {}).items():
        try:
            reply = Reply(
                Kind(entry["kind"]),
                entry.get("code"),
                entry.get("detail", ""),
                entry.get("moved_to"),
            )
            checked = dt.datetime.fromisoformat(entry["checked"])
            since = dt.date.fromisoformat(entry["since"]) if entry.get("since") else None
        except (KeyError, TypeError, ValueError):
            continue
        if checked.tzinfo is not None:
            known[url] = Answer(reply, checked, since)
    return known
