"""Every published story as open data: /data/stories.json and /data/stories.csv."""

from __future__ import annotations

import csv
import io

from .feeds import json_bytes
from .model import Story

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
)


def rows(stories: list[Story], site_url: str, cards: dict) -> list[dict]:
    base = site_url.rstrip("/") + "/"
    found = []
    for story in stories:
        card = cards.get(id(story))
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
                "url": base + story.url,
                "cards": {size: f"{base}cards/{name}" for size, name in card.files.items()}
                if card
                else {},
            }
        )
    return found


def as_json(data: list[dict], licence: str, licence_url: str) -> bytes:
    # Compact: at ten years of stories this file is large, and read by programs.
    return json_bytes(
        {"licence": licence, "licence_url": licence_url, "count": len(data), "stories": data},
        indent=None,
    )


# A cell that starts like a formula is run by Excel, LibreOffice and Google Sheets
# ("CSV injection"); OWASP's advice is a leading apostrophe, which they show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(header: tuple[str, ...] | list[str], rows) -> str:
    """CSV for people who open it in a spreadsheet: every cell safe to open."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([spreadsheet_text(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def as_csv(data: list[dict]) -> bytes:
    rows = (
        [
            "; ".join(v)
            if isinstance(v, list)
            else " ".join(v.values())
            if isinstance(v, dict)
            else ("" if v is None else v)
            for v in (row[c] for c in COLUMNS)
        ]
        for row in data
    )
    return csv_text(COLUMNS, rows).encode("utf-8")
