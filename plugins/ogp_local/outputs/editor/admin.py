"""`/admin/`: the browser editor (Decap CMS) written into a site folder — Decap's own
files from the project's npm install, our editor.js, and the configuration made
from the schema (config.py). Nothing of it is linked from a reader's page."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ogp_local.cache.files import link_or_copy, write_whole

NPM = Path(__file__).parent / "npm"
"""The editor's npm project: package.json and package-lock.json (installed by
`make`, `npm ci --prefix` this folder)."""
HERE = Path(__file__).parent
INSTALL = f"npm ci --prefix {NPM} --no-audit --no-fund"
"""What installs Decap CMS and its local proxy (`make site` runs it)."""


class NotInstalled(Exception):
    """Decap CMS is not in the editor's node_modules."""


@dataclass(frozen=True)
class Editor:
    """What /admin/ is made of."""

    config: dict
    """Decap's config.yml."""
    ours: dict
    """editor.json: what editor.js needs (file name rule, folders, areas)."""
    site_name: str
    language: str


def decap_dist() -> Path:
    dist = NPM / "node_modules" / "decap-cms" / "dist"
    if not (dist / "decap-cms.js").is_file():
        raise NotInstalled(
            f"the browser editor is not installed ({dist / 'decap-cms.js'} is missing): "
            f"run `make site`, or `{INSTALL}`; or turn it off with `editor: {{enabled: false}}`"
        )
    return dist


def decap_server() -> Path:
    """The local proxy's script (npm decap-server), run by `ogp-local serve`."""
    script = NPM / "node_modules" / "decap-server" / "dist" / "index.js"
    if not script.is_file():
        raise NotInstalled(f"decap-server is not installed ({script} is missing): run `{INSTALL}`")
    return script


def _decap_files(dist: Path) -> list[Path]:
    """Decap's bundle and the chunks and WebAssembly it loads (not its source maps,
    not the second copy of the bundle it ships as cms.js)."""
    return sorted(
        path
        for path in dist.iterdir()
        if path.name == "decap-cms.js"
        or path.name.endswith((".decap-cms.js", ".wasm"))
        or path.name == "decap-cms.js.LICENSE.txt"
    )


def write(editor: Editor, site_dir: Path) -> int:
    """/admin/ into `site_dir`; returns how many files it holds."""
    folder = site_dir / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    files = _decap_files(decap_dist())
    for path in files:
        link_or_copy(path, folder / path.name)
    link_or_copy(HERE / "editor.js", folder / "editor.js")
    config = yaml.dump(
        editor.config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100
    )
    write_whole(folder / "config.yml", _HEADER.encode() + config.encode())
    ours = json.dumps(editor.ours, ensure_ascii=False, sort_keys=True, indent=1)
    write_whole(folder / "editor.json", ours.encode())
    write_whole(folder / "index.html", _page(editor).encode())
    return len(files) + 4


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter where PyYAML has it: the same text, five times faster (0.05 s a
build in Python's)."""
_HEADER = """\
# Made by `ogp-local build` from the content schema (plugins/ogp_local/content/schema.py),
# the challenge areas and the site's languages: edit those, not this file.
"""


def _page(editor: Editor) -> str:
    title = html.escape(f"Editor · {editor.site_name}")
    lang = html.escape(editor.language)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<script>window.CMS_MANUAL_INIT = true;</script>
</head>
<body>
<script src="decap-cms.js"></script>
<script src="editor.js"></script>
</body>
</html>
"""
