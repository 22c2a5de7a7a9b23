"""`ogp-local check`: every problem of every file at once, without building; the
translation status of each language."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ogp_local.cli.project import EXIT_OK, EXIT_PROBLEMS, Project, echo_problems
from ogp_local.content import i18n, versions


@click.command()
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
    build = Project.find(config_file).build
    report = build.read()  # what the build reads, and says, before it builds anything
    found = build.found
    listed = [*report.errors, *report.warnings]
    languages = build.settings.all_languages
    translation = versions.status(found.stories(), languages)
    if fmt == "json":
        listed += versions.status_problems(translation)  # as "info": never a failure
        listed += found.waiting_problems()
        click.echo(json.dumps([p.as_dict() for p in listed], ensure_ascii=False, indent=2))
    else:
        echo_problems(listed)
        _echo_translation_status(translation)
        for line in found.waiting():
            click.echo(line, err=True)
    stories = len(found.cases) + sum(1 + len(r.items) for r in found.roundups)
    click.echo(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in "
        f"{len(found.sources)} file(s); {stories} stories ready",
        err=True,
    )
    failed = report.errors or (strict and report.warnings)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _echo_translation_status(found: list[versions.Status], shown: int = 10) -> None:
    """Per language: how many stories are translated, which are not, which are stale."""
    for entry in found:
        name = i18n.language_name(entry.lang, i18n.SOURCE)
        click.echo(
            f"{name} ({entry.lang}): {entry.translated} of {entry.stories} stories translated"
            + (f", {len(entry.stale)} older than their original" if entry.stale else ""),
            err=True,
        )
        lists = (
            ("not yet translated", [s.path for s in entry.untranslated]),
            ("older than the original", [t.path for t, _ in entry.stale]),
        )
        for what, paths in lists:
            if not paths:
                continue
            more = f" … and {len(paths) - shown} more (--format json lists all)"
            listed = ", ".join(paths[:shown]) + (more if len(paths) > shown else "")
            click.echo(f"  {what}: {listed}", err=True)
