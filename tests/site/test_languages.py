"""A site in several languages, built for real: every page in every language at its
address, hreflang sets complete and symmetric, untranslated stories everywhere and
marked, feeds and cards per language, and the errors and status of translations."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from conftest import REPO, Project, front_matter
from ogp_local.cli.project import Project as Stories
from ogp_local.content.i18n import using
from ogp_local.outputs.cards.layout import lay_out

SITE = "https://example.org/stories/"
LANGUAGES = ("en", "es", "ar")


def multilingual(project: Project, languages=LANGUAGES) -> Project:
    """A small tree: a case translated into Spanish, one left in English, a Spanish
    original, and a month whose roundup and one item are translated."""
    yml = (project.root / "mkdocs.yml").read_text("utf-8")
    yml = yml.replace(
        "      per_page: 20\n", f"      per_page: 20\n      languages: {list(languages)}\n"
    )
    (project.root / "mkdocs.yml").write_text(yml, "utf-8")
    project.case(
        "bogota",
        title="Bogotá 50/50",
        member="Bogotá",
        country="Colombia",
        summary="Women held a quarter of the seats.",
        challenges=["gender-and-inclusion"],
        impact=[{"value": "26.6%", "label": "of seats held by women"}],
        body="## The problem\n\nMen and women do not take part equally.\n",
    )
    project.write(
        "cases/bogota.es.md",
        front_matter(
            {
                "title": "Bogotá 50/50: hacia la paridad",
                "summary": "Las mujeres ocupaban una cuarta parte de los escaños.",
                "impact": [{"value": "26.6%", "label": "de los escaños ocupados por mujeres"}],
            },
            "## El problema\n\nLa paridad política sigue lejos en las alcaldías locales.\n",
        ),
    )
    project.case("madrid", title="Mandatory Lobby Registry", date="2023-10-02")
    project.write(
        "cases/monterrey.es.md",
        front_matter(
            {
                "title": "Datos abiertos sobre violencia de género",
                "member": "Monterrey",
                "country": "México",
                "date": "2023-09-01",
                "summary": "Monterrey publicó datos abiertos.",
                "challenges": ["gender-and-inclusion"],
            },
            "Texto en español.\n",
        ),
    )
    project.roundup("2023-11", {"kyiv": {"member": "Kyiv", "country": "Ukraine"}, "tbilisi": {}})
    project.write(
        "roundups/2023-11/index.es.md",
        front_matter({"summary": "El mes en breve."}, "Introducción del mes.\n"),
    )
    project.write(
        "roundups/2023-11/kyiv.es.md",
        front_matter({"title": "Kyiv abre sus presupuestos"}, "Cuerpo en español.\n"),
    )
    return project


@pytest.fixture
def site(project: Project) -> Path:
    multilingual(project)
    result = project.build("--strict")
    assert result.returncode == 0, result.stderr
    return project.root / "site"


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str] = {}
        self.hreflang: dict[str, str] = {}
        self.switcher: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html = a
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.hreflang[a["hreflang"]] = a["href"]
        elif tag == "a" and "hreflang" in a:
            self.switcher.append((a["hreflang"], a["href"]))


def _read(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text("utf-8"))
    return parser


def _pages(site: Path, lang: str) -> set[str]:
    """Site-relative folders of a language's pages (without its prefix)."""
    found = set()
    for page in site.rglob("index.html"):
        rel = page.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        first = rel.split("/", 1)[0]
        if lang == LANGUAGES[0] and first not in LANGUAGES[1:]:
            found.add(rel)
        elif first == lang:
            found.add(rel.removeprefix(f"{lang}/"))
    return found - {"pagefind/", "admin/"}  # the search index; the editor, at the root only


def test_every_page_exists_in_every_language_with_symmetric_hreflang(site: Path):
    default = _pages(site, "en")
    assert {
        "",
        "cases/bogota/",
        "cases/madrid/",
        "cases/monterrey/",
        "roundups/2023-11/",
    } <= default
    for lang in LANGUAGES[1:]:
        assert _pages(site, lang) == default, lang
    for path in sorted(default):
        versions = {}
        for lang in LANGUAGES:
            prefix = "" if lang == "en" else f"{lang}/"
            head = _read(site / prefix / path / "index.html")
            assert head.html["lang"] == lang, (prefix + path, head.html)
            assert head.html.get("dir", "rtl" if lang == "ar" else "ltr")
            versions[lang] = head.hreflang
        expected = {lang: f"{SITE}{'' if lang == 'en' else lang + '/'}{path}" for lang in LANGUAGES}
        for lang, links in versions.items():
            # Every version links every version (itself included) and x-default.
            assert {k: v for k, v in links.items() if k != "x-default"} == expected, (lang, path)
            assert links["x-default"] == expected["en"]


