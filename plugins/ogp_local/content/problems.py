"""Problems are values: collected while reading content, rendered once. An error of
the system (a full disk, a read-only folder) is one line too, naming the path.

Every problem names the file and line, the field, what is wrong and, where we
can tell, how to fix it: ``cases/madrid.md:7: challenges: unknown area
'anti-corruptoin' (did you mean 'anti-corruption'?)``.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

_VISIBLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}
_VISIBLE[ord("\t")] = " "


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    """Something to know, never a failure (e.g. a story not yet translated)."""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        text = f"{text} ({self.hint})" if self.hint else text
        # One problem, one line, nothing a terminal would act on: a file name or value
        # holding ESC or a line break is shown with the character spelled out.
        return text.translate(_VISIBLE)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity.value,
        }


@dataclass
class Problems:
    """Collects the problems of one read of the content."""

    items: list[Problem] = field(default_factory=list)
    _counted: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)
    """(items seen, errors among them): the reader asks after every story."""

    def error(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, field, message, hint, Severity.ERROR))

    def warning(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, field, message, hint, Severity.WARNING))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def error_count(self) -> int:
        seen, count = self._counted
        if seen > len(self.items):  # items were taken away: count again
            seen, count = 0, 0
        count += sum(p.severity is Severity.ERROR for p in self.items[seen:])
        self._counted = (len(self.items), count)
        return count

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity is Severity.WARNING)

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or "" when nothing is close."""
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def render(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


# What to do about an OS error, by its errno.
_WHAT_TO_DO = {
    errno.EACCES: "check the folder's permissions",
    errno.EPERM: "check the folder's permissions",
    errno.EROFS: "the disk is read-only: use another folder",
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EFBIG: "a file grew past the size this system allows: raise the limit (ulimit -f)",
    errno.ENAMETOOLONG: "use a shorter name",
    errno.ENOTDIR: "a file stands where a folder should be: move it away",
    errno.EEXIST: "a file stands where a folder should be: move it away",
    errno.EISDIR: "a folder stands where a file should be: move it away",
    errno.ENOENT: "check the path",
}


def os_error_line(exc: OSError) -> str:
    """An OS error as one line: the path, what went wrong, what to do."""
    where = exc.filename if exc.filename2 is None else f"{exc.filename} -> {exc.filename2}"
    what = exc.strerror or str(exc)
    todo = _WHAT_TO_DO.get(exc.errno, "check the folder's permissions and the free disk space")
    return f"ogp-local: {where}: {what} ({todo})" if where else f"ogp-local: {what} ({todo})"


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Name `path` in an OS error that names no file (a write to a full disk fails on
    an open file, and Python's error then says only "No space left on device")."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise
