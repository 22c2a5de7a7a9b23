"""Property-based tests: nothing a comms team can type, paste or import breaks the
site, leaks markup, or makes `check` and the build disagree (issue 11, SPEC §6).

Layers, fastest first:
- the reader on one story (thousands of examples): no exception, well-formed problems;
- `ogp-local check` on whole content trees (in-process): exit 0 or 1, problem lines only;
- real builds of generated trees (in-process MkDocs): they succeed or stop with
  `path:line` messages, agree with `check`, and publish parseable, markup-free output;
- the same with cards drawn (few examples: drawing is slow);
- `ogp-local import` of generated spreadsheets, then the build of what it wrote;
- a site's own areas file;
- the real `python -m ogp_local check` (a few examples).

Profiles: `ci` (the default: about a minute, no shrinking) and `long`
(`HYPOTHESIS_PROFILE=long`: big budgets, shrinking on). Failing examples are kept in
tests/hypothesis-db/ and replayed first by every run: rerun a CI failure under
`HYPOTHESIS_PROFILE=long` to see it shrunk to its minimal form.

A soak run goes on past failures and sorts them into distinct bugs:

    .venv/bin/python tests/fuzz/test_fuzz.py soak --scale 1   # the long profile's budgets
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import brotli
import feedparser
import lxml.html
import yaml
from click.testing import CliRunner
from fuzz_strategies import (
    BUNDLED_AREAS,
    PAYLOAD,
    SENTINELS,
    Field,
    StoryFile,
    Tree,
    areas_files,
    fragment,
    nasty_text,
    spreadsheets,
    story_file,
    trees,
)
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from lxml import etree
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError
from ogp_local.cli.main import main as ogp_local
from ogp_local.content import library, source
from ogp_local.content.areas import Areas
from ogp_local.content.problems import Problems
from ogp_local.content.reader import StoryReader

REPO = Path(__file__).resolve().parents[2]

# -- profiles ------------------------------------------------------------------------------

settings.register_profile(
    "ci",
    database=DirectoryBasedExampleDatabase(REPO / "tests" / "hypothesis-db"),
    deadline=None,
    print_blob=True,
    # Shrinking a failing build can take minutes: CI reports the failure as found.
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large),
)
settings.register_profile("long", settings.get_profile("ci"), phases=tuple(Phase))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def budget(ci: int, long: int) -> settings:
    """How many examples a test runs under the current profile."""
    return settings(max_examples=long if PROFILE == "long" else ci)


def short(text: object, limit: int = 300) -> str:
    """`text` for an assertion message: repr'd, and cut when long."""
    shown = repr(text)
    return shown if len(shown) <= limit else shown[:limit] + f"… ({len(shown)} chars)"


# -- projects ------------------------------------------------------------------------------

SITE_URL = "https://example.org/stories/"
MKDOCS_YML = """\
site_name: Fuzz Stories
site_url: {site_url}
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  font: false
plugins:
  - ogp-local:
      cards: {cards}
{extra}nav:
  - Home: index.md
  - Case studies: cases/index.md
  - Roundups: roundups/index.md
  - Challenge areas: challenges/index.md
  - Members: members/index.md
"""
CARDS_OFF = "{enabled: false}"
CARDS_ON = "{enabled: true, workers: 1, sizes: [1200x630]}"
ROUNDUP_INDEX = "---\ndate: 2023-11-28\nsummary: The month in short.\n---\n\nIntro.\n"

PROBLEM = re.compile(
    r"(?P<path>[^\r\n]+?):(?P<line>[1-9][0-9]*): (?P<field>[^\r\n]+?): (?P<message>.*\S.*)"
)
"""`path:line: field: message (hint)`, on one line."""
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Where a terminal, an editor or Python's text mode starts a new line."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters: invisible in a report, or worse (ESC starts terminal commands)."""


