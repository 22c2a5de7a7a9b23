"""Hypothesis strategies for the fuzz suite (tests/fuzz/test_fuzz.py): what a comms team
can type, paste or import, and what a hostile one can.

Text is drawn from every Unicode category (lone surrogates only where a file could
not hold them: UTF-8 cannot encode them), salted with the fragments that break
things: control characters (a Word line break in a spreadsheet cell is U+000B),
bidi controls, markup, YAML's special characters and words, huge and empty values.

A story's fields are written one by one in one of three ways: by `yaml.safe_dump`
(valid YAML, so the value reaches the build), quoted as JSON the way our scaffold
and importer write (valid YAML too, except for raw C1 controls), or as a raw
`key: value` line (hostile YAML).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

# -- fragments -----------------------------------------------------------------------------

SENTINELS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>")
"""Injected into front matter (and CSV cells): must never come out as live markup."""
PAYLOAD = "alert(1)"
"""What every injected script runs: markup carrying it is ours, not the theme's."""

CONTROLS = tuple(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
BIDI = tuple(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F))
INVISIBLE = (
    "\u200b",  # zero width space
    "\u200d",  # zero width joiner
    "\u00ad",  # soft hyphen
    "\ufeff",  # byte order mark
    "\u2028",  # line separator (Zl)
    "\u2029",  # paragraph separator (Zp)
    "\ue000",  # private use (Co)
    "\U000f0000",  # supplementary private use (Co)
    "\ufffe",  # noncharacter
    "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # an emoji sequence
    "e\u0301",  # a combining accent
)
MARKUP = (
    *SENTINELS,
    '" onerror="alert(1)',
    "' onmouseover='alert(1)",
    "</title><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    '"',
    "'",
    "&amp;",
    "&",
    "&#0;",
    "&lt;",
    "<",
    ">",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "{{ 7*7 }}",
    "{% raw %}",
    "javascript:alert(1)",
)
YAML_SPECIALS = (
    "#",
    " #16Days",
    "#OpenGov",
    ": ",
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "?",
    "&anchor ",
    "*alias",
    "!tag ",
    "!!python/object/apply:os.system ['true']",
    "!!binary ",
    "---",
    "...",
    "|",
    ">",
    "%YAML 1.1",
    "%",
    "@",
    "`",
    "yes",
    "no",
    "on",
    "off",
    "NO",
    "null",
    "Null",
    "~",
    "true",
    "0x1F",
    "1e3",
    ".inf",
    "0o17",
    "2023-11-06",
    "12:30:00",
    "\\",
    "\\x0b",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n---\n",
    "\n  - ",
)
PLAIN = (
    "Madrid",
    "São Paulo",
    "Sao Paulo",
    "Saint-Denis",
    "Bogotá",
    "Київ",
    "Улаанбаатар",
    "Ελληνικά",
    "Վանաձոր",
    "თბილისი",
    "طنجة",
    "עברית",
    "東京",
    "서울",
    "हिन्दी",
    "Budget",
    "lobby register",
    "participatory budgeting",
    " ",
    "  ",
    "a",
    "0",
)
FRAGMENTS = (*CONTROLS, *BIDI, *INVISIBLE, *MARKUP, *YAML_SPECIALS, *PLAIN)

# Every category but lone surrogates, which no UTF-8 file can hold.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
PRINTABLE_CHAR = st.characters(exclude_categories=("Cs", "Cc"))
WORD_CHAR = st.characters(categories=("L", "Nd"))

fragment = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(ANY_CHAR, min_size=1, max_size=12),
    st.sampled_from(CONTROLS),
    st.sampled_from(BIDI),
    st.sampled_from(MARKUP),
    st.sampled_from(YAML_SPECIALS),
)


def _huge(piece: str, times: int) -> str:
    return (piece * times)[:6000]


huge = st.builds(_huge, fragment.filter(bool), st.integers(200, 3000))
"""A few thousand characters, cheaply."""

nasty_text = st.one_of(
    st.just(""),
    st.lists(fragment, min_size=1, max_size=8).map("".join),
    st.text(ANY_CHAR, max_size=40),
    huge,
)
"""Anything at all."""

plain_text = st.one_of(
    st.sampled_from(PLAIN[:-4]),
    st.text(WORD_CHAR, min_size=1, max_size=30),
    st.lists(
        st.one_of(
            st.sampled_from(PLAIN[:-4]),
            st.sampled_from(MARKUP),
            st.sampled_from(BIDI),
            st.text(PRINTABLE_CHAR, min_size=1, max_size=10),
        ),
        min_size=1,
        max_size=6,
    ).map(" ".join),
)
"""Text without control characters: what usually passes validation."""


