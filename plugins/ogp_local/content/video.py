"""YouTube and Vimeo addresses → the embed address played after a click."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from ogp_local.content import urls

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def embed_url(url: str) -> str | None:
    """The privacy-friendly player address of a video page, or None if it is not one."""
    parts = urls.split(url)
    if parts is None:
        return None
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video = path[1]
        if video and _YOUTUBE_ID.match(video):
            return f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1"
        return None
    if host == "youtu.be" and path and _YOUTUBE_ID.match(path[0]):
        return f"https://www.youtube-nocookie.com/embed/{path[0]}?autoplay=1"
    if host in ("vimeo.com", "player.vimeo.com"):
        ids = [p for p in path if p.isdigit()]
        if ids:
            return f"https://player.vimeo.com/video/{ids[0]}?autoplay=1&dnt=1"
    return None
