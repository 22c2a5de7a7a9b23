"""Checks hero images before anything uses them: inside the project, really an
image, complete, and of a sane size."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage

from ogp_local.cache.digests import remembered

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
"""The formats we publish, by what the file holds (a `.jfif` is a JPEG), not its name."""
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
"""Far more than any hero image needs; a bigger one is a decompression bomb or a mistake."""


class ImageError(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Checked:
    path: str
    """Relative to the project root, with forward slashes."""
    width: int
    height: int
    """Upright: EXIF orientation applied (a phone photo on its side is taller)."""
    mime: str
    gps: tuple[float, float] | None = None
    """(latitude, longitude) the file holds, if any."""


def check(root: Path, relative_to: Path, value: str) -> Checked:
    """Resolve `value` (relative to the folder `relative_to`) and check the image."""
    if value.startswith(("http://", "https://", "//")):
        raise ImageError(
            f"'{value}' is a web address; images must ship with the site",
            "save the image beside the story and give its file name",
        )
    root = root.resolve()
    target = (relative_to / value).resolve()
    if not target.is_relative_to(root):
        raise ImageError(f"'{value}' is outside the project", "keep images beside the story")
    shown = target.relative_to(root).as_posix()
    if not target.is_file():
        raise ImageError(f"'{shown}' does not exist", "check the file name and folder")
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise ImageError(
            f"'{shown}' is {size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB",
            "save it at a smaller size",
        )
    # Decoding a phone photo to find it whole takes a while: once per version of the file.
    width, height, kind, gps = remembered("check-v1", target, lambda: list(_decode(target, shown)))
    return Checked(shown, width, height, MIME[kind], tuple(gps) if gps else None)


RASTER = frozenset({".jpg", ".jpeg", ".jfif", ".png", ".webp", ".gif"})
"""The image files the site re-encodes (outputs/photos/variants.py); SVGs are published
as written."""


def location(exif: PILImage.Exif) -> tuple[float, float] | None:
    """The GPS coordinates in an image's EXIF, in degrees; None without them."""
    try:
        gps = exif.get_ifd(0x8825)
        lat, lon = gps.get(2), gps.get(4)
        if not lat or not lon:
            return None

        def degrees(value, ref: str) -> float:
            d, m, s = (float(v) for v in value)
            sign = -1 if str(ref).upper() in ("S", "W") else 1
            return round(sign * (d + m / 60 + s / 3600), 2)

        return degrees(lat, gps.get(1, "N")), degrees(lon, gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _decode(target: Path, shown: str) -> tuple[int, int, str, tuple[float, float] | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(target) as im:
                kind = im.format
                if kind not in MIME:
                    raise ImageError(
                        f"'{shown}' is a {im.format} image", "use JPEG, PNG, WebP or GIF"
                    )
                width, height = im.size
                exif = im.getexif()
                if exif.get(0x0112, 1) in (5, 6, 7, 8):  # stored on its side
                    width, height = height, width
                gps = location(exif)
                if width * height > MAX_PIXELS:
                    raise ImageError(
                        f"'{shown}' is {width}×{height} pixels, over the limit of "
                        f"{MAX_PIXELS // 1_000_000} megapixels",
                        "scale it down to at most 4000 pixels wide",
                    )
                if im.format == "JPEG":
                    im.draft("RGB", (512, 512))  # decodes every byte, at low cost
                im.load()
    except ImageError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ImageError(
            f"'{shown}' is too large to open safely: {exc}",
            "scale it down to at most 4000 pixels wide",
        ) from exc
    except PILImage.UnidentifiedImageError as exc:
        raise ImageError(f"'{shown}' is not an image", "export it again as JPEG or PNG") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"'{shown}' is damaged or truncated ({exc})", "export it again") from exc
    return width, height, kind, gps
