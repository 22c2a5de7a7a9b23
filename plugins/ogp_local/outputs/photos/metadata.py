"""Removing metadata from the repository's own image files, losslessly: the image
data is copied as it is, only the blocks that describe the photo go (EXIF with its
GPS position, camera and author; XMP; IPTC; comments; PNG text chunks). The site
never publishes them anyway (variants.py re-encodes); this is for a repository that
may itself be public. A photo stored on its side keeps a minimal EXIF block with
only its orientation, so it still shows upright.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_JPEG_NAMES = {0xE1: "EXIF/XMP", 0xED: "IPTC", 0xFE: "comment", 0xEC: "Ducky"}


@dataclass
class Stripped:
    data: bytes
    removed: list[str] = field(default_factory=list)
    """What went, in words: 'EXIF (GPS, camera, author)', 'XMP', 'comment'…"""


def strip(path: Path) -> Stripped | None:
    """The file's bytes without metadata, or None when it holds none (or is not a
    JPEG, PNG or WebP: those are left as they are)."""
    data = path.read_bytes()
    if data.startswith(b"\xff\xd8"):
        result = _jpeg(data)
    elif data.startswith(_PNG_SIGNATURE):
        result = _png(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        result = _webp(data)
    else:
        return None
    return result if result.removed else None


def _exif_words(payload: bytes) -> str:
    """'EXIF (GPS, camera, author)': what an EXIF block told."""
    try:
        exif = Image.Exif()
        exif.load(payload)
        told = []
        if exif.get_ifd(0x8825):
            told.append("GPS")
        if exif.get(0x010F) or exif.get(0x0110):
            told.append("camera")
        if exif.get(0x013B) or exif.get(0x8298):
            told.append("author")
        return "EXIF" + (f" ({', '.join(told)})" if told else "")
    except Exception:  # noqa: BLE001 - a damaged block is still a block to drop
        return "EXIF"


def _bare(payload: bytes) -> bool:
    """Whether an EXIF block says nothing but the orientation."""
    try:
        exif = Image.Exif()
        exif.load(payload)
        return set(exif) <= {0x0112}
    except Exception:  # noqa: BLE001
        return False


def _orientation(payload: bytes) -> int:
    try:
        exif = Image.Exif()
        exif.load(payload)
        return int(exif.get(0x0112, 1))
    except Exception:  # noqa: BLE001
        return 1


def _jpeg(data: bytes) -> Stripped:
    out = io.BytesIO()
    out.write(data[:2])
    removed: list[str] = []
    orientation = 1
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break  # not a marker: copy the rest as it is
        marker = data[pos + 1]
        if marker == 0xDA or marker == 0xD9:  # start of scan / end: image data follows
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment = data[pos : pos + 2 + length]
        payload = segment[4:]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00") and _bare(payload[6:]):
            out.write(segment)  # orientation alone: what an earlier strip left
        elif marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            removed.append(_exif_words(payload[6:]))
            orientation = _orientation(payload[6:])
        elif marker == 0xE1:
            removed.append("XMP")
        elif marker in _JPEG_NAMES:
            removed.append(_JPEG_NAMES[marker])
        else:
            out.write(segment)
        pos += 2 + length
    rest = data[pos:]
    body = out.getvalue()
    if orientation != 1:  # keep the photo upright: a block with its orientation alone
        exif = Image.Exif()
        exif[0x0112] = orientation
        block = b"Exif\x00\x00" + exif.tobytes()
        app1 = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        insert = 2
        if body[2:4] == b"\xff\xe0":  # after JFIF's APP0, which must come first
            insert = 4 + struct.unpack(">H", body[4:6])[0]
        body = body[:insert] + app1 + body[insert:]
    return Stripped(body + rest, list(dict.fromkeys(removed)))


def _png(data: bytes) -> Stripped:
    out = io.BytesIO()
    out.write(_PNG_SIGNATURE)
    removed = []
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if kind in _PNG_DROPPED:
            removed.append("EXIF" if kind == b"eXIf" else f"{kind.decode()} chunk")
        else:
            out.write(chunk)
        pos += 12 + length
        if kind == b"IEND":
            break
    return Stripped(out.getvalue(), list(dict.fromkeys(removed)))


def _webp(data: bytes) -> Stripped:
    chunks = []
    removed = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunk = data[pos : pos + 8 + size + (size & 1)]
        if kind in (b"EXIF", b"XMP "):
            removed.append(kind.decode().strip())
        else:
            chunks.append(bytearray(chunk))
        pos += 8 + size + (size & 1)
    for chunk in chunks:
        if chunk[:4] == b"VP8X":
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # the EXIF and XMP flags
    body = b"WEBP" + b"".join(bytes(c) for c in chunks)
    return Stripped(b"RIFF" + struct.pack("<I", len(body)) + body, removed)


def write(path: Path, data: bytes) -> None:
    """Replace the file whole (a crash never leaves half an image), keeping its mode."""
    temp = path.with_name(f".{path.name}.strip.tmp")
    temp.write_bytes(data)
    temp.chmod(path.stat().st_mode & 0o7777)
    temp.replace(path)
