"""Writing OSCAL documents: JSON (orjson) or YAML, atomically (temp file + ``os.replace``)."""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
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


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write bytes (or pieces of bytes) to ``path`` so that readers see the old file or the whole
    new one, never half of it: a temp file in the same directory, fsync, then ``os.replace``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
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


class Stream:
    """A JSON array written lazily by :func:`dump_streaming`: ``items`` (an iterator), then ``tail``."""

    __slots__ = ("items", "tail")

    def __init__(self, items: Iterator[Any], tail: list[Any] | None = None) -> None:
        self.items = items
        self.tail = list(tail or ())


def _pieces(doc: Any, chunk_size: int) -> Iterator[bytes]:
    token = uuid.uuid4().hex
    streams: list[Stream] = []

    def default(obj: Any) -> str:
        if isinstance(obj, Stream):
            streams.append(obj)
            return f"__trustsweep_stream_{token}_{len(streams) - 1}__"
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    rest = orjson.dumps(doc, default=default)  # the frame: every Stream as a marker string
    for index, stream in enumerate(streams):  # orjson calls default() in document order
        head, found, rest = rest.partition(f'"__trustsweep_stream_{token}_{index}__"'.encode())
        if not found:
            raise ValueError("a Stream marker went missing while serialising")
        yield head + b"["
        yield from _array_body(stream, chunk_size)
        yield b"]"
    yield rest + b"\n"


def _array_body(stream: Stream, chunk_size: int) -> Iterator[bytes]:
    """The items of a Stream, serialised ``chunk_size`` at a time, comma-separated."""
    first = True
    batch: list[Any] = []
    items = iter(stream.items)
    while True:
        batch.extend(itertools.islice(items, chunk_size - len(batch)))
        done = len(batch) < chunk_size
        if done:
            batch.extend(stream.tail)
        if batch:
            body = orjson.dumps(batch)[1:-1]
            yield body if first else b"," + body
            first = False
            batch.clear()
        if done:
            return


def dump_streaming(doc: Any, path: Path, *, chunk_size: int = 5000) -> Path:
    """Write compact JSON atomically; each :class:`Stream` in the document is serialised chunk by
    chunk, so its items never all exist at once (bounded memory for millions of observations)."""
    return write_atomic(Path(path), _pieces(doc, chunk_size))
