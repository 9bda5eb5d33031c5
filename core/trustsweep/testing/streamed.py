"""Sequences that behave like a big sweep's spilled results: iteration only, passes counted.

A consumer of a :class:`~trustsweep.sweep.Sweep` (an exporter, a report, the evidence store)
must read ``sweep.results``, ``sweep.resources`` and each ``finding.results`` front to back, a
bounded number of times, never by index: at organisation scale they stream from disk.
:func:`streamed` gives a copy of a sweep whose sequences enforce that::

    s = streamed(sweep)
    write(s.sweep, out_dir, ExportContext())
    assert s.results.passes <= 2 and s.resources.passes <= 2
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, overload

if TYPE_CHECKING:
    from ..sweep import Sweep

T = TypeVar("T")


class RandomAccessError(AssertionError):
    """A streamed sequence was indexed or sliced."""


class StreamOnly(Sequence[T]):
    """``len()`` and iteration (each one a counted pass); indexing or slicing raises."""

    def __init__(self, items: Iterable[T], name: str = "sequence") -> None:
        self._items = list(items)
        self.name = name
        self.passes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        self.passes += 1
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> NoReturn:
        raise RandomAccessError(f"{self.name}[{index!r}]: a streamed sequence is read front to back, never indexed")

    def __contains__(self, value: object) -> bool:
        raise RandomAccessError(f"`in {self.name}`: a scan per lookup")

    def __reversed__(self) -> Iterator[T]:
        raise RandomAccessError(f"reversed({self.name})")


@dataclass
class Streamed:
    """A sweep whose results, resources and findings' result indices are :class:`StreamOnly`."""

    sweep: Sweep
    results: StreamOnly[Any]
    resources: StreamOnly[Any]
    indices: list[StreamOnly[int]]

    @property
    def index_passes(self) -> int:
        """The most passes over one finding's result indices."""
        return max((i.passes for i in self.indices), default=0)


def streamed(sweep: Sweep) -> Streamed:
    """A shallow copy of ``sweep`` whose big sequences refuse random access and count passes."""
    results: StreamOnly[Any] = StreamOnly(sweep.results, "sweep.results")
    resources: StreamOnly[Any] = StreamOnly(sweep.resources, "sweep.resources")
    indices = [StreamOnly(f.results, f"finding {f.criterion_id}.results") for f in sweep.findings]
    findings = [dataclasses.replace(f, results=i) for f, i in zip(sweep.findings, indices, strict=True)]
    copy = dataclasses.replace(sweep, results=results, resources=resources, findings=findings)
    return Streamed(copy, results, resources, indices)