# -- field values --------------------------------------------------------------------------

AREA_NAMES = (
    "anti-corruption",
    "Anti-Corruption",
    "ANTI-CORRUPTION",
    "access-to-information",
    "Access to Information",
    "civic-space",
    "media-freedom",
    "press freedom",
    "fiscal-openness",
    "gender-and-inclusion",
    "Gender & Inclusion",
    "public-participation",
    "environment-and-climate",
    "Climate and Environment",
    "digital-governance",
    "justice",
)
KINDS = ("news", "video", "blog", "face", "News", "VIDEO")
VIDEOS = (
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/123456",
    "https://www.youtube.com/embed/dQw4w9WgXcQ",
)
HOSTILE_URLS = (
    "javascript:alert(1)",
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/?q=<img src=x onerror=alert(1)>",
    'https://example.org/" onmouseover="alert(1)',
    "http://[::1",
    "http://[invalid]/",
    "https://",
    "//example.org",
    "https://exa mple.org",
    "https://example.org/\x0b",
    "data:text/html,<script>alert(1)</script>",
)

valid_date = st.one_of(
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    st.dates(),
).map(dt.date.isoformat)
valid_url = st.one_of(
    st.just("https://example.org/news"),
    st.text(WORD_CHAR, min_size=1, max_size=20).map(lambda s: f"https://example.org/{s}"),
    st.sampled_from(HOSTILE_URLS[1:4]),
)
wild_url = st.one_of(st.sampled_from(HOSTILE_URLS), nasty_text)
hashtag = st.text(WORD_CHAR, min_size=1, max_size=12).map(lambda s: f"#{s}")
areas = st.lists(st.sampled_from(AREA_NAMES), min_size=1, max_size=3)
wild_list = st.one_of(st.lists(nasty_text, max_size=3), nasty_text)


def mapping_list(keys: tuple[str, str], calm_values: tuple) -> tuple:
    """(calm, wild) strategies for a list of `{key: value, …}` entries."""
    calm = st.lists(st.fixed_dictionaries(dict(zip(keys, calm_values, strict=True))), max_size=2)
    wild = st.one_of(
        st.lists(st.dictionaries(st.sampled_from([*keys, "x"]), nasty_text), max_size=2),
        st.lists(nasty_text, max_size=2),
        nasty_text,
    )
    return calm, wild


VALUES: dict[str, tuple] = {
    # field: (calm: what usually validates, wild: anything)
    "title": (plain_text, nasty_text),
    "summary": (plain_text, nasty_text),
    "image_alt": (plain_text, nasty_text),
    "date": (
        valid_date,
        st.one_of(
            st.sampled_from(["2023-13-45", "2023-02-30", "0000-01-01", "2023-1-1"]), nasty_text
        ),
    ),
    "updated": (valid_date, nasty_text),
    "challenges": (
        st.one_of(areas, st.sampled_from(AREA_NAMES)),
        st.lists(st.one_of(st.sampled_from(AREA_NAMES), nasty_text), max_size=3),
    ),
    "hashtags": (st.lists(hashtag, min_size=1, max_size=3), wild_list),
    "impact": mapping_list(("value", "label"), (plain_text, plain_text)),
    "links": mapping_list(("title", "url"), (plain_text, valid_url)),
    "link": (valid_url, wild_url),
    "video": (st.sampled_from(VIDEOS), wild_url),
    "lang": (st.sampled_from(["es", "pt-BR", "ar", "en", "uk", "he", "ka"]), nasty_text),
    "kind": (st.sampled_from(KINDS), nasty_text),
    "order": (st.integers(0, 10**6).map(str), nasty_text),
    "news_count": (st.integers(0, 10**6).map(str), nasty_text),
    "draft": (
        st.booleans(),
        st.one_of(st.sampled_from(["yes", "no", "False", "'true'"]), nasty_text),
    ),
}


@st.composite
def members_and_countries(draw, wild: bool) -> tuple[object, object]:
    """`member` as text or a list; `country` as one text or one per member."""
    text = nasty_text if wild else plain_text
    member = draw(st.one_of(text, st.lists(text, min_size=1, max_size=3)))
    if isinstance(member, list) and draw(st.booleans()):
        country = draw(st.lists(text, min_size=len(member), max_size=len(member)))
    else:
        country = draw(text if not wild else st.one_of(text, st.lists(text, max_size=3)))
    return member, country


# -- stories -------------------------------------------------------------------------------


