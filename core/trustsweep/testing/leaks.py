"""Every byte a sweep wrote, for tests that plant secrets and prove they went nowhere."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data += gzip.decompress(data)
    if data.startswith(b"SQLite format 3\x00"):  # long values may be split across pages: dump them too
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                for row in db.execute(f'SELECT * FROM "{table}"'):
                    data += repr(row).encode() + b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
    return data


def written_bytes(*places: Path | str) -> bytes:
    """The contents of every file under ``places`` (files or directories), gzip members
    decompressed and SQLite databases dumped row by row, plus any string given."""
    out = b""
    for place in places:
        if isinstance(place, str):
            out += place.encode()
            continue
        files = [place] if place.is_file() else sorted(p for p in place.rglob("*") if p.is_file())
        for path in files:
            out += _file_bytes(path)
    return out
