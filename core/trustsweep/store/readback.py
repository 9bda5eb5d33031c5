"""A stored sweep read back (``trustsweep export``, ``trustsweep report``): checked, in bounded memory.

Each bulk table is streamed from the database once, inside one read snapshot: every row goes
into the table's digest and its body into a temporary file, and the digest must match the
sweep's entry before anything is decoded. The rebuilt :class:`~trustsweep.sweep.Sweep` then reads
its resources, results and each finding's result indices from those files, decoding one row at
a time on each pass; the files are removed when the sweep is garbage-collected (they live in
the temporary directory, ``$TMPDIR``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar, overload

import orjson

from ..model import CheckResult, CheckSpec, CollectionError, Resource, Severity, Target
from . import canonical as c

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..mappings import Mapping
    from ..sweep import Sweep

T = TypeVar("T")
_BATCH = 4096  # rows digested at a time
_INDEX_BYTES = 8  # a result index on disk: int64
_INDEX_READ = 65_536  # indices read at a time
_INDEX_TEXT = 262_144  # characters of a stored body's indices parsed at a time
_RESULTS_KEY = '"results":['
SPILL_FINDINGS_OVER = 256 * 1024  # characters of a finding's body (~30,000 result indices) kept in memory


class _TempFile:
    """A temporary file, written then sealed (closed), removed when its owner is garbage-collected
    (or the process exits)."""

    def __init__(self, owner: object, suffix: str) -> None:
        fd, self.path = tempfile.mkstemp(prefix="trustsweep-readback-", suffix=suffix)
        self.writer = os.fdopen(fd, "wb")
        weakref.finalize(owner, _remove, self.writer, self.path)

    def seal(self) -> None:
        self.writer.close()


def _remove(writer: BinaryIO, path: str) -> None:
    writer.close()
    with contextlib.suppress(OSError):
        os.unlink(path)


class _SequenceEquality(Sequence[T]):
    """Equal to any sequence (a list too) of equal items in the same order, as a list is."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=False))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Spilled(_SequenceEquality[T]):
    """Rows kept in a temporary file, one line each, decoded one at a time on every pass.

    ``len()`` and iteration (several passes) are cheap; ``seq[i]`` and slices work but scan.
    """

    def __init__(self, decode: Callable[[bytes], T]) -> None:
        self._decode = decode
        self._file = _TempFile(self, ".jsonl")
        self._count = 0

    def append(self, line: str) -> None:
        self._file.writer.write(line.encode() + b"\n")
        self._count += 1

    def seal(self) -> Spilled[T]:
        self._file.seal()
        return self

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        with open(self._file.path, "rb") as fh:
            for line in islice(fh, self._count):
                yield self._decode(line)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(self._count))]
        return self._at(index)

    def _at(self, index: int) -> T:
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(index)
        return next(islice(iter(self), position, None))


class SpilledIndices(_SequenceEquality[int]):
    """A finding's result indices (sorted) in a temporary file of int64s, read in slices per pass."""

    def __init__(self) -> None:
        self._file = _TempFile(self, ".idx")
        self._count = 0

    def extend(self, indices: Iterable[int]) -> None:
        values = array("q", indices)
        values.tofile(self._file.writer)
        self._count += len(values)

    def seal(self) -> SpilledIndices:
        self._file.seal()
        return self

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        with open(self._file.path, "rb") as fh:
            left = self._count
            while left > 0:
                values = array("q")
                values.frombytes(fh.read(min(left, _INDEX_READ) * _INDEX_BYTES))
                left -= len(values)
                yield from values

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        positions = range(self._count)[index]
        if isinstance(positions, range):
            return [self[i] for i in positions]
        with open(self._file.path, "rb") as fh:
            fh.seek(positions * _INDEX_BYTES)
            value = array("q")
            value.frombytes(fh.read(_INDEX_BYTES))
            return value[0]


def spill_table(rows: Iterable[tuple[Any, ...]], into: Spilled[T]) -> tuple[int, str]:
    """Write each row's body (its last column) into ``into``; the rows' (count, SHA-256) as stored."""
    digest = c.RowDigest()
    stream = iter(rows)
    while batch := list(islice(stream, _BATCH)):
        digest.update(batch)
        for row in batch:
            into.append(row[-1])
    into.seal()
    result = digest.result()
    return result["count"], result["sha256"]


def spill_tables(
    rows: Callable[[str], Iterable[tuple[Any, ...]]], expected: dict[str, Any], label: str
) -> dict[str, Spilled[Any]]:
    """Each bulk table's bodies in a temporary file, its digest checked (TamperedError if it differs)."""
    from .ledger import TamperedError

    spilled: dict[str, Spilled[Any]] = {
        "resources": Spilled(resource_from),
        "observations": Spilled(result_from),
        "findings": Spilled(body_text),
    }
    for table, into in spilled.items():
        if spill_table(rows(table), into) != (expected[table]["count"], expected[table]["sha256"]):
            raise TamperedError(f"{label}: stored {table} do not match the sweep's digest")
    return spilled


