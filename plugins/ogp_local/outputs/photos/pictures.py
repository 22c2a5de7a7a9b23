"""Published images as HTML: `<picture>` with a WebP source and a JPEG (or PNG)
fallback in several widths, `width`/`height` so nothing jumps while loading, the
first image of a page loaded eagerly and the rest lazily.

Hero images are laid out by the theme's templates (through `markup`); images in
Markdown bodies are turned into pictures on the parsed tree, after MkDocs has
resolved their addresses (the `BodyPictures` treeprocessor)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from xml.etree import ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from ogp_local.cache import dependencies
from ogp_local.content.model import Image
from ogp_local.content.urls import relative_url
from ogp_local.outputs.photos.variants import SIZES, Rendition

# After MkDocs' "relpath" (0), which turns an image's file path into its address.
_PRIORITY = -1


def _srcset(widths: tuple[tuple[str, int], ...], page_url: str) -> str:
    return ", ".join(f"{relative_url(path, page_url)} {width}w" for path, width in widths)


def attributes(rendition: Rendition, page_url: str, *, eager: bool) -> dict[str, str]:
    """The `<img>` attributes of a rendition, as seen from the page at `page_url`."""
    found = {
        "src": relative_url(rendition.path, page_url),
        "width": str(rendition.width),
        "height": str(rendition.height),
        "decoding": "async",
        "loading": "eager" if eager else "lazy",
    }
    if eager:
        found["fetchpriority"] = "high"
    if len(rendition.fallback) > 1:
        found["srcset"] = _srcset(rendition.fallback, page_url)
        found["sizes"] = SIZES
    return found


def markup(
    rendition: Rendition, page_url: str, image: Image, *, eager: bool, css_class: str = ""
) -> Markup:
    """A hero image: the picture, its focus point and, under it, credit and licence."""
    img = attributes(rendition, page_url, eager=eager)
    img["alt"] = image.alt
    x, y = image.focus
    img["style"] = f"object-position: {x:g}% {y:g}%"
    tags = ['<figure class="ogp-hero">', "<picture>"]
    if rendition.webp:
        srcset = _srcset(rendition.webp, page_url)
        tags.append(
            Markup('<source type="image/webp" srcset="{}" sizes="{}">').format(srcset, SIZES)
        )
    tags.append(Markup("<img {}>").format(_join(img)))
    tags.append("</picture>")
    credit = " · ".join(str(escape(part)) for part in (image.credit, image.license) if part)
    if credit:
        tags.append(f'<figcaption class="ogp-credit">Photo: {credit}</figcaption>')
    tags.append("</figure>")
    return Markup("\n".join(str(t) for t in tags))


def plain(image: Image, page_url: str, *, eager: bool) -> Markup:
    """An image no rendition was planned for: as it is, with its size."""
    loading = "eager" if eager else "lazy"
    return Markup(
        '<figure class="ogp-hero"><img src="{}" alt="{}" width="{}" height="{}" '
        'loading="{}" decoding="async"></figure>'
    ).format(relative_url(image.path, page_url), image.alt, image.width, image.height, loading)


def _join(attrs: Mapping[str, str]) -> Markup:
    return Markup(" ").join(Markup('{}="{}"').format(k, v) for k, v in attrs.items())


class BodyPictures(Extension):
    """The Markdown extension; the build sets `page` to (page URL, first image is
    eager) before each page is rendered, and `renditions` once per build."""

    def __init__(self) -> None:
        super().__init__()
        self.renditions: Mapping[str, Rendition] = {}
        self.page: tuple[str, bool] | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_Pictures(md, self), "ogp_pictures", _PRIORITY)


class _Pictures(Treeprocessor):
    def __init__(self, md: Markdown, extension: BodyPictures) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        if self.extension.page is None:
            return
        page_url, eager = self.extension.page
        base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img" or "://" in (child.get("src") or ""):
                    continue
                site_path = posixpath.normpath(posixpath.join(base, child.get("src", "")))
                dependencies.note("image", site_path)  # the page changes with its widths
                rendition = self.extension.renditions.get(site_path)
                if rendition is None:
                    continue
                parent.remove(child)
                parent.insert(index, self._picture(child, rendition, page_url, eager))
                eager = False

    @staticmethod
    def _picture(img: etree.Element, rendition: Rendition, page_url: str, eager: bool):
        picture = etree.Element("picture")
        if rendition.webp:
            etree.SubElement(
                picture,
                "source",
                {"type": "image/webp", "srcset": _srcset(rendition.webp, page_url), "sizes": SIZES},
            )
        attrs = dict(img.attrib)
        attrs.update(attributes(rendition, page_url, eager=eager))
        new = etree.SubElement(picture, "img", attrs)
        new.tail = None
        picture.tail = img.tail
        return picture
