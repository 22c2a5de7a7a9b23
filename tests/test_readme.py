"""The README documents every front matter field the schema accepts."""

import re

from conftest import REPO
from ogp_local.content import schema


def section(text: str, heading: str) -> str:
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start:end]


def documented(text: str) -> set[str]:
    names = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", text, re.MULTILINE):
        names.update(re.findall(r"`([a-z_]+)`", row))
    return names


def test_every_field_is_documented():
    readme = (REPO / "README.md").read_text("utf-8")
    assert documented(section(readme, "## Writing a case study")) >= set(schema.CASE_FIELDS)
    roundups = section(readme, "## Writing a monthly roundup")
    assert documented(roundups) >= set(schema.ROUNDUP_FIELDS) | set(schema.ITEM_FIELDS)


def test_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text("utf-8")
    assert "make site" in readme and "make test" in readme
