"""An append-only sequence that moves to a temporary file once it is large: a sweep's results and facts.

A sweep of a large organisation produces millions of results. A :class:`Spool` keeps its first
``memory_items`` items in a list (a usual sweep never touches the disk); past that it writes them
all, and every later one, as orjson lines to an unnamed temporary file (in ``$TMPDIR``) and keeps
only their offsets in memory (8 bytes an item). Iterating streams the file back in blocks, as many
times as a writer needs; ``spool[i]`` reads one item (slow on disk: prefer iterating). The file is
deleted when the spool is closed or collected.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Generic, TypeVar, overload

import orjson

T = TypeVar("T")

#: Items kept in memory before a spool moves to disk.
MEMORY_ITEMS = 20_000
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
        *,
        memory_items: int | None = None,
        directory: str | None = None,
    ) -> None:
        self._decode = decode
        self._encode = encode
        self._limit = MEMORY_ITEMS if memory_items is None else memory_items
        self._directory = directory
        self._memory: list[T] | None = []  # None once the items are on disk
        self._file: IO[bytes] | None = None
        self._fd = -1
        self._offsets = array("q", [0])  # on disk: where each item starts; one more entry: the end
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    @property
    def on_disk(self) -> bool:
        return self._memory is None

    # -- the engine's side ----------------------------------------------------------------------

    def append(self, item: T) -> None:
        if self._memory is not None:
            self._memory.append(item)
            if len(self._memory) > self._limit:
                self._spill()
            return
        line = self._encode(item) + b"\n"
        self._pending.append(line)
        self._pending_bytes += len(line)
        self._offsets.append(self._offsets[-1] + len(line))
        if self._pending_bytes >= BUFFER:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _spill(self) -> None:
        held, self._memory = self._memory or [], None
        self._file = tempfile.TemporaryFile(prefix="trustsweep-spool-", dir=self._directory)  # noqa: SIM115 (lives with the spool)
        self._fd = self._file.fileno()
        self.extend(held)

    def _flush(self) -> None:
        if self._pending:
            os.pwrite(self._fd, b"".join(self._pending), self._offsets[-1] - self._pending_bytes)
            self._pending, self._pending_bytes = [], 0

    def close(self) -> None:
        """Delete the file; the spool is empty afterwards."""
        self._memory, self._pending, self._pending_bytes = [], [], 0
        self._offsets = array("q", [0])
        if self._file is not None:
            self._file.close()
            self._file = None

    # -- the readers' side ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._memory) if self._memory is not None else len(self._offsets) - 1

    def __iter__(self) -> Iterator[T]:
        if self._memory is not None:
            return iter(self._memory[:])  # a copy: appending while iterating reads what was there
        return self._read()

    def _read(self) -> Iterator[T]:
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
        if self._memory is not None:
            return self._memory[index]
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
        return f"<Spool of {len(self)} items{' on disk' if self.on_disk else ''}>"

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            if self._file is not None:
                self._file.close()
