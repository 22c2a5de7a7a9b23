"""A web server's configuration for a built site: Caddy's Caddyfile or nginx's
nginx.conf, rendered from the templates beside this file for a site folder, an
address and the site's languages.

The rules both servers follow are written here once: which files carry a content
hash in their name (cached for a year), each file's type, and which 404 page answers
under which language's prefix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from ogp_local.outputs.compress import TEXT
from ogp_local.site.feedlist import FILES, MIME
from ogp_local.site.sites import Sites

SERVERS = {"caddy": "Caddyfile", "nginx": "nginx.conf"}
"""Each server, and its template in this folder."""

LONG = "public, max-age=31536000, immutable"
"""Files whose name changes when their content does: a year, never revalidated."""
SHORT = "public, max-age=300"
"""Everything else (pages, feeds, our own CSS and JS, Pagefind's entry files, cards):
five minutes, so a published story reaches readers within minutes."""

FINGERPRINTED = (
    r"^/(?:"
    # Material's bundle, search worker and stylesheets: bundle.a5f9d56c.min.js
    r"assets/(?:javascripts|stylesheets)/(?:.+/)?[^/]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?"
    # Pagefind's metadata, indexes, filters and fragments: en_1aa1dfc.pf_fragment
    r"|pagefind/(?:.+/)?[^/]+\.pf_(?:meta|index|filter|fragment)"
    # photo variants: madrid-hall.1f2e3d4c5b-640.webp
    r"|(?:.+/)?[^/]+\.[0-9a-f]{10}-[0-9]+\.(?:webp|avif|jpe?g|png)"
    r")$"
)
"""The paths of fingerprinted files. Written for nginx's PCRE and Caddy's RE2 alike.
Not fingerprinted, so not here: ogp.css, ogp.js, ogp-search.js, pagefind.js,
pagefind-entry.json, Pagefind's wasm.<lang>.pagefind, cards (named by story)."""


@dataclass(frozen=True)
class MediaType:
    name: str
    extensions: tuple[str, ...]
    text: bool = False
    """Served with `charset=utf-8`: every text file the build writes is UTF-8."""

    def header(self) -> str:
        return f"{self.name}; charset=utf-8" if self.text else self.name


TYPES = (
    MediaType("text/html", ("html", "htm"), text=True),
    MediaType("text/css", ("css",), text=True),
    MediaType("text/javascript", ("js", "mjs"), text=True),
    MediaType("application/json", ("json", "map"), text=True),
    MediaType("application/xml", ("xml",), text=True),
    MediaType("text/plain", ("txt",), text=True),
    MediaType("text/csv", ("csv",), text=True),
    MediaType("image/svg+xml", ("svg",), text=True),
    MediaType("application/manifest+json", ("webmanifest",), text=True),
    MediaType("image/png", ("png",)),
    MediaType("image/jpeg", ("jpg", "jpeg")),
    MediaType("image/gif", ("gif",)),
    MediaType("image/webp", ("webp",)),
    MediaType("image/avif", ("avif",)),
    MediaType("image/x-icon", ("ico",)),
    MediaType("font/woff2", ("woff2",)),
    MediaType("font/woff", ("woff",)),
    MediaType("font/ttf", ("ttf",)),
    MediaType("application/zip", ("zip",)),
    MediaType("application/pdf", ("pdf",)),
    MediaType("video/mp4", ("mp4",)),
    MediaType("video/webm", ("webm",)),
    MediaType("application/wasm", ("wasm",)),
    # Pagefind's files are its own binary formats (gzipped inside; never compress again).
    MediaType(
        "application/octet-stream", ("pagefind", "pf_meta", "pf_index", "pf_filter", "pf_fragment")
    ),
)
"""Each file's type by its extension: the same for both servers, and not left to the
machine's /etc/mime.types."""

NAMED = tuple(MediaType(MIME[fmt], (FILES[fmt],), text=True) for fmt in FILES)
"""Feeds, typed by their file name in any folder: feed.xml is RSS, atom.xml Atom,
feed.json JSON Feed (each language's too)."""

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
"""Where Debian's libnginx-mod-http-brotli-static puts nginx's brotli_static."""

_UNQUOTABLE = re.compile(r'["\\$;{}\x00-\x1f]')
_HOST = re.compile(r"[A-Za-z0-9._:-]+")


class ServerConfigError(ValueError):
    """What cannot be written into a server's configuration (one line for the user)."""


def render(
    server: str,
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    languages: Sequence[str] = (),
    brotli_module: Path = BROTLI_MODULE,
) -> str:
    """The configuration of `server` (caddy, nginx) serving the site folder `root` on
    host:port; `languages` are the site's, the default first (each other one's pages,
    and its 404 page, are under /<lang>/)."""
    if server not in SERVERS:
        raise ServerConfigError(f"unknown server {server!r}: one of {', '.join(SERVERS)}")
    for name, value in (("site folder", str(root)), ("nginx module", str(brotli_module))):
        if _UNQUOTABLE.search(value):
            raise ServerConfigError(f"the {name} {value!r} has a character a server would misread")
    if not _HOST.fullmatch(host):
        raise ServerConfigError(f"host {host!r}: an address or a name (127.0.0.1, ::1, localhost)")
    if not 0 < port < 65536:
        raise ServerConfigError(f"port {port}: not between 1 and 65535")
    sites = Sites(languages or ("en",))
    prefixes = [sites.prefix(lang) for lang in sites.languages[1:]]
    template = _environment().from_string(
        resources.files(__package__).joinpath(SERVERS[server]).read_text("utf-8")
    )
    return template.render(
        root=str(root),
        host=host,
        address=f"[{host}]" if ":" in host else host,
        port=port,
        prefixes=prefixes,
        brotli_module=str(brotli_module),
        long=LONG,
        short=SHORT,
        fingerprinted=FINGERPRINTED,
        types=TYPES,
        named=NAMED,
        named_files=[name for named in NAMED for name in named.extensions],
        compressed=sorted(TEXT),
        charset_types=[t.name for t in (*TYPES, *NAMED) if t.text and t.name != "text/html"],
        regex_escape=re.escape,
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # configuration files, not HTML; values are checked above
    )
