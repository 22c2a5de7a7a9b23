"""`ogp-local`: the command the communications team uses.

Exit codes: 0 clean, 1 problems in the content (or a failed build), 2 wrong usage.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import shutil
import signal
import socket
import sys
import traceback
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import click

from . import i18n, incremental, metadata, versions
from .dates import MONTH
from .problems import naming, os_error_line
from .project import EXIT_OK, EXIT_PROBLEMS, Project, echo_problems
from .publish import build_folder, clear_leftovers, swap_in

VERBOSE_ENV = "OGP_LOCAL_VERBOSE"
"""Set to 1 for the MkDocs child process when `ogp-local --verbose` runs it."""


def _report_os_error(exc: OSError, verbose: bool) -> None:
    """One line naming the path and what to do; the traceback first with --verbose."""
    if verbose:
        traceback.print_exception(exc)
    click.secho(os_error_line(exc), fg="red", err=True)


class _Commands(click.Group):
    """The `ogp-local` group: an OS error (read-only folder, full disk) ends any
    command with one line and exit 1, not a traceback. The commands that write
    stories and the benchmark are imported when used (`build` starts faster)."""

    LAZY = {
        "new": ("authoring", "new"),
        "import": ("authoring", "import_"),
        "bench": ("bench.command", "bench"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str):
        if name in self.LAZY and name not in self.commands:
            module, attribute = self.LAZY[name]
            loaded = importlib.import_module(f"{__package__}.{module}")
            self.add_command(getattr(loaded, attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # output piped into `head`: click's business
                raise
            _report_os_error(exc, bool(ctx.params.get("verbose")))
            ctx.exit(EXIT_PROBLEMS)


def _mkdocs_here(*args: str, env: dict[str, str] | None = None) -> int:
    """MkDocs' command line in this process, as `_mkdocs` runs it in a child: a build
    does not pay for a second start-up of Python, MkDocs and the plugins."""
    context = click.get_current_context(silent=True)
    verbose = bool(context and context.find_root().params.get("verbose"))
    extra = {"NO_MKDOCS_2_WARNING": "1", VERBOSE_ENV: "1" if verbose else "", **(env or {})}
    with environment(extra):
        try:
            mkdocs_child(list(args))
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


@contextlib.contextmanager
def environment(extra: dict[str, str] | None) -> Iterator[None]:
    """These environment variables set while the block runs, as they were after."""
    saved = {key: os.environ.get(key) for key in extra or {}}
    os.environ.update(extra or {})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def mkdocs_child(args: list[str] | None = None) -> None:
    """`mkdocs` with the arguments of this process, as `python -m mkdocs` runs it;
    but an OS error (while MkDocs writes the site, say) is one line and exit 1."""
    from mkdocs.__main__ import cli as mkdocs_cli

    args = sys.argv[1:] if args is None else args
    site_dir = args[args.index("--site-dir") + 1] if "--site-dir" in args else "the site"
    try:
        with naming(Path(site_dir)):
            mkdocs_cli.main(args, prog_name="mkdocs")
    except OSError as exc:
        _report_os_error(exc, bool(os.environ.get(VERBOSE_ENV)))
        sys.exit(EXIT_PROBLEMS)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="On an OS error (read-only folder, full disk), show the Python traceback too.",
)
@click.version_option(package_name="ogp-local-stories")
@click.pass_context
def main(ctx: click.Context, config_file: Path, verbose: bool) -> None:
    """Write, check and publish OGP Local Stories.

    \b
    A comms person's day:
      ogp-local new case "Creation of a Mandatory Lobby Registry" \\
          --member Madrid --country Spain --area anti-corruption
      ogp-local check            # every problem, file:line, at once
      ogp-local serve            # preview on http://127.0.0.1:8000, drafts included
      ogp-local build            # publish into site/

    \b
    Exit codes: 0 clean, 1 problems in the content, a failed build or an OS error
    (one line naming the path; -v adds the traceback), 2 wrong usage.
    """
    ctx.obj = config_file


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
    build = Project.find(config_file).build
    report = build.read()  # what the build reads, and says, before it builds anything
    found = build.found
    listed = [*report.errors, *report.warnings]
    languages = build.settings.all_languages
    translation = versions.status(found.stories(), languages)
    if fmt == "json":
        listed += versions.status_problems(translation)  # as "info": never a failure
        click.echo(json.dumps([p.as_dict() for p in listed], ensure_ascii=False, indent=2))
    else:
        echo_problems(listed)
        _echo_translation_status(translation)
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


# -- build and serve ---------------------------------------------------------------------

_site_dir = click.option(
    "-d",
    "--site-dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the site goes.",
)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@_site_dir
@click.pass_obj
def build(config_file: Path, strict: bool, site_dir: Path) -> None:
    """Build the site and publish it atomically into SITE_DIR.

    The build goes into a temporary folder beside SITE_DIR and replaces it only
    when it succeeded: a failed build leaves the last good site as it was.

    \b
    Example:
      ogp-local build --strict
    """
    publish(config_file, site_dir, strict, _mkdocs_here)


def publish(config_file: Path, site_dir: Path, strict: bool, run_mkdocs) -> None:
    """Build with `run_mkdocs(*args, env=...)` beside SITE_DIR and swap it in; nothing
    at all when no input changed since the last build (the build record says so)."""
    settings = Project.settings_of(config_file)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in clear_leftovers(site_dir):
        click.echo(f"Removed {leftover.name}, left by an interrupted build", err=True)
    folder = settings.cache_path().parent
    where = incremental.where(site_dir, settings.root)
    record = incremental.Record.load(folder, where)
    options = ["strict"] if strict else []
    why = record.why_not_unchanged(settings.root, site_dir, options) if record else "first build"
    if why is None:
        for line in record.warnings:  # still true: nothing changed
            click.secho(line, fg="yellow", err=True)
        click.echo(f"{site_dir} is up to date: no input changed since the last build", err=True)
        return
    temp = build_folder(site_dir)
    # The pages that did not change are taken from the published site (rebuild.py).
    dirty = record is not None and site_dir.is_dir()
    how = ["--dirty"] if dirty else ["--clean"]
    args = ["build", *how, "--config-file", str(config_file), "--site-dir", str(temp)]
    try:
        extra = {incremental.PREVIOUS_SITE: str(site_dir)}
        if run_mkdocs(*args, *(["--strict"] if strict else []), env=extra) != 0:
            incremental.Record.forget(folder, where)  # the next build starts from the site as it is
            click.secho(f"Build failed; {site_dir} was left as it was.", fg="red", err=True)
            sys.exit(EXIT_PROBLEMS)
        swap_in(temp, site_dir)
    finally:  # the build folder, or the old site swapped into its place
        shutil.rmtree(temp, ignore_errors=True)
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
    _address_free(dev_addr)  # before the first build, which takes minutes on a big site
    # `kill` stops the preview as Ctrl+C does: the worker processes stop with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # Dirty: a save renders again only what it changed (the build record, rebuild.py).
    args = ["serve", "--dirty", "--config-file", str(config_file), "--dev-addr", dev_addr]
    # In this process: stopping `ogp-local serve` stops the preview (no child left behind).
    sys.exit(_mkdocs_here(*args, *(["--strict"] if strict else [])))


def _address_free(dev_addr: str) -> None:
    """Stop with a clear line when another program already serves on `dev_addr`."""
    host, _, port = dev_addr.rpartition(":")
    if not port.isdigit():
        return  # MkDocs says what is wrong with the address
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the preview's server binds: a port left in TIME_WAIT by the last one is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                return
            raise click.BadParameter(
                f"{dev_addr} is in use: stop the program serving there (another "
                "`ogp-local serve`?), or pick another address",
                param_hint="'-a' / '--dev-addr'",
            ) from None


@main.command("newsletter")
@click.argument("month")
@click.option("--lang", help="The edition in this language (one of the site's languages).")
@click.option("--open", "open_it", is_flag=True, help="Open the HTML edition in a browser.")
@_site_dir
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


@main.group()
def images() -> None:
    """The photos in the repository."""


@images.command("strip")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
@click.pass_context
def images_strip(ctx: click.Context, paths: tuple[Path, ...], dry_run: bool) -> None:
    """Remove location, camera and author data from image files, losslessly.

    The site never publishes them (every image is re-encoded by the build); this
    cleans the repository itself, which may be public. JPEG, PNG and WebP files
    keep their image data byte for byte; a photo stored on its side keeps its
    orientation. A file that holds no metadata is not touched. Without PATHS:
    every image in the story folders and in docs_dir.

    \b
    Example:
      ogp-local images strip
      ogp-local images strip cases/madrid-hero.jpg --dry-run
    """
    project = Project.find(ctx.find_root().obj)
    if not paths:
        project.build.read()  # the images the site publishes, found as the build finds them
    targets = list(paths) or [project.root / p for p in project.build.found.images]
    changed = 0
    for path in targets:
        result = metadata.strip(path)
        if result is None:
            continue
        changed += 1
        shown = (
            path.resolve().relative_to(project.root)
            if path.resolve().is_relative_to(project.root)
            else path
        )
        verb = "Would strip" if dry_run else "Stripped"
        click.echo(f"{verb} {shown}: {', '.join(result.removed)}")
        if not dry_run:
            metadata.write(path, result.data)
    click.echo(
        f"{changed} of {len(targets)} image(s) held metadata"
        + ("; nothing was changed." if dry_run else "."),
        err=True,
    )
