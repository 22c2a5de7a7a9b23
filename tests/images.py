"""Image files for tests, made on the spot."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims ten billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


GPS = (40.42, -3.70)
"""Where the test photos say they were taken (Madrid's city hall)."""


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A phone picture as a comms team has it: stored on its side with EXIF
    orientation 6, GPS coordinates, camera, author, an XMP packet and a comment.
    Upright it is `height` wide and `width` tall, with a red block at its top left."""
    upright = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((height, width)),
            Image.effect_noise((height, width), 40).point(lambda v: v // 2 + 60),
            Image.linear_gradient("L").rotate(90).resize((height, width)),
        ],
    )
    upright.paste((255, 0, 0), (0, 0, height // 5, width // 5))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what orientation 6 turns back
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "Phonemaker"
    exif[0x0110] = "Phonemaker 12 Pro"
    exif[0x013B] = "Jane Photographer"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (40.0, 25.0, 12.0), 3: "W", 4: (3.0, 42.0, 0.0)})
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane</dc:creator></x:xmpmeta>'
    stored.save(buffer, "JPEG", quality=92, exif=exif, xmp=xmp, comment=b"Taken at the town hall")
    return buffer.getvalue()


def png_with_text(width: int = 1600, height: int = 900) -> bytes:
    """A graphic with text chunks: author, software, a comment."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Designer")
    info.add_text("Comment", "Draft for the roundup")
    info.add_itxt("Description", "Infografía", lang="es")
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def metadata_of(path) -> dict:
    """Every metadata block Pillow finds in an image file (empty when clean)."""
    with Image.open(path) as image:
        found = {
            k: v
            for k, v in image.info.items()
            if k
            in (
                "exif",
                "xmp",
                "XML:com.adobe.xmp",
                "icc_profile",
                "comment",
                "photoshop",
                "adobe",
            )
            and v
        }
        exif = image.getexif()
        if len(exif):
            found["exif tags"] = dict(exif)
        text = getattr(image, "text", None)
        if text:
            found["text chunks"] = dict(text)
        return found
