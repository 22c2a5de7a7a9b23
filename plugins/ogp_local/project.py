"""The site a command works on, found from its mkdocs.yml without loading MkDocs
(so `ogp-local check` answers in a fraction of a second)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from . import content
from .areas import Areas
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

    @classmethod
    def find(cls, config_file: Path) -> Project:
        if not config_file.is_file():
            raise click.UsageError(
                f"{config_file} not found: run this in the project folder or pass --config-file"
            )
        options = _plugin_options(config_file)
        root = config_file.resolve().parent
        areas_file = options.get("areas_file")
        return cls(
            config_file,
            root,
            Areas.load(root / areas_file if areas_file else None),
            options.get("cases_dir", "cases"),
            options.get("roundups_dir", "roundups"),
        )

    def reader(self) -> content.Reader:
        return content.Reader(
            self.root, self.areas, cases_dir=self.cases_dir, roundups_dir=self.roundups_dir
        )


def _plugin_options(config_file: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !ENV and python tags; they do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text("utf-8"), Loader=Loader) or {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "ogp-local" in entry:
            return entry["ogp-local"] or {}
    return {}


def echo_problems(problems: list[Problem]) -> None:
    """One line per problem; red and yellow on a terminal, plain when piped."""
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(str(problem), fg=colour)
