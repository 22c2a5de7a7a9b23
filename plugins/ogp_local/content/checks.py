"""Checks across stories and across the fields of one story, run while the files are
read — by `check` and by the build alike, so both give the same verdict: spellings
of one member, a member field naming several members, dates far in the future;
areas, members and the hero image of a story (and the areas of a Local Circle)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from slugify import slugify

from ogp_local.content import dates, images
from ogp_local.content.areas import Areas
from ogp_local.content.members import canonical_spellings
from ogp_local.content.model import Area, Image, Member, Story
from ogp_local.content.problems import Problem, Problems, Severity

FAR_FUTURE = dt.timedelta(days=365)
"""How far past the newest other story (and today) a date may lie before it is
more likely a typo (2099 for 2009) than a plan."""

# "São Paulo, Distrito Federal and Santa Catarina": a list written as a sentence.
_SEPARATORS = re.compile(r"\s*(?:;|,|\s(?:and|y|e|et|&)\s)\s*", re.IGNORECASE)


def _warning(story: Story, field: str, message: str, hint: str) -> Problem:
    line = story.lines.get(field, 1)
    return Problem(story.path, line, field, message, hint, Severity.WARNING)


def today() -> dt.date:
    """The build's today: SOURCE_DATE_EPOCH's day when set (reproducible builds)."""
    return dates.now().date()


def run(stories: Sequence[Story], circle_members: Iterable[Member] = ()) -> list[Problem]:
    """Every cross-story warning for `stories` (case studies, roundups and items)."""
    problems = [*member_spellings(stories, circle_members)]
    problems += [p for story in stories for p in several_members(story)]
    problems += [
        _warning(
            story,
            "date",
            f"{story.date.isoformat()} is more than a year after the newest other story "
            f"({newest.isoformat()}) and today",
            "check the year; a story dated in the future tops every listing and feed",
        )
        for story, newest in far_future(stories, today())
    ]
    return problems


def member_spellings(
    stories: Sequence[Story], circle_members: Iterable[Member] = ()
) -> list[Problem]:
    """Two spellings of one member share one page: say so where the rarer one is."""
    places: dict[Member, list[Story]] = defaultdict(list)
    for story in stories:
        for member in dict.fromkeys(story.members):
            places[member].append(story)
    canonical = canonical_spellings([m for m, found in places.items() for _ in found])
    by_key: dict[tuple[str, str], list[Member]] = defaultdict(list)
    for member in places:
        by_key[member.key].append(member)
    problems = []
    for key, spellings in by_key.items():
        if len(spellings) < 2:
            continue
        chosen = canonical[key]
        first = places[chosen][0]
        where = f"{first.path}:{first.lines.get('member', 1)}"
        page = f"members/{slugify(chosen.name) or 'member'}/"
        for member in spellings:
            if member == chosen:
                continue
            for story in places[member]:
                problems.append(
                    _warning(
                        story,
                        "member",
                        f"'{member.name}' and '{chosen.name}' ({where}) are spellings of one "
                        f"member; both are listed on one page, {page}",
                        f"use one spelling: '{chosen.name}'",
                    )
                )
    return problems


def several_members(story: Story) -> list[Problem]:
    """`member: "São Paulo, Distrito Federal and Santa Catarina"` lists three members
    in one name: show the list form instead."""
    problems = []
    for member in story.members:
        parts = [p for p in _SEPARATORS.split(member.name) if p]
        # "Bogotá, D.C." and "Mid and East Antrim" are one member each: only a comma or
        # semicolon list of three or more, or one ending in a conjunction, is several.
        listed = len(parts) >= 3 or (len(parts) == 2 and ";" in member.name)
        conjunction = (
            len(parts) >= 2
            and "," in member.name
            and _SEPARATORS.search(member.name.rsplit(",", 1)[-1])
        )
        if listed or conjunction:
            names = ", ".join(parts)
            problems.append(
                _warning(
                    story,
                    "member",
                    f"'{member.name}' reads as {len(parts)} members in one name",
                    f"write them as a list: member: [{names}]",
                )
            )
    return problems


def far_future(stories: Sequence[Story], now: dt.date) -> list[tuple[Story, dt.date]]:
    """Stories dated more than a year after both `now` and the newest story that is
    not (with that story's date). Items take their month's date: only the files
    that carry a date (case studies and roundups) are judged."""
    ordered = sorted((s for s in stories if s.kind != "item"), key=lambda s: s.date, reverse=True)
    cut = 0
    for index, story in enumerate(ordered):
        below = ordered[index + 1].date if index + 1 < len(ordered) else now
        if story.date > max(below, now) + FAR_FUTURE:
            cut = index + 1
    newest = ordered[cut].date if cut < len(ordered) else now
    return [(story, newest) for story in ordered[:cut]]


# -- across the fields of one story (and of a Local Circle) -------------------------------


def named_areas(
    path: str, field: str, named: Sequence[tuple[str, int]], areas: Areas, problems: Problems
) -> tuple[Area, ...]:
    """The areas `named` as (name, line), each once; an unknown one is an error with
    the closest slug."""
    found: list[Area] = []
    for name, line in named:
        area = areas.lookup(name)
        if area is None:
            problems.error(path, line, field, f"unknown area '{name}'", areas.suggest(name))
        elif area not in found:
            found.append(area)
    return tuple(found)


def inferred_areas(path: str, text: str, areas: Areas, problems: Problems) -> tuple[Area, ...]:
    """Areas for a story that names none, from its words, with a warning that names
    them (so --strict refuses the guess); an error when nothing matches."""
    inferred = areas.infer(text)
    if not inferred:
        problems.error(
            path,
            1,
            "challenges",
            "missing, and no area could be inferred from the text",
            "add e.g. `challenges: [public-participation]`",
        )
        return ()
    slugs = ", ".join(a.slug for a, _ in inferred)
    words = "; ".join(f"{a.slug}: " + ", ".join(f"'{w}'" for w in ws[:5]) for a, ws in inferred)
    problems.warning(
        path,
        1,
        "challenges",
        f"missing; inferred {slugs} from the words {words}",
        f"add `challenges: [{slugs}]` to confirm",
    )
    return tuple(a for a, _ in inferred)


def members(
    path: str, line: int, names: Sequence[str], countries: Sequence[str], problems: Problems
) -> tuple[Member, ...]:
    """Members from `member` and `country`: one country for all, or one each."""
    if not names or not countries:
        return ()
    if len(countries) == 1:
        countries = tuple(countries) * len(names)
    if len(countries) != len(names):
        problems.error(
            path,
            line,
            "country",
            f"{len(countries)} countries for {len(names)} members",
            "give one country, or one per member",
        )
        return ()
    return tuple(Member(n, c) for n, c in zip(names, countries, strict=True))


def image(
    root: Path,
    path: str,
    folder: Path,
    lines: dict[str, int],
    value: object,
    alt: object,
    problems: Problems,
    *,
    credit: str | None = None,
    license: str | None = None,
    focus: tuple[float, float] | None = None,
) -> Image | None:
    """The hero image named by `value` (relative to `folder`), checked, with its text
    alternative `alt`, its credit, licence and focus point."""
    if value is None:
        for key in ("image_credit", "image_license", "image_focus"):
            if key in lines:
                problems.warning(path, lines[key], key, "given without an image", "add `image:`")
        if alt is not None:
            problems.warning(
                path,
                lines["image_alt"],
                "image_alt",
                "given without an image",
                "add `image:` or remove image_alt",
            )
        return None
    try:
        checked = images.check(root, folder, str(value))
    except images.ImageError as exc:
        problems.error(path, lines["image"], "image", exc.message, exc.hint)
        return None
    if not alt:
        problems.error(
            path,
            lines["image"],
            "image_alt",
            "missing: an image needs a text alternative",
            'add `image_alt: "what the image shows"`',
        )
        return None
    if checked.gps is not None:
        problems.warning(path, lines["image"], "image", *gps_warning(str(value), checked.gps))
    return Image(
        checked.path,
        str(alt),
        checked.width,
        checked.height,
        checked.mime,
        credit,
        license,
        focus or (50.0, 50.0),
    )


def published_images(root: Path, paths: Iterable[str], named: set[str]) -> list[Problem]:
    """Every other image the site publishes (body pictures, content pages' images) is
    checked like a hero: an error when it is not a whole image, a warning when it
    says where it was taken. Heroes (`named`) are checked at their `image:` line."""
    problems = []
    for path in paths:
        if path in named or Path(path).suffix.lower() not in images.RASTER:
            continue
        try:
            checked = images.check(root, root, path)
        except images.ImageError as exc:
            problems.append(Problem(path, 1, "file", exc.message, exc.hint))
            continue
        if checked.gps is not None:
            message, hint = gps_warning(Path(path).name, checked.gps)
            problems.append(Problem(path, 1, "file", message, hint, Severity.WARNING))
    return problems


def gps_warning(name: str, gps: tuple[float, float]) -> tuple[str, str]:
    """The message and hint for a photo that says where it was taken."""
    return (
        f"{name} holds GPS coordinates ({gps[0]:.2f}, {gps[1]:.2f}): the site gets a copy "
        "without them",
        "`ogp-local images strip` removes them from the repository too",
    )
