"""The site's settings: the `ogp-local:` options of mkdocs.yml and the few site-wide
values the stories need, in one typed object made once — by the MkDocs plugin and by
the command line alike. Every default lives here, and every value is checked here,
up front, with the message a user needs (not deep in drawing a card)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from ogp_local.content import colours
from ogp_local.content.problems import did_you_mean
from ogp_local.outputs.cards.fonts import DEFAULT_CHAIN
from ogp_local.outputs.cards.layout import DESIGNS
from ogp_local.site.feedlist import FORMATS as FEED_FORMATS

OG_SIZE = "1200x630"


class SettingsError(Exception):
    """Settings that cannot work; `messages` holds every one of them."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class FeedSettings:
    enabled: bool = True
    size: int = 50
    """How many of the newest stories each feed carries."""
    formats: tuple[str, ...] = FEED_FORMATS


@dataclass(frozen=True)
class CardSettings:
    enabled: bool = True
    sizes: tuple[str, ...] = tuple(DESIGNS)
    fonts_dir: str | None = None
    """Folder of the card fonts (Family-Regular.ttf, Family-Bold.ttf); by default
    `cards/fonts` in the theme's custom_dir."""
    fonts: tuple[str, ...] = DEFAULT_CHAIN
    """Font families in fallback order: each character takes the first that has it."""
    colour: str = "#12355B"
    """Background of cards without an area (roundups); white text must reach 4.5:1."""
    cache_dir: str = ".cache/ogp-local/cards"
    workers: int = 0
    """Processes drawing cards; 0: one per core."""


@dataclass(frozen=True)
class DataSettings:
    enabled: bool = True
    licence: str = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class NewsletterSettings:
    enabled: bool = True
    """roundups/YYYY-MM/email.html and email.txt: each month's roundup as an email."""
    address: str = ""
    """The organisation's postal address for the footer (mailing laws ask for one)."""
    unsubscribe: str = "*|UNSUB|*"
    """Your mailing tool's unsubscribe merge tag, or the address of an unsubscribe page."""
    social: tuple[str, ...] = ()
    """Addresses of the organisation's social media profiles, linked in the footer."""
    max_kb: int = 100
    """Size of the HTML edition at most (Gmail clips a message past 102 KB)."""


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool = True
    """The site's own search (Pagefind) and the /stories/ finder; off: no search."""


@dataclass(frozen=True)
class EditorSettings:
    enabled: bool = True
    """/admin/: the browser editor (Decap CMS) with its configuration made from the
    schema; `ogp-local serve` starts its local proxy. Off: no /admin/, no proxy."""
    backend: str = "github"
    """Where the published site's editor keeps the files: github, gitlab, gitea."""
    repo: str = ""
    """The repository, `owner/name` (GitHub, Gitea) or `group/project` (GitLab)."""
    branch: str = "main"
    base_url: str = ""
    """The sign-in service's address (an OAuth proxy for GitHub; GitLab's own by default)."""
    auth_endpoint: str = ""
    app_id: str = ""
    """GitLab: the OAuth application's id (PKCE sign-in, no server needed)."""
    workflow: bool = True
    """Draft → in review → ready: every change is a pull request until it is published."""
    proxy_port: int = 8081
    """Port of the local proxy (decap-server) that `ogp-local serve` starts."""


EDITOR_BACKENDS = ("github", "gitlab", "gitea", "git-gateway")


@dataclass(frozen=True)
class Site:
    """What the stories need of mkdocs.yml outside the plugin's own options."""

    root: Path
    """The folder of mkdocs.yml."""
    site_name: str = "OGP Local Stories"
    site_url: str | None = None
    site_description: str | None = None
    docs_dir: str = "docs"
    custom_dir: str | None = None
    language: str = "en"
    use_directory_urls: bool = True


