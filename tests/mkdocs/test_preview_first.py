"""A preview's save shows the saved story's page first (preview.py, saved.py): the page
rendered on its own, before the site is built again, is the page that build writes.

The builds here are MkDocs' own, run as `mkdocs serve --dirty` runs them at each save
(in this process, without the server: test_serve.py drives the real one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

SERVED = "http://127.0.0.1:8000/stories/"

# The card's alt text describes the card on disk: the old one, until the build that
# follows draws the new one.
_CARD_ALT = re.compile(r'<meta (?:property="og|name="twitter):image:alt"[^>]*>\n')
_RELOAD = re.compile(r"livereload\(\d+, \d+\)")


class Preview:
    """The builds of `mkdocs serve --dirty`, and the saved pages shown before each."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root, self.site = root, site
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["ogp-local"]
        self.build(config)

    def _config(self):
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVED
        return config

    def build(self, config=None) -> None:
        build(config or self._config(), serve_url=SERVED, dirty=True)
        self.plugin.finishing.wait()

    def first(self) -> list[str]:
        return self.plugin.show_saved()

    def page(self, url: str) -> str:
        html = (self.site / url / "index.html").read_text("utf-8")
        return _RELOAD.sub("livereload()", _CARD_ALT.sub("", html))

    def close(self) -> None:
        self.plugin.on_shutdown()


@pytest.fixture
def preview(project: Project, tmp_path: Path):
    project.case("madrid", title="Mandatory Lobby Registry", body="Lobbyists register.\n")
    project.case("bogota", title="Route to Gender Parity", challenges=["gender-and-inclusion"])
    project.roundup("2023-11", items={"buenos-aires": {"title": "City of Childhood Index"}})
    shown = Preview(project.root, tmp_path / "served")
    yield project, shown
    shown.close()


def test_a_saved_case_is_shown_as_the_build_then_writes_it(preview):
    project, shown = preview
    project.case(
        "madrid", title="Madrid's Lobby Registry", body="Lobbyists register.\n\n## Results\n"
    )
    assert shown.first() == ["cases/madrid/"]
    first = shown.page("cases/madrid")
    assert "<h1>Madrid&#39;s Lobby Registry</h1>" in first
    assert 'id="results"' in first
    assert "Madrid&#39;s Lobby Registry" not in shown.page("cases")  # the listing: next build
    shown.build()
    assert shown.page("cases/madrid") == first
    assert "Madrid&#39;s Lobby Registry" in shown.page("cases")
    assert shown.first() == []  # nothing saved since


def test_a_saved_roundup_item_shows_its_month_page(preview):
    project, shown = preview
    project.roundup("2023-11", items={"buenos-aires": {"title": "Buenos Aires measures childhood"}})
    # The month's index was written again too (the helper writes both): one page.
    assert shown.first() == ["roundups/2023-11/"]
    first = shown.page("roundups/2023-11")
    assert "Buenos Aires measures childhood" in first
    shown.build()
    assert shown.page("roundups/2023-11") == first


def test_a_save_with_a_problem_waits_for_the_build(preview, caplog):
    project, shown = preview
    before = shown.page("cases/madrid")
    project.case("madrid", title=None)  # no title: an error
    assert shown.first() == []
    assert shown.page("cases/madrid") == before
    with pytest.raises(Abort):
        shown.build()
    assert "cases/madrid.md:1: title: missing" in caplog.text


def test_a_new_story_waits_for_the_build(preview):
    project, shown = preview
    project.case("valencia", title="Participatory Budget")
    assert shown.first() == []
    shown.build()
    assert "Participatory Budget" in shown.page("cases/valencia")


def test_a_saved_translation_shows_its_own_page(project: Project, tmp_path: Path):
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "  - ogp-local:\n", "  - ogp-local:\n      languages: [en, es]\n"
    )
    config.write_text(text, "utf-8")
    project.case("madrid", title="Mandatory Lobby Registry")
    project.write(
        "cases/madrid.es.md",
        '---\ntitle: "Registro de lobbies"\nsummary: "Un resumen."\n---\n\nTexto.\n',
    )
    shown = Preview(project.root, tmp_path / "served")
    try:
        project.write(
            "cases/madrid.es.md",
            '---\ntitle: "Registro obligatorio de lobbies"\n'
            'summary: "Un resumen."\n---\n\nTexto.\n',
        )
        assert shown.first() == ["es/cases/madrid/"]
        first = shown.page("es/cases/madrid")
        assert "Registro obligatorio de lobbies" in first
        shown.build()
        assert shown.page("es/cases/madrid") == first
    finally:
        shown.close()
