"""The editor's local proxy (npm decap-server) beside `ogp-local serve`: the editor
at http://127.0.0.1:8000/admin/ reads and writes the files of this checkout through
it, and the preview rebuilds on each save as it does for a text editor's."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from ogp_local.outputs.editor.admin import NotInstalled, decap_server


class Unavailable(Exception):
    """The proxy cannot start; the message says why and what to do."""


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE
    return True


def start(root: Path, port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1:`port`, writing the files under `root` (MODE=fs:
    saves are plain files; Git stays the author's, as with any editor)."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("Node.js is not installed (`apt-get install nodejs`, or nodejs.org)")
    try:
        script = decap_server()
    except NotInstalled as exc:
        raise Unavailable(str(exc)) from None
    if not _port_free(port):
        raise Unavailable(
            f"port {port} is in use (another `ogp-local serve`?): stop that program, or set "
            "`editor: {proxy_port: …}` in mkdocs.yml"
        )
    env = dict(
        os.environ,
        PORT=str(port),
        BIND_HOST="127.0.0.1",
        MODE="fs",
        GIT_REPO_DIRECTORY=str(root),
        LOG_LEVEL="warn",
    )
    # Its own process group: Ctrl+C in the terminal reaches the preview, which stops it.
    return subprocess.Popen([node, str(script)], env=env, cwd=root, start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
