"""Phone photos as a comms team has them: published upright, light, credited and
without where they were taken."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import feedparser
import pytest
from conftest import REPO, Project, serve
from images import GPS, metadata_of, phone_photo, png_with_text
from lxml import etree
from PIL import Image

RASTER = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
SECRETS = (b"Phonemaker", b"Jane Photographer", b"Jane Designer", b"Taken at the town hall")
"""Camera, authors and a comment the originals carry."""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory) -> Project:
    """A case with a phone photo as hero and in its body, a PNG graphic with text
    chunks in a content page and a story, credited and licensed."""
    project = Project(tmp_path_factory.mktemp("photos"))
    (project.root / "mkdocs.yml").write_text(
        "site_name: Photos\nsite_url: https://example.org/stories/\ndocs_dir: content\n"
        f"theme:\n  name: material\n  custom_dir: {REPO / 'theme'}\n"
        "  font: false\nplugins:\n  - ogp-local\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n",
        "utf-8",
    )
    project.write("content/index.md", "# Photos\n")
    project.write("content/chart.png", png_with_text())
    project.write("content/about.md", "# About\n\nOur chart:\n\n![A chart of budgets](chart.png)\n")
    project.write("cases/madrid-hall.jpg", phone_photo())
    project.write("cases/photos/street.jpg", phone_photo(2000, 1500))
    project.case(
        "madrid",
        body="The reform.\n\n![Residents at the hall](photos/street.jpg)\n\n"
        "![The chart](../content/chart.png)\n",
        image="madrid-hall.jpg",
        image_alt="Madrid's city hall, seen from the square",
        image_credit="Ayuntamiento de Madrid",
        image_license="CC BY 4.0",
        image_focus="50,20",
    )
    project.roundup("2023-11", {"kyiv": {"title": "Kyiv opens its data"}})
    result = project.build()
    assert result.returncode == 0, result.stderr
    project.log = result.stderr
    return project


def site_images(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*")) if p.suffix.lower() in RASTER]


def test_no_published_image_carries_metadata_and_the_originals_stay_out(photo_site: Project):
    site = photo_site.root / "site"
    images = site_images(site)
    assert len(images) > 10
    assert {p.name: metadata_of(p) for p in images if metadata_of(p)} == {}
    originals = [
        (photo_site.root / name).read_bytes()
        for name in ("cases/madrid-hall.jpg", "cases/photos/street.jpg", "content/chart.png")
    ]
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert data not in originals, path
        for secret in SECRETS:
            assert secret not in data, (path, secret)
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert archive.read(name) not in originals
    pattern = r"images: 3 published, (\d+) variants made, 0 reused in [\d.]+ s; ([\d.]+) MB"
    said = re.search(pattern, photo_site.log)
    assert said, photo_site.log


def test_the_photo_is_upright_in_every_width(photo_site: Project):
    folder = photo_site.root / "site" / "cases"
    made = sorted(folder.glob("madrid-hall*")) + [folder / "madrid-hall.jpg"]
    assert len(made) >= 6
    for path in made:
        with Image.open(path) as image:
            assert image.height > image.width, path  # a portrait, as the phone was held
            red, green, blue = image.convert("RGB").getpixel((3, 3))
            assert red > 200 and green < 60 and blue < 60, (path, (red, green, blue))


def test_pages_show_pictures_with_widths_sizes_and_loading_order(photo_site: Project):
    page = photo_site.html("cases/madrid")
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) == 3  # the hero, the street photo, the chart
    hero, street, chart = pictures
    assert 'type="image/webp"' in hero and "480w" in hero and "960w" in hero
    assert 'loading="eager"' in hero and 'loading="lazy"' in street and 'loading="lazy"' in chart
    assert 'width="1440" height="1920"' in hero  # upright: taller than wide
    assert "object-position: 50% 20%" in hero
    assert ".png 480w" in chart  # a graphic falls back to PNG
    for img in re.findall(r"<img [^>]*>", page):
        assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), img
    about = photo_site.html("about")
    assert about.count("<picture>") == 1 and 'loading="eager"' in about  # its first image


def test_credit_and_licence_on_the_page_in_feeds_and_in_open_data(photo_site: Project):
    page = photo_site.html("cases/madrid")
    assert "Photo: Ayuntamiento de Madrid · CC BY 4.0" in page
    site = photo_site.root / "site"
    media = "{http://search.yahoo.com/mrss/}"
    rss = etree.fromstring((site / "cases" / "feed.xml").read_bytes())
    item = rss.find("channel/item")
    assert item.find(f"{media}credit").text == "Ayuntamiento de Madrid"
    assert item.find(f"{media}license").text == "CC BY 4.0"
    atom = etree.fromstring((site / "atom.xml").read_bytes())
    entry = next(
        e
        for e in atom.iter("{http://www.w3.org/2005/Atom}entry")
        if e.find("{http://www.w3.org/2005/Atom}title").text.startswith("Case madrid")
    )
    assert entry.find(f"{media}credit").text == "Ayuntamiento de Madrid"
    assert entry.find(f"{media}license").text == "CC BY 4.0"
    assert feedparser.parse((site / "atom.xml").read_bytes()).bozo == 0
    csv_text = (site / "data" / "stories.csv").read_text("utf-8")
    assert "image_credit" in csv_text.splitlines()[0]
    assert "Ayuntamiento de Madrid,CC BY 4.0" in csv_text
    data = (site / "data" / "stories.json").read_text("utf-8")
    assert '"image_credit":"Ayuntamiento de Madrid","image_license":"CC BY 4.0"' in data


def test_check_warns_about_gps_and_strip_removes_it_losslessly(project: Project):
    project.write("cases/hall.jpg", phone_photo(1200, 900))
    project.write("cases/photos/street.jpg", phone_photo(800, 600))
    project.write("content/chart.png", png_with_text(400, 300))
    project.case("madrid", image="hall.jpg", image_alt="The hall")
    check = project.ogp("check")
    assert check.returncode == 0
    lat, lon = GPS
    assert (
        f"cases/madrid.md:9: image: hall.jpg holds GPS coordinates ({lat:.2f}, {lon:.2f}): the "
        "site gets a copy without them (`ogp-local images strip` removes them from the "
        "repository too)"
    ) in check.stdout
    assert "cases/photos/street.jpg:1: file: street.jpg holds GPS coordinates" in check.stdout
    before = (project.root / "cases/hall.jpg").read_bytes()
    strip = project.ogp("images", "strip")
    assert strip.returncode == 0, strip.stderr
    assert "Stripped cases/hall.jpg: EXIF (GPS, camera, author), XMP, comment" in strip.stdout
    assert "Stripped content/chart.png: tEXt chunk, iTXt chunk" in strip.stdout
    assert "GPS" not in project.ogp("check").stdout
    after = (project.root / "cases/hall.jpg").read_bytes()
    scan = b"\xff\xda"
    assert after[after.index(scan) :] == before[before.index(scan) :]  # image data untouched
    with Image.open(project.root / "cases/hall.jpg") as image:
        assert dict(image.getexif()) == {0x0112: 6}  # still shows upright
    stamp = (project.root / "cases/hall.jpg").stat().st_mtime_ns
    again = project.ogp("images", "strip")
    assert "Stripped" not in again.stdout and "0 of 3 image(s) held metadata" in again.stderr
    assert (project.root / "cases/hall.jpg").stat().st_mtime_ns == stamp  # not touched


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment(project: Project):
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "green", "blue")]
    from io import BytesIO

    buffer = BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, comment=b"secret"
    )
    project.write("cases/wave.gif", buffer.getvalue())
    project.case("waving", body="Hello.\n\n![Residents waving](wave.gif)\n")
    assert project.build().returncode == 0
    published = project.root / "site" / "cases" / "wave.gif"
    with Image.open(published) as image:
        assert image.n_frames == 3 and "comment" not in image.info
    assert b"secret" not in published.read_bytes()


@pytest.mark.parametrize(("width", "height", "budget"), [(390, 844, 150_000), (1280, 900, 400_000)])
def test_a_phone_loads_little_of_the_photo(browser, photo_site: Project, width, height, budget):
    for base in serve(photo_site.root / "site"):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        loaded: dict[str, int] = {}

        def count(response, loaded=loaded):
            if "madrid-hall" in response.url:
                loaded[response.url] = len(response.body())

        page.on("response", count)
        page.goto(f"{base}cases/madrid/")
        page.wait_for_load_state("networkidle")
        total = sum(loaded.values())
        assert loaded and total <= budget, (width, loaded)
        missing = page.evaluate(
            "[...document.images].filter(i => !i.getAttribute('width') ||"
            " !i.getAttribute('height')).map(i => i.src)"
        )
        assert missing == []
        context.close()


def test_a_hero_kept_outside_the_story_folders_is_published_re_encoded(project: Project):
    project.write("shared/hall.jpg", phone_photo(1200, 900))
    project.case("madrid", image="../shared/hall.jpg", image_alt="The hall")
    assert project.build().returncode == 0
    published = project.root / "site" / "shared" / "hall.jpg"
    assert published.is_file() and metadata_of(published) == {}
    assert 'src="../../shared/hall.jpg"' in project.html("cases/madrid")


def test_a_damaged_body_image_is_an_error_from_check_and_build(project: Project):
    project.write("cases/cut.jpg", phone_photo(800, 600)[:5000])
    project.write("content/fake.png", "not an image")
    project.case("madrid", body="![Residents](cut.jpg)\n")
    build = project.build()  # the fixture also runs check and compares the problems
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "cases/cut.jpg:1: file: 'cases/cut.jpg' is damaged or truncated" in build.stderr
    assert "content/fake.png:1: file: 'content/fake.png' is not an image" in build.stderr
