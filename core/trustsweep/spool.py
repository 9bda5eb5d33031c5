"""An append-only sequence kept in a temporary file: a sweep's results and resources, off the heap.

A sweep of a large organisation produces millions of results; the client keeps them in a
:class:`Spool` (one orjson line per item in an unnamed temporary file) and only counts and
offsets in memory (8 bytes an item). Iterating streams the file back in blocks, as many times as
a writer needs; ``spool[i]`` reads one item (slow: prefer iterating). The file is deleted when the
spool is closed or collected.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import orjson

T = TypeVar("T")

#: Bytes read from the file at a time while iterating.
BLOCK = 1 << 20
#: Bytes buffered before they are written to the file.
BUFFER = 1 << 20


class Spool(Sequence[T], Generic[T]):
    """A read-only :class:`Sequence` to its readers, appended to by the engine.

    ``encode`` turns an item into one line of JSON (default: orjson, which writes dataclasses,
    datetimes and enums natively); ``decode`` turns the parsed JSON value back into an item.
    """

    def __init__(
        self,
        decode: Callable[[Any], T],
        encode: Callable[[T], bytes] = orjson.dumps,
        directory: str | None = None,
    ) -> None:
        self._decode = decode
        self._encode = encode
        self._file = tempfile.TemporaryFile(prefix="trustsweep-spool-", dir=directory)  # noqa: SIM115 (lives with the spool)
        self._fd = self._file.fileno()
        self._offsets = array("q")  # where each item starts; one more entry: the end
        self._offsets.append(0)
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    # -- the engine's side ----------------------------------------------------------------------

    def append(self, item: T) -> None:
        line = self._encode(item) + b"\n"
        self._pending.append(line)
        self._pending_bytes += len(line)
        self._offsets.append(self._offsets[-1] + len(line))
        if self._pending_bytes >= BUFFER:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        if self._pending:
            os.pwrite(self._fd, b"".join(self._pending), self._offsets[-1] - self._pending_bytes)
            self._pending, self._pending_bytes = [], 0

    def close(self) -> None:
        """Delete the file; the spool is empty afterwards."""
        self._pending, self._pending_bytes = [], 0
        self._offsets = array("q", [0])
        self._file.close()

    # -- the readers' side ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __iter__(self) -> Iterator[T]:
        self._flush()
        end = self._offsets[len(self._offsets) - 1]  # items appended while iterating are not read
        position, rest = 0, b""
        decode, loads = self._decode, orjson.loads
        while position < end:
            block = os.pread(self._fd, min(BLOCK, end - position), position)
            if not block:
                raise OSError("the spool file ended early")
            position += len(block)
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield decode(loads(line))
        if rest:
            yield decode(loads(rest))

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("spool index out of range")
        self._flush()
        start, stop = self._offsets[index], self._offsets[index + 1]
        return self._decode(orjson.loads(os.pread(self._fd, stop - start, start)))

    def __repr__(self) -> str:
        return f"<Spool of {len(self)} items>"

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._file.close()
