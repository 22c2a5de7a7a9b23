"""A month's news items from a spreadsheet export (CSV): validate every row, then
write one item file per row — or nothing at all."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ogp_local.cli import scaffold
from ogp_local.content.problems import Problems, did_you_mean
from ogp_local.content.reader import StoryReader

COLUMNS = ("title", "member", "country", "areas", "summary", "link", "image", "image_alt")
REQUIRED = ("title", "member", "country")
_SPLIT = re.compile(r"\s*[;|]\s*")
_FIELD_TO_COLUMN = {"challenges": "areas", "front matter": "row"}


@dataclass
class Planned:
    path: Path
    text: str
    row: int


def _cells(value: str, areas: bool = False) -> list[str]:
    parts = re.split(r"\s*[;,|]\s*", value) if areas else _SPLIT.split(value)
    return [p for p in (v.strip() for v in parts) if p]


def read(csv_path: Path, problems: Problems) -> list[tuple[int, dict[str, str]]]:
    """Rows with their spreadsheet row numbers (the header is row 1)."""
    shown = str(csv_path)
    try:
        text = csv_path.read_text("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        problems.error(shown, 1, "file", f"not UTF-8 ({exc.reason})", "export as CSV UTF-8")
        return []
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if not set(header) & set(COLUMNS):
        # A sheet saved without its header row: its first row of data is not eight
        # unknown columns but one missing header.
        columns = ", ".join(COLUMNS)
        problems.error(
            shown,
            1,
            "header",
            f"row 1 must be the header: {columns}",
            "insert it above the first row",
        )
        return []
    for name in header:
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS) or "columns: " + ", ".join(COLUMNS)
            problems.error(shown, 1, name or "(empty)", "unknown column", hint)
    for name in REQUIRED:
        if name not in header:
            problems.error(shown, 1, name, "missing column", f"add a column named {name}")
    rows = []
    for number, row in enumerate(reader, start=2):
        # Cells are plain text on one line: a line break typed in a cell is a space.
        values = {k: scaffold.one_line(v or "") for k, v in row.items() if k in COLUMNS}
        if any(values.values()):
            rows.append((number, values))
    return rows


def plan(
    root: Path, month: str, csv_path: Path, reader: StoryReader, roundups_dir: str
) -> tuple[list[Planned], Problems]:
    """Validate every row as the item file it would become; nothing is written here."""
    problems = Problems()
    rows = read(csv_path, problems)
    if problems.errors:
        return [], problems
    folder = root / roundups_dir / month
    if not (folder / "index.md").is_file():
        problems.error(
            str(csv_path),
            1,
            "month",
            f"{roundups_dir}/{month} has no index.md",
            f"run `ogp-local new roundup {month}` first",
        )
        return [], problems
    planned: list[Planned] = []
    taken: set[str] = set()
    for number, row in rows:
        base = scaffold.story_slug(row.get("title", "")) or f"item-{number}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        try:
            path = scaffold.story_path(folder, slug)
        except ValueError as exc:  # a symbolic link in the way
            problems.error(str(csv_path), number, "title", str(exc), "remove the link")
            continue
        text = scaffold.item(
            row.get("title", ""),
            _cells(row.get("member", "")),
            _cells(row.get("country", "")),
            _cells(row.get("areas", ""), areas=True),
            summary=row.get("summary", ""),
            link=row.get("link", ""),
            image=row.get("image", ""),
            image_alt=row.get("image_alt", ""),
        )
        _check_row(reader, path, text, month, csv_path, number, row, problems)
        if path.exists() or path.is_symlink():
            problems.error(
                str(csv_path),
                number,
                "title",
                f"{path.relative_to(root)} exists already; nothing is overwritten",
                "change the title or remove the file",
            )
        planned.append(Planned(path, text, number))
    return planned, problems


def _check_row(
    reader: StoryReader,
    path: Path,
    text: str,
    month: str,
    csv_path: Path,
    number: int,
    row: dict[str, str],
    problems: Problems,
) -> None:
    """The row's problems, named by row number and column instead of file and line."""
    for name in REQUIRED:
        if not row.get(name):
            problems.error(str(csv_path), number, name, "empty", f"fill in the {name}")
    if not all(row.get(name) for name in REQUIRED):
        return
    before = len(reader.problems.items)
    reader.read_text(path, text, "item", month)
    for problem in reader.problems.items[before:]:
        column = _FIELD_TO_COLUMN.get(problem.field, problem.field)
        add = problems.error if problem.severity.value == "error" else problems.warning
        add(str(csv_path), number, column, problem.message, problem.hint)
