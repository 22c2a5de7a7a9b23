"""Counts behind the trends page: stories per area per month, the areas rising in
the last twelve months, stories per country and per member. Plain data, no HTML.

"Now" is the newest story's month, never the clock: builds stay reproducible."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ogp_local.content import checks
from ogp_local.content.model import Area, Story
from ogp_local.site.catalog import Catalog

WINDOW = 12
SPAN = 120
"""The charts cover at most ten years, whatever the dates."""
BAR = "#12355B"
"""Bars that belong to no area: the brand's navy."""


def month_of(story: Story) -> str:
    return f"{story.date.year:04d}-{story.date.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class Trend:
    area: Area
    previous: float
    """Share of the previous twelve months' stories, in percent."""
    last: float
    """Share of the last twelve months' stories, in percent."""
    previous_count: int
    last_count: int

    @property
    def change(self) -> float:
        return self.last - self.previous


@dataclass
class Trends:
    months: list[str]
    per_area: dict[str, list[int]]
    """Area slug → stories per month, aligned with `months`."""
    trending: list[Trend]
    """Rising first."""
    countries: list[tuple[str, int]]
    members: list[tuple[str, str, str, int]]
    """(name, country, url, stories), most active first."""
    window: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    """The months of the previous and the last twelve-month windows."""
    charted: int = 0
    """How many stories the charts count (far-future dates and older years left out)."""

    @property
    def has_history(self) -> bool:
        """Whether the twelve months before the last twelve hold any story to compare."""
        return any(t.previous_count for t in self.trending)

    @property
    def rising(self) -> list[Trend]:
        if not self.has_history:
            return []
        return [t for t in self.trending if t.change > 0]

    def paired_rows(self) -> list[tuple[str, float, float, str]]:
        return [(t.area.name, t.previous, t.last, t.area.colour) for t in self.trending]

    def country_rows(self, limit: int) -> list[tuple[str, float, str]]:
        return [(name, count, BAR) for name, count in self.countries[:limit]]

    def member_rows(self, limit: int) -> list[tuple[str, float, str]]:
        return [
            (f"{name}, {country}", count, BAR) for name, country, _, count in self.members[:limit]
        ]


def charted(catalog: Catalog) -> list[Story]:
    """The tagged stories the charts show: not those dated far in the future (a typo
    such as 2099 is warned about), and only the last SPAN months up to the newest."""
    far = [story for story, _ in checks.far_future(catalog.stories, checks.today())]
    far_cases = {id(s) for s in far}
    far_months = {s.month for s in far if s.kind == "roundup"}
    tagged = [
        *(s for s in catalog.cases if id(s) not in far_cases),
        *(s for s in catalog.items if s.month not in far_months),
    ]
    if not tagged:
        return []
    newest = max(s.date for s in tagged)
    first = f"{newest.year - SPAN // 12:04d}-{newest.month:02d}"
    return [s for s in tagged if month_of(s) > first]


def compute(catalog: Catalog) -> Trends:
    tagged = charted(catalog)
    if not tagged:
        return Trends([], {a.slug: [] for a in catalog.areas}, [], [], [])
    months = month_range(min(map(month_of, tagged)), max(map(month_of, tagged)))
    index = {m: i for i, m in enumerate(months)}
    per_area = {a.slug: [0] * len(months) for a in catalog.areas}
    for story in tagged:
        for area in story.areas:
            per_area[area.slug][index[month_of(story)]] += 1
    last = months[-WINDOW:]
    previous = months[-2 * WINDOW : -WINDOW] if len(months) > WINDOW else []
    totals = [0] * len(months)
    for story in tagged:
        totals[index[month_of(story)]] += 1

    def share(area: Area, window: list[str]) -> tuple[float, int]:
        count = sum(per_area[area.slug][index[m]] for m in window)
        total = sum(totals[index[m]] for m in window)
        return (100 * count / total if total else 0.0), count

    trending = []
    for area in catalog.areas:
        (before, before_n), (now, now_n) = share(area, previous), share(area, last)
        trending.append(Trend(area, before, now, before_n, now_n))
    order = {a.slug: i for i, a in enumerate(catalog.areas)}
    trending.sort(key=lambda t: (-round(t.change, 6), order[t.area.slug]))

    countries: Counter[str] = Counter()
    for story in tagged:
        for country in story.countries:
            countries[country] += 1
    members = sorted(
        ((m.name, m.country, m.url, len(m.stories)) for m in catalog.members),
        key=lambda m: (-m[3], m[0].casefold(), m[1].casefold()),
    )
    return Trends(
        months,
        per_area,
        trending,
        sorted(countries.items(), key=lambda c: (-c[1], c[0].casefold())),
        members,
        (previous, last),
        len(tagged),
    )
