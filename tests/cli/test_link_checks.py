"""`ogp-local links` against a local web server that answers 200, 301, 308, 302, 404,
500 and never: the real command, its report line by line, its cache of answers."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from conftest import Project, run_ogp
from ogp_local.outputs.links.answers import Answers
from ogp_local.outputs.links.lychee import Kind, Reply


@dataclass
class Server:
    base: str
    asked: Counter = field(default_factory=Counter)
    """Requests per path."""


@pytest.fixture
def server() -> Iterator[Server]:
    """A web server on 127.0.0.1 (a free port) whose paths answer as named."""
    release = threading.Event()
    asked: Counter = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            path = self.path
            asked[path] += 1
            if path in ("/ok", "/new", "/new-308"):
                self._answer(200)
            elif path == "/moved":
                self._answer(301, "/new")  # a relative Location: lychee resolves it
            elif path == "/perm":
                self._answer(308, f"http://127.0.0.1:{self.server.server_port}/new-308")
            elif path == "/temp":
                self._answer(302, "/ok")
            elif path == "/err":
                self._answer(500)
            elif path == "/never":
                release.wait(15)  # the connection is open, the answer never comes
            else:
                self._answer(404)

        do_HEAD = do_GET

        def _answer(self, code: int, location: str | None = None) -> None:
            self.send_response(code)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}", asked)
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()


def _stories(project: Project, base: str) -> None:
    """Stories naming the server's paths in every place a link can be written."""
    project.write(
        "cases/dead-links.md",
        f"""---
title: Case with links
member: Madrid
country: Spain
date: 2023-11-06
summary: A short summary.
challenges: [anti-corruption]
links:
  - {{title: Fine, url: "{base}/ok"}}
  - title: Gone
    url: {base}/gone
  - {{title: Moved, url: "{base}/moved"}}
---

The reform [was announced]({base}/err) and [is running]({base}/temp).

See also <{base}/perm> and [a placeholder](https://example.org/somewhere).

```
{base}/in-a-code-sample
```
""",
    )
    project.write(
        "cases/dead-links.es.md",
        f"""---
title: Caso con enlaces
summary: Un resumen.
links:
  - {{title: Desaparecido, url: "{base}/gone"}}
---

Texto.
""",
    )
    project.write(
        "cases/broken.md",
        f"""---
title: "never closed
summary: [
---

[Gone]({base}/gone)
""",
    )
    project.write(
        "roundups/2023-11/index.md",
        "---\ndate: 2023-11-28\nsummary: The month in short.\n---\n\nIntro.\n",
    )
    project.write(
        "roundups/2023-11/item-a.md",
        f"""---
title: Item a
member: Valencia
country: Spain
challenges: [public-participation]
link: {base}/never
video: {base}/gone
---

Body with [the same page]({base}/ok).
""",
    )
    project.write("content/about.md", f"# About\n\nRead [the report]({base}/gone).\n")


def _report(result) -> list[str]:
    """The lines about links (the unreadable file's problem aside)."""
    return [line for line in result.stdout.splitlines() if ": links: " in line]


