"""`ogp-local newsletter YYYY-MM`: check, build and publish, then the paths of the
month's email edition (HTML and plain text)."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from ogp_local.cli.build import build
from ogp_local.cli.main import site_dir_option
from ogp_local.cli.project import EXIT_PROBLEMS, Project, echo_problems
from ogp_local.content.dates import MONTH


@click.command("newsletter")
@click.argument("month")
@click.option("--lang", help="The edition in this language (one of the site's languages).")
@click.option("--open", "open_it", is_flag=True, help="Open the HTML edition in a browser.")
@site_dir_option
@click.pass_context
def newsletter(ctx: click.Context, month: str, lang: str | None, open_it: bool, site_dir: Path):
    """Check, build and publish the site, then print the paths of MONTH's email
    edition (MONTH as YYYY-MM): email.html to paste or import into a mailing tool,
    email.txt as its plain-text alternative.

    \b
    Example:
      ogp-local newsletter 2023-11 --open
    """
    if not MONTH.match(month):
        raise click.BadParameter(f"'{month}' is not a month: use YYYY-MM", param_hint="MONTH")
    project = Project.find(ctx.obj)
    languages = project.settings.all_languages
    if lang and lang not in languages:
        raise click.BadParameter(
            f"'{lang}' is not one of the site's languages ({', '.join(languages)})",
            param_hint="--lang",
        )
    if not project.settings.newsletter.enabled:
        raise click.UsageError("the newsletter is turned off: `newsletter: {enabled: true}`")
    report = project.build.read()
    echo_problems([*report.errors, *report.warnings])
    if report.errors:
        click.secho(f"{len(report.errors)} problem(s); nothing was built.", fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)
    if month not in {r.month for r in project.build.found.roundups}:
        folder = f"{project.settings.roundups_dir}/{month}"
        click.secho(
            f"{folder} has no published roundup: run `ogp-local new roundup {month}`",
            fg="red",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    ctx.invoke(build, strict=False, site_dir=site_dir)
    prefix = project.build.sites.prefix(lang or languages[0])
    folder = site_dir.resolve() / prefix / "roundups" / month
    for name in ("email.html", "email.txt"):
        click.echo(folder / name)
    if open_it:
        webbrowser.open((folder / "email.html").as_uri())
