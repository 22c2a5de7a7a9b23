"""A deterministic corpus of N stories in our own format: case studies and
roundup months with items, realistic lengths, areas, accented and non-Latin
names, some hero images. The same stories can be written as plain MkDocs pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from ogp_local.content.areas import Areas

MEMBERS = [
    ("Madrid", "Spain"),
    ("Bogotá", "Colombia"),
    ("Banggai", "Indonesia"),
    ("Monterrey", "Mexico"),
    ("Buenos Aires", "Argentina"),
    ("São Paulo", "Brazil"),
    ("Distrito Federal", "Brazil"),
    ("Santa Catarina", "Brazil"),
    ("Valencia", "Spain"),
    ("Córdoba", "Argentina"),
    ("Aragón", "Spain"),
    ("Scotland", "United Kingdom"),
    ("Київ", "Україна"),
    ("Վանաձոր", "Հայաստան"),
    ("თბილისი", "საქართველო"),
    ("طنجة", "المغرب"),
    ("Αθήνα", "Ελλάδα"),
    ("Tübingen", "Germany"),
    ("Nairobi", "Kenya"),
    ("Quezon City", "Philippines"),
    ("Sekondi-Takoradi", "Ghana"),
    ("Elgeyo Marakwet", "Kenya"),
    ("Austin", "United States"),
    ("Paris", "France"),
    ("Seoul", "South Korea"),
    ("Iași", "Romania"),
    ("Kraków", "Poland"),
    ("Tirana", "Albania"),
    ("La Libertad", "Peru"),
    ("Makueni", "Kenya"),
]
ACTIONS = [
    "launches",
    "opens",
    "co-creates",
    "publishes",
    "expands",
    "pilots",
    "adopts",
    "celebrates",
    "reforms",
    "strengthens",
]
TOPICS = [
    "an open data portal on public spending",
    "a mandatory lobby registry",
    "participatory budgeting in every district",
    "a route to gender parity",
    "a citizens' assembly on climate",
    "open contracting for public works",
    "an app for maternal health care",
    "open data on gender-based violence",
    "a beneficial ownership register",
    "a youth council for public policy",
    "a transparency portal for procurement",
    "a people-centred justice service",
    "a disability inclusion plan",
    "an algorithm register for public services",
]
SENTENCES = [
    "Residents, civil society organisations and officials worked together on the commitment.",
    "The reform was co-created through public consultations in every neighbourhood.",
    "An independent monitoring body follows the progress of the action plan.",
    "The data is published in open formats and updated every month.",
    "Local journalists and community groups now use the information to follow decisions.",
    "The municipality trained staff and set up a feedback channel for citizens.",
    "Early results show more people taking part and more trust in local government.",
    "The next action plan will extend the approach to health and education services.",
]


@dataclass(frozen=True)
class Shape:
    cases: int
    months: int
    items: int

    @property
    def stories(self) -> int:
        return self.cases + self.months + self.items


def shape(n: int) -> Shape:
    """Ten years of the programme at 20,000 ≈ 500 cases + 120 months of ~160 items."""
    cases = max(1, round(n / 40))
    months = max(1, math.ceil((n - cases) / 161))
    items = max(0, n - cases - months)
    return Shape(cases, months, items)


def _title(rng: random.Random, member: str) -> str:
    return f"{member} {rng.choice(ACTIONS)} {rng.choice(TOPICS)}"


def _body(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(paragraphs))


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _images(folder: Path, rng: random.Random, count: int = 4) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for n in range(count):
        image = Image.new("RGB", (1600, 900), tuple(rng.randrange(40, 220) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(60):
            x, y = rng.randrange(1600), rng.randrange(900)
            r = rng.randrange(20, 200)
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3))
            )
        name = f"photo-{n}.jpg"
        image.save(folder / name, quality=85)
        names.append(name)
    return names


def _phone_photos(folder: Path, count: int, rng: random.Random) -> list[str]:
    """`count` distinct phone pictures (4000×3000): one image, drawn and encoded once,
    each file with its own EXIF block (orientation 6 on a third of them, GPS on half,
    its own time), so each has its own content digest and costs its own variants."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((4000, 3000)),
            Image.effect_noise((4000, 3000), 50).point(lambda v: v // 2 + 50),
            Image.linear_gradient("L").rotate(90).resize((4000, 3000)),
        ],
    )
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, r = rng.randrange(4000), rng.randrange(3000), rng.randrange(40, 400)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in "rgb"))
    buffer = io.BytesIO()
    base.save(buffer, "JPEG", quality=90)
    pixels = buffer.getvalue()
    names = []
    for k in range(count):
        exif = Image.Exif()
        exif[0x0112] = 6 if k % 3 == 0 else 1
        exif[0x010F], exif[0x0110] = "Phonemaker", "Phonemaker 12"
        exif[0x0132] = f"2023:{1 + k % 12:02d}:{1 + k % 28:02d} 10:{k % 60:02d}:00"
        if k % 2 == 0:
            exif.get_ifd(0x8825).update(
                {1: "N", 2: (40.0, 25.0, float(k % 60)), 3: "W", 4: (3.0, 42.0, 0.0)}
            )
        block = b"Exif\x00\x00" + exif.tobytes()
        app1 = b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
        name = f"phone-{k:04d}.jpg"
        (folder / name).write_bytes(pixels[:2] + app1 + pixels[2:])
        names.append(name)
    return names


