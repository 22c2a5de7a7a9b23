"""`ogp-local serve`: the live preview, drafts included, reloading as the author saves."""

from __future__ import annotations

import errno
import signal
import socket
import sys
from pathlib import Path

import click

from ogp_local.cli.build import mkdocs_here
from ogp_local.cli.project import Project
from ogp_local.outputs.editor import proxy


@click.command()
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
    project = Project.find(config_file)
    _address_free(dev_addr)  # before the first build, which takes minutes on a big site
    # `kill` stops the preview as Ctrl+C does: the worker processes stop with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # Dirty: a save renders again only what it changed (the build record, build/reuse.py).
    args = ["serve", "--dirty", "--config-file", str(config_file), "--dev-addr", dev_addr]
    editing = _start_editor(project.settings, dev_addr)
    try:
        # In this process: stopping `ogp-local serve` stops the preview (no child left behind).
        sys.exit(mkdocs_here(*args, *(["--strict"] if strict else [])))
    finally:
        proxy.stop(editing)


def _start_editor(settings, dev_addr: str):
    """The browser editor's local proxy, when the site has the editor; one line either way."""
    if not settings.editor.enabled:
        return None
    try:
        started = proxy.start(settings.root, settings.editor.proxy_port)
    except proxy.Unavailable as exc:
        click.echo(f"editor: not started: {exc}", err=True)
        return None
    click.echo(
        f"editor: http://{dev_addr}/admin/ edits the files of this folder "
        f"(decap-server on 127.0.0.1:{settings.editor.proxy_port})",
        err=True,
    )
    return started


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
