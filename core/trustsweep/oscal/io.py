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


def serialize(doc: Any, fmt: str = "json") -> bytes:
    if fmt == "json":
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
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


def dump(doc: Any, path: Path, fmt: str = "json") -> Path:
    """Write one document atomically as ``fmt`` (``json`` or ``yaml``)."""
    return write_atomic(Path(path), serialize(doc, fmt))