@dataclass(frozen=True)
class Settings:
    """The `ogp-local:` options, with defaults, plus the site they apply to."""

    site: Site
    cases_dir: str = "cases"
    roundups_dir: str = "roundups"
    areas_file: str | None = None
    """A YAML file of challenge areas replacing the bundled ten."""
    per_page: int = 20
    latest: int = 6
    """How many stories the home page shows."""
    circles: bool = True
    """Local Circles from <docs_dir>/circles/*.md."""
    trends: bool = True
    """The /trends/ page, the home page's trending strip and the areas' sparklines."""
    feeds_logo: str = "assets/images/logo.png"
    """Site-relative path of the PNG logo feeds show."""
    open_data: DataSettings = field(default_factory=DataSettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    cards: CardSettings = field(default_factory=CardSettings)
    newsletter: NewsletterSettings = field(default_factory=NewsletterSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    editor: EditorSettings = field(default_factory=EditorSettings)
    precompress: bool = True
    """A .gz and a .br beside every text file of the site, for hosts that serve them."""
    languages: tuple[str, ...] = ()
    """The site's languages, the default first (e.g. en, es, fr, pt): every other one is
    a whole site under /<lang>/. Empty: the theme's language alone."""
    timezone: str = "UTC"
    """The zone of the stories' dates and times (IANA, e.g. Europe/Madrid): a story
    dated `2026-12-01 09:00` is published by the first build from 9:00 there."""

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else self.site.language

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The configured languages, the default first (at least the one)."""
        return self.languages or (self.site.language,)

    def story_folders(self) -> list[Path]:
        """The folders of case studies and roundups that exist."""
        folders = [self.root / self.cases_dir, self.root / self.roundups_dir]
        return [folder for folder in folders if folder.is_dir()]

    # -- paths, resolved against the project folder --------------------------------

    @property
    def root(self) -> Path:
        return self.site.root

    def docs_path(self) -> Path:
        return self.root / self.site.docs_dir

    def areas_path(self) -> Path | None:
        return self.root / self.areas_file if self.areas_file else None

    def fonts_path(self) -> Path:
        if self.cards.fonts_dir:
            return self.root / self.cards.fonts_dir
        return self.root / (self.site.custom_dir or "") / "cards" / "fonts"

    def cache_path(self) -> Path:
        return self.root / self.cards.cache_dir

    def project_cache(self) -> Path:
        """The project's cache folder (.cache/ogp-local): records, stores, the lock."""
        return self.cache_path().parent

    def images_cache_path(self) -> Path:
        """Photo variants, cached beside the cards."""
        return self.cache_path().parent / "images"

    def search_cache_path(self) -> Path:
        return self.cache_path().parent / "search"

    def compressed_cache_path(self) -> Path:
        return self.cache_path().parent / "compressed"

    # -- made from mkdocs.yml ----------------------------------------------------------

    @classmethod
    def read(cls, options: Mapping[str, Any] | None, site: Site) -> Settings:
        """The settings from the plugin's options; SettingsError lists every problem."""
        problems: list[str] = []
        made = _make(cls, dict(options or {}), "", problems, site=site)
        problems += _check(made)  # on the values that could be read: every message at once
        if problems:
            raise SettingsError([f"ogp-local: {p}" for p in problems])
        return made


def option_names() -> tuple[str, ...]:
    """The top-level option names, for the MkDocs plugin's schema."""
    return tuple(f.name for f in fields(Settings) if f.name != "site")


def _make(cls, given: dict, prefix: str, problems: list[str], **fixed):
    """A settings dataclass from `given`, converting lists to tuples and checking types."""
    known = {f.name: f for f in fields(cls) if f.name not in fixed}
    values: dict[str, Any] = dict(fixed)
    for key, value in given.items():
        spec = known.get(key)
        name = f"{prefix}{key}"
        if spec is None:
            hint = did_you_mean(str(key), known) or "known: " + ", ".join(known)
            problems.append(f"unknown setting `{name}` ({hint})")
            continue
        default = _default(spec)
        if value is None:
            continue
        if is_dataclass(default):
            if not isinstance(value, Mapping):
                example = f"{name}: {{enabled: false}}"
                problems.append(f"`{name}` takes settings of its own, e.g. `{example}`")
                continue
            values[key] = _make(type(default), dict(value), f"{name}.", problems)
        else:
            converted = _convert(value, default, name, problems)
            if converted is not None:
                values[key] = converted
    return cls(**values)


def _default(spec):
    return spec.default if spec.default_factory is MISSING else spec.default_factory()


def _convert(value: Any, default: Any, name: str, problems: list[str]):
    """`value` in the type of `default`, or None with a problem said."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        problems.append(f"`{name}` must be true or false, not {value!r}")
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        problems.append(f"`{name}` must be a whole number, not {value!r}")
    elif isinstance(default, tuple):
        items = value if isinstance(value, list | tuple) else None
        if items is not None and all(isinstance(v, str) for v in items):
            return tuple(items)
        problems.append(f"`{name}` must be a list of names, e.g. [{', '.join(default)}]")
    elif isinstance(value, str):
        return value
    else:
        problems.append(f"`{name}` must be text, not {value!r}")
    return None


def _timezone(name: str) -> list[str]:
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        known = zoneinfo.available_timezones()
        hint = did_you_mean(name, known) or "an IANA name such as Europe/Madrid or UTC"
        return [f"`timezone`: unknown time zone '{name}' ({hint})"]
    return []


def _check(settings: Settings) -> list[str]:
    """What the types cannot say: ranges, choices, colours, and what depends on what."""
    problems = []
    site = settings.site
    problems += _languages(settings)
    problems += _timezone(settings.timezone)
    if not site.use_directory_urls:
        problems.append("set `use_directory_urls: true` in mkdocs.yml")
    for name, value in (("per_page", settings.per_page), ("latest", settings.latest)):
        if value < 1:
            problems.append(f"`{name}` must be at least 1, not {value}")
    feeds, cards = settings.feeds, settings.cards
    if feeds.enabled:
        if feeds.size < 1:
            problems.append(f"`feeds.size` must be at least 1, not {feeds.size}")
        problems += _choices("feeds.formats", feeds.formats, FEED_FORMATS)
        if not site.site_url:
            problems.append(
                "feeds need the site's address: set `site_url: https://…/` in mkdocs.yml "
                "(or turn feeds off with `feeds: {enabled: false}`)"
            )
    letter = settings.newsletter
    if letter.enabled:
        if not site.site_url:
            problems.append(
                "the newsletter needs the site's address (every link in an email is "
                "absolute): set `site_url: https://…/`, or `newsletter: {enabled: false}`"
            )
        if not 10 <= letter.max_kb <= 102:
            problems.append(
                f"`newsletter.max_kb` must be between 10 and 102 (Gmail clips a message "
                f"past 102 KB), not {letter.max_kb}"
            )
        for url in letter.social:
            if not url.startswith(("https://", "http://")):
                problems.append(f"`newsletter.social`: '{url}' is not a web address")
    if cards.enabled:
        problems += _choices("cards.sizes", cards.sizes, tuple(DESIGNS))
        if OG_SIZE not in cards.sizes:
            problems.append(
                f"`cards.sizes` must include {OG_SIZE} (the Open Graph card every story "
                "page points at)"
            )
        wrong = colours.problem(cards.colour)
        if wrong:
            problems.append(f"`cards.colour`: {wrong}")
        if cards.workers < 0:
            problems.append(f"`cards.workers` must be 0 (one per core) or more: {cards.workers}")
        if not site.site_url:
            problems.append(
                "social cards need the site's address: set `site_url: https://…/` in "
                "mkdocs.yml (Open Graph images must be absolute), or `cards: {enabled: false}`"
            )
        if not cards.fonts_dir and not site.custom_dir:
            problems.append("set `cards.fonts_dir` (or a theme custom_dir holding cards/fonts)")
    editor = settings.editor
    if editor.enabled:
        problems += _choices("editor.backend", (editor.backend,), EDITOR_BACKENDS)
        if not 1024 <= editor.proxy_port <= 65535:
            problems.append(
                f"`editor.proxy_port` must be a port from 1024 to 65535, not {editor.proxy_port}"
            )
        if editor.repo and "/" not in editor.repo.strip("/"):
            problems.append(
                f"`editor.repo`: '{editor.repo}' is not owner/name, e.g. ogp/local-stories"
            )
    return problems


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _languages(settings: Settings) -> list[str]:
    problems = []
    languages = settings.languages
    for lang in languages:
        if not _LANGUAGE.match(lang):
            problems.append(
                f"`languages`: '{lang}' is not a language tag (use BCP 47 tags such as es or pt-BR)"
            )
    doubled = sorted({lang for lang in languages if languages.count(lang) > 1})
    if doubled:
        problems.append(f"`languages`: '{doubled[0]}' is given twice")
    if languages and languages[0] != settings.site.language:
        problems.append(
            f"`languages` starts with '{languages[0]}', the default language, but the theme's "
            f"`language` is '{settings.site.language}': set `theme: language: {languages[0]}` "
            "in mkdocs.yml, or put it first"
        )
    return problems


def _choices(name: str, given: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    problems = []
    for value in given:
        if value not in allowed:
            hint = did_you_mean(value, allowed) or "choose from " + ", ".join(allowed)
            problems.append(f"`{name}`: unknown value '{value}' ({hint})")
    return problems
