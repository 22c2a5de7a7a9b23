"""Dates and months as the site writes them, the same on every machine (the
machine's locale never enters: `%B` would say "noviembre" on a Spanish one). They
are written in the active language (see i18n): "6 de noviembre de 2023" on a
Spanish page.

And the build's clock: what "now" is (SOURCE_DATE_EPOCH's moment when set, so that a
build is reproducible), and which stories it is too early to publish."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from ogp_local.content.i18n import long_date, month_abbr, month_title

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
"""A month folder's name, YYYY-MM."""

__all__ = ["MONTH", "Schedule", "long_date", "month_abbr", "month_title", "now"]


def now() -> dt.datetime:
    """The build's now, in UTC: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Schedule:
    """Which stories are due: a story dated later than now (its `date`, at its time of
    day or midnight, in the site's time zone) waits, as a draft does, until a build
    runs on or after that moment."""

    zone: str = "UTC"
    at: dt.datetime | None = None
    """The moment it is (aware); None: the build's now()."""

    @cached_property
    def moment(self) -> dt.datetime:
        return self.at if self.at is not None else now()

    def due(self, story) -> dt.datetime:
        """When `story` is published, in the site's zone."""
        return dt.datetime.combine(story.date, story.time or dt.time(), tzinfo=ZoneInfo(self.zone))

    def waits(self, story) -> dt.datetime | None:
        """When `story` is due, if that is still to come; else None."""
        due = self.due(story)
        return due if due > self.moment else None

    def says(self, due: dt.datetime) -> str:
        """`2026-12-01 09:00 (Europe/Madrid)`."""
        return f"{due:%Y-%m-%d %H:%M} ({self.zone})"
