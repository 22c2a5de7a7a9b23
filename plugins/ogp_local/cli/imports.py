"""`ogp-local import`: a spreadsheet of news items into item files of a month, every
row checked first (importer.py), all written or none."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ogp_local.cli import importer
from ogp_local.cli.project import EXIT_PROBLEMS, Project, echo_problems
from ogp_local.content.dates import MONTH
from ogp_local.content.problems import naming


@click.command("import")
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
    if not MONTH.match(month):
        raise click.BadParameter(f"'{month}' is not a month: use YYYY-MM", param_hint="MONTH")
    planned, report = importer.plan(
        project.root, month, csv_file, project.reader(), project.roundups_dir
    )
    echo_problems([*report.errors, *report.warnings])
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
    written = _write_all(planned)
    for path in written:
        click.echo(f"Wrote {path.relative_to(project.root)}")
    click.echo(f"{len(written)} item(s) imported into {project.roundups_dir}/{month}/.", err=True)


def _write_all(planned: list[importer.Planned]) -> list[Path]:
    """Write every planned item, or none: on an OS error (a full disk) the files made
    so far are removed before the error is reported."""
    written: list[Path] = []
    try:
        with click.progressbar(planned, label="Writing items", file=sys.stderr) as bar:
            for entry in bar:
                with naming(entry.path), entry.path.open("x", encoding="utf-8") as handle:
                    written.append(entry.path)  # made by us ("x"): ours to remove
                    handle.write(entry.text)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
