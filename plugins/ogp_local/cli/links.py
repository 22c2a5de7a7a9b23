"""`ogp-local links`: every web address the stories name, asked (lychee), each dead,
silent or moved one reported where it is written. Never part of a build."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from ogp_local.cli.project import EXIT_OK, EXIT_PROBLEMS, Project, echo_problems
from ogp_local.content import links
from ogp_local.content.problems import Problems
from ogp_local.outputs.links import report
from ogp_local.outputs.links.check import FOLDER, check
from ogp_local.outputs.links.lychee import CheckerError, Options

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Age(click.ParamType):
    """A duration: 90s, 30m, 12h, 1d, 2w (0: ask every address)."""

    name = "age"

    def convert(self, value, param, ctx) -> dt.timedelta:
        if isinstance(value, dt.timedelta):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*([smhdw]?)\s*", str(value))
        if match is None:
            self.fail(f"'{value}' is not a duration: e.g. 12h, 1d or 2w", param, ctx)
        count, unit = match.groups()
        if unit == "" and count != "0":
            self.fail(f"'{value}' needs a unit: e.g. {count}h or {count}d", param, ctx)
        return dt.timedelta(seconds=int(count) * _UNITS.get(unit, 1))


@click.command()
@click.option("--strict", is_flag=True, help="Exit 1 when a link is dead, silent or moved.")
@click.option(
    "--max-age",
    type=Age(),
    default="1d",
    show_default=True,
    help="Addresses that answered well within this are not asked again (0: ask all).",
)
@click.option(
    "--timeout",
    type=click.IntRange(1, 300),
    default=Options.timeout,
    show_default=True,
    help="Seconds an address has to answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=Options.retries,
    show_default=True,
    help="Tries again of an address that did not answer.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=Options.concurrency,
    show_default=True,
    help="Addresses asked at once.",
)
@click.pass_obj
def links_(
    config_file: Path,
    strict: bool,
    max_age: dt.timedelta,
    timeout: int,
    retries: int,
    concurrency: int,
) -> None:
    """Check every web address of every story: dead, silent and moved links.

    \b
    The addresses of `links`, `link`, `video` and of the bodies, of every story and
    translation (drafts too) and of the pages in docs_dir, each asked once however
    many stories name it. One line per place that needs work:
      cases/madrid.md:15: links: https://… answers 404 (since 2026-12-01)
      cases/madrid.md:16: links: https://… does not answer (timed out after 10 s) (since …)
      roundups/2023-11/x.md:9: links: http://… moved permanently to https://… (update the link)
    Temporary redirects (302, 303, 307) are fine. Answers are kept in the project's
    cache (.cache/ogp-local/links/): addresses that answered well within --max-age
    are not asked again, the others are, and a failing one keeps the day it was first
    seen failing. Example and reserved domains (example.org, *.invalid) are left out.

    \b
    Examples:
      ogp-local links
      ogp-local links --strict --max-age 0     # in CI: ask everything, fail on any

    \b
    Exit codes: 0 (even with dead links: the internet is not ours), 1 with --strict
    when a link needs work, a file cannot be read or the internet cannot be reached,
    or when the checker itself fails; 2 wrong usage.
    """
    settings = Project.settings_of(config_file)
    unreadable = Problems()
    places = links.find(
        settings.root,
        settings.cases_dir,
        settings.roundups_dir,
        unreadable,
        docs_dir=settings.docs_path(),
    )
    echo_problems(unreadable.errors)
    if not places:
        click.echo(f"{report.FIELD}: the stories name no web address", err=True)
        sys.exit(EXIT_PROBLEMS if strict and unreadable else EXIT_OK)
    options = Options(timeout=timeout, retries=retries, concurrency=concurrency)
    now = dt.datetime.now().astimezone()  # "since" is a day where the team is
    try:
        outcome = check(places, settings.project_cache() / FOLDER, options, max_age, now)
    except CheckerError as exc:
        click.secho(f"{report.FIELD}: {exc}; nothing was checked", fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)
    if outcome.offline is not None:
        click.secho(report.offline_line(outcome), fg="yellow")
        sys.exit(EXIT_PROBLEMS if strict else EXIT_OK)
    found = report.problems(outcome)
    echo_problems(found)
    click.echo(report.summary(outcome, found, max_age), err=True)
    failed = strict and (found or unreadable)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)