def test_arabic_pages_are_right_to_left(site: Path):
    html = (site / "ar/cases/bogota/index.html").read_text("utf-8")
    assert '<html lang="ar"' in html
    assert '<body dir="rtl"' in html
    # The English story shown on the Arabic site keeps its own direction.
    assert re.search(r'<article class="ogp-story"[^>]* lang="en" dir="ltr"', html)


def test_switcher_links_resolve_to_the_same_page_in_each_language(site: Path):
    for page in [site / "es/cases/bogota/index.html", site / "roundups/2023-11/index.html"]:
        head = _read(page)
        assert [lang for lang, _ in head.switcher] == list(LANGUAGES)
        base = "file://" + str(page)
        for lang, href in head.switcher:
            target = Path(urlsplit(urljoin(base, href)).path) / "index.html"
            assert target.is_file(), (page, href)
            assert _read(target).html["lang"] == lang


def test_translations_show_in_their_language_and_the_rest_as_written(site: Path):
    spanish = (site / "es/cases/bogota/index.html").read_text("utf-8")
    assert "Bogotá 50/50: hacia la paridad" in spanish and "paridad política" in spanish
    english = (site / "cases/bogota/index.html").read_text("utf-8")
    assert "paridad" not in english
    # Madrid is not translated: the Spanish site shows it in English, marked so.
    madrid = (site / "es/cases/madrid/index.html").read_text("utf-8")
    assert "Mandatory Lobby Registry" in madrid
    assert re.search(r'<article class="ogp-story"[^>]* lang="en"', madrid)
    # A story written first in Spanish is an original: English readers get it marked.
    monterrey = (site / "cases/monterrey/index.html").read_text("utf-8")
    assert re.search(r'<article class="ogp-story"[^>]* lang="es"', monterrey)
    assert "Datos abiertos sobre violencia de género" in monterrey


def _listed(html: str, title: str) -> re.Match | None:
    """The listing card of `title` on a page, with its language attributes."""
    return re.search(
        r'class="ogp-card__title"( lang="(?P<lang>[^"]+)" dir="[a-z]+")?>'
        rf"<a [^>]*>{re.escape(title)}</a>",
        html,
    )


def test_untranslated_stories_are_in_every_listing_marked_with_their_language(site: Path):
    pages = ["cases/", "members/madrid/", "challenges/anti-corruption/", ""]
    for lang in LANGUAGES[1:]:
        for page in pages:
            html = (site / lang / page / "index.html").read_text("utf-8")
            found = _listed(html, "Mandatory Lobby Registry")  # the home page: the latest
            assert found, (lang, page)
            assert found.group("lang") == "en", (lang, page)
    cases = (site / "es/cases/index.html").read_text("utf-8")
    assert _listed(cases, "Bogotá 50/50: hacia la paridad").group("lang") is None
    arabic = (site / "ar/cases/index.html").read_text("utf-8")
    assert _listed(arabic, "Bogotá 50/50").group("lang") == "en"
    assert _listed(arabic, "Datos abiertos sobre violencia de género").group("lang") == "es"
    assert 'class="ogp-lang-label"' in arabic


