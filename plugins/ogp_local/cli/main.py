"""`ogp-local`: the command the communications team uses.

Exit codes: 0 clean, 1 problems in the content (or a failed build), 2 wrong usage.
"""

from __future__ import annotations

import errno
import importlib
from pathlib import Path

import click

from ogp_local.cli.project import EXIT_PROBLEMS
from ogp_local.mkdocs.commands import report_os_error


class _Commands(click.Group):
    """The `ogp-local` group: an OS error (read-only folder, full disk) ends any
    command with one line and exit 1, not a traceback. The commands that write
    command's code is in its own module, imported when used (`check` and `build`
    start faster)."""

    LAZY = {
        "check": ("cli.check", "check"),
        "build": ("cli.build", "build"),
        "serve": ("cli.serve", "serve"),
        "newsletter": ("cli.newsletter", "newsletter"),
        "images": ("cli.images", "images"),
        "server-config": ("cli.server_config", "server_config"),
        "new": ("cli.new", "new"),
        "import": ("cli.imports", "import_"),
        "links": ("cli.links", "links_"),
        "bench": ("bench.command", "bench"),
    }
    """Each command's module, imported when the command runs: `check` loads no MkDocs,
    and the benchmark sits above the commands it measures."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str):
        if name in self.LAZY and name not in self.commands:
            module, attribute = self.LAZY[name]
            loaded = importlib.import_module(f"ogp_local.{module}")
            self.add_command(getattr(loaded, attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # output piped into `head`: click's business
                raise
            report_os_error(exc, bool(ctx.params.get("verbose")))
            ctx.exit(EXIT_PROBLEMS)


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


site_dir_option = click.option(  # the commands that publish
    "-d",
    "--site-dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the site goes.",
)