def test_each_kind_of_answer_reported_where_it_is_written(project: Project, server: Server):
    base = server.base
    _stories(project, base)
    today = dt.date.today().isoformat()
    expected = [
        f"cases/dead-links.es.md:5: links: {base}/gone answers 404 (since {today})",
        f"cases/dead-links.md:11: links: {base}/gone answers 404 (since {today})",
        f"cases/dead-links.md:12: links: {base}/moved moved permanently to {base}/new "
        "(update the link)",
        f"cases/dead-links.md:15: links: {base}/err answers 500 (since {today})",
        f"cases/dead-links.md:17: links: {base}/perm moved permanently to {base}/new-308 "
        "(update the link)",
        f"content/about.md:3: links: {base}/gone answers 404 (since {today})",
        f"roundups/2023-11/item-a.md:6: links: {base}/never does not answer "
        f"(timed out after 1 s) (since {today})",
        f"roundups/2023-11/item-a.md:7: links: {base}/gone answers 404 (since {today})",
    ]

    first = run_ogp(project.root, "links", "--timeout", "1", "--retries", "0", timeout=120)
    assert first.returncode == 0, first.stderr
    assert _report(first) == expected, first.stdout
    # The file that cannot be read is a problem as `check` says it, not a crash.
    unreadable = [line for line in first.stdout.splitlines() if line.startswith("cases/broken")]
    assert len(unreadable) == 1 and "YAML syntax error" in unreadable[0], first.stdout
    assert "Traceback" not in first.stderr
    assert "example.org" not in first.stdout and "in-a-code-sample" not in first.stdout
    assert "1 left out" in first.stderr, first.stderr
    # Each address once, however many places name it (/ok: once itself, once after /temp).
    assert server.asked["/gone"] == 1 and server.asked["/ok"] == 2, server.asked
    assert server.asked["/in-a-code-sample"] == 0

    ok_before = server.asked["/ok"], server.asked["/temp"]
    second = run_ogp(
        project.root, "links", "--strict", "--timeout", "1", "--retries", "1", timeout=120
    )
    assert second.returncode == 1, second.stderr
    assert _report(second) == expected, second.stdout
    # Answered well an instant ago: not asked again. Failing: asked again, retried.
    assert (server.asked["/ok"], server.asked["/temp"]) == ok_before, server.asked
    assert server.asked["/gone"] == 2 and server.asked["/err"] == 2
    assert server.asked["/never"] == 3, server.asked  # once, then a try and a retry
    assert "2 answered well within 1 day" in second.stderr, second.stderr

    third = run_ogp(project.root, "links", "--timeout", "1", "--retries", "0", "--max-age", "0")
    assert third.returncode == 0
    assert server.asked["/temp"] == 2, server.asked  # --max-age 0: every address asked
    kept = json.loads((project.root / ".cache/ogp-local/links/answers.json").read_text())
    assert kept["answers"][f"{base}/gone"]["since"] == today


def test_no_internet_is_one_line(project: Project):
    """Every host fails at the network level (no DNS, or none of them exists): one
    line, nothing recorded, never a line per link or a traceback."""
    project.case(
        "offline",
        links=[
            {"title": "A", "url": "http://nowhere-a.ogp-local-no-such-tld/page"},
            {"title": "B", "url": "https://nowhere-b.ogp-local-no-such-tld/"},
        ],
        body="And [c](http://nowhere-c.ogp-local-no-such-tld/x).\n",
    )
    result = run_ogp(project.root, "links", "--timeout", "2", "--retries", "0", timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("links: cannot reach the internet (no answer from 3 hosts: ")
    assert lines[0].endswith("); nothing was checked")
    assert result.stderr == "", result.stderr
    assert not (project.root / ".cache/ogp-local/links/answers.json").exists()
    strict = run_ogp(project.root, "links", "--strict", "--timeout", "2", "--retries", "0")
    assert strict.returncode == 1 and strict.stdout == result.stdout


def test_a_dead_domain_is_not_taken_for_no_internet(project: Project, server: Server):
    """When the only addresses asked fail at the network level, one that answered
    well last time is asked with them: it answers, so the dead domain is reported."""
    dead = "http://gone-for-good.ogp-local-no-such-tld/"
    project.case(
        "mixed", links=[{"title": "A", "url": f"{server.base}/ok"}, {"title": "B", "url": dead}]
    )
    for _ in range(2):
        result = run_ogp(project.root, "links", "--timeout", "2", "--retries", "0")
        assert result.returncode == 0, result.stderr
        report = _report(result)
        assert len(report) == 1, result.stdout
        assert report[0].startswith(f"cases/mixed.md:13: links: {dead} does not answer (")
    assert server.asked["/ok"] == 2  # the second time as the witness


def test_a_failing_link_keeps_the_day_it_first_failed(tmp_path):
    answers = Answers(tmp_path)
    first = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    later = first + dt.timedelta(days=5)
    answers.record({"https://a.org/": Reply(Kind.BROKEN, 404)}, first)
    answers.save(["https://a.org/"])
    again = Answers(tmp_path)
    again.record({"https://a.org/": Reply(Kind.SILENT, detail="connection refused")}, later)
    assert again.get("https://a.org/").since == dt.date(2026, 12, 1)
    again.record({"https://a.org/": Reply(Kind.OK, 200)}, later)
    assert again.get("https://a.org/").since is None
    assert again.fresh("https://a.org/", later + dt.timedelta(hours=23), dt.timedelta(days=1))
    assert not again.fresh("https://a.org/", later + dt.timedelta(hours=25), dt.timedelta(days=1))
