"""`ogp-local`: the command the communications team uses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import yaml

from . import content
from .areas import Areas
from .publish import swap_in

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _plugin_options(config_file: Path) -> dict:
    """The `ogp-local` plugin's options in mkdocs.yml (without loading MkDocs)."""

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use !ENV and python tags; they do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text("utf-8"), Loader=Loader) or {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "ogp-local" in entry:
            return entry["ogp-local"] or {}
    return {}


def _mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def _env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml.",
)
@click.pass_context
def main(ctx: click.Context, config_file: Path) -> None:
    """Write, check and build the OGP Local Stories site.

    \b
    Exit codes: 0 clean, 1 problems in the content or a failed build, 2 wrong usage.
    """
    ctx.obj = config_file


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. inferred areas).")
@click.pass_obj
def check(config_file: Path, strict: bool) -> None:
    """Validate all content without building.

    \b
    Example:
      ogp-local check --strict
    """
    if not config_file.is_file():
        raise click.UsageError(f"{config_file} not found; run this in the project folder")
    options = _plugin_options(config_file)
    root = config_file.resolve().parent
    areas_file = options.get("areas_file")
    areas = Areas.load(root / areas_file if areas_file else None)
    found, report = content.load(
        root,
        areas,
        cases_dir=options.get("cases_dir", "cases"),
        roundups_dir=options.get("roundups_dir", "roundups"),
    )
    for problem in [*report.errors, *report.warnings]:
        click.echo(str(problem))
    failed = report.errors or (strict and report.warnings)
    stories = len(found.cases) + sum(1 + len(r.items) for r in found.roundups)
    summary = (
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) "
        f"in {len(found.sources)} file(s); {stories} stories ready"
    )
    click.echo(summary, err=True)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


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

    The build goes into a temporary folder beside SITE_DIR and replaces it
    only when it succeeded: a failed build leaves the last good site as it was.

    \b
    Example:
      ogp-local build --strict
    """
    if not config_file.is_file():
        raise click.UsageError(f"{config_file} not found; run this in the project folder")
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    args = ["build", "--clean", "--config-file", str(config_file), "--site-dir", str(temp)]
    result = subprocess.run(_mkdocs(*args, *(["--strict"] if strict else [])), env=_env())
    if result.returncode != 0:
        shutil.rmtree(temp, ignore_errors=True)
        click.echo(f"Build failed; {site_dir} was left as it was.", err=True)
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
    """Preview the site, drafts included, reloading as you edit.

    \b
    Example:
      ogp-local serve
    """
    args = ["serve", "--config-file", str(config_file), "--dev-addr", dev_addr]
    sys.exit(subprocess.call(_mkdocs(*args, *(["--strict"] if strict else [])), env=_env()))
