"""Writing OSCAL documents: JSON (orjson) or YAML, atomically (temp file + ``os.replace``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

FORMATS = ("json", "yaml")


def _yaml_bytes(doc: Any) -> bytes:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data: Any) -> bool:  # shared sub-objects are written out in full
            return True

    return yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120).encode()


#: Above this many observations JSON is written compact (about half the bytes, time and memory).
INDENT_LIMIT = 10_000


def serialize(doc: Any, fmt: str = "json", *, indent: bool = True) -> bytes:
    if fmt == "json":
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 if indent else 0) + b"\n"
    if fmt == "yaml":
        return _yaml_bytes(doc)
    raise ValueError(f"unknown format {fmt!r} (json or yaml)")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write bytes to ``path`` so that readers see the old file or the whole new one, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def observation_count(doc: Any) -> int:
    root = doc.get("assessment-results") if isinstance(doc, dict) else None
    if not isinstance(root, dict):
        return 0
    return sum(len(r.get("observations") or ()) for r in root.get("results") or ())


def dump(doc: Any, path: Path, fmt: str = "json", *, indent: bool | None = None) -> Path:
    """Write one document atomically as ``fmt`` (``json`` or ``yaml``).

    JSON is indented unless ``indent=False`` or, by default, the document holds more than
    :data:`INDENT_LIMIT` observations.
    """
    if indent is None:
        indent = observation_count(doc) <= INDENT_LIMIT
    return write_atomic(Path(path), serialize(doc, fmt, indent=indent))
