"""The observation uuids of a result, kept on disk by index (findings cite them after they are written).

Each uuid is appended as its 36 ASCII characters to an anonymous temporary file while the
observations stream out; a finding's ``related-observations`` then reads them back by index, a
block at a time (indices are sorted, so each finding reads the file forward). Memory: one block
and one write buffer, whatever the number of observations; the file goes with the object.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator

WIDTH = 36  # a uuid as text
_WRITE_BUFFER = 1 << 20
_READ_BLOCK = 1 << 16


class UuidFile:
    """Append-only uuids on disk, read back by index."""

    def __init__(self) -> None:
        fd, path = tempfile.mkstemp(prefix="trustsweep-oscal-", suffix=".uuids")
        os.unlink(path)  # anonymous: gone when closed, even after a crash
        self._fd = fd
        self._buffer = bytearray()
        self.count = 0
        self._close = weakref.finalize(self, os.close, fd)

    def append(self, value: str) -> None:
        self._buffer += value.encode("ascii")
        self.count += 1
        if len(self._buffer) >= _WRITE_BUFFER:
            self.flush()

    def flush(self) -> None:
        data = bytes(self._buffer)
        self._buffer.clear()
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:] if written else data)

    def select(self, indices: Iterable[int], expected: int) -> Iterator[str]:
        """The uuids at ``indices``; every one of the ``expected`` uuids must have been appended."""
        if self.count != expected:
            raise RuntimeError(f"{self.count} of {expected} observation uuids written: observations go before findings")
        self.flush()
        start, block = 0, b""
        for i in indices:
            offset = i * WIDTH
            at = offset - start
            if at < 0 or at + WIDTH > len(block):
                start, at = offset, 0
                block = os.pread(self._fd, _READ_BLOCK, offset)
            yield block[at : at + WIDTH].decode("ascii")

    def close(self) -> None:
        self._close()
