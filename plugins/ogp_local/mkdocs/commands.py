"""MkDocs' own command line (`mkdocs build`, `mkdocs serve`), run in this process for
the `ogp-local` commands; an OS error while MkDocs writes is one line and exit 1."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import click

from ogp_local.content.problems import naming, os_error_line

VERBOSE_ENV = "OGP_LOCAL_VERBOSE"
"""Set to 1 for the MkDocs child process when `ogp-local --verbose` runs it."""
EXIT_PROBLEMS = 1


def run_here(args: list[str], env: dict[str, str] | None = None, verbose: bool = False) -> int:
    """`mkdocs ARGS` in this process, with `env` set while it runs; its exit code."""
    extra = {"NO_MKDOCS_2_WARNING": "1", VERBOSE_ENV: "1" if verbose else "", **(env or {})}
    with environment(extra):
        try:
            mkdocs_child(args)
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
        report_os_error(exc, bool(os.environ.get(VERBOSE_ENV)))
        sys.exit(EXIT_PROBLEMS)


def report_os_error(exc: OSError, verbose: bool) -> None:
    """One line naming the path and what to do; the traceback first with --verbose."""
    if verbose:
        traceback.print_exception(exc)
    click.secho(os_error_line(exc), fg="red", err=True)