def test_feeds_per_language_carry_their_language_and_every_story(site: Path):
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else f"{lang}/"
        for name in ("feed.xml", "atom.xml", "challenges/anti-corruption/feed.xml"):
            parsed = feedparser.parse((site / prefix / name).read_bytes())
            assert parsed.bozo == 0, (lang, name, parsed.get("bozo_exception"))
            assert parsed.feed.language == lang if name != "atom.xml" else True
            links = [e.link for e in parsed.entries]
            assert all(link.startswith(SITE + prefix) for link in links), (lang, links)
            assert any(link.endswith("/cases/madrid/") for link in links), (lang, name)
        data = json.loads((site / prefix / "feed.json").read_text("utf-8"))
        assert data["language"] == lang
        by_url = {item["url"]: item for item in data["items"]}
        madrid = by_url[f"{SITE}{prefix}cases/madrid/"]
        assert madrid.get("language") == (None if lang == "en" else "en")
    spanish = feedparser.parse((site / "es/feed.xml").read_bytes())
    titles = {e.link: e for e in spanish.entries}
    assert titles[f"{SITE}es/cases/bogota/"].title == "Bogotá 50/50: hacia la paridad"
    # RSS has no language per item: Dublin Core's marks the untranslated one.
    assert titles[f"{SITE}es/cases/madrid/"].get("language") == "en"
    atom = feedparser.parse((site / "es/atom.xml").read_bytes())
    [madrid] = [e for e in atom.entries if e.link.endswith("/es/cases/madrid/")]
    assert madrid.title_detail.language == "en"


def test_spanish_cards_have_spanish_labels(project: Project):
    multilingual(project)
    stories = Stories.find(project.root / "mkdocs.yml")
    build = stories.build
    assert not build.read().errors
    build.plan([str(REPO / "theme")])
    [bogota] = [s for s in build.found.cases if s.slug == "bogota"]
    spanish = bogota.translations["es"]
    cards = build.cards
    content = cards.content(spanish)
    assert content.kind == "Estudio de caso"
    assert content.title == "Bogotá 50/50: hacia la paridad"
    assert ("Género e inclusión", bogota.areas[0].colour) in content.areas
    assert content.impact == ("26.6%", "de los escaños ocupados por mujeres")
    layout = lay_out(content, "1200x630", cards.chain)
    assert " ".join(run.text for run in layout.kind.runs) == "ESTUDIO DE CASO"
    card = build.card_sets[spanish]
    assert card.files["1200x630"] == "case-bogota.es-1200x630.png"
    assert "Estudio de caso" in card.alt and f"{SITE}es/cases/bogota/" in card.post
    english = cards.content(bogota)
    assert english.kind == "Case study"
    with using("ar"):  # the story's language decides, not the one active
        assert cards.content(spanish).kind == "Estudio de caso"


def test_downloads_zips_open_data_and_editions_per_language(site: Path):
    spanish = (site / "es/cards/index.html").read_text("utf-8")
    assert "case-bogota.es-1200x630.png" in spanish
    assert "case-madrid-1200x630.png" in spanish  # the original's cards, untranslated
    assert (site / "es/cards/2023-11.zip").is_file()
    data = json.loads((site / "es/data/stories.json").read_text("utf-8"))
    rows = {row["id"]: row for row in data["stories"]}
    assert rows["cases/bogota/"]["lang"] == "es"
    assert rows["cases/madrid/"]["lang"] == "en"
    assert rows["cases/bogota/"]["versions"] == {
        "en": f"{SITE}cases/bogota/",
        "es": f"{SITE}es/cases/bogota/",
    }
    assert rows["cases/monterrey/"]["versions"] == {"es": f"{SITE}es/cases/monterrey/"}
    csv = (site / "es/data/stories.csv").read_text("utf-8")
    assert csv.splitlines()[0].endswith(",lang,versions")
    email = (site / "es/roundups/2023-11/email.html").read_text("utf-8")
    assert '<html lang="es"' in email and "Kyiv abre sus presupuestos" in email
    assert f"{SITE}es/roundups/2023-11/#kyiv" in email


def test_sitemap_lists_every_version(site: Path):
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    block = re.search(
        r"<url>\s*<loc>" + re.escape(SITE + "es/cases/madrid/") + r"</loc>.*?</url>", sitemap, re.S
    )
    assert block
    langs = re.findall(r'hreflang="([^"]+)" href="([^"]+)"', block.group())
    assert dict(langs) == {
        "en": f"{SITE}cases/madrid/",
        "es": f"{SITE}es/cases/madrid/",
        "ar": f"{SITE}ar/cases/madrid/",
    }


def test_one_language_sites_keep_their_addresses_and_carry_no_alternates(project: Project):
    project.case("madrid")
    assert project.build("--strict").returncode == 0
    site = project.root / "site"
    assert not (site / "es").exists()
    html = (site / "cases/madrid/index.html").read_text("utf-8")
    assert "hreflang" not in html and "ogp-languages" not in html


