"""The plugin's settings under `ogp-local:` in mkdocs.yml, typed and checked by MkDocs."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from . import feeds
from .cards.fonts import DEFAULT_CHAIN
from .cards.layout import DESIGNS


class FeedsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    size = c.Type(int, default=50)
    """How many of the newest stories each feed carries."""
    formats = c.ListOfItems(c.Choice(feeds.FORMATS), default=list(feeds.FORMATS))


class CardsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    sizes = c.ListOfItems(c.Choice(tuple(DESIGNS)), default=list(DESIGNS))
    fonts_dir = c.Optional(c.Type(str))
    """Folder of the card fonts (Family-Regular.ttf and Family-Bold.ttf); by default
    `cards/fonts` in the theme's custom_dir."""
    fonts = c.ListOfItems(c.Type(str), default=list(DEFAULT_CHAIN))
    """Font families in fallback order: each character takes the first that has it."""
    colour = c.Type(str, default="#12355B")
    """Background of cards without an area (roundups); white text must reach 4.5:1 on it."""
    cache_dir = c.Type(str, default=".cache/ogp-local/cards")
    workers = c.Type(int, default=0)
    """Processes drawing cards; 0: one per core."""


class DataConfig(base.Config):
    enabled = c.Type(bool, default=True)
    licence = c.Type(str, default="Creative Commons Attribution 4.0 International (CC BY 4.0)")
    licence_url = c.Type(str, default="https://creativecommons.org/licenses/by/4.0/")


class StoriesConfig(base.Config):
    cases_dir = c.Type(str, default="cases")
    roundups_dir = c.Type(str, default="roundups")
    areas_file = c.Optional(c.Type(str))
    """A YAML file of challenge areas replacing the bundled ten."""
    per_page = c.Type(int, default=20)
    latest = c.Type(int, default=6)
    """How many stories the home page shows."""
    circles = c.Type(bool, default=True)
    """Local Circles from content/circles/*.md."""
    trends = c.Type(bool, default=True)
    """The /trends/ page, the home page's trending strip and the areas' sparklines."""
    open_data = c.SubConfig(DataConfig)
    """/data/stories.json and .csv, documented on /data/."""
    feeds = c.SubConfig(FeedsConfig)
    cards = c.SubConfig(CardsConfig)
    feeds_logo = c.Type(str, default="assets/images/logo.png")
    """Site-relative path of the PNG logo feeds show."""
