"""Problems are values: collected while reading content, rendered once.

Every problem names the file and line, the field, what is wrong and, where we
can tell, how to fix it: ``cases/madrid.md:7: challenges: unknown area
'anti-corruptoin' (did you mean 'anti-corruption'?)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

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
