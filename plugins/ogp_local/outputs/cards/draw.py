"""Draws a layout with Pillow. Text is white on the area's colour, or on a hero
photo darkened until white text reaches 4.5:1 wherever text stands (measured from
the pixels, not guessed)."""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageOps

from ogp_local.outputs.cards.fonts import FontChain, _load
from ogp_local.outputs.cards.layout import Content, Layout
from ogp_local.outputs.cards.text import Block, Box, ink_box

WHITE = (255, 255, 255)
MIN_CONTRAST = 4.5
MAX_BYTES = 1_000_000


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _linear(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


# Relative luminance per channel, scaled so that the three add up to at most 255.
_LUT = [[round(w * _linear(v) * 255) for v in range(256)] for w in (0.2126, 0.7152, 0.0722)]


def luminance_image(image: Image.Image) -> Image.Image:
    """An 'L' image whose values are relative luminance × 255."""
    r, g, b = image.convert("RGB").split()
    parts = [channel.point(lut) for channel, lut in zip((r, g, b), _LUT, strict=True)]
    return ImageChops.add(ImageChops.add(parts[0], parts[1]), parts[2])


def contrast(l1: float, l2: float) -> float:
    high, low = max(l1, l2), min(l1, l2)
    return (high + 0.05) / (low + 0.05)


def max_luminance(image: Image.Image, boxes: list[Box]) -> float:
    """The brightest relative luminance of `image` under any of `boxes`."""
    lum = luminance_image(image)
    brightest = 0
    for box in boxes:
        region = lum.crop((int(box.x0), int(box.y0), int(box.x1) + 1, int(box.y1) + 1))
        brightest = max(brightest, region.getextrema()[1])
    return brightest / 255


def _solid(content: Content, width: int, height: int) -> Image.Image:
    base = _hex(content.colour)
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    # Two quiet rings in a darker shade: only ever darker, so contrast only grows.
    dark = _dark(base)
    r = int(max(width, height) * 0.42)
    cx, cy = width + r * 0.25, height * 0.05
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=dark, width=int(r * 0.18))
    r2 = int(r * 0.55)
    cx2, cy2 = width * 0.92, height + r2 * 0.2
    draw.ellipse((cx2 - r2, cy2 - r2, cx2 + r2, cy2 + r2), fill=dark)
    return image


