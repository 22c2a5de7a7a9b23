"""Reads one Markdown file into its front matter (as YAML nodes that know their
line numbers) and its body.

python-frontmatter finds the front matter; PyYAML composes it into nodes so that
every problem can name the line it is on. The loader keeps dates as text (we
check them ourselves, so that `2023-13-45` is a message, not a crash) and reads
only `true`/`false` as booleans (so `country: NO` stays Norway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import frontmatter
import yaml

from ogp_local.content.problems import Problems

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10× faster


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader without YAML 1.1's timestamp and yes/no/on/off resolution."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))

_HANDLER = frontmatter.YAMLHandler()

# A value that starts with # (`title: #16Days campaign`, `hashtags: [#16Days]`,
# `- #16Days`): YAML reads a comment there, not the text the author meant.
_COMMENTED_VALUE = re.compile(r"(?:^\s*-|:|\[|,)\s*(#[^,\]]*?)\s*(?:[,\]]|$)")

_HASHTAG_COMMENT = re.compile(r"\s+#\w")

# Errors whose context mark is where the broken construct began (an unclosed quote
# or bracket): the line to fix. Otherwise the problem mark is (a tab, a stray colon).
_OPENED_AT_CONTEXT = ("quoted scalar", "flow sequence", "flow mapping")

# Characters no text means to hold: C0 and C1 controls (but tab and line breaks),
# DEL and the non-characters U+FFFE/U+FFFF. YAML refuses them raw and XML cannot
# carry them at all; a line break in a Word or spreadsheet cell arrives as U+000B.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {
    0x00: "NUL",
    0x0B: "vertical tab: a line break pasted from Word or a spreadsheet",
    0x0C: "form feed: a page break pasted from Word",
    0x7F: "delete",
    0x85: "next line",
}
_TOP_KEY = re.compile(r"^([^\s#:'\"\[\]{}-][^:]*?)\s*:(?:\s|$)")


@dataclass
class Entry:
    """One `key: value` of the front matter."""

    key: str
    line: int
    node: yaml.Node


@dataclass
class Source:
    path: str
    fields: dict[str, Entry] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    ok: bool = True
    """False when the front matter could not be read at all."""
    lines: list[str] = field(default_factory=list)
    """The front matter's lines; file line n is lines[n - 1]."""

    def line_of(self, node: yaml.Node) -> int:
        # The front matter text starts with the newline that ends the opening `---`.
        return node.start_mark.line + 1

    def quoting_hint(self, line: int) -> str | None:
        """The fix when the value on `line` starts with #, which YAML reads as a comment."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        match = _COMMENTED_VALUE.search(text)
        if match is None:
            return None
        return f'# starts a comment in YAML: put the value in quotes, e.g. "{match.group(1)}"'


def read(path: str, text: str, problems: Problems) -> Source:
    """Split `text` into front matter nodes and body, reporting what is unreadable."""
    text = text.lstrip("\ufeff")
    source = Source(path)
    if not _HANDLER.detect(text):
        source.ok = False
        source.body = text
        problems.error(
            path,
            1,
            "front matter",
            "missing: the file must start with a line '---', the fields, and another '---'",
            "run `ogp-local new` for a template",
        )
        return source
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        source.ok = False
        problems.error(path, 1, "front matter", "not closed", "add a line '---' after the fields")
        return source
    source.body_line = text[: len(text) - len(body)].count("\n") + 1
    source.body = _scrub_body(path, body, source.body_line, problems)
    fm = _scrub_front_matter(path, fm, problems)
    source.lines = fm.split("\n")  # fm starts with the newline of the opening `---`
    try:
        root = yaml.compose(fm, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        source.ok = False
        line, hint = _locate(source, exc)
        reason = exc.problem or exc.context or "invalid YAML"
        problems.error(path, line, "front matter", f"YAML syntax error: {reason}", hint)
        return source
    if root is None:
        return source
    if not isinstance(root, yaml.MappingNode):
        source.ok = False
        problems.error(path, source.line_of(root), "front matter", "expected 'field: value' lines")
        return source
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = source.line_of(key_node)
        if key in source.fields:
            problems.error(
                path,
                line,
                key,
                f"given twice (first on line {source.fields[key].line})",
                "keep one",
            )
            continue
        source.fields[key] = Entry(key, line, value_node)
        _scrub_node(source, key, value_node, problems)
        _warn_cut_by_comment(source, key, value_node, problems)
    return source


def _warn_cut_by_comment(source: Source, key: str, node: yaml.Node, problems: Problems) -> None:
    """`summary: Great work #OpenGov`: YAML ends the value at ` #` and drops the rest
    as a comment. A comment that starts like a hashtag was almost surely meant as text."""
    if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):  # plain
        return
    end = node.end_mark
    rest = source.lines[end.line][end.column :] if end.line < len(source.lines) else ""
    if _HASHTAG_COMMENT.match(rest):
        value, cut = node.value, rest.strip()
        problems.warning(
            source.path,
            end.line + 1,
            key,
            f"'{cut}' is read as a YAML comment and left out",
            f'put the whole value in quotes: {key}: "{value} {cut}"',
        )


def _locate(source: Source, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line of a YAML error the author has to fix, and how."""
    problem = exc.problem_mark.line + 1 if exc.problem_mark else 1
    context = exc.context_mark.line + 1 if exc.context_mark else problem
    # `[#16Days]` comments out the rest of its line: the error shows where the
    # stream ran out, so look back for the bracket.
    first = 1 if "flow" in (exc.context or "") else min(context, problem)
    for line in range(problem, first - 1, -1):
        hint = source.quoting_hint(line)
        if hint:
            return line, hint
    if "tab" in (exc.problem or ""):
        return problem, "indent with spaces, not tabs"
    opened = exc.context and exc.context.endswith(_OPENED_AT_CONTEXT)
    return (
        context if opened else problem,
        "quote values that contain ': ' or start with a special character such as # or [",
    )


