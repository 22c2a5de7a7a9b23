"""Pagefind's bundle in one order: the same records give the same bytes (reproducible
builds with SOURCE_DATE_EPOCH), whatever order Pagefind's hash maps chose."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2


class SearchFormatError(Exception):
    """A file of the bundle is not in the format we know (another Pagefind?)."""


_MAGIC = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise SearchFormatError(f"pagefind wrote a file of an unknown format: {path.name}")
    return cbor2.loads(data[len(_MAGIC) :])


def _write(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """`value` as a Pagefind file named by its digest; returns the name's hash part."""
    data = gzip.compress(_MAGIC + cbor2.dumps(value), 9, mtime=0)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(data)
    return name


def canonical(bundle: Path) -> None:
    """Put Pagefind's filter files in one order: byte-identical bundles for the same
    records (reproducible builds with SOURCE_DATE_EPOCH).

    Pagefind 1.5 writes each filter's values, and the filter and meta-field lists,
    in the order of a Rust HashMap, which changes from run to run; pages, words and
    fragments come out the same. The filter files are rewritten with their values
    sorted and renamed by digest, then the language's meta file that lists them,
    then the entry file that names that, its languages in the order of their codes.
    (Formats: gzip of b"pagefind_dcd" + CBOR.)
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        version, pages, chunks, filters, sorts, fields = meta
        renamed = []
        for name, hashed in filters:
            path = bundle / "filter" / f"{hashed}.pf_filter"
            title, values = _read(path)
            path.unlink()
            values = sorted([value, sorted(indices)] for value, indices in values)
            prefix = hashed.split("_")[0] + "_"
            renamed.append([name, _write(path.parent, prefix, ".pf_filter", [title, values], 7)])
        meta_path.unlink()
        meta = [version, pages, chunks, sorted(renamed), sorts, sorted(fields)]
        prefix = language["hash"].split("_")[0] + "_"
        language["hash"] = _write(bundle, f"pagefind.{prefix}", ".pf_meta", meta, 10).removeprefix(
            "pagefind."
        )
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