@dataclass
class Field:
    key: str
    value: object
    style: str
    """safe (yaml.safe_dump), json (as the scaffold writes) or raw (`key: value`)."""


@dataclass
class StoryFile:
    name: str
    """The file name, with its extension."""
    fields: list[Field]
    body: str
    wrapping: str = "plain"
    """plain, bom, crlf, unclosed, no-front-matter, latin-1 or nul."""

    def text(self) -> str:
        lines = "".join(render_field(f) for f in self.fields)
        if self.wrapping == "no-front-matter":
            return lines + "\n" + self.body
        if self.wrapping == "unclosed":
            return "---\n" + lines + "\n" + self.body
        return "---\n" + lines + "---\n\n" + self.body

    def data(self) -> bytes:
        text = self.text()
        if self.wrapping == "bom":
            text = "\ufeff" + text
        elif self.wrapping == "crlf":
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if self.wrapping == "latin-1":
            data = text.encode("latin-1", errors="replace") + b"\xe9\xff"
        elif self.wrapping == "nul":
            data = data.replace(b"\n", b"\n\x00", 1)
        return data


def _raw(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_raw(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_raw(v) for v in value) + "]"
    return str(value)


def render_field(f: Field) -> str:
    """One `key: value` of the front matter, as text ending in a newline."""
    if f.style == "safe":
        return yaml.safe_dump({f.key: f.value}, allow_unicode=True, sort_keys=False)
    if f.style == "json":
        return f"{f.key}: {json.dumps(f.value, ensure_ascii=False)}\n"
    if isinstance(f.value, list) and f.value and all(isinstance(v, str) for v in f.value):
        return f"{f.key}:\n" + "".join(f"  - {v}\n" for v in f.value)
    return f"{f.key}: {_raw(f.value)}\n"


STYLES = ("safe", "safe", "safe", "json", "raw")
CALM_STYLES = ("safe", "json")

FIELDS = {
    "case": (
        "title",
        "member",
        "country",
        "date",
        "summary",
        "challenges",
        "hashtags",
        "impact",
        "links",
        "image_alt",
        "updated",
        "lang",
        "draft",
    ),
    "roundup": (
        "date",
        "summary",
        "title",
        "news_count",
        "hashtags",
        "image_alt",
        "updated",
        "lang",
    ),
    "item": (
        "title",
        "member",
        "country",
        "challenges",
        "summary",
        "link",
        "image_alt",
        "hashtags",
        "order",
        "kind",
        "video",
        "updated",
        "lang",
    ),
}
REQUIRED = {
    "case": ("title", "member", "country", "date", "summary", "challenges"),
    "roundup": ("date", "summary"),
    "item": ("title", "member", "country", "challenges"),
}

chaos = st.sampled_from([0, 0, 1, 3, 10])
"""How wild a story is: each field is wild with probability chaos/10."""


@st.composite
def front_matter(draw, kind: str, level: int) -> list[Field]:
    """The fields of one story: the required ones, some optional ones; the wilder,
    the more often a value is hostile, a line raw YAML, a field forgotten, misspelt
    or given twice."""

    def wild() -> bool:
        return level > 0 and draw(st.integers(0, 9)) < level

    values: dict[str, object] = {}
    styles: dict[str, str] = {}
    optional = [k for k in FIELDS[kind] if k not in REQUIRED[kind]]
    keys = [*REQUIRED[kind], *draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))]
    for key in keys:
        if key == "country":
            continue
        is_wild = wild()
        if key == "member":
            values["member"], values["country"] = draw(members_and_countries(is_wild))
            styles["country"] = draw(st.sampled_from(STYLES if is_wild else CALM_STYLES))
        else:
            calm, hostile = VALUES[key]
            values[key] = draw(hostile if is_wild else calm)
        styles[key] = draw(st.sampled_from(STYLES if is_wild else CALM_STYLES))
    if wild():
        for key in draw(st.lists(st.sampled_from(sorted(values)), max_size=1)):
            del values[key]  # a required field forgotten
    fields = [Field(k, v, styles[k]) for k, v in values.items()]
    if wild():  # a typo, or a field given twice
        key = draw(st.sampled_from(["titel", "Title", "member", "summary", "tags", "?", "- x"]))
        fields.append(Field(key, draw(nasty_text), draw(st.sampled_from(STYLES))))
    return draw(st.permutations(fields))


