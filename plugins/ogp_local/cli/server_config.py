"""`ogp-local server-config caddy|nginx`: the configuration of a real web server for
the built site, printed (outputs/servers/)."""

from __future__ import annotations

from pathlib import Path

import click

from ogp_local.cli.project import Project
from ogp_local.outputs.servers import configs


@click.command()
@click.argument("server", type=click.Choice(sorted(configs.SERVERS)))
@click.option(
    "--root",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site's folder (written into the configuration as an absolute path).",
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--brotli-module",
    default=str(configs.BROTLI_MODULE),
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="nginx only: the brotli_static module's file.",
)
@click.pass_obj
def server_config(
    config_file: Path, server: str, root: Path, port: int, host: str, brotli_module: Path
) -> None:
    """Print a Caddy or nginx configuration that serves the built site.

    It serves the .br and .gz copies the build made, each file with its type
    (feeds, Pagefind's files, WebAssembly), a year's cache for files named by
    their content and five minutes for the rest, and each language's 404 page
    for a missing page under its prefix. The site's languages come from mkdocs.yml.

    \b
    Examples:
      ogp-local server-config caddy > Caddyfile
      caddy run --config Caddyfile --adapter caddyfile
      ogp-local server-config nginx --port 80 --host 0.0.0.0 > nginx.conf
      nginx -p /var/lib/ogp-nginx -c "$PWD/nginx.conf"
    """
    settings = Project.settings_of(config_file)
    try:
        text = configs.render(
            server,
            root.resolve(),
            host=host,
            port=port,
            languages=settings.all_languages,
            brotli_module=brotli_module,
        )
    except configs.ServerConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(text, nl=False)
