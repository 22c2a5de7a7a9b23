"""`ogp-local`: the command the communications team uses.

Exit codes: 0 clean, 1 problems in the content (or a failed build), 2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import yaml
from slugify import slugify

from . import content, importer, scaffold
from .areas import Areas
from .problems import Problem, Severity
from .publish import swap_in

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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


def _echo_problems(problems: list[Problem]) -> None:
    """One line per problem; red and yellow on a terminal, plain when piped."""
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(str(problem), fg=colour)


def _mkdocs(*args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], env=env)


def _ask(value, prompt: str, name: str, multiple: bool = False):
    """The value given, else asked for on a terminal, else a usage error."""
    if value:
        return value
    if sys.stdin.isatty():
        answer = click.prompt(prompt)
        return [a.strip() for a in answer.split(";") if a.strip()] if multiple else answer
    raise click.UsageError(f"missing {name} (and no terminal to ask on)")


def _area_slugs(project: Project, names) -> list[str]:
    slugs = []
    for name in names:
        area = project.areas.lookup(name)
        if area is None:
            raise click.BadParameter(
                f"unknown area '{name}' ({project.areas.suggest(name)})", param_hint="--area"
            )
        slugs.append(area.slug)
    return slugs


def _write_new(path: Path, text: str, project: Project) -> None:
    """Write a new file; never replace one."""
    shown = path.relative_to(project.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        click.secho(
            f"{shown} exists already; nothing was written (choose another title or --slug)",
            fg="red",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"Wrote {shown}")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml.",
)
@click.version_option(package_name="ogp-local-stories")
@click.pass_context
def main(ctx: click.Context, config_file: Path) -> None:
    """Write, check and publish OGP Local Stories.

    \b
    A comms person's day:
      ogp-local new case "Creation of a Mandatory Lobby Registry" \\
          --member Madrid --country Spain --area anti-corruption
      ogp-local check            # every problem, file:line, at once
      ogp-local serve            # preview on http://127.0.0.1:8000, drafts included
      ogp-local build            # publish into site/

    \b
    Exit codes: 0 clean, 1 problems in the content or a failed build, 2 wrong usage.
    """
    ctx.obj = config_file


# -- new ----------------------------------------------------------------------------------


@main.group()
def new() -> None:
    """Start a new case study, monthly roundup or roundup item from a template.

    The file gets every field with a hint beside it, and never replaces an
    existing file.
    """


_member = click.option(
    "--member", "members", multiple=True, help="OGP Local member; repeat for several."
)
_country = click.option(
    "--country", "countries", multiple=True, help="Country; repeat for one per member."
)
_area = click.option(
    "--area",
    "areas",
    multiple=True,
    help="Challenge area, slug or name; repeat for several (first = primary).",
)
_slug = click.option("--slug", help="File name without .md (default: from the title).")


@new.command("case")
@click.argument("title", required=False)
@_member
@_country
@_area
@_slug
@click.option(
    "--date", type=click.DateTime(["%Y-%m-%d"]), help="Publication date (default: today)."
)
@click.pass_obj
def new_case(config_file, title, members, countries, areas, slug, date) -> None:
    """Write cases/<slug>.md.

    \b
    Example:
      ogp-local new case "Creation of a Mandatory Lobby Registry" \\
          --member Madrid --country Spain --area anti-corruption
    """
    project = Project.find(config_file)
    title = _ask(title, "Title", "TITLE")
    members = _ask(members, "Member(s), separated by ;", "--member", multiple=True)
    countries = _ask(countries, "Country", "--country", multiple=True)
    areas = _area_slugs(
        project, _ask(areas, "Challenge area(s), separated by ;", "--area", multiple=True)
    )
    day = date.date() if date else dt.date.today()
    path = project.root / project.cases_dir / f"{slug or slugify(title)}.md"
    _write_new(path, scaffold.case(title, members, countries, areas, day), project)


@new.command("roundup")
@click.argument("month")
@click.option(
    "--date", type=click.DateTime(["%Y-%m-%d"]), help="Publication date (default: today)."
)
@click.pass_obj
def new_roundup(config_file, month, date) -> None:
    """Write roundups/MONTH/index.md (MONTH as YYYY-MM).

    \b
    Example:
      ogp-local new roundup 2023-12
    """
    project = Project.find(config_file)
    if not _MONTH.match(month):
        raise click.BadParameter(f"'{month}' is not a month: use YYYY-MM", param_hint="MONTH")
    day = date.date() if date else dt.date.today()
    path = project.root / project.roundups_dir / month / "index.md"
    _write_new(path, scaffold.roundup(month, day), project)


@new.command("item")
@click.argument("month")
@click.argument("title", required=False)
@_member
@_country
@_area
@_slug
@click.pass_obj
def new_item(config_file, month, title, members, countries, areas, slug) -> None:
    """Write roundups/MONTH/<slug>.md, one news item of the month.

    \b
    Example:
      ogp-local new item 2023-12 "Buenos Aires launches the City of Childhood Index" \\
          --member "Buenos Aires" --country Argentina --area public-participation
    """
    project = Project.find(config_file)
    if not _MONTH.match(month):
        raise click.BadParameter(f"'{month}' is not a month: use YYYY-MM", param_hint="MONTH")
    folder = project.root / project.roundups_dir / month
    if not (folder / "index.md").is_file():
        click.secho(
            f"{folder.relative_to(project.root)} has no index.md: run "
            f"`ogp-local new roundup {month}` first",
            fg="red",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    title = _ask(title, "Title", "TITLE")
    members = _ask(members, "Member(s), separated by ;", "--member", multiple=True)
    countries = _ask(countries, "Country", "--country", multiple=True)
    areas = _area_slugs(
        project, _ask(areas, "Challenge area(s), separated by ;", "--area", multiple=True)
    )
    path = folder / f"{slug or slugify(title)}.md"
    _write_new(path, scaffold.item(title, members, countries, areas), project)


# -- check ------------------------------------------------------------------------------


@main.command()
@click.option("--strict", is_flag=True, help="Warnings (e.g. inferred areas) fail too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of {path, line, field, message, hint, "
    "severity} objects, for editors and CI.",
)
@click.pass_obj
def check(config_file: Path, strict: bool, fmt: str) -> None:
    """Check all content without building: every problem at once.

    \b
    Each problem is one line: path:line: field: message (hint).
    Missing `challenges` are inferred from the text, with a warning that names
    the words matched; --strict refuses them.

    \b
    Examples:
      ogp-local check
      ogp-local check --strict --format json > problems.json

    \b
    Exit codes: 0 clean, 1 problems (errors; warnings too with --strict), 2 wrong usage.
    """
    project = Project.find(config_file)
    found, report = content.load(
        project.root, project.areas, cases_dir=project.cases_dir, roundups_dir=project.roundups_dir
    )
    listed = [*report.errors, *report.warnings]
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in listed], ensure_ascii=False, indent=2))
    else:
        _echo_problems(listed)
    stories = len(found.cases) + sum(1 + len(r.items) for r in found.roundups)
    click.echo(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in "
        f"{len(found.sources)} file(s); {stories} stories ready",
        err=True,
    )
    failed = report.errors or (strict and report.warnings)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


# -- import -----------------------------------------------------------------------------


@main.command("import")
@click.argument("month")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.pass_obj
def import_(config_file: Path, month: str, csv_file: Path, dry_run: bool) -> None:
    """Turn a spreadsheet of news items into item files of MONTH.

    CSV_FILE is a spreadsheet saved as CSV (UTF-8, with or without BOM) with the
    columns title, member, country, areas, summary, link, image, image_alt.
    Several members, countries or areas go in one cell separated by ';'.
    Every row is checked first: one bad row is reported by its row number and
    column, and then nothing is written. Existing files are never replaced.

    \b
    Example:
      ogp-local import 2023-12 november-news.csv --dry-run
      ogp-local import 2023-12 november-news.csv
    """
    project = Project.find(config_file)
    if not _MONTH.match(month):
        raise click.BadParameter(f"'{month}' is not a month: use YYYY-MM", param_hint="MONTH")
    planned, report = importer.plan(project.root, month, csv_file, project.reader())
    _echo_problems([*report.errors, *report.warnings])
    if report.errors:
        click.secho(
            f"{len(report.errors)} problem(s) in {csv_file}; nothing was written.",
            fg="red",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    if dry_run:
        for entry in planned:
            click.echo(f"would write {entry.path.relative_to(project.root)} (row {entry.row})")
        click.echo(f"{len(planned)} item(s) would be written; nothing was.", err=True)
        return
    written = []
    with click.progressbar(planned, label="Writing items", file=sys.stderr) as bar:
        for entry in bar:
            _write_exclusive(entry.path, entry.text)
            written.append(entry.path)
    for path in written:
        click.echo(f"Wrote {path.relative_to(project.root)}")
    click.echo(f"{len(written)} item(s) imported into {project.roundups_dir}/{month}/.", err=True)


def _write_exclusive(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)


# -- bench ------------------------------------------------------------------------------


@main.command()
@click.option(
    "-n",
    "--stories",
    "sizes",
    multiple=True,
    type=int,
    default=[1000],
    show_default=True,
    help="Corpus size; repeat for several.",
)
@click.option("--repeat", default=3, show_default=True, help="Runs per measure (median).")
@click.option(
    "--compare",
    is_flag=True,
    help="Also build the stories with Material's blog, "
    "tags and social plugins and mkdocs-rss-plugin (installed into a separate "
    "environment).",
)
@click.option(
    "--work",
    default=".cache/bench",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Scratch folder.",
)
@click.option(
    "--json",
    "json_path",
    default=".cache/bench/results.json",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where results go.",
)
@click.pass_obj
def bench(
    config_file: Path, sizes, repeat: int, compare: bool, work: Path, json_path: Path
) -> None:
    """Generate a corpus of N stories and time our builds against plain MkDocs.

    Measures, each --repeat times (median): a cold build (no card cache), a
    warm build (nothing changed), a build after editing one story, and a plain
    `mkdocs build` of the same stories as ordinary pages; with --compare, also
    Material's blog + tags + social + mkdocs-rss-plugin, cold and warm.

    \b
    Examples:
      ogp-local bench -n 300
      ogp-local bench -n 1000 -n 5000 --repeat 1 --compare
    """
    from .bench import run

    project = Project.find(config_file)
    results = []
    for n in sizes:
        click.echo(f"Benchmark: N={n} stories", err=True)
        results.append(
            run.bench(
                n,
                (project.root / work / str(n)).resolve(),
                project.root,
                repeat,
                compare,
                log=lambda line: click.echo(line, err=True),
            )
        )
        run.save(results, project.root / json_path)
    click.echo(run.table(results))
    click.echo(f"Results: {json_path}", err=True)


# -- build and serve ---------------------------------------------------------------------


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "-d",
    "--site-dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the site goes.",
)
@click.pass_obj
def build(config_file: Path, strict: bool, site_dir: Path) -> None:
    """Build the site and publish it atomically into SITE_DIR.

    The build goes into a temporary folder beside SITE_DIR and replaces it only
    when it succeeded: a failed build leaves the last good site as it was.

    \b
    Example:
      ogp-local build --strict
    """
    Project.find(config_file)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    args = ["build", "--clean", "--config-file", str(config_file), "--site-dir", str(temp)]
    if _mkdocs(*args, *(["--strict"] if strict else [])) != 0:
        shutil.rmtree(temp, ignore_errors=True)
        click.secho(f"Build failed; {site_dir} was left as it was.", fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)
    swap_in(temp, site_dir)
    click.echo(f"Published {site_dir}", err=True)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
@click.pass_obj
def serve(config_file: Path, strict: bool, dev_addr: str) -> None:
    """Preview the site, drafts included, reloading as you save.

    \b
    Example:
      ogp-local serve
    """
    Project.find(config_file)
    args = ["serve", "--config-file", str(config_file), "--dev-addr", dev_addr]
    sys.exit(_mkdocs(*args, *(["--strict"] if strict else [])))