@contextlib.contextmanager
def project(files: dict[str, bytes], cards: str = CARDS_OFF, extra: str = "") -> Iterator[Path]:
    """A throwaway project holding `files`, with the real theme; `extra` adds options
    of the ogp-local plugin."""
    with tempfile.TemporaryDirectory(prefix="ogp-fuzz-") as folder:
        root = Path(folder)
        (root / "mkdocs.yml").write_text(
            MKDOCS_YML.format(theme=REPO / "theme", cards=cards, extra=extra, site_url=SITE_URL),
            "utf-8",
        )
        (root / "content").mkdir()
        (root / "content/index.md").write_text("# Fuzz stories\n\nWelcome.\n", "utf-8")
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root


def assert_problem_lines(output: str, what: str) -> None:
    for line in LINE_BREAK.split(output.rstrip("\n")) if output else ():
        assert not CONTROL.search(line), f"{what}: control character in a line | {short(line)}"
        assert PROBLEM.fullmatch(line), (
            f"{what}: not a path:line: field: message line | {short(line)}"
        )


def cli(root: Path, *args: str):
    """`ogp-local -f ROOT/mkdocs.yml ARGS…` in-process; fails the test on a traceback."""
    result = CliRunner().invoke(ogp_local, ["-f", str(root / "mkdocs.yml"), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # The exception's own traceback is the report.
        raise AssertionError(f"ogp-local {args[0]} crashed") from result.exception
    output = result.stdout + result.stderr
    assert "Traceback" not in output, f"ogp-local {args[0]} printed a traceback | {short(output)}"
    return result


def check(root: Path) -> int:
    """Run `check`; assert its output is problem lines only, and its exit code 0 or 1."""
    result = cli(root, "check")
    assert result.exit_code in (0, 1), (
        f"check exit code {result.exit_code} | {short(result.stderr)}"
    )
    if result.exit_code == 1 and not result.stdout:  # a message about the project itself
        assert result.stderr.strip(), "check failed in silence"
        event("check: exit 1 without problems")
        return 1
    assert_problem_lines(result.stdout, "check")
    listed = cli(root, "check", "--format", "json")
    assert listed.exit_code == result.exit_code, "check --format json disagrees with check"
    problems = json.loads(listed.stdout)
    for p in problems:
        assert p["path"] and isinstance(p["line"], int) and p["line"] >= 1, f"bad problem | {p}"
        assert p["field"] and p["message"].strip(), f"bad problem | {p}"
    errors = [p for p in problems if p["severity"] == "error"]
    assert (result.exit_code == 1) == bool(errors), (
        f"check exit code and errors disagree | {result.exit_code}, {errors}"
    )
    event(f"check: exit {result.exit_code}")
    return result.exit_code


class Stopped(Exception):
    """The build stopped with messages (MkDocs' exit 1)."""


def build(root: Path, named: str | None = None) -> Path:
    """`mkdocs build` in-process, as mkdocs/__main__.py runs it; the site folder.

    Raises Stopped when the build stops with messages (`path:line: …` lines, or one
    line naming the file `named`); any other exception is a crash.
    """
    site = root / "site"
    cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(cfg)
    except Abort as exc:
        cause = exc.__context__
        assert isinstance(cause, BuildError), f"build aborted without a BuildError | {exc}"
        message = str(cause)
        lines = message.splitlines()
        if named is not None and lines and named in lines[0]:
            raise Stopped(message) from exc
        listed = [line for line in lines[1:] if line.strip()]
        assert listed, f"build stopped without naming a file and line | {short(message)}"
        assert_problem_lines("\n".join(listed), "build")
        raise Stopped(message) from exc
    finally:
        cfg.plugins.on_shutdown()
    return site


# -- what a published site must be ---------------------------------------------------------


def live(html: str) -> list[str]:
    """Injected markup in an HTML fragment that a browser would run."""
    if not html.strip():
        return []
    return _live_elements(lxml.html.fragment_fromstring(html, create_parent="div"))


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "srcdoc"})