BODY_BLOCKS = (
    "## The problem",
    "## What they did\n\nThey opened the budget.",
    "Lobbyists must register before meetings. Procurement data is open.",
    "- one\n- two\n- three",
    "1. first\n2. second",
    "> a quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\ncode <img src=x onerror=alert(1)>\n```",
    "`<script>alert(1)</script>` in a code span",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<b>bold</b> and <em>em</em>",
    '<div markdown="1">a *div*</div>',
    "[a link](https://example.org/) and [a story](../cases/other.md)",
    "---",
    "# A title in the body",
    "***",
    "<!-- a comment -->",
    "<!-- ogp:item fake-item -->",
    "{{ page.title }}",
    "\\",
    "",
)


def _body(chars, min_size: int = 0) -> st.SearchStrategy[str]:
    prose = st.text(chars, max_size=60)
    blocks = st.one_of(st.sampled_from(BODY_BLOCKS), prose)
    return st.lists(blocks, min_size=min_size, max_size=6).map("\n\n".join)


# Body prose holds anything but `<`: raw markup in a body is only what BODY_BLOCKS put
# there (bodies are trusted author content; the sentinels appear in them only escaped).
calm_body = _body(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="<"), 1)
wild_body = _body(st.characters(exclude_categories=("Cs",), exclude_characters="<"))


slug = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
hostile_name = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=40
).filter(lambda s: s not in (".", "..") and len((s + ".md").encode("utf-8")) <= 255)
file_stem = st.one_of(slug, hostile_name, st.sampled_from(["index", "Madrid", "a b"]))
WRAPPINGS = (*("plain",) * 3, "bom", "crlf", "unclosed", "no-front-matter", "latin-1", "nul")


@st.composite
def story_file(draw, kind: str, name: str | None = None, level: int | None = None) -> StoryFile:
    """One story file; `level` as in `front_matter` (drawn when not given)."""
    level = draw(chaos) if level is None else level
    wild = level > 0 and draw(st.integers(0, 9)) < level
    if name is None:
        stem = draw(file_stem if wild else slug)
        name = stem + (draw(st.sampled_from([".md", ".MD", ".es.md"])) if wild else ".md")
    wrapping = draw(st.sampled_from(WRAPPINGS)) if wild else "plain"
    text = draw(wild_body if wild else calm_body) + "\n"
    return StoryFile(name, draw(front_matter(kind, level)), text, wrapping)


month = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2015, 2030), st.integers(1, 12))
wild_month = st.one_of(month, st.sampled_from(["2023-13", "2023-1", "november", "0000-00", "_x"]))


@dataclass
class Circle:
    name: str
    fields: dict[str, object]
    style: str

    def text(self) -> str:
        lines = "".join(render_field(Field(k, v, self.style)) for k, v in self.fields.items())
        return "---\n" + lines + "---\n\nTwo members learn from each other.\n"


@st.composite
def circle(draw, level: int) -> Circle:
    """A Local Circle (content/circles/<slug>.md): name, theme, areas, members."""
    wild = level > 0 and draw(st.integers(0, 9)) < level
    text = nasty_text if wild else plain_text
    member = st.builds(lambda a, b: f"{a}, {b}", text, text)
    fields = {
        "name": draw(text),
        "theme": draw(text),
        "areas": draw(VALUES["challenges"][wild]),
        "members": draw(
            st.lists(st.one_of(member, text) if wild else member, min_size=1, max_size=3)
        ),
    }
    if wild:
        for key in draw(st.lists(st.sampled_from(sorted(fields)), max_size=1)):
            del fields[key]
    style = draw(st.sampled_from(STYLES if wild else CALM_STYLES))
    return Circle(draw(slug) + ".md", fields, style)


@dataclass
class Tree:
    """A project's content: files by their path relative to the root."""

    files: dict[str, bytes] = field(default_factory=dict)

    def __repr__(self) -> str:  # what Hypothesis prints for a falsifying example
        shown = ",\n".join(
            f"  {path!r}: {data.decode('utf-8', 'backslashreplace')!r}"
            for path, data in self.files.items()
        )
        return "Tree({\n" + shown + "\n})"


@st.composite
def trees(draw, max_cases: int = 3, max_months: int = 2, max_items: int = 3) -> Tree:
    """Case studies, roundups with items and now and then a Local Circle, all as wild
    as one level drawn for the tree (from all calm to all wild)."""
    level = draw(chaos)
    tree = Tree()
    taken: set[str] = set()

    def add(path: str, data: bytes) -> None:
        if path.casefold() not in taken:  # as a case-insensitive file system would
            taken.add(path.casefold())
            tree.files[path] = data

    for case in draw(st.lists(story_file("case", level=level), max_size=max_cases)):
        add(f"cases/{case.name}", case.data())
    months = draw(st.lists(wild_month if level else month, max_size=max_months, unique=True))
    for folder in months:
        if level == 0 or draw(st.integers(0, 9)):
            index = draw(story_file("roundup", name="index.md", level=level))
            add(f"roundups/{folder}/index.md", index.data())
        for item in draw(st.lists(story_file("item", level=level), max_size=max_items)):
            if item.name != "index.md":
                add(f"roundups/{folder}/{item.name}", item.data())
    if draw(st.integers(0, 4)) == 0:
        c = draw(circle(level))
        add(f"content/circles/{c.name}", c.text().encode("utf-8"))
    return tree


