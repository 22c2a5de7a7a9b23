"""The stack a MkDocs user would pick for this job, on the same stories: Material's
blog, tags and social plugins with mkdocs-rss-plugin, in an environment of its own.

Material's social plugin downloads its font from Google Fonts on first use; this
machine has no internet, so the benchmark puts a font in the plugin's font cache
first (as after that first download) and measures everything else cold."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import frontmatter
import yaml

from ogp_local.bench.measure import Result, measure
from ogp_local.content.areas import Areas

PACKAGES = ["mkdocs-material[imaging]", "mkdocs-rss-plugin"]


def environment(folder: Path, log) -> str:
    """A virtual environment with Material's imaging extras and the RSS plugin."""
    python = folder / "bin" / "python"
    if not (folder / ".ready").is_file():
        log(f"  installing {', '.join(PACKAGES)} into {folder}")
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
        if shutil.which("apt-get") and not _has_cairo():
            subprocess.run(["apt-get", "install", "-y", "-q", "libcairo2"], check=True)
        (folder / ".ready").write_text("ok\n")
    return str(python)


def _has_cairo() -> bool:
    result = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True)
    return "libcairo.so.2" in result.stdout


def write_blog(stories: Path, blog: Path, fonts: Path) -> int:
    """Every story of the corpus as a blog post: categories = areas, tags = members."""
    names = {a.slug: a.name for a in Areas.load()}
    if blog.exists():
        shutil.rmtree(blog)
    posts = blog / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (blog / "docs" / "index.md").write_text("# Stories\n", "utf-8")
    (blog / "docs" / "blog" / "index.md").write_text("# Blog\n", "utf-8")
    (blog / "docs" / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", "utf-8")
    count = 0
    for path in sorted(stories.glob("cases/*.md")) + sorted(stories.glob("roundups/*/*.md")):
        post = frontmatter.load(path)
        meta = post.metadata
        if path.name == "index.md":
            date, title = str(meta["date"]), f"Local Roundup {path.parent.name}"
        else:
            date = str(meta.get("date") or frontmatter.load(path.parent / "index.md")["date"])
            title = meta["title"]
        members = meta.get("member", [])
        front = {
            "date": dt.date.fromisoformat(date[:10]),
            "title": title,
            "categories": [names[s] for s in meta.get("challenges", [])],
            "tags": members if isinstance(members, list) else [members],
            "description": meta.get("summary", ""),
        }
        slug = path.stem if path.parent.name == "cases" else f"{path.parent.name}-{path.stem}"
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n"
        text += f"# {title}\n\n<!-- more -->\n\n{post.content}\n"
        (posts / f"{slug}.md").write_text(text, "utf-8")
        count += 1
    (blog / "mkdocs.yml").write_text(
        "site_name: Stories\nsite_url: https://example.org/\ntheme:\n  name: material\n"
        "  font: false\nplugins:\n  - search\n  - blog\n  - tags\n"
        "  - social:\n      cache_dir: .cache/plugin/social\n"
        "  - rss:\n      match_path: blog/posts/.*\n      use_git: false\n"
        "      date_from_meta:\n        as_creation: date\n        as_update: date\n"
        "      categories:\n        - categories\n        - tags\n",
        "utf-8",
    )
    _fonts(blog, fonts)
    return count


def _fonts(blog: Path, fonts: Path) -> None:
    """The social plugin's default font family, already in its cache (see module doc)."""
    target = blog / ".cache" / "plugin" / "social" / "fonts" / "Roboto"
    target.mkdir(parents=True, exist_ok=True)
    for style, source in (
        ("Regular", "NotoSans-Regular.ttf"),
        ("Bold", "NotoSans-Bold.ttf"),
        ("Medium", "NotoSans-Bold.ttf"),
        ("Light", "NotoSans-Regular.ttf"),
    ):
        shutil.copy(fonts / source, target / f"{style}.ttf")


def run_compare(result: Result, stories: Path, work: Path, repeat: int, log) -> None:
    python = environment(work.parent / "material-venv", log)
    blog = work / "material"
    fonts = stories / "theme" / "cards" / "fonts"
    write_blog(stories, blog, fonts)
    command = [
        python,
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(blog / "mkdocs.yml"),
        "-d",
        str(blog / "site"),
    ]
    social = blog / ".cache" / "plugin" / "social"

    def cold() -> None:
        if social.exists():
            shutil.rmtree(social)
        _fonts(blog, fonts)

    for name, prepare in (("material-cold", cold), ("material-warm", None)):
        for attempt in range(repeat):
            if prepare:
                prepare()
            m = measure(command, blog)
            m.made = len(list((blog / "site" / "assets" / "images" / "social").rglob("*.png")))
            result.runs.setdefault(name, []).append(m)
            log(
                f"  N={result.n} {name} #{attempt + 1}: {m.wall:.1f} s wall, {m.cpu:.1f} s "
                f"CPU, {m.peak_mb:.0f} MB, {m.made} cards"
            )
