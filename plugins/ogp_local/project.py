"""The site a command works on, found from its mkdocs.yml without loading MkDocs
(so `ogp-local check` answers in a fraction of a second)."""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from . import content
from .areas import Areas, AreasFileError
from .cards.fonts import DEFAULT_CHAIN, FontChain
from .problems import Problem, Problems, Severity
from .reader import StoryReader

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
    docs_dir: str = "docs"

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
            _areas(root / areas_file if areas_file else None),
            options.get("cases_dir", "cases"),
            options.get("roundups_dir", "roundups"),
            options,
            theme.get("custom_dir") if isinstance(theme, dict) else None,
            str(data.get("docs_dir") or "docs"),
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

    def load(self) -> tuple[content.Content, Problems]:
        """Every story and circle with every problem: the build's reading path."""
        return content.load(
            self.root,
            self.areas,
            cases_dir=self.cases_dir,
            roundups_dir=self.roundups_dir,
            docs_dir=self.root / self.docs_dir,
            with_circles=self.options.get("circles", True) is not False,
        )

    def reader(self) -> StoryReader:
        """Reads one story (the importer validates rows through it)."""
        return StoryReader(self.root, self.areas, Problems())


def _areas(path: Path | None) -> Areas:
    """The challenge areas; a broken areas file is one message (exit 1), as in the build."""
    try:
        return Areas.load(path)
    except AreasFileError as exc:
        raise click.ClickException(str(exc)) from exc


def _read_config(config_file: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !ENV and python tags; they do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    with naming(config_file):
        text = config_file.read_text("utf-8")
    data = yaml.load(text, Loader=Loader)
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


# What to do about an OS error, by its errno.
_WHAT_TO_DO = {
    errno.EACCES: "check the folder's permissions",
    errno.EPERM: "check the folder's permissions",
    errno.EROFS: "the disk is read-only: use another folder",
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EFBIG: "a file grew past the size this system allows: raise the limit (ulimit -f)",
    errno.ENAMETOOLONG: "use a shorter name",
    errno.ENOTDIR: "a file stands where a folder should be: move it away",
    errno.EEXIST: "a file stands where a folder should be: move it away",
    errno.EISDIR: "a folder stands where a file should be: move it away",
    errno.ENOENT: "check the path",
}


def os_error_line(exc: OSError) -> str:
    """An OS error as one line: the path, what went wrong, what to do."""
    where = exc.filename if exc.filename2 is None else f"{exc.filename} -> {exc.filename2}"
    what = exc.strerror or str(exc)
    todo = _WHAT_TO_DO.get(exc.errno, "check the folder's permissions and the free disk space")
    return f"ogp-local: {where}: {what} ({todo})" if where else f"ogp-local: {what} ({todo})"


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Name `path` in an OS error that names no file (a write to a full disk fails on
    an open file, and Python's error then says only "No space left on device")."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise
