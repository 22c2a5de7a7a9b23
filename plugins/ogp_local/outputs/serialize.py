"""The JSON and CSV the site publishes (feeds, open data, the month zips' posts.csv):
written one way, safe wherever it is pasted or opened."""

from __future__ import annotations

import csv
import io
import json


def json_bytes(data: object, indent: int | None = 2) -> bytes:
    """JSON with <, > and & as \\u escapes: the same data, but safe even if someone
    pastes it into a page."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return (text + "\n").encode("utf-8")


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