# -- spreadsheets --------------------------------------------------------------------------

COLUMNS = ("title", "member", "country", "areas", "summary", "link", "image", "image_alt")


def columns(wild: bool) -> dict[str, st.SearchStrategy[str]]:
    text = nasty_text if wild else plain_text
    areas_cell = st.one_of(
        st.lists(st.sampled_from(AREA_NAMES), min_size=1, max_size=3).map("; ".join),
        st.lists(st.sampled_from(AREA_NAMES), min_size=1, max_size=3).map(", ".join),
    )
    return {
        "title": text,
        "member": st.one_of(text, st.lists(text, min_size=1, max_size=3).map("; ".join)),
        "country": text,
        "areas": st.one_of(areas_cell, text) if wild else areas_cell,
        "summary": st.one_of(st.just(""), text),
        "link": st.one_of(st.just(""), wild_url if wild else valid_url),
        "image": st.one_of(st.just(""), text) if wild else st.just(""),
        "image_alt": st.one_of(st.just(""), text),
    }


@st.composite
def spreadsheets(draw) -> bytes:
    """A CSV export: a header, rows of cells (each row as wild as the sheet's level);
    written by a CSV writer, or by joining cells with commas as a careless script
    would; now and then without its header row or with a misspelt column."""
    level = draw(chaos)

    def wild() -> bool:
        return level > 0 and draw(st.integers(0, 9)) < level

    header = list(COLUMNS[:3]) + draw(
        st.lists(st.sampled_from(COLUMNS[3:]), max_size=5, unique=True)
    )
    header = draw(st.permutations(header))
    shown = [draw(st.sampled_from([f" {h} ", h.upper(), h + "s"])) if wild() else h for h in header]
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        cells = columns(wild())
        rows.append([draw(cells[h]) for h in header])
    lines = rows if wild() else [shown, *rows]
    out = io.StringIO()
    if wild():
        out.write("\n".join(",".join(line) for line in lines) + "\n")
    else:
        csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(lines)
    text = out.getvalue()
    if draw(st.booleans()):
        text = "\ufeff" + text  # as Excel writes it
    return text.encode("utf-8")


# -- the areas file ------------------------------------------------------------------------

BUNDLED_AREAS = Path(__file__).resolve().parents[2] / "plugins/ogp_local/data/areas.yml"
AREA_KEYS = ("slug", "name", "description", "colour", "aliases", "keywords")
WILD_SLUGS = ("../../outside", "a/b", "<script>alert(1)</script>", "", "UPPER Case", ".")


@st.composite
def areas_files(draw) -> bytes:
    """A site's own areas file (`areas_file:` in mkdocs.yml): the bundled ten, cut,
    with values replaced by plausible or hostile ones; or not YAML at all."""
    level = draw(chaos)

    def wild() -> bool:
        return level > 0 and draw(st.integers(0, 9)) < level

    if level == 10 and draw(st.booleans()):
        return draw(nasty_text).encode("utf-8")
    areas = yaml.safe_load(BUNDLED_AREAS.read_text("utf-8"))[: draw(st.integers(1, 10))]
    for area in areas:
        for key in draw(st.lists(st.sampled_from(AREA_KEYS), max_size=2, unique=True)):
            if wild():
                area[key] = draw(
                    st.one_of(
                        nasty_text,
                        st.sampled_from(WILD_SLUGS),
                        st.lists(nasty_text, max_size=2),
                        st.none(),
                        st.integers(),
                    )
                )
            elif key in ("aliases", "keywords"):
                area[key] = draw(st.lists(plain_text, max_size=3))
            elif key in ("name", "description"):
                area[key] = draw(plain_text)
        if wild():
            del area[draw(st.sampled_from(AREA_KEYS))]
    if wild():
        areas = draw(st.sampled_from([{"areas": areas}, areas[0], [], None, [areas]]))
    return yaml.safe_dump(areas, allow_unicode=True, sort_keys=False).encode("utf-8")
