"""What checking a photo found is remembered by the photo's content: a CI checkout,
which gives every file a new time, decodes none of them again."""

from __future__ import annotations

import os

import pytest
from images import jpeg
from ogp_local.cache import digests
from ogp_local.content import images


def test_a_photo_with_a_new_time_is_not_decoded_again(tmp_path, monkeypatch):
    photo = tmp_path / "cases" / "hero.jpg"
    photo.parent.mkdir()
    photo.write_bytes(jpeg(800, 400))
    first = images.check(tmp_path, photo.parent, "hero.jpg")
    memo = tmp_path / "digests.json"
    digests.save(memo)
    monkeypatch.setattr(digests, "_KNOWN", {})  # the next build: a new process
    digests.load(memo)

    later = photo.stat().st_mtime_ns + 3_600_000_000_000
    os.utime(photo, ns=(later, later))  # as a fresh clone has it

    def decode(*_):
        raise AssertionError("decoded again")

    monkeypatch.setattr(images, "_decode", decode)
    assert images.check(tmp_path, photo.parent, "hero.jpg") == first

    photo.write_bytes(jpeg(640, 480))  # new content: checked again
    with pytest.raises(AssertionError, match="decoded again"):
        images.check(tmp_path, photo.parent, "hero.jpg")
