"""The site a command works on: its settings, made from mkdocs.yml as the build makes
them (Settings), without loading MkDocs — so `ogp-local check` answers in a fraction
of a second and says what the build would say."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
import yaml
from yaml_env_tag import construct_env_tag

from ogp_local.build.settings import Settings, SettingsError, Site
from ogp_local.content.problems import Problem, Problems, Severity, naming

if TYPE_CHECKING:
    from ogp_local.build.site_build import SiteBuild
    from ogp_local.content.reader import StoryReader

EXIT_OK, EXIT_PROBLEMS = 0, 1


class Refused(click.ClickException):
    """Settings the build would refuse: every message, one per line, exit 1."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))

    def show(self, file=None) -> None:
        click.secho(self.message, fg="red", err=True)


@dataclass
class Project:
    """The site a command works on."""

    config_file: Path
    settings: Settings
    build: SiteBuild
    """The build model the plugin would run: `check` reads through it."""

    @classmethod
    def find(cls, config_file: Path) -> Project:
        from ogp_local.build.site_build import SiteBuild

        settings = cls.settings_of(config_file)
        try:
            return cls(config_file, settings, SiteBuild(settings))
        except SettingsError as exc:
            raise Refused(exc.messages) from exc

    @staticmethod
    def settings_of(config_file: Path) -> Settings:
        """The site's settings, as the build reads them, from mkdocs.yml alone."""
        if not config_file.is_file():
            raise click.UsageError(
                f"{config_file} not found: run this in the project folder or pass --config-file"
            )
        data = _read_config(config_file)
        theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
        site = Site(
            root=config_file.resolve().parent,
            site_name=str(data.get("site_name") or ""),
            site_url=data.get("site_url"),
            site_description=data.get("site_description"),
            docs_dir=str(data.get("docs_dir") or "docs"),
            custom_dir=theme.get("custom_dir"),
            language=theme.get("language") or "en",
            use_directory_urls=data.get("use_directory_urls", True) is not False,
        )
        try:
            return Settings.read(_plugin_options(data), site)
        except SettingsError as exc:
            raise Refused(exc.messages) from exc

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def areas(self):
        return self.build.areas

    @property
    def cases_dir(self) -> str:
        return self.settings.cases_dir

    @property
    def roundups_dir(self) -> str:
        return self.settings.roundups_dir

    def reader(self) -> StoryReader:
        """Reads one story (the importer validates rows through it)."""
        from ogp_local.content.reader import StoryReader

        return StoryReader(self.root, self.areas, Problems(), self.settings.default_language)


def _read_config(config_file: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # As MkDocs reads it: !ENV from the environment; other tags do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_constructor("!ENV", construct_env_tag)
    with naming(config_file):
        text = config_file.read_text("utf-8")
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise Refused([f"{config_file}:{line}: YAML syntax error: {reason}"]) from exc
    return data if isinstance(data, dict) else {}


def _plugin_options(data: dict) -> dict:
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "ogp-local" in entry:
            options = entry["ogp-local"]
            return options if isinstance(options, dict) else {}
    return {}


def echo_problems(problems: list[Problem]) -> None:
    """One line per problem; red and yellow on a terminal, plain when piped."""
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(str(problem), fg=colour)