_LANGUAGES = re.compile(r"^(\s*)languages: \[[^\]]*\]$", re.MULTILINE)


def write(
    root: Path,
    n: int,
    template: Path,
    seed: int = 20231130,
    languages: tuple[str, ...] = ("en",),
    translated: float = 0.0,
) -> Shape:
    """Write the corpus into `root` (replacing what was there), configured like `template`
    (the project's own mkdocs.yml, theme and content), in `languages` (the default
    first), with a `translated` share of the stories translated into every other one."""
    rng = random.Random(seed)
    areas = [a.slug for a in Areas.load()]
    _project(root, template, languages)
    every = max(1, round(1 / translated)) if translated else 0
    photos = _images(root / "cases" / "images", rng)
    layout = shape(n)
    # One story in ten has a phone picture of its own (the cases' first ones also
    # share the older small photos).
    phones = iter(_phone_photos(root / "cases" / "phones", max(1, n // 10), rng))
    _cases(root, layout, rng, areas, photos, phones, every, languages)
    _months(root, layout, rng, areas, phones, every, languages)
    return layout


def _project(root: Path, template: Path, languages: tuple[str, ...]) -> None:
    """A fresh project folder: the template's content, theme and mkdocs.yml, in
    `languages`, without the template's pages in other languages."""
    if root.exists():
        shutil.rmtree(root)
    (root / "cases").mkdir(parents=True)
    for name in ("content", "theme"):
        shutil.copytree(template / name, root / name)
    config = (template / "mkdocs.yml").read_text("utf-8")
    listed = f"languages: [{', '.join(languages)}]"
    if _LANGUAGES.search(config):
        config = _LANGUAGES.sub(lambda m: m.group(1) + listed, config, count=1)
    else:
        config = config.replace("  - ogp-local:\n", f"  - ogp-local:\n      {listed}\n", 1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    for page in (root / "content").rglob("*.md"):  # the demo's translations of other sites
        suffix = page.stem.rpartition(".")[2] if "." in page.stem else None
        if suffix and suffix not in languages:
            page.unlink()


def _cases(root: Path, layout: Shape, rng, areas, photos, phones, every: int, languages) -> None:
    """The case studies, one in ten with a photo, every `every`-th translated."""
    start = dt.date(2016, 1, 1)
    for i in range(layout.cases):
        member, country = rng.choice(MEMBERS)
        day = start + dt.timedelta(days=rng.randrange(3650))
        fields = {
            "title": _title(rng, member),
            "member": member,
            "country": country,
            "date": day.isoformat(),
            "summary": " ".join(rng.sample(SENTENCES, 2))[:290],
            "challenges": rng.sample(areas, rng.randint(1, 3)),
            "impact": [{"value": f"{rng.randrange(2, 900)}+", "label": "people took part"}],
        }
        lines = [f"{k}: {_yaml(v)}" for k, v in fields.items()]
        if i % 10 == 0:  # some case studies have a hero photograph
            lines += [f"image: images/{rng.choice(photos)}", 'image_alt: "A street scene"']
        elif i % 10 == 5:
            phone = next(phones, None)
            if phone:
                lines += [f"image: phones/{phone}", 'image_alt: "Residents at the hall"']
        body = (
            "## The problem\n\n"
            + _body(rng, 2)
            + "\n\n## What they did\n\n"
            + _body(rng, 3)
            + "\n\n## Results\n\n"
            + _body(rng, 2)
        )
        (root / "cases" / f"case-{i:05d}.md").write_text(
            "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n", "utf-8"
        )
        if every and i % every == 0:
            _translate(
                root / "cases" / f"case-{i:05d}",
                fields,
                body,
                languages[1:],
                "alt" in "".join(lines),
            )


def _months(root: Path, layout: Shape, rng, areas, phones, every: int, languages) -> None:
    """The roundup months and their items, spread evenly over the months."""
    per_month = [
        layout.items // layout.months + (1 if m < layout.items % layout.months else 0)
        for m in range(layout.months)
    ]
    for m, count in enumerate(per_month):
        year, month = 2016 + m // 12, m % 12 + 1
        folder = root / "roundups" / f"{year:04d}-{month:02d}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            f"---\ndate: {year:04d}-{month:02d}-28\nsummary: {_yaml('Highlights of the month.')}"
            f"\nnews_count: {count}\n---\n\n{_body(rng, 1)}\n",
            "utf-8",
        )
        for k in range(count):
            member, country = rng.choice(MEMBERS)
            fields = {
                "title": _title(rng, member),
                "member": member,
                "country": country,
                "challenges": rng.sample(areas, rng.randint(1, 2)),
            }
            lines = [f"{key}: {_yaml(v)}" for key, v in fields.items()]
            if k % 10 == 5:
                phone = next(phones, None)
                if phone:
                    lines += [f"image: ../../cases/phones/{phone}", 'image_alt: "At the meeting"']
            text = _body(rng, 1)
            (folder / f"item-{k:04d}.md").write_text(
                "---\n" + "\n".join(lines) + "\n---\n\n" + text + "\n", "utf-8"
            )
            if every and (m + k) % every == 0:
                alt = any(line.startswith("image_alt") for line in lines)
                _translate(folder / f"item-{k:04d}", fields, text, languages[1:], alt)


def _translate(stem: Path, fields: dict, body: str, languages, alt: bool) -> None:
    """`stem.<lang>.md` for each language: the words, marked as that language's."""
    for lang in languages:
        words = {"title": f"[{lang}] {fields['title']}"}
        if "summary" in fields:
            words["summary"] = f"[{lang}] {fields['summary']}"[:290]
        if "impact" in fields:
            words["impact"] = [
                {"value": f["value"], "label": f"[{lang}] {f['label']}"} for f in fields["impact"]
            ]
        lines = [f"{k}: {_yaml(v)}" for k, v in words.items()]
        if alt:
            lines.append(f'image_alt: "[{lang}] A picture of the story"')
        text = "---\n" + "\n".join(lines) + f"\n---\n\n[{lang}] {body}\n"
        stem.with_name(f"{stem.name}.{lang}.md").write_text(text, "utf-8")


def write_plain(story_root: Path, plain_root: Path) -> int:
    """The same stories as ordinary MkDocs pages (Material, search only): the floor for
    anything built on MkDocs. Returns the number of pages."""
    if plain_root.exists():
        shutil.rmtree(plain_root)
    docs = plain_root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Stories\n", "utf-8")
    count = 0
    for path in sorted(story_root.glob("cases/*.md")) + sorted(story_root.glob("roundups/*/*.md")):
        text = path.read_text("utf-8")
        _, front, body = text.split("---", 2)
        title = next(
            (
                line.split(":", 1)[1].strip().strip('"')
                for line in front.splitlines()
                if line.startswith("title:")
            ),
            path.stem,
        )
        target = docs / path.relative_to(story_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body.strip()}\n", "utf-8")
        count += 1
    images = story_root / "cases" / "images"
    if images.is_dir():
        shutil.copytree(images, docs / "cases" / "images")
    # The floor: every story a page, Material with search, and a one-entry nav (a nav
    # listing every page would make the floor itself grow with N squared).
    (plain_root / "mkdocs.yml").write_text(
        "site_name: Plain\nsite_url: https://example.org/\ntheme:\n  name: material\n"
        "  font: false\nplugins:\n  - search\nnav:\n  - Home: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n",
        "utf-8",
    )
    return count