def _dark(base: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(int(c * 0.82) for c in base)


ENLARGE = 1.3
"""How much a card may enlarge its photo (darkened under the text, a 1.3× step does
not show): a phone's 4000×3000 photo is decoded at half its size, not whole, for the
1080×1920 card."""


def upright_photo(content: Content, sizes: list[tuple[int, int]]) -> Image.Image:
    """A story's photo, upright and in RGB, decoded once for all its cards: at the
    smallest scale that fills the largest of `sizes`, enlarged at most ENLARGE×."""
    with Image.open(content.image) as source:
        width, height = source.size
        turned = source.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        if turned:
            width, height = height, width
        # What `fit` keeps of the upright photo, scaled to a card: the card's width or
        # its height, whichever the photo's shape leaves filled.
        scale = max(max(w / width, h / height) for w, h in sizes) / ENLARGE
        wanted = (math.ceil(width * scale), math.ceil(height * scale))
        source.draft("RGB", wanted[::-1] if turned else wanted)  # JPEG: decode smaller
        photo = ImageOps.exif_transpose(source)
        return photo if photo.mode == "RGB" else photo.convert("RGB")


def _photo(
    content: Content, width: int, height: int, text_boxes: list[Box], upright: Image.Image | None
) -> Image.Image:
    if upright is None:
        upright = upright_photo(content, [(width, height)])
    photo = _fit(upright, width, height, (content.focus[0] / 100, content.focus[1] / 100))
    tint = Image.new("RGB", (width, height), tuple(int(c * 0.35) for c in _hex(content.colour)))
    for alpha in (0.55, 0.62, 0.7, 0.78, 0.85, 0.92, 1.0):
        shaded = Image.blend(photo, tint, alpha)
        if contrast(1.0, max_luminance(shaded, text_boxes)) >= MIN_CONTRAST:
            return shaded
    return shaded


def _fit(image: Image.Image, width: int, height: int, centering: tuple[float, float]):
    """ImageOps.fit's crop around the focus, resized with a reducing gap: a photo
    several times the card's size is first reduced by whole steps (far cheaper, and
    not to be told apart at a gap of 1.5 under the card's tint)."""
    aspect = width / height
    if image.width / image.height > aspect:
        crop_w, crop_h = image.height * aspect, image.height
    else:
        crop_w, crop_h = image.width, image.width / aspect
    left = (image.width - crop_w) * centering[0]
    top = (image.height - crop_h) * centering[1]
    box = (left, top, left + crop_w, top + crop_h)
    return image.resize((width, height), Image.Resampling.LANCZOS, box=box, reducing_gap=1.5)


def background(layout: Layout, content: Content, upright: Image.Image | None = None):
    d = layout.design
    if content.image:
        return _photo(content, d.width, d.height, layout.boxes(), upright)
    return _solid(content, d.width, d.height)


def _text(draw: ImageDraw.ImageDraw, chain: FontChain, block: Block | None, fill) -> None:
    if block is None:
        return
    for run in block.runs:
        direction = "rtl" if run.rtl else "ltr"
        path = str(chain.path(run.family, run.bold))
        mask, (left, top) = _mask(path, run.size, run.text, direction)
        draw.bitmap((round(run.x + left), round(run.baseline + top)), mask, fill=fill)


@lru_cache(maxsize=256)  # a few MB: titles are unique, the site's name and labels are not
def _mask(path: str, size: int, text: str, direction: str) -> tuple[Image.Image, tuple]:
    """`text` rasterized once as a coverage mask, with its offset from the pen position.
    Repeated texts (the site's name, area labels, members) are drawn from the cache."""
    left, top, right, bottom = ink_box(path, size, text, direction)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text(
        (-left, -top), text, font=_load(path, size), fill=255, anchor="ls", direction=direction
    )
    return mask, (left, top)


def render(
    layout: Layout,
    content: Content,
    chain: FontChain,
    *,
    keep_background: bool = False,
    upright: Image.Image | None = None,
) -> tuple[Image.Image, Image.Image | None]:
    """The finished card, and (when asked, to measure contrast) its background alone.
    `upright`: the story's photo as upright_photo() decoded it for all its sizes."""
    card = background(layout, content, upright)
    back = card.copy() if keep_background else None
    draw = ImageDraw.Draw(card)
    d = layout.design
    # The brand mark: a ring with a dot, the logo's shape in white.
    size = d.brand * 1.15
    x0, y0 = (
        d.safe.x0,
        layout.brand.runs[0].baseline - size * 0.9 if layout.brand.runs else (d.safe.y0),
    )
    draw.ellipse((x0, y0, x0 + size, y0 + size), outline=WHITE, width=max(2, int(size * 0.16)))
    dot = size * 0.3
    draw.ellipse(
        (
            x0 + size / 2 - dot / 2,
            y0 + size / 2 - dot / 2,
            x0 + size / 2 + dot / 2,
            y0 + size / 2 + dot / 2,
        ),
        fill=WHITE,
    )
    for pill in layout.pills:
        box = pill.box
        draw.rounded_rectangle((box.x0, box.y0, box.x1, box.y1), radius=box.height / 2, fill=WHITE)
        _text(draw, chain, pill.label, _hex(pill.colour))
    for block in (
        layout.brand,
        layout.kind,
        layout.title,
        layout.place,
        layout.impact_value,
        layout.impact_label,
        layout.host,
    ):
        _text(draw, chain, block, WHITE)
    if layout.impact_value is not None and layout.impact_value.runs:
        top = min(r.box.y0 for r in layout.impact_value.runs) - d.margin * 0.4
        x = min(r.box.x0 for r in layout.impact_value.runs)
        draw.rectangle((x, top, x + d.margin * 1.2, top + max(3, d.margin * 0.08)), fill=WHITE)
    return card, back


def palette(content: Content) -> Image.Image:
    """Every colour a card without a photo can hold: the background, its darker rings,
    white, and the anti-aliasing steps between each text colour and what is behind it."""
    back = _hex(content.colour)
    dark = _dark(back)
    colours = [back, dark, WHITE]
    steps = [k / 16 for k in range(1, 16)]
    for base in (back, dark):
        colours += [_mix(base, WHITE, t) for t in steps]
    for _, colour in content.areas[:3]:
        colours += [_mix(WHITE, _hex(colour), t) for t in [*steps, 1.0]]
    image = Image.new("P", (1, 1))
    flat = [value for colour in colours[:256] for value in colour]
    image.putpalette(flat + [0] * (768 - len(flat)))
    return image


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def encode(card: Image.Image, photo: bool, content: Content | None = None) -> tuple[bytes, str]:
    """PNG, or JPEG where a photograph fills the card; always under 1 MB.

    A card without a photo holds a few dozen colours: mapped onto exactly those,
    it is a palette PNG, a third of the size and several times faster to write."""
    buffer = io.BytesIO()
    if photo:
        for quality in (86, 78, 70, 60):
            buffer = io.BytesIO()
            # No comment, EXIF or profile of the photo travels into the card (Pillow
            # would carry the photo's JPEG comment over on its own).
            card.save(buffer, "JPEG", quality=quality, optimize=True, comment=b"")
            if buffer.tell() < MAX_BYTES:
                break
        return buffer.getvalue(), "jpg"
    if content is not None:
        card = card.quantize(palette=palette(content), dither=Image.Dither.NONE)
    card.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue(), "png"