def _live_elements(tree) -> list[str]:
    """`on…` attributes, scripts and `javascript:` addresses carrying our payload."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if element.tag == "script" and PAYLOAD in (element.text or ""):
            found.append(f"<script>{short(element.text, 80)}")
        for name, value in element.attrib.items():
            name = name.lower()
            if PAYLOAD in value and (
                name.startswith("on")
                or (name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"))
            ):
                found.append(f"<{element.tag} {name}={short(value, 80)}>")
    return found


HTML_IN_FEED = re.compile(r"<\s*(img|script|svg|iframe)\b", re.IGNORECASE)


def _parse(path: Path, rel: str, data: bytes):
    try:
        if path.suffix == ".html":
            return lxml.html.document_fromstring(data.decode("utf-8"))
        if path.suffix == ".xml":
            return etree.fromstring(data, etree.XMLParser(resolve_entities=False))
        return json.loads(data.decode("utf-8"))
    except (ValueError, etree.LxmlError) as exc:  # UnicodeDecodeError is a ValueError
        raise AssertionError(f"{path.suffix} output does not parse | {rel}: {exc}") from exc


def assert_site_is_sound(site: Path) -> None:
    """Every HTML, XML and JSON file parses, and no front-matter markup is live."""
    outputs = sorted(
        p
        for p in site.rglob("*")
        if p.suffix in (".html", ".xml", ".json", ".gz", ".br") and p.is_file()
    )
    assert outputs, "the build published nothing"
    for path in outputs:
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix in (".gz", ".br"):  # a compressed copy of a file checked here
            unpack = gzip.decompress if path.suffix == ".gz" else brotli.decompress
            assert unpack(data) == path.with_suffix("").read_bytes(), f"stale copy | {rel}"
            continue
        parsed = _parse(path, rel, data)
        for sentinel in SENTINELS:
            assert sentinel.encode() not in data, (
                f"front matter published raw in {path.name} | {rel}: {sentinel}"
            )
        if path.suffix == ".html":
            found = _live_elements(parsed)
            assert not found, f"live markup in {path.name} | {rel}: {found}"
        elif path.suffix == ".xml":
            if parsed.tag in ("rss", "{http://www.w3.org/2005/Atom}feed"):
                assert_feed_is_text(rel, data, parsed)
        elif isinstance(parsed, dict) and "jsonfeed" in str(parsed.get("version")):
            for item in parsed["items"]:
                found = live(item.get("content_html", ""))
                assert not found, f"live markup in JSON Feed content_html | {rel}: {found}"


def assert_feed_is_text(rel: str, data: bytes, root) -> None:
    """Front-matter text is text in every feed field: readers render RSS descriptions
    (and whatever feedparser takes for HTML) as HTML."""
    for item in root.iter("item"):
        description = item.findtext("description") or ""
        assert not HTML_IN_FEED.search(description), (
            f"RSS <description> carries markup | {rel}: {short(description)}"
        )
    parsed = feedparser.parse(data)
    for entry in parsed.entries:
        for key in ("title_detail", "summary_detail"):
            detail = entry.get(key)
            if detail is not None and detail.type == "text/html":
                assert not HTML_IN_FEED.search(detail.value), (
                    f"feed entry {key[:-7]} read as HTML with markup | {rel}: {short(detail.value)}"
                )
        for part in entry.get("content", []):
            found = live(part.value)
            assert not found, f"live markup in feed content | {rel}: {found}"


MAX_PAGE = 1_000_000
"""Bytes: no page of a handful of stories comes near this, whatever their dates."""


def assert_no_story_lost(root: Path, site: Path) -> None:
    """Every story read is published, has its page, and is listed on the page of each
    of its areas and on some member page (two spellings of a member must not make
    a story vanish from the member pages)."""
    areas_file = root / "areas.yml"
    found, _ = library.load(root, Areas.load(areas_file) if areas_file.exists() else _AREAS)
    expected = len(found.cases) + sum(1 + len(r.items) for r in found.roundups)
    data = json.loads((site / "data/stories.json").read_bytes())
    assert data["count"] == expected, f"stories lost | {expected} read, {data['count']} published"
    linked: dict[str, set[str]] = {}
    for page in site.glob("*/**/index.html"):
        folder = page.parent.relative_to(site).as_posix()
        section = folder.split("/")[0]
        if section not in ("challenges", "members") or folder == section:
            continue
        base = f"{SITE_URL}{folder}/"
        tree = lxml.html.document_fromstring(page.read_bytes().decode("utf-8"))
        owner = folder.split("/")[1] if section == "challenges" else "members"
        urls = linked.setdefault(owner, set())
        urls.update(urljoin(base, a.get("href")) for a in tree.iter("a") if a.get("href"))
    for story in data["stories"]:
        url = story["url"]
        page, _, anchor = url.partition("#")
        path = site / page.removeprefix(SITE_URL) / "index.html"
        assert path.is_file(), f"a story without its page | {url}"
        if anchor:
            assert f'id="{anchor}"' in path.read_text("utf-8"), (
                f"an item without its anchor | {url}"
            )
        for area in story["areas"]:
            assert url in linked.get(area, ()), f"a story missing from its area's page | {url}"
        if story["members"]:
            assert url in linked.get("members", ()), f"a story on no member page | {url}"
    for page in site.rglob("*.html"):
        size = page.stat().st_size
        assert size < MAX_PAGE, f"an unbounded page | {page.relative_to(site)}: {size} bytes"


def build_and_compare(root: Path, named: str | None = None) -> None:
    """The properties every generated tree must have."""
    verdict = check(root)
    try:
        site = build(root, named)
    except Stopped as stopped:
        event("build: stopped with messages")
        assert verdict == 1, f"check passed, but the build stopped | {short(str(stopped))}"
        return
    event("build: succeeded")
    assert verdict == 0, "check failed, but the build succeeded"
    assert_site_is_sound(site)
    assert_no_story_lost(root, site)


# -- layer 1: the reader, one story at a time ---------------------------------------------

KINDS = {
    # kind: (where the file would be, its month)
    "case": ("cases/{}", None),
    "roundup": ("roundups/2023-11/index.md", "2023-11"),
    "item": ("roundups/2023-11/{}", "2023-11"),
}
_ROOT = Path(tempfile.mkdtemp(prefix="ogp-fuzz-reader-"))
_AREAS = Areas.load(None)


def assert_problems_well_formed(problems: Problems, path: str | None = None) -> None:
    for p in problems.items:
        assert isinstance(p.path, str) and p.path, f"problem without a path | {p}"
        assert path is None or p.path == path, f"problem names another file | {p}"
        assert isinstance(p.line, int) and p.line >= 1, f"problem without a line | {p}"
        assert isinstance(p.field, str) and p.field, f"problem without a field | {p}"
        assert isinstance(p.message, str) and p.message.strip(), f"problem without text | {p}"
        shown = str(p)
        assert not LINE_BREAK.search(shown), f"a problem that is not one line | {short(shown)}"
        assert not CONTROL.search(shown), f"control character in a problem | {short(shown)}"
        assert PROBLEM.fullmatch(shown), f"not path:line: field: message | {short(shown)}"


READER = {
    "kind_and_story": st.sampled_from(sorted(KINDS)).flatmap(
        lambda kind: st.tuples(st.just(kind), story_file(kind))
    )
}


def _story(kind: str, name: str, *extra: Field) -> tuple[str, StoryFile]:
    """A valid story of `kind` with `extra` fields: a regression found by this suite."""
    fields = {
        "case": [("title", "T"), ("member", "Madrid"), ("country", "Spain")]
        + [("date", "2023-11-06"), ("summary", "S"), ("challenges", ["justice"])],
        "item": [("title", "T"), ("member", "M"), ("country", "C"), ("challenges", ["justice"])],
    }[kind]
    return kind, StoryFile(name, [Field(k, v, "safe") for k, v in fields] + list(extra), "Body.\n")


@budget(ci=500, long=20_000)
@given(**READER)
# Found by the suite: a value's line break, a file name's or a key's control character
# copied raw into a problem line; a bracketed host crashing the reader.
@example(kind_and_story=_story("case", "a.md", Field("draft", "\r", "safe")))
@example(kind_and_story=_story("case", "a.md", Field("date", "a\nb", "safe")))
@example(kind_and_story=_story("item", "\x1b[31m.md"))
@example(kind_and_story=_story("case", "a.md", Field("ti\x01tle", "x", "raw")))
@example(kind_and_story=_story("item", "a.md", Field("link", "http://[::1", "safe")))
@example(kind_and_story=_story("item", "a.md", Field("video", "https://[v", "safe")))
def test_reader_reads_any_story_or_names_its_problems(kind_and_story):
    kind, story = kind_and_story
    pattern, month = KINDS[kind]
    path = _ROOT / pattern.format(story.name)
    text = story.data().decode("utf-8", errors="replace")
    problems = Problems()
    result = StoryReader(_ROOT, _AREAS, problems).read_text(path, text, kind, month)
    rel = path.relative_to(_ROOT).as_posix()
    assert_problems_well_formed(problems, rel)
    errors = problems.error_count()
    assert (result is None) == (errors > 0), "a story with errors was accepted, or vice versa"
    event(f"reader: {'accepted' if result is not None else 'refused'}")


SOURCE = {"text": st.one_of(nasty_text, st.lists(fragment, max_size=30).map("".join))}


@budget(ci=600, long=10_000)
@given(**SOURCE)
def test_source_read_never_raises(text):
    problems = Problems()
    source.read("cases/x.md", "---\n" + text + "\n---\nbody\n", problems)
    source.read("cases/x.md", text, problems)
    assert_problems_well_formed(problems, "cases/x.md")


# -- layer 2: check on whole trees ---------------------------------------------------------

TREES = {"tree": trees()}


@budget(ci=60, long=3_000)
@given(**TREES)
def test_check_reports_every_problem_as_a_line(tree: Tree):
    with project(tree.files) as root:
        found, report = library.load(root, _AREAS)
        assert_problems_well_formed(report)
        check(root)


# -- layer 3: real builds ------------------------------------------------------------------

XSS_CASE = (
    b"---\ntitle: <img src=x onerror=alert(1)>\nmember: Madrid\ncountry: Spain\n"
    b"date: 2023-11-06\nsummary: Budget <img src=x onerror=alert(1)> & more\n"
    b"challenges: [anti-corruption]\n---\n\nBody.\n"
)
WORD_CELL_CASE = (
    b'---\ntitle: "Line one\\x0bline two"\nmember: Madrid\ncountry: Spain\n'
    b"date: 2023-11-06\nsummary: From a Word cell.\nchallenges: [anti-corruption]\n---\n\nBody.\n"
)

TWO_HEADINGS = b"---\ndate: 2016-01-02\nsummary: S\n---\n\nText.\n\n## A\n\n## B\n"
ITEM = b"---\ntitle: T\nmember: M\ncountry: C\nchallenges: [justice]\n---\n\nBody.\n"
CIRCLE_WITH_A_LINE_BREAK = (
    b'---\nname: C\ntheme: T\nareas: [justice]\nmembers: ["a\\nb"]\n---\n\nText.\n'
)


@budget(ci=50, long=2_000)
@given(**TREES)
@example(tree=Tree({"cases/xss.md": XSS_CASE}))
@example(tree=Tree({"cases/word.md": WORD_CELL_CASE}))
# Found by the suite: feedparser reads an RSS title holding an entity as HTML.
@example(tree=Tree({"cases/amp.md": XSS_CASE.replace(b"title: ", b"title: Tom &amp; Jerry ")}))
@example(tree=Tree({"content/circles/c.md": CIRCLE_WITH_A_LINE_BREAK}))
# Found by the suite: two headings in a roundup's introduction crashed Material's search.
@example(tree=Tree({"roundups/2016-12/index.md": TWO_HEADINGS, "roundups/2016-12/x.md": ITEM}))
def test_build_agrees_with_check_and_publishes_only_text(tree: Tree):
    with project(tree.files) as root:
        build_and_compare(root)


SMALL_TREES = {"tree": trees(max_cases=2, max_months=1, max_items=2)}


@budget(ci=4, long=150)
@given(**SMALL_TREES)
def test_build_with_cards(tree: Tree):
    with project(tree.files, cards=CARDS_ON) as root:
        build_and_compare(root)


# -- layer 4: spreadsheets -----------------------------------------------------------------

SHEETS = {"sheet": spreadsheets()}


@budget(ci=20, long=1_500)
@given(**SHEETS)
@example(
    sheet=(
        b"title,member,country,areas,summary\n"
        b"Budget day,Madrid,Spain,anti-corruption,<img src=x onerror=alert(1)>\n"
    )
)
def test_import_writes_only_what_builds(sheet: bytes):
    with project({"roundups/2023-11/index.md": ROUNDUP_INDEX.encode()}) as root:
        (root / "news.csv").write_bytes(sheet)
        before = set(root.rglob("*.md"))
        result = cli(root, "import", "2023-11", str(root / "news.csv"))
        assert result.exit_code in (0, 1), (
            f"import exit code {result.exit_code} | {short(result.stderr)}"
        )
        written = set(root.rglob("*.md")) - before
        if result.exit_code == 1:
            event("import: refused")
            assert not written, "a refused import wrote files"
            assert_problem_lines(result.stdout, "import")
            return
        event("import: accepted")
        assert written, "an accepted import wrote nothing"
        assert all(p.parent == root / "roundups/2023-11" for p in written), (
            f"import wrote outside the month | {written}"
        )
        assert check(root) == 0, "check refuses what import wrote"
        try:
            site = build(root)
        except Stopped as stopped:
            raise AssertionError(f"the build stops on what import wrote | {stopped}") from None
        assert_site_is_sound(site)


# -- the site's own areas file -------------------------------------------------------------

TAGGED_CASE = (
    "---\ntitle: Lobby register\nmember: Madrid\ncountry: Spain\ndate: 2023-11-06\n"
    "summary: Lobbyists register.\nchallenges: [{area}]\n---\n\nProcurement data is open.\n"
)
INFERRED_CASE = (
    "---\ntitle: Open budgets\nmember: Madrid\ncountry: Spain\ndate: 2023-11-07\n"
    "summary: Participatory budgeting and open data.\n---\n\nThe lobby register opened.\n"
)
AREAS_FILES = {"areas": areas_files()}


@budget(ci=6, long=400)
@given(**AREAS_FILES)
# Found by the suite: a control character in an area's name passes check and crashes
# the feed writer.
@example(areas=BUNDLED_AREAS.read_bytes().replace(b"name: Justice", b'name: "Jus\\x11tice"'))
def test_areas_file_is_checked_once_for_check_and_build(areas: bytes):
    try:
        first = yaml.safe_load(areas)[0]
        name = json.dumps(str(first.get("name") or first.get("slug")), ensure_ascii=False)
    except (yaml.YAMLError, LookupError, TypeError, AttributeError):
        name = "anti-corruption"  # the areas file is broken: the build must say so
    files = {
        "areas.yml": areas,
        "cases/tagged.md": TAGGED_CASE.format(area=name).encode(),
        "cases/inferred.md": INFERRED_CASE.encode(),
    }
    with project(files, extra="      areas_file: areas.yml\n") as root:
        build_and_compare(root, named="areas.yml")


# -- the real command ----------------------------------------------------------------------


@budget(ci=2, long=60)
@given(**SMALL_TREES)
def test_check_command_in_a_subprocess(tree: Tree):
    with project(tree.files) as root:
        result = subprocess.run(
            [sys.executable, "-m", "ogp_local", "check"],
            cwd=root,
            capture_output=True,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            timeout=120,
        )
        stderr = result.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, f"check printed a traceback | {short(stderr)}"
        assert result.returncode in (0, 1), f"check exit code {result.returncode} | {short(stderr)}"
        assert_problem_lines(result.stdout.decode("utf-8"), "check")


# -- soak: go on past failures, sort them into distinct bugs -------------------------------

LAYERS = {
    # name: (test, its strategies, examples per unit of --scale)
    "reader": (test_reader_reads_any_story_or_names_its_problems, READER, 20_000),
    "source": (test_source_read_never_raises, SOURCE, 10_000),
    "check": (test_check_reports_every_problem_as_a_line, TREES, 3_000),
    "build": (test_build_agrees_with_check_and_publishes_only_text, TREES, 2_000),
    "cards": (test_build_with_cards, SMALL_TREES, 150),
    "import": (test_import_writes_only_what_builds, SHEETS, 1_500),
    "areas": (test_areas_file_is_checked_once_for_check_and_build, AREAS_FILES, 400),
    "subprocess": (test_check_command_in_a_subprocess, SMALL_TREES, 60),
}


def signature(exc: BaseException) -> str:
    """What tells one bug from another: where our code raised, or which property failed."""
    import traceback

    if isinstance(exc, AssertionError) and exc.__cause__ is not None:
        exc = exc.__cause__  # a crash inside a command
    frames = traceback.extract_tb(exc.__traceback__)
    if not isinstance(exc, AssertionError):
        ours = [f for f in frames if "/plugins/ogp_local/" in f.filename] or frames
        where = ours[-1]
        name = where.filename.split("/plugins/")[-1]
        return f"{type(exc).__name__} at {name}:{where.lineno}"
    what = str(exc).split(" | ", 1)[0].split("\n", 1)[0] or "assert"
    where = next((f for f in reversed(frames) if f.filename == __file__), frames[-1])
    return f"AssertionError at test_fuzz.py:{where.lineno}: {what[:90]}"


def _runner(name: str, strategies: dict, examples: int, found: dict, runs: dict):
    """The layer's property under @given, recording failures instead of raising them."""
    import traceback

    inner = LAYERS[name][0].hypothesis.inner_test

    @settings(
        max_examples=examples,
        database=None,
        phases=(Phase.generate,),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(**strategies)
    def run(**kwargs):
        try:
            inner(**kwargs)
        except Exception as exc:  # every failure is sorted, none is lost
            runs["failed"] += 1
            key = signature(exc)
            shown = repr(kwargs)
            head = "".join(traceback.format_exception(exc)[-6:])[-1500:]
            key = f"[{name}] {key}"
            count, smallest, _, _ = found.get(key, (0, shown, head, name))
            if len(shown) <= len(smallest):
                smallest = shown
            found[key] = (count + 1, smallest, head, name)
        else:
            runs["passed"] += 1

    return run


def minimal(name: str, key: str, examples: int) -> str:
    """The simplest example Hypothesis finds that fails with signature `key`."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    inner = LAYERS[name][0].hypothesis.inner_test

    def fails_so(kwargs) -> bool:
        try:
            inner(**kwargs)
        except Exception as exc:
            return signature(exc) == key
        return False

    try:
        shrunk = find(
            st.fixed_dictionaries(LAYERS[name][1]),
            fails_so,
            settings=settings(
                max_examples=examples,
                database=None,
                deadline=None,
                phases=(Phase.generate, Phase.shrink),
                suppress_health_check=list(HealthCheck),
            ),
        )
    except NoSuchExample:
        return "(not found again)"
    return repr(shrunk)


def soak(layers: list[str], scale: float, shrink: int = 0) -> int:
    """Run each layer's property on scale × its long budget of generated cases, going
    on past failures; print the counts and, per distinct bug, the smallest example."""
    import time

    found: dict[str, tuple[int, str, str, str]] = {}  # signature → (count, example, head, layer)
    total = 0
    for name in layers:
        _, strategies, size = LAYERS[name]
        runs = {"passed": 0, "failed": 0}
        started = time.monotonic()
        _runner(name, strategies, max(1, int(size * scale)), found, runs)()
        cases = runs["passed"] + runs["failed"]
        total += cases
        seconds = time.monotonic() - started
        print(f"{name}: {cases} cases ({runs['failed']} failing) in {seconds:.0f} s", flush=True)
    print(f"\n{total} cases in total; {len(found)} distinct failures\n")
    for key, (count, smallest, head, name) in sorted(found.items(), key=lambda kv: -kv[1][0]):
        print(f"=== {count}× {key}\nsmallest: {smallest[:3000]}\n{head}\n", flush=True)
        if shrink:
            bug = key.split("] ", 1)[1]
            print(f"minimal: {minimal(name, bug, shrink)[:3000]}\n", flush=True)
    return 1 if found else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["soak"])
    parser.add_argument("--scale", type=float, default=0.05, help="times the long budgets")
    parser.add_argument("--layer", action="append", choices=list(LAYERS), help="default: all")
    parser.add_argument(
        "--shrink", type=int, default=0, metavar="N", help="find each bug's minimal example"
    )
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import logging

    logging.getLogger("mkdocs").addHandler(logging.NullHandler())  # not stderr's last resort
    logging.getLogger("mkdocs").propagate = False
    sys.exit(soak(args.layer or list(LAYERS), args.scale, args.shrink))
