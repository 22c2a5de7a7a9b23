"""`ogp-local new …`: a new case study, roundup month, item or translation, from the
schema's templates (scaffold.py); never over a file that exists."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ogp_local.cli import scaffold
from ogp_local.cli.project import EXIT_PROBLEMS, Project, echo_problems
from ogp_local.content import versions
from ogp_local.content.dates import MONTH
from ogp_local.content.problems import naming


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


def _slug_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A --slug becomes a file name: the reader's rules, checked before anything is written."""
    if value is None or scaffold.is_slug(value):
        return value
    better = scaffold.story_slug(value) or "story"
    raise click.BadParameter(
        f"'{value}' is not a slug: use lower-case letters, digits and hyphens, at most "
        f"{scaffold.SLUG_MAX} characters, e.g. '{better}'",
        ctx,
        param,
    )


def _story_path(folder: Path, slug: str | None, title: str) -> Path:
    """Where the new story goes: never outside its story folder."""
    try:
        return scaffold.story_path(folder, slug or scaffold.story_slug(title) or "story")
    except ValueError as exc:
        click.secho(f"{exc}: nothing was written (choose another --slug)", fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)


def _write_new(path: Path, text: str, project: Project) -> None:
    """Write a new file; never replace one."""
    shown = path.relative_to(project.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with naming(path), path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        click.secho(
            f"{shown} exists already; nothing was written (choose another title or --slug)",
            fg="red",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"Wrote {shown}")


# -- new ----------------------------------------------------------------------------------


@click.group(invoke_without_command=True)
@click.option("--lang", help="With --from: start a translation into this language.")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --lang: the story file to translate, e.g. cases/madrid-lobby-registry.md.",
)
@click.pass_context
def new(ctx: click.Context, lang: str | None, source: Path | None) -> None:
    """Start a new case study, monthly roundup or roundup item from a template, or a
    translation of a story (--lang and --from).

    The file gets every field with a hint beside it, and never replaces an
    existing file.

    \b
    Example:
      ogp-local new --lang es --from cases/madrid-lobby-registry.md
    """
    if ctx.invoked_subcommand is not None:
        if lang or source:
            raise click.UsageError(
                "--lang and --from start a translation, without a kind of story: "
                "ogp-local new --lang es --from cases/x.md"
            )
        return
    if not lang or not source:
        click.echo(ctx.get_help())
        if lang or source:
            raise click.UsageError("a translation needs both --lang and --from")
        return
    _new_translation(Project.find(ctx.obj), lang, source)


def _new_translation(project: Project, lang: str, source: Path) -> None:
    """Write the scaffold of `source`'s translation into `lang` beside it."""
    languages = project.settings.all_languages
    if lang not in languages[1:] and lang != languages[0]:
        hint = ", ".join(languages)
        raise click.BadParameter(f"'{lang}' is not one of the site's languages ({hint})")
    path = source if source.is_absolute() else Path.cwd() / source
    try:
        rel = path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        message = f"{source} is not a story of this project"
        raise click.BadParameter(message, param_hint="--from") from None
    report = project.build.read()
    story = next((s for s in project.build.found.stories() if s.path == rel), None)
    if story is None:
        broken = [p for p in report.errors if p.path == rel]
        echo_problems(broken)
        reason = "has errors (above)" if broken else "is not a story file of this project"
        click.secho(f"{rel} {reason}: nothing was written", fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)
    if story.lang == lang:
        click.secho(
            f"{rel} is written in '{lang}' already: nothing was written", fg="red", err=True
        )
        sys.exit(EXIT_PROBLEMS)
    stem = versions.split_name(path.name.removesuffix(".md"))[0]
    target = path.resolve().with_name(f"{stem}.{lang.lower()}.md")
    _write_new(target, scaffold.translation(story, lang), project)


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
_slug = click.option(
    "--slug",
    callback=_slug_option,
    help="File name without .md: lower-case letters, digits, hyphens (default: from the title).",
)


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
    path = _story_path(project.root / project.cases_dir, slug, title)
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
    if not MONTH.match(month):
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
    if not MONTH.match(month):
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
    path = _story_path(folder, slug, title)
    _write_new(path, scaffold.item(title, members, countries, areas), project)