def _indices_of(body: str, into: SpilledIndices) -> str:
    """Move a finding body's result indices into ``into`` (a slice at a time); the body without them.

    ``"results":[`` occurs once in a stored finding body (see :func:`canonical.finding_body`).
    """
    start = body.index(_RESULTS_KEY) + len(_RESULTS_KEY)
    end = body.index("]", start)
    pos = start
    while pos < end:
        stop = body.find(",", min(pos + _INDEX_TEXT, end), end)
        stop = end if stop < 0 else stop
        into.extend(orjson.loads("[" + body[pos:stop] + "]"))
        pos = stop + 1
    into.seal()
    return body[:start] + body[end:]


def finding_head(body: str) -> dict[str, Any]:
    """A stored finding's fields but its result indices (``results`` is ``[]``), without parsing them."""
    start = body.find(_RESULTS_KEY)
    if start < 0:
        return dict(orjson.loads(body))
    start += len(_RESULTS_KEY)
    return dict(orjson.loads(body[:start] + body[body.index("]", start) :]))


def finding_from_body(body: str) -> CriterionFinding:
    """A stored finding; the result indices of a big one are spilled to a temporary file."""
    if len(body) <= SPILL_FINDINGS_OVER:
        data = orjson.loads(body)
        return _finding_from(data, list(data["results"]))
    indices = SpilledIndices()
    return _finding_from(orjson.loads(_indices_of(body, indices)), indices)


def _check_from(d: dict[str, Any]) -> CheckSpec:
    return CheckSpec(
        d["id"],
        d["title"],
        d["provider"],
        tuple(d["resource_types"]),
        Severity(d["severity"]),
        d["rationale"],
        d["remediation"],
        d["function"],
        tuple(d["aliases"]),
        d["plugin"],
    )


def _mapping_from(d: dict[str, Any]) -> Mapping:
    from ..mappings import AttestationType, Criterion, CriterionMapping, Mapping

    return Mapping(
        framework=d["framework"],
        framework_title=d["framework_title"],
        criteria={c["id"]: Criterion(c["id"], c["category"], c["title"]) for c in d["criteria"]},
        attestation_types={
            a["id"]: AttestationType(a["id"], a["title"], a["validity_days"], a["description"])
            for a in d["attestation_types"]
        },
        entries={cid: CriterionMapping(list(e["checks"]), list(e["attestations"])) for cid, e in d["entries"].items()},
        sources=[(s[0], s[1]) for s in d["sources"]],
        unavailable_checks=set(d["unavailable_checks"]),
    )


def _finding_from(d: dict[str, Any], results: Sequence[int]) -> CriterionFinding:
    from ..aggregate import AttestationState, Basis, CriterionFinding

    states = [
        AttestationState(
            a["type"], a["state"], c.attestation_from(a["attestation"]) if a["attestation"] else None, a.get("note", "")
        )
        for a in d["attestations"]
    ]
    return CriterionFinding(
        d["criterion_id"],
        d["state"],
        Basis(d["basis"]),
        d["reason"],
        list(d["checks"]),
        dict(d["counts"]),
        results,  # type: ignore[arg-type]  # a Sequence[int] like the engine's
        states,
        d["waived"],
    )


def decode_sweep(
    header: dict[str, Any],
    resources: Sequence[Resource],
    results: Sequence[CheckResult],
    findings: list[CriterionFinding],
    chain_head: str,
) -> Sweep:
    """Rebuild the Sweep a stored entry came from (for export) around its read-back rows."""
    from ..plugins import PluginInfo
    from ..sweep import Sweep

    return Sweep(
        id=header["id"],
        started=c.from_iso(header["started"]),
        finished=c.from_iso(header["finished"]),
        providers=list(header["providers"]),
        targets=[Target(t["provider"], t["id"], t["name"], t["attrs"]) for t in header["targets"]],
        resources=resources,  # type: ignore[arg-type]  # read back: a Sequence, as the engine's may be
        results=results,  # type: ignore[arg-type]
        findings=findings,
        collection_errors=[CollectionError.from_dict(e) for e in header["collection_errors"]],
        mapping=_mapping_from(header["mapping"]),
        checks={spec["id"]: _check_from(spec) for spec in header["checks"]},
        plugins=[PluginInfo(p["name"], p["module"], p["distribution"], p["version"]) for p in header["plugins"]],
        attestations=[c.attestation_from(a) for a in header["attestations"]],
        waivers=[c.waiver_from(w) for w in header["waivers"]],
        stats=dict(header["stats"]),
        tool_version=header["tool"]["version"],
        chain_head=chain_head,
        provenance=dict(header.get("provenance") or {}),  # entries before provenance was recorded: {}
    )


def resource_from(line: bytes) -> Resource:
    return Resource.from_dict(orjson.loads(line))


def result_from(line: bytes) -> CheckResult:
    return c._result_from(orjson.loads(line))


def body_text(line: bytes) -> str:
    return line[:-1].decode()