def test_translation_errors_name_file_and_line(project: Project):
    multilingual(project, ("en", "es"))
    project.write(
        "cases/bogota.fr.md", front_matter({"title": "Bogotá", "summary": "x"}, "Texte.\n")
    )
    project.write(
        "cases/madrid.es.md",
        front_matter(
            {
                "title": "Registro de lobbies",
                "member": "Barcelona",
                "impact": [{"value": "700+", "label": "lobbies"}],
            },
            "Texto.\n",
        ),
    )
    project.write("cases/ghost.es.md", front_matter({"title": "A", "summary": "b"}, "x\n"))
    project.write("cases/ghost.pt.md", front_matter({"title": "A", "summary": "b"}, "x\n"))
    result = project.build()
    assert result.returncode != 0
    said = result.stderr
    assert (
        "cases/bogota.fr.md:1: file name: 'fr' is not one of the site's languages (en, es)" in said
    )
    assert "cases/madrid.es.md:1: summary: missing: a translation writes its own" in said
    contradiction = "cases/madrid.es.md:3: member: contradicts the original"
    assert f"{contradiction} (cases/madrid.md says Madrid)" in said
    assert "cases/madrid.es.md:4: impact: the figures ['700+']" in said
    assert "Traceback" not in said
    check = project.ogp("check")
    assert check.returncode == 1
    assert "cases/ghost.pt.md:1: file name" in check.stdout


def test_check_prints_the_translation_status(project: Project):
    multilingual(project)
    project.case("madrid", title="Mandatory Lobby Registry", updated="2024-02-01")
    project.write(
        "cases/madrid.es.md",
        front_matter(
            {"title": "Registro", "summary": "Un registro.", "updated": "2023-12-01"}, "Texto.\n"
        ),
    )
    result = project.ogp("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Spanish (es): 4 of 5 stories translated, 1 older than their original" in result.stderr
    assert "not yet translated: roundups/2023-11/tbilisi.md" in result.stderr
    assert "older than the original: cases/madrid.es.md" in result.stderr
    assert "Arabic (ar): 0 of 6 stories translated" in result.stderr
    listed = json.loads(project.ogp("check", "--format", "json").stdout)
    info = [p for p in listed if p["severity"] == "info"]
    assert {p["path"] for p in info if "older" in p["message"]} == {"cases/madrid.es.md"}
    assert any(p["path"] == "cases/madrid.md" and "into Arabic (ar)" in p["message"] for p in info)


def test_new_writes_a_translation_scaffold_beside_the_original(project: Project):
    multilingual(project)
    result = project.ogp("new", "--lang", "es", "--from", "cases/madrid.md")
    assert result.returncode == 0, result.stderr
    text = (project.root / "cases/madrid.es.md").read_text("utf-8")
    assert "#   Mandatory Lobby Registry" in text and "title:" in text and "summary:" in text
    assert "member:" not in text
    again = project.ogp("new", "--lang", "es", "--from", "cases/madrid.md")
    assert again.returncode != 0 and "exists already" in again.stderr
    wrong = project.ogp("new", "--lang", "de", "--from", "cases/madrid.md")
    assert wrong.returncode == 2 and "'de' is not one of the site's languages" in wrong.stderr
    checked = project.ogp("check")
    assert "cases/madrid.es.md" in checked.stdout and "placeholder" in checked.stdout


def _extracted() -> set[str]:
    """Every message our code and templates mark, extracted as `pybabel extract` does."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(REPO / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["es", "fr", "pt", "ar"])
def test_every_interface_string_is_translated(lang: str):
    from babel.messages.pofile import read_po

    with open(REPO / f"plugins/ogp_local/locales/{lang}.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(_extracted() - translated)
    assert missing == [], f"{lang}.po lacks {len(missing)}: {missing[:10]}"


def test_untranslated_content_pages_are_marked_with_their_language(site: Path):
    home = (site / "es/index.html").read_text("utf-8")  # the home page's introduction
    assert 'class="ogp-untranslated"' in home
    assert re.search(r'<div lang="en" dir="ltr">\s*<h1[^>]*>Test stories', home)
    assert 'class="ogp-untranslated"' not in (site / "index.html").read_text("utf-8")
    arabic = (site / "ar/index.html").read_text("utf-8")
    assert '<html lang="ar"' in arabic and '<div lang="en" dir="ltr">' in arabic
