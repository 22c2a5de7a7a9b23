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


def test_the_map_names_every_folder_of_the_package_and_each_file_it_names_exists():
    package = REPO / "plugins" / "ogp_local"
    folders = {p.parent for p in package.rglob("__init__.py")} - {package}
    text = (REPO / "README.md").read_text("utf-8")
    start = text.index("## How the project is laid out")
    readme = text[start : text.find("\n## ", start + 1)]
    architecture = (REPO / "ARCHITECTURE.md").read_text("utf-8")
    for folder in folders:
        name = f"{folder.name}/"
        assert name in readme, f"the README's map leaves out {name}"
        assert name in architecture, f"ARCHITECTURE.md leaves out {name}"
    layers = "|".join(sorted({f.relative_to(package).parts[0] for f in folders}))
    named = re.findall(rf"`((?:{layers})/[\w/]+\.py)`", architecture)
    assert len(named) > 20
    missing = [path for path in named if not (package / path).is_file()]
    assert not missing, f"ARCHITECTURE.md names files that do not exist: {missing}"
