"""The monthly roundup as an email edition: safe for mail clients by construction,
under Gmail's clipping point, readable with images blocked and on a phone."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, Project, originals, serve
from lxml import html as lxml_html

GMAIL_CLIP = 102 * 1024
SHOTS = REPO / "test-artifacts" / "newsletter"
DEMO_URL = "https://stories.ogplocal.example/"


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def email_safety_problems(path: Path) -> list[str]:
    """What would break in a mail client, or leak, or load from elsewhere."""
    raw = path.read_text("utf-8")
    doc = parse(path)
    problems = []
    for tag in ("script", "form", "iframe", "object", "embed", "input", "button"):
        if doc.xpath(f"//{tag}"):
            problems.append(f"<{tag}>")
    if doc.xpath("//link[contains(@rel, 'stylesheet')]") or doc.xpath("//link"):
        problems.append("<link>")
    if re.search(r"@font-face|@import|fonts\.googleapis", raw):
        problems.append("web font or imported stylesheet")
    for element in doc.xpath("//*[@href or @src]"):
        for attr in ("href", "src"):
            value = element.get(attr)
            if value is not None and not value.startswith(("https://", "http://")):
                problems.append(f"relative or odd URL {attr}={value!r}")
    for image in doc.xpath("//img"):
        if not image.get("width") or not image.get("height") or not image.get("alt", "").strip():
            problems.append(f"<img> without width, height or alt: {image.get('src')}")
    return problems


def site_links(path: Path, site_url: str) -> list[str]:
    return [
        a.get("href") for a in parse(path).xpath("//a[@href]") if a.get("href").startswith(site_url)
    ]


def missing_targets(site: Path, site_url: str, links: list[str]) -> list[str]:
    """Links into the site whose page, file or anchor does not exist in `site`."""
    missing = []
    for link in links:
        parts = urlsplit(link[len(site_url) :])
        target = site / parts.path
        if not parts.path or parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            missing.append(link)
        elif parts.fragment and target.suffix == ".html":
            ids = set(parse(target).xpath("//@id"))
            if parts.fragment not in ids:
                missing.append(link)
    return missing


# -- the demo's edition --------------------------------------------------------------------


def test_the_demo_edition_is_email_safe_and_every_link_lands(demo_site: Path):
    edition = demo_site / "roundups" / "2023-11" / "email.html"
    assert edition.stat().st_size < GMAIL_CLIP
    assert email_safety_problems(edition) == []
    links = site_links(edition, DEMO_URL)
    assert f"{DEMO_URL}roundups/2023-11/" in links  # view in the browser
    for slug in ("buenos-aires-childhood-index", "brazil-participation-debate"):
        assert f"{DEMO_URL}roundups/2023-11/#{slug}" in links
    assert missing_targets(demo_site, DEMO_URL, links) == []
    doc = parse(edition)
    preheader = doc.xpath("//body/div[1]")[0]
    assert "display: none" in preheader.get("style")
    assert "160 news items" in preheader.text_content()
    # Every style is inline; media queries may stay, as progressive enhancement only.
    for style in doc.xpath("//style"):
        assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style.text).strip() == ""
    widths = [int(t.get("width")) for t in doc.xpath("//table[@width]") if t.get("width").isdigit()]
    assert widths and max(widths) <= 600


def test_the_text_edition_holds_every_item_with_its_link(demo_site: Path):
    text = (demo_site / "roundups" / "2023-11" / "email.txt").read_text("utf-8")
    for item in sorted(originals(REPO / "roundups" / "2023-11")):
        if item.name == "index.md":
            continue
        title = re.search(r'^title: "?(.*?)"?$', item.read_text("utf-8"), re.M).group(1)
        assert title.replace("\\", "") in text
        assert f"{DEMO_URL}roundups/2023-11/#{item.stem}" in text
    assert "Unsubscribe: *|UNSUB|*" in text
    assert "<p>" not in text and "&amp;" not in text  # text, not HTML


def test_the_two_files_make_a_multipart_email_a_mailing_tool_imports(demo_site: Path):
    folder = demo_site / "roundups" / "2023-11"
    html, text = (folder / "email.html").read_text("utf-8"), (folder / "email.txt").read_text()
    message = EmailMessage()
    message["Subject"] = "Local Roundup — November 2023"
    message["From"] = "OGP Local <news@example.org>"
    message["To"] = "reader@example.org"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(preferencelist=("plain",))
    rich = parsed.get_body(preferencelist=("html",))
    assert plain.get_content().strip() == text.strip()
    assert rich.get_content().strip() == html.strip()


def test_the_downloads_page_links_each_months_edition(demo_site: Path):
    page = (demo_site / "cards" / "index.html").read_text("utf-8")
    assert 'href="../roundups/2023-11/email.html"' in page
    assert 'href="../roundups/2023-11/email.txt"' in page
    assert not (demo_site / "partials").exists()  # the text template is not published


# -- a month of 160 items ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_month(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("big-month")
    project = Project(root)
    (root / "mkdocs.yml").write_text(
        "site_name: Big Month\nsite_url: https://example.org/stories/\ndocs_dir: content\n"
        f"theme:\n  name: material\n  custom_dir: {REPO / 'theme'}\n  font: false\n"
        "plugins:\n  - ogp-local:\n      cards: {sizes: [1200x630]}\n"
        "      newsletter: {address: '1 Example Street, Example City', "
        "social: ['https://x.com/example']}\n",
        "utf-8",
    )
    project.write("content/index.md", "# Big month\n")
    areas = ["public-participation", "anti-corruption", "gender-and-inclusion", "justice"]
    items = {
        f"news-{n:03d}": {
            "title": f"Member {n} opens its budget to residents, item {n:03d}",
            "member": f"City {n}",
            "country": "Kenya" if n % 2 else "Mexico",
            "challenges": [areas[n % 4]],
            "summary": "Residents now see where each shilling of the local budget goes, "
            "and propose what should change next year in open meetings.",
            "order": n,
            "link": f"https://example.org/source/{n}",
        }
        for n in range(1, 161)
    }
    project.roundup("2024-03", items, news_count=160)
    result = project.build()
    assert result.returncode == 0, result.stderr
    project.log = result.stderr
    return project


def test_a_160_item_month_stays_under_gmails_clip_and_lists_the_rest(big_month: Project):
    folder = big_month.root / "site" / "roundups" / "2024-03"
    edition = folder / "email.html"
    assert edition.stat().st_size < GMAIL_CLIP
    assert email_safety_problems(edition) == []
    said = re.search(
        r"newsletter 2024-03: (\d+) items in full, (\d+) listed as titles", big_month.log
    )
    assert said, big_month.log
    full, listed = int(said.group(1)), int(said.group(2))
    assert full + listed == 160 and full >= 10 and listed > 0
    doc = parse(edition)
    cards = doc.xpath("//img[contains(@src, '/cards/')]")
    assert len(cards) == full
    # The first ones by `order` are shown in full, the rest as linked titles, in order.
    headings = [h.text_content() for h in doc.xpath("//h2")]
    assert headings[:full] == [
        f"Member {n} opens its budget to residents, item {n:03d}" for n in range(1, full + 1)
    ]
    text = (folder / "email.txt").read_text("utf-8")
    for n in range(1, 161):
        assert f"item {n:03d}" in text
        assert f"https://example.org/stories/roundups/2024-03/#news-{n:03d}" in text
    site = big_month.root / "site"
    links = site_links(edition, "https://example.org/stories/")
    assert len(links) >= 160
    assert missing_targets(site, "https://example.org/stories/", links) == []
    assert "1 Example Street, Example City" in text
    assert 'href="https://x.com/example"' in edition.read_text("utf-8")


# -- in Chromium: 600 and 320 pixels, images on and blocked ---------------------------------


@pytest.mark.parametrize("width", [600, 320])
def test_the_edition_reads_at_600_and_320_pixels_even_with_images_blocked(
    browser, big_month: Project, width: int
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for base in serve(big_month.root / "site"):
        for blocked in (False, True):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            if blocked:  # as a mail client does by default
                page.route(re.compile(r".*\.(png|jpe?g|webp|gif)$"), lambda route: route.abort())
            page.route(re.compile(r"^https://"), lambda route: route.abort())
            local = re.compile(r"https://example\.org/stories/")
            page.goto(f"{base}roundups/2024-03/email.html")
            if not blocked:  # the cards are on the local server, not the real host
                for img in page.locator("img").all():
                    src = local.sub(base, img.get_attribute("src"))
                    img.evaluate("(el, src) => { el.src = src; }", src)
                page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{width}px, blocked={blocked}: {overflow}px sideways"
            for heading in page.locator("h2").all():
                assert heading.is_visible()
                box = heading.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
            if blocked:
                broken = page.evaluate(
                    "[...document.images].filter(i => i.complete && i.naturalWidth === 0"
                    " && i.alt.trim()).length"
                )
                assert broken == page.locator("img").count()
            name = f"email-{width}{'-images-blocked' if blocked else ''}.png"
            page.screenshot(path=str(SHOTS / name), full_page=False)
            context.close()


def test_the_newsletter_command_checks_builds_and_prints_the_paths(project: Project):
    project.roundup("2023-11", {"kyiv": {"title": "Kyiv opens its data"}})
    made = project.ogp("newsletter", "2023-11")
    assert made.returncode == 0, made.stderr
    paths = [Path(line) for line in made.stdout.splitlines()]
    assert [p.name for p in paths] == ["email.html", "email.txt"]
    assert all(p.is_file() for p in paths)
    assert "Kyiv opens its data" in paths[1].read_text("utf-8")
    missing = project.ogp("newsletter", "2023-12")
    assert missing.returncode == 1 and "roundups/2023-12 has no published roundup" in missing.stderr
    assert project.ogp("newsletter", "2023-11", "--lang", "xx").returncode == 2
    project.write("roundups/2023-11/broken.md", "---\ntitle: [unclosed\n---\n")
    broken = project.ogp("newsletter", "2023-11")
    assert broken.returncode == 1 and "roundups/2023-11/broken.md:2" in broken.stdout
    assert "Traceback" not in broken.stdout + broken.stderr
