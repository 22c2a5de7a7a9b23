"""The story model: plain dataclasses that know nothing of MkDocs."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from slugify import slugify

from ogp_local.content import i18n


@dataclass(frozen=True)
class Area:
    """One of the ten Open Gov Challenge areas. Its name and description are read in
    the active language (i18n.active()), in OGP's own wording from areas.yml."""

    slug: str
    source_name: str
    """The name in the source language (English), as areas.yml's `name` gives it."""
    source_description: str
    colour: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    """(language, name, description) for each language areas.yml translates it into."""

    @property
    def url(self) -> str:
        return f"challenges/{self.slug}/"

    def _in(self, lang: str) -> tuple[str, str] | None:
        return _translated(self.translations, lang) if self.translations else None

    @property
    def name(self) -> str:
        found = self._in(i18n.active())
        return found[0] if found else self.source_name

    @property
    def description(self) -> str:
        found = self._in(i18n.active())
        return found[1] if found else self.source_description


@functools.cache
def _translated(translations: tuple, lang: str) -> tuple[str, str] | None:
    """An area's (name, description) in `lang` (or its base language), asked once per
    language: every card and listing of thousands of stories names areas."""
    for code, name, description in translations:
        if code == lang:
            return name, description
    base = lang.split("-")[0]
    return next(((n, d) for c, n, d in translations if c == base), None)


@dataclass(frozen=True)
class Impact:
    value: str
    label: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Member:
    """An OGP Local member as a story names it: a city, district, province or region."""

    name: str
    country: str

    @property
    def key(self) -> tuple[str, str]:
        """What makes two spellings one member: "São Paulo" and "Sao Paulo", or
        "Saint-Denis" and "Saint Denis", share a page (and a warning says so)."""
        return (_fold(self.name), _fold(self.country))


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Slugify is slow (~0.1 ms) and every listing asks for members' keys: once a name."""
    return slugify(text) or text.casefold()


@dataclass(frozen=True)
class Image:
    path: str
    """Relative to the project root, with forward slashes."""
    alt: str
    width: int
    height: int
    mime: str
    """What the file holds, e.g. image/jpeg."""
    credit: str | None = None
    license: str | None = None
    focus: tuple[float, float] = (50.0, 50.0)
    """The point to keep when cropping, x and y in percent."""


# Languages written right to left, and the scripts that are (for tags such as ku-Arab).
_RTL_LANGUAGES = frozenset(
    {
        "ar",
        "arc",
        "ckb",
        "dv",
        "fa",
        "he",
        "iw",
        "ks",
        "nqo",
        "pnb",
        "ps",
        "sd",
        "syr",
        "ug",
        "ur",
        "yi",
    }
)
_RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"})


def text_direction(lang: str) -> str:
    """The direction a BCP 47 tag is written in: "rtl" (ar, fa-IR, ku-Arab) or "ltr"."""
    subtags = lang.lower().split("-")
    if any(tag in _RTL_SCRIPTS for tag in subtags[1:]):
        return "rtl"
    return "rtl" if subtags[0] in _RTL_LANGUAGES else "ltr"


@dataclass(eq=False)
class Story:
    """What every kind of story shares."""

    slug: str
    path: str
    """Source file, relative to the project root."""
    title: str
    date: dt.date
    summary: str
    body: str
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict, repr=False)
    """The line of each front-matter field, for messages about it."""
    areas: tuple[Area, ...] = ()
    members: tuple[Member, ...] = ()
    hashtags: tuple[str, ...] = ()
    image: Image | None = None
    updated: dt.date | None = None
    lang: str | None = None
    """The language the story is written in (the site's default when not given)."""
    draft: bool = False
    time: dt.time | None = None
    """The time of day `date` gives (`date: 2026-12-01 09:00`), in the site's zone."""
    scheduled: dt.datetime | None = None
    """When a story dated in the future is due (aware, in the site's zone): until then
    it is left out as a draft is, and the preview marks it. None: published."""
    original: Story | None = field(default=None, repr=False)
    """For a translation, and for a stand-in (see `fallback`): the original story."""
    translations: dict[str, Story] = field(default_factory=dict, repr=False)
    """An original's translations, by language."""
    stand_in: bool = False
    """A copy of the original standing in for it in another language's site, where
    nobody translated it: its page, listings and feeds there show it as written,
    marked with its language."""

    kind = "story"
    LABEL = i18n.N_("Story")

    @property
    def label(self) -> str:
        """What the story is, in the active language: "Case study", "Estudio de caso"."""
        return i18n.gettext(self.LABEL)

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def source(self) -> Story:
        """The story as written: a stand-in's original, else the story itself (whose
        cards a stand-in shares)."""
        return self.original if self.stand_in and self.original is not None else self

    @property
    def root(self) -> Story:
        """The original of every version of this story."""
        return self.original if self.original is not None else self

    @property
    def primary_area(self) -> Area | None:
        return self.areas[0] if self.areas else None

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.country for m in self.members))

    @property
    def direction(self) -> str | None:
        """ "rtl" or "ltr" for a story with its own language, None for the site's."""
        return text_direction(self.lang) if self.lang else None


@dataclass(eq=False)
class Case(Story):
    impact: tuple[Impact, ...] = ()
    links: tuple[Link, ...] = ()

    kind = "case"
    LABEL = i18n.N_("Case study")

    @property
    def url(self) -> str:
        return f"cases/{self.slug}/"


@dataclass(eq=False)
class Item(Story):
    """A news item of a monthly roundup: a section of its month's page."""

    month: str = ""
    order: int | None = None
    item_kind: str = "news"
    link: str | None = None
    video: str | None = None

    kind = "item"
    LABEL = i18n.N_("Roundup item")

    KIND_LABELS = {
        "news": i18n.N_("News"),
        "video": i18n.N_("Video"),
        "blog": i18n.N_("Blog post"),
        "face": i18n.N_("Faces of Open Gov"),
    }

    @property
    def kind_label(self) -> str:
        return i18n.gettext(self.KIND_LABELS[self.item_kind])

    @property
    def url(self) -> str:
        return f"roundups/{self.month}/#{self.slug}"


@dataclass(eq=False)
class Roundup(Story):
    """A month's roundup: its introduction and its items."""

    month: str = ""
    news_count: int | None = None
    items: list[Item] = field(default_factory=list)

    kind = "roundup"
    LABEL = i18n.N_("Local Roundup")

    @property
    def url(self) -> str:
        return f"roundups/{self.month}/"


@dataclass(eq=False)
class Circle:
    """An OGP Local Circle: members paired to learn from each other on a theme."""

    slug: str
    path: str
    name: str
    theme: str
    areas: tuple[Area, ...]
    members: tuple[Member, ...]
    body: str = ""

    @property
    def url(self) -> str:
        return f"circles/{self.slug}/"
