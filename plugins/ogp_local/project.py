"""The site a command works on, found from its mkdocs.yml without loading MkDocs
(so `ogp-local check` answers in a fraction of a second)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from . import content
from .areas import Areas
from .cards.fonts import DEFAULT_CHAIN, FontChain
from .problems import Problem, Severity

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class Project:
    """The site's folders, read from mkdocs.yml without loading MkDocs (fast)."""

    config_file: Path
    root: Path
    areas: Areas
    cases_dir: str
    roundups_dir: str
    options: dict = field(default_factory=dict)
    """The ogp-local plugin's options in mkdocs.yml."""
    custom_dir: str | None = None
    """The theme's custom_dir."""

    @classmethod
    def find(cls, config_file: Path) -> Project:
        if not config_file.is_file():
            raise click.UsageError(
                f"{config_file} not found: run this in the project folder or pass --config-file"
            )
        data = _read_config(config_file)
        options = _plugin_options(data)
        root = config_file.resolve().parent
        areas_file = options.get("areas_file")
        theme = data.get("theme")
        return cls(
            config_file,
            root,
            Areas.load(root / areas_file if areas_file else None),
            options.get("cases_dir", "cases"),
            options.get("roundups_dir", "roundups"),
            options,
            theme.get("custom_dir") if isinstance(theme, dict) else None,
        )

    def card_fonts(self) -> FontChain | None:
        """The card fonts as the build will use them; None without cards (or fonts:
        the build reports that)."""
        cards = self.options.get("cards") or {}
        if cards.get("enabled") is False:
            return None
        if cards.get("fonts_dir"):
            folder = self.root / cards["fonts_dir"]
        elif self.custom_dir:
            folder = self.root / self.custom_dir / "cards" / "fonts"
        else:
            return None
        try:
            return FontChain(folder, tuple(cards.get("fonts") or DEFAULT_CHAIN))
        except OSError:
            return None

    def reader(self) -> content.Reader:
        return content.Reader(
            self.root, self.areas, cases_dir=self.cases_dir, roundups_dir=self.roundups_dir
        )


def _read_config(config_file: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !ENV and python tags; they do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text("utf-8"), Loader=Loader)
    return data if isinstance(data, dict) else {}


def _plugin_options(data: dict) -> dict:
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "ogp-local" in entry:
            return entry["ogp-local"] or {}
    return {}


def echo_problems(problems: list[Problem]) -> None:
    """One line per problem; red and yellow on a terminal, plain when piped."""
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(str(problem), fg=colour)
