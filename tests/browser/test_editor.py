"""The browser editor (/admin/, Decap CMS) in real Chromium, against `ogp-local serve`
of a copy of the demo and the real decap-server it starts: what a comms person saves
there is a file `ogp-local check` accepts, in our layout, and shows in the preview
pane as the site's own page; what check refuses, the editor refuses first."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import pytest
from axe_playwright_python.sync_playwright import Axe
from chromium import SHOTS, serious
from conftest import REPO, env, fetch, free_port, problem_lines, run_ogp
from images import jpeg
from PIL import Image

WAIT = 120.0


def _until(what: str, check, wait: float = WAIT):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen within {wait:.0f} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A copy of the demo, served by `ogp-local serve` with its editor's proxy."""
    root = tmp_path_factory.mktemp("editing")
    for name in ("cases", "roundups", "content"):
        shutil.copytree(REPO / name, root / name)
    (root / "theme").symlink_to(REPO / "theme")
    proxy = free_port()
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    marker = "  - ogp-local:\n"
    assert marker in config
    (root / "mkdocs.yml").write_text(
        config.replace(marker, f"{marker}      editor: {{proxy_port: {proxy}}}\n", 1), "utf-8"
    )
    port = free_port()
    log = (root / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ogp_local", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _until("the preview", lambda: fetch(base + "admin/config.yml")[0] == 200)
        yield root, base
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        log.close()


class Editor:
    """A tab on /admin/, signed in to the local proxy, recording what went wrong."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.refused = False
        page.context.route("**/*", self._route)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(base + "admin/")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Collections").first.wait_for()

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> None:
        self.page.goto(self.base + "admin/#/collections/" + path)
        self.field("title" if "circles" not in path else "name").wait_for()

    def field(self, name: str, lang: str | None = None):
        """The form field `name` (Decap ids them `<name>-field-<n>`): of the original,
        or of its translation into `lang`, in the pane beside it."""
        scope = self.page
        if lang is not None:
            scope = self.page.locator(
                f"xpath=//span[normalize-space()='Writing in {lang.upper()}']"
                "/ancestor::div[contains(@class, 'ControlPaneContainer')][1]"
            )
        return scope.locator(f'[id^="{name}-field-"]').first

    def fill(self, lang: str | None = None, **values: str) -> None:
        for name, value in values.items():
            self.field(name, lang).fill(value)

    def areas(self, *names: str) -> None:
        for name in names:
            self.field("challenges").click()
            self.page.keyboard.type(name)
            self.page.keyboard.press("Enter")

    def impact(self, value: str, label: str) -> None:
        self.page.get_by_role("button", name="Add impact").first.click()
        self.fill(value=value, label=label)

    def upload(self, photo: Path) -> None:
        self.page.get_by_role("button", name="Choose an image").first.click()
        self.page.locator("input[type=file]").set_input_files(photo)
        self.page.get_by_role("button", name="Choose selected").click()

    def publish(self) -> str:
        """Save; the notification Decap shows ('Entry saved', or why not)."""
        self.page.get_by_role("button", name="Publish", exact=True).first.click()
        self.page.get_by_text("Publish now").click()
        toast = self.page.locator(".Toastify__toast").first
        toast.wait_for(timeout=30_000)
        return toast.inner_text()

    def save_refused(self) -> str:
        """Try to save; what the editor says instead (an error toast or the form's
        own messages), having saved nothing."""
        self.refused = True
        self.page.get_by_role("button", name="Publish", exact=True).first.click()
        self.page.get_by_text("Publish now").click()
        said = self.page.locator(".Toastify__toast, [class*='ControlErrorsList'] li").first
        said.wait_for(timeout=30_000)
        return self.page.locator("body").inner_text()

    def preview(self):
        """The preview pane beside the form: our own page in it, once it is served."""
        self.page.locator("button[title='Toggle i18n']").click()
        self.page.locator("button[title='Toggle preview']").click()
        return self.page.frame_locator("#preview-pane, iframe[name='preview-pane']")


@pytest.fixture
def editor(browser, served):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    tab = Editor(context.new_page(), served[1])
    yield tab
    assert tab.outside == [], f"the editor loaded from the internet: {tab.outside}"
    # Decap rejects its own save's promise (with nothing, or its failure action) when
    # a save is refused: the page's unhandled rejection, nothing broken.
    errors = [e for e in tab.errors if not (tab.refused and e in ("undefined", "Object"))]
    assert errors == [], errors
    context.close()


def _checked(root: Path) -> None:
    result = run_ogp(root, "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert problem_lines(result.stdout + result.stderr) == set()


def test_a_new_case_study_from_the_form_is_checked_built_and_previewed(editor, served, tmp_path):
    root, base = served
    photo = tmp_path / "budget-meeting.jpg"
    photo.write_bytes(jpeg(1600, 900))
    editor.open("cases/new")
    editor.fill(
        title="Open Budgets in Tbilisi",
        member="Tbilisi",
        country="Georgia",
        date="2024-02-01",
        summary="Tbilisi opened its budget to residents, who now propose and choose projects.",
    )
    editor.areas("Fiscal Openness", "Public Participation")
    editor.impact("1,200", "residents proposed projects")
    editor.upload(photo)
    editor.fill(image_alt="Residents at a budget meeting in Tbilisi")
    assert "Entry saved" in editor.publish()

    story = root / "cases/open-budgets-in-tbilisi.md"
    _until("the saved file", story.exists, 30)
    saved = frontmatter.load(story)
    assert saved["challenges"] == ["fiscal-openness", "public-participation"]
    assert (saved["member"], saved["country"], str(saved["date"])) == (
        "Tbilisi",
        "Georgia",
        "2024-02-01",
    )
    assert saved["impact"] == [{"value": "1,200", "label": "residents proposed projects"}]
    assert saved["image"] == "images/budget-meeting.jpg"
    with Image.open(io.BytesIO((root / "cases/images/budget-meeting.jpg").read_bytes())) as img:
        assert img.size == (1600, 900)
    assert sorted(p.name for p in root.glob("cases/open-budgets-in-tbilisi*")) == [
        "open-budgets-in-tbilisi.md"  # no empty translation beside it
    ]
    _checked(root)

    pane = editor.preview()
    page = pane.frame_locator("iframe")
    badges = page.locator(".ogp-badge")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        _until("the saved page in the preview", lambda: badges.count() == 2)
    finally:
        editor.page.screenshot(path=SHOTS / "editor-preview.png")
    assert badges.all_inner_texts() == ["Fiscal Openness", "Public Participation"]
    assert page.locator("h1").inner_text() == "Open Budgets in Tbilisi"
    card = pane.locator("figure img")
    card.wait_for()
    assert "case-open-budgets-in-tbilisi-1200x630" in card.get_attribute("src")
    frame = next(f for f in editor.page.frames if f.name == "preview-pane")
    assert serious(Axe().run(frame)) == []


def test_a_spanish_translation_beside_the_original(editor, served):
    root, base = served
    editor.open("cases/entries/madrid-lobby-registry")
    editor.fill(
        "es",
        title="Creación de un registro obligatorio de lobbies",
        summary="Madrid obligó a inscribirse a quien hace lobby ante la ciudad.",
    )
    assert "Entry saved" in editor.publish()

    spanish = root / "cases/madrid-lobby-registry.es.md"
    _until("the Spanish file", spanish.exists, 30)
    written = frontmatter.load(spanish)
    assert set(written.keys()) <= {"title", "summary", "impact", "links", "hashtags", "draft"}
    assert "member" not in written  # the original's, not copied
    assert not (root / "cases/madrid-lobby-registry.en.md").exists()
    assert not (root / "cases/madrid-lobby-registry.fr.md").exists()
    _checked(root)
    page = base + "es/cases/madrid-lobby-registry/"
    _until(
        "the Spanish page",
        lambda: "Creación de un registro obligatorio de lobbies" in fetch(page)[1],
    )


def test_an_item_of_a_roundup_month(editor, served):
    root, base = served
    item = root / "roundups/2023-11/valencia-digital-award.md"
    before = frontmatter.load(item)
    editor.open("items/entries/2023-11/valencia-digital-award")
    assert editor.field("title").input_value() == before["title"]
    editor.fill(title="Valencia wins a digital governance award")
    assert "Entry saved" in editor.publish()
    _until("the edited item", lambda: "wins a digital" in item.read_text("utf-8"), 30)
    after = frontmatter.load(item)
    assert after["title"] == "Valencia wins a digital governance award"
    assert after["challenges"] == before["challenges"]
    assert after.content == before.content  # the text the form did not touch, as it was
    assert not (root / "roundups/2023-11/valencia-digital-award.en.md").exists()
    _checked(root)
    month = base + "roundups/2023-11/"
    _until("the month's page", lambda: "Valencia wins a digital" in fetch(month)[1])
    # The months are their own collection: their index files are not items.
    editor.page.goto(base + "admin/#/collections/items")
    editor.page.get_by_text("valencia").first.wait_for()
    assert "Local Roundup" not in editor.page.locator("main").inner_text()


def _new_case(editor, **changed) -> None:
    values = dict(
        title="A refused story",
        member="Madrid",
        country="Spain",
        date="2024-03-01",
        summary="A short summary.",
    )
    values.update(changed)
    editor.open("cases/new")
    editor.fill(**{k: v for k, v in values.items() if v is not None})


@pytest.mark.parametrize(
    "refusal",
    ["unknown area", "missing summary", "301 characters", "image without alt", "not a slug"],
)
def test_what_check_refuses_the_editor_refuses_first(editor, served, tmp_path, refusal):
    root, _ = served
    before = sorted(p.name for p in (root / "cases").iterdir())
    if refusal == "unknown area":
        _new_case(editor)
        editor.field("challenges").click()
        editor.page.keyboard.type("Anti-Corrupton")
        assert editor.page.get_by_text("No options").is_visible()
        editor.page.keyboard.press("Escape")
        said = editor.save_refused()  # and without an area the form does not save
        assert "challenges is required" in said.casefold(), said
    else:
        summary = {"missing summary": "", "301 characters": "x" * 301}.get(refusal, "Short.")
        title = "Tbilisi_Budget ~ Plan" if refusal == "not a slug" else "A refused story"
        _new_case(editor, summary=summary, title=title)
        editor.areas("Anti-Corruption")
        if refusal == "image without alt":
            photo = tmp_path / "hall.jpg"
            photo.write_bytes(jpeg(800, 500))
            editor.upload(photo)
        said = editor.save_refused()
        expected = {
            "missing summary": "Summary is required",
            "301 characters": "at most 300 characters",
            "image without alt": "image_alt: the image needs its alt text",
            "not a slug": "is not a slug",
        }[refusal]
        assert expected.casefold() in said.casefold(), said
    time.sleep(1)  # a refused save writes nothing, not even late
    assert sorted(p.name for p in (root / "cases").iterdir()) == before


@pytest.mark.parametrize(
    ("entry", "field", "page"),
    [
        ("months/entries/2023-11/index", "summary", "roundups/2023-11/"),
        ("circles/entries/inclusion", "name", "circles/inclusion/"),
        ("pages/entries/about", "title", "about/"),
    ],
)
def test_every_collection_opens_its_files(editor, entry, field, page):
    """Months (beside their items), circles and pages open with their values, and
    their preview is their own page on the site."""
    editor.page.goto(editor.base + "admin/#/collections/" + entry)
    editor.field(field).wait_for()
    _until(f"{entry}'s {field}", lambda: editor.field(field).input_value().strip())
    if editor.page.locator("button[title='Toggle i18n']").count():
        editor.preview()  # the translation's pane gives way to the preview
    inner = editor.page.frame_locator("#preview-pane, iframe[name='preview-pane']")
    src = inner.locator("iframe").get_attribute("src")
    assert urlsplit(src).path == "/" + page
