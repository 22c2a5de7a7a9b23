"""`ogp-local build`: the site built beside SITE_DIR and swapped in whole, or nothing
at all when no input changed since the last build (the build record says so)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from ogp_local.build import build_record, lock, timeline
from ogp_local.build.publish import build_folder, clear_leftovers, swap_in
from ogp_local.cli.main import site_dir_option
from ogp_local.cli.project import EXIT_PROBLEMS, Project
from ogp_local.mkdocs import commands


def mkdocs_here(*args: str, env: dict[str, str] | None = None) -> int:
    """MkDocs' command line in this process: a build does not pay for a second
    start-up of Python, MkDocs and the plugins. Its exit code."""
    context = click.get_current_context(silent=True)
    verbose = bool(context and context.find_root().params.get("verbose"))
    return commands.run_here(list(args), env=env, verbose=verbose)


@click.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@site_dir_option
@click.option(
    "--no-wait",
    is_flag=True,
    help="When another build of the project runs, stop at once (exit 1) instead of waiting.",
)
@click.pass_obj
def build(config_file: Path, strict: bool, site_dir: Path, no_wait: bool) -> None:
    """Build the site and publish it atomically into SITE_DIR.

    The build goes into a temporary folder beside SITE_DIR and replaces it only
    when it succeeded: a failed build leaves the last good site as it was. While
    another build of the project runs (a preview's, the scheduled one's), this one
    says so and waits its turn.

    \b
    Example:
      ogp-local build --strict
    """
    publish(config_file, site_dir, strict, mkdocs_here, wait=not no_wait)


def publish(config_file: Path, site_dir: Path, strict: bool, run_mkdocs, wait: bool = True) -> None:
    """Build with `run_mkdocs(*args, env=...)` beside SITE_DIR and swap it in; nothing
    at all when no input changed since the last build (the build record says so). One
    build of a project at a time: another one running, this one waits its turn (or,
    not `wait`, stops at once with exit 1)."""
    settings = Project.settings_of(config_file)
    try:
        with lock.one_build(
            settings.project_cache(), wait, say=lambda line: click.echo(line, err=True)
        ):
            _publish(config_file, settings, site_dir, strict, run_mkdocs)
    except lock.Busy as busy:
        click.secho(str(busy), fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)


def _publish(config_file: Path, settings, site_dir: Path, strict: bool, run_mkdocs) -> None:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in clear_leftovers(site_dir):
        click.echo(f"Removed {leftover.name}, left by an interrupted build", err=True)
    folder = settings.project_cache()
    where = build_record.where(site_dir, settings.root)
    record = build_record.Record.load(folder, where)
    options = ["strict"] if strict else []
    why = record.why_not_unchanged(settings.root, site_dir, options) if record else "first build"
    if why is None:
        for line in record.warnings:  # still true: nothing changed
            click.secho(line, fg="yellow", err=True)
        for line in record.scheduled:
            click.echo(line, err=True)
        click.echo(f"{site_dir} is up to date: no input changed since the last build", err=True)
        return
    temp = build_folder(site_dir)
    # The pages that did not change are taken from the published site (build/reuse.py).
    dirty = record is not None and site_dir.is_dir()
    how = ["--dirty"] if dirty else ["--clean"]
    args = ["build", *how, "--config-file", str(config_file), "--site-dir", str(temp)]
    try:
        extra = {build_record.PREVIOUS_SITE: str(site_dir)}
        if run_mkdocs(*args, *(["--strict"] if strict else []), env=extra) != 0:
            # The next build starts from the site as it is.
            build_record.Record.forget(folder, where)
            click.secho(f"Build failed; {site_dir} was left as it was.", fg="red", err=True)
            sys.exit(EXIT_PROBLEMS)
        with timeline.stage("publish"):
            swap_in(temp, site_dir)
    finally:  # the build folder, or the old site swapped into its place
        shutil.rmtree(temp, ignore_errors=True)
        timeline.save()
    click.echo(f"Published {site_dir}", err=True)
