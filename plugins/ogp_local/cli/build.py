"""`ogp-local build`: the site built beside SITE_DIR and swapped in whole, or nothing
at all when no input changed since the last build (the build record says so)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from ogp_local.build import build_record
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
@click.pass_obj
def build(config_file: Path, strict: bool, site_dir: Path) -> None:
    """Build the site and publish it atomically into SITE_DIR.

    The build goes into a temporary folder beside SITE_DIR and replaces it only
    when it succeeded: a failed build leaves the last good site as it was.

    \b
    Example:
      ogp-local build --strict
    """
    publish(config_file, site_dir, strict, mkdocs_here)


def publish(config_file: Path, site_dir: Path, strict: bool, run_mkdocs) -> None:
    """Build with `run_mkdocs(*args, env=...)` beside SITE_DIR and swap it in; nothing
    at all when no input changed since the last build (the build record says so)."""
    settings = Project.settings_of(config_file)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in clear_leftovers(site_dir):
        click.echo(f"Removed {leftover.name}, left by an interrupted build", err=True)
    folder = settings.cache_path().parent
    where = build_record.where(site_dir, settings.root)
    record = build_record.Record.load(folder, where)
    options = ["strict"] if strict else []
    why = record.why_not_unchanged(settings.root, site_dir, options) if record else "first build"
    if why is None:
        for line in record.warnings:  # still true: nothing changed
            click.secho(line, fg="yellow", err=True)
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
            build_record.Record.forget(
                folder, where
            )  # the next build starts from the site as it is
            click.secho(f"Build failed; {site_dir} was left as it was.", fg="red", err=True)
            sys.exit(EXIT_PROBLEMS)
        swap_in(temp, site_dir)
    finally:  # the build folder, or the old site swapped into its place
        shutil.rmtree(temp, ignore_errors=True)
    click.echo(f"Published {site_dir}", err=True)
