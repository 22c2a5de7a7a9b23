"""Every published story as open data: /data/stories.json and /data/stories.csv."""

from __future__ import annotations

from pathlib import Path

from ogp_local.content.model import Story
from ogp_local.outputs.serialize import csv_text, json_bytes

COLUMNS = (
    "kind",
    "id",
    "title",
    "members",
    "countries",
    "date",
    "updated",
    "areas",
    "summary",
    "url",
    "cards",
    "image",
    "image_credit",
    "image_license",
    "lang",
    "versions",
)
"""`lang`: the language the story is written in; `versions`: the address of the story in
each language it is written in (its original and translations)."""


def rows(
    stories: list[Story], site_url: str, cards: dict, prefix: str = "", home=lambda story: ""
) -> list[dict]:
    """One row per story of a language's site (its pages under `prefix`); `home` gives
    the prefix of the site where a version of a story is written in its language."""
    base = site_url.rstrip("/") + "/"
    found = []
    for story in stories:
        root = story.root
        written = [root, *(root.translations[k] for k in sorted(root.translations))]
        card = cards.get(story)
        found.append(
            {
                "kind": story.kind,
                "id": story.url,
                "title": story.title,
                "members": [m.name for m in story.members],
                "countries": list(story.countries),
                "date": story.date.isoformat(),
                "updated": story.updated.isoformat() if story.updated else None,
                "areas": [a.slug for a in story.areas],
                "summary": story.summary,
                "url": base + prefix + story.url,
                "cards": {size: f"{base}cards/{name}" for size, name in card.files.items()}
                if card
                else {},
                "image": base + story.image.path if story.image else None,
                "image_credit": story.image.credit if story.image else None,
                "image_license": story.image.license if story.image else None,
                "lang": story.lang,
                "versions": {v.lang: base + home(v) + v.url for v in written},
            }
        )
    return found


def as_json(data: list[dict], licence: str, licence_url: str) -> bytes:
    # Compact: at ten years of stories this file is large, and read by programs.
    return json_bytes(
        {"licence": licence, "licence_url": licence_url, "count": len(data), "stories": data},
        indent=None,
    )


def as_csv(data: list[dict]) -> bytes:
    rows = (
        [
            "; ".join(v)
            if isinstance(v, list)
            else "; ".join(f"{lang} {url}" for lang, url in v.items())
            if c == "versions"
            else " ".join(v.values())
            if isinstance(v, dict)
            else ("" if v is None else v)
            for c, v in ((c, row[c]) for c in COLUMNS)
        ]
        for row in data
    )
    return csv_text(COLUMNS, rows).encode("utf-8")


def write(folder: Path, data: list[dict], licence: str, licence_url: str) -> None:
    """/data/stories.json and /data/stories.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stories.json").write_bytes(as_json(data, licence, licence_url))
    (folder / "stories.csv").write_bytes(as_csv(data))