# -- control characters -----------------------------------------------------------------


def _describe(chars: list[str]) -> str:
    """`control character U+000B (vertical tab: …)`, one entry per distinct character."""
    named = []
    for char in dict.fromkeys(chars):
        name = _CONTROL_NAMES.get(ord(char))
        named.append(f"U+{ord(char):04X}" + (f" ({name})" if name else ""))
    noun = "control character" if len(named) == 1 else "control characters"
    return f"contains {noun} {', '.join(named)}; replaced by a space"


_SCRUB_HINT = "delete it: it is invisible in most editors, so retype the text around it"


def _warn_controls(path: str, line: int, field: str, chars: list[str], problems: Problems):
    problems.warning(path, line, field, _describe(chars), _SCRUB_HINT)


def _scrub_front_matter(path: str, fm: str, problems: Problems) -> str:
    """Raw control characters replaced by spaces (YAML refuses them), each line that
    held one reported under the field it belongs to."""
    if not CONTROL.search(fm):
        return fm
    lines = fm.split("\n")
    key = "front matter"
    for number, text in enumerate(lines):
        match = _TOP_KEY.match(CONTROL.sub(" ", text))
        if match:
            key = match.group(1).strip()
        found = CONTROL.findall(text)
        if found:
            # fm starts with the newline that ends the opening `---`: line n is file line n+1.
            _warn_controls(path, number + 1, key, found, problems)
            lines[number] = CONTROL.sub(" ", text)
    return "\n".join(lines)


def _scrub_node(source: Source, key: str, node: yaml.Node, problems: Problems) -> None:
    """Control characters written as escapes (`"a\\x0bb"`): replaced by spaces, reported."""
    for scalar in _scalars(node):
        found = CONTROL.findall(str(scalar.value))
        if found:
            _warn_controls(source.path, source.line_of(scalar), key, found, problems)
            scalar.value = CONTROL.sub(" ", str(scalar.value))


def _scalars(node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def _scrub_body(path: str, body: str, first_line: int, problems: Problems) -> str:
    """The Markdown body without control characters, each line that held one reported."""
    if not CONTROL.search(body):
        return body
    lines = body.split("\n")
    for number, text in enumerate(lines):
        found = CONTROL.findall(text)
        if found:
            _warn_controls(path, first_line + number, "body", found, problems)
            lines[number] = CONTROL.sub(" ", text)
    return "\n".join(lines)


def items_of(node: yaml.Node) -> list[yaml.Node]:
    """The entries of a list, or the node itself when it is a single value."""
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]
