"""The browser editor's /admin/: its config.yml follows the schema, the areas and the
languages, read back from real builds."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from conftest import REPO, Project, run_ogp
from ogp_local.content import schema
from ogp_local.content.areas import Areas
from ogp_local.content.versions import OWN_FIELDS
from ogp_local.content.video import embed_url

PACKAGE = REPO / "plugins" / "ogp_local"
NODE_MODULES = Path("outputs/editor/npm/node_modules")
COLLECTIONS = {"case": "cases", "item": "items", "roundup": "months"}
NEW_AREA = """
- slug: digital-rights
  name: Digital Rights
  description: Protect people's rights online.
  colour: "#7A3B00"
"""
TARGET = re.compile(r"""(?:href|src|action)=["']?([^"'\s>]+)""")


def options(project: Project, lines: str) -> None:
    """Add `lines` (indented as options) under the ogp-local plugin in mkdocs.yml."""
    path = project.root / "mkdocs.yml"
    text = path.read_text("utf-8").replace("  - ogp-local:\n", "  - ogp-local:\n" + lines)
    path.write_text(text, "utf-8")


def config(site: Path) -> dict:
    return yaml.safe_load((site / "admin" / "config.yml").read_text("utf-8"))


def fields(made: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in made["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def accepts(field: dict, value: str) -> bool:
    """Decap's check of a `pattern` (Widget.js): `RegExp(pattern).test(value)`."""
    return re.search(field["pattern"][0], value) is not None


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo's committed files (not what someone is writing beside them), built with
    the default settings by `ogp-local build`; its site folder."""
    root = tmp_path_factory.mktemp("demo")
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "mkdocs.yml", "content", "cases", "roundups"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        (root / name.decode()).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name.decode(), root / name.decode())
    (root / "theme").symlink_to(REPO / "theme")
    result = run_ogp(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_the_configuration_follows_the_schema(project: Project, tmp_path: Path, demo: Path):
    copy = tmp_path / "package" / "ogp_local"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    (copy / NODE_MODULES).symlink_to(PACKAGE / NODE_MODULES, target_is_directory=True)
    source = (copy / "content" / "schema.py").read_text("utf-8")
    end_of_cases = "        _DRAFT,\n    )\n}\n\nROUNDUP_FIELDS"
    assert source.count(end_of_cases) == 1
    budget = '        _f("budget", count, False, "what it cost, in euros", "25000"),\n'
    source = source.replace(end_of_cases, end_of_cases.replace("    )\n", budget + "    )\n"))
    (copy / "content" / "schema.py").write_text(source, "utf-8")
    areas = (PACKAGE / "data" / "areas.yml").read_text("utf-8") + NEW_AREA
    project.write("areas.yml", areas)
    options(project, "      areas_file: areas.yml\n")

    result = run_ogp(project.root, "build", extra_env={"PYTHONPATH": str(copy.parent)})
    assert result.returncode == 0, result.stderr
    made = config(project.root / "site")
    assert fields(made, "cases")["budget"] == {
        "label": "Budget",
        "name": "budget",
        "required": False,
        "widget": "number",
        "value_type": "int",
        "min": 0,
        "hint": "what it cost, in euros",
    }
    new = {"label": "Digital Rights", "value": "digital-rights"}
    for collection in ("cases", "items"):
        assert new in fields(made, collection)["challenges"]["options"]
        assert new not in fields(config(demo), collection)["challenges"]["options"]
    assert "budget" not in fields(config(demo), "cases")


def test_every_schema_field_is_in_its_collection_with_its_rule(demo: Path):
    made = config(demo)
    for kind, collection in COLLECTIONS.items():
        found = fields(made, collection)
        for field in schema.KINDS[kind].fields.values():
            assert found[field.name]["required"] == field.required, (collection, field.name)
        summary = found["summary"]
        assert accepts(summary, "a" * 300) and not accepts(summary, "a" * 301)
        assert found["draft"]["widget"] == "boolean"
        assert found["image"]["widget"] == "image"
    cases, items, months = (fields(made, name) for name in COLLECTIONS.values())
    slugs = [area.slug for area in Areas.load()]
    for challenges in (cases["challenges"], items["challenges"]):
        assert challenges["widget"] == "select" and challenges["multiple"] is True
        assert [option["value"] for option in challenges["options"]] == slugs
    assert items["kind"]["widget"] == "select"
    assert items["kind"]["options"] == list(schema.ITEM_KINDS)
    assert cases["date"]["widget"] == months["date"]["widget"] == "datetime"
    for name, keys in (("impact", ["value", "label"]), ("links", ["title", "url"])):
        assert cases[name]["widget"] == "list"
        assert [sub["name"] for sub in cases[name]["fields"]] == keys

    videos = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ": True,
        "https://youtu.be/dQw4w9WgXcQ": True,
        "https://vimeo.com/123456": True,
        "https://example.org/video": False,
    }
    for address, playable in videos.items():
        assert accepts(items["video"], address) is playable, address
        assert (embed_url(address) is not None) is playable, address


def test_translated_fields_are_the_words_of_a_translation(project: Project):
    options(project, "      languages: [en, es]\n")
    result = run_ogp(project.root, "build")
    assert result.returncode == 0, result.stderr
    made = config(project.root / "site")
    assert made["i18n"] == {
        "structure": "multiple_files",
        "locales": ["en", "es"],
        "default_locale": "en",
    }
    for kind, name in COLLECTIONS.items():
        collection = next(c for c in made["collections"] if c["name"] == name)
        assert collection["i18n"] is True
        translated = {field["name"] for field in collection["fields"] if field.get("i18n")}
        assert translated == (OWN_FIELDS & set(schema.KINDS[kind].fields)) | {"body"}, name
    assert not {"member", "country", "date", "challenges"} & {
        field["name"] for field in fields(made, "cases").values() if field.get("i18n")
    }


def test_the_editor_is_there_unless_turned_off_and_no_reader_page_links_to_it(
    project: Project, demo: Path
):
    options(project, "      editor: {enabled: false}\n")
    result = run_ogp(project.root, "build")
    assert result.returncode == 0, result.stderr
    assert (project.root / "site" / "index.html").is_file()
    assert not (project.root / "site" / "admin").exists()

    for name in ("index.html", "config.yml", "decap-cms.js"):
        assert (demo / "admin" / name).is_file(), name
    assert not re.search(r"https?://", (demo / "admin" / "index.html").read_text("utf-8"))
    site_url = config(demo)["site_url"]
    editor = urljoin(site_url, "admin/")
    for page in demo.rglob("*.html"):
        if page.is_relative_to(demo / "admin"):
            continue
        url = urljoin(site_url, page.relative_to(demo).as_posix())
        for target in TARGET.findall(page.read_text("utf-8")):
            assert not (urljoin(url, target) + "/").startswith(editor), (url, target)


def test_a_misspelt_backend_stops_the_build_naming_it(project: Project):
    options(project, "      editor: {backend: githbu}\n")
    result = project.build()
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if "editor.backend" in line]
    assert len(said) == 1 and "did you mean 'github'?" in said[0], result.stderr


def test_the_editor_takes_the_video_addresses_the_build_takes(demo: Path):
    video = fields(config(demo), "items")["video"]
    for address in (
        "https://vimeo.com/123456abc",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ):
        assert accepts(video, address) is (embed_url(address) is not None), address


def test_the_editor_leaves_the_cards_checks_to_the_cards(project: Project):
    path = project.root / "mkdocs.yml"
    text = path.read_text("utf-8").replace("site_url: https://example.org/stories/\n", "")
    path.write_text(text, "utf-8")
    off = "feeds", "newsletter", "cards"
    options(project, "".join(f"      {name}: {{enabled: false}}\n" for name in off))
    result = project.build()
    assert result.returncode == 0, result.stderr
