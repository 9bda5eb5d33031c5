"""Canonical JSON, hashes, and a Sweep turned into stored rows (and back).

A stored sweep is one *entry* (its header: canonical JSON text, hashed) plus three bulk tables:
resources, observations (one per check × resource) and findings (one per criterion). Each bulk
row is ``(idx, column..., body)``; the header records, per table, the row count and the SHA-256
over every row's :func:`row_line` in ``idx`` order, so a changed, added, removed or reordered
row, or an edited index column, changes the digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from ..model import (
    Attestation,
    CheckResult,
    CheckSpec,
    Revocation,
    Status,
    Target,
    Waiver,
)

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..mappings import Mapping
    from ..sweep import Sweep

T = TypeVar("T")

FORMAT = "trustsweep-evidence"
GENESIS = "0" * 64
_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def dumps_bytes(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, no whitespace, UTF-8."""
    return orjson.dumps(obj, option=_OPTS, default=_default)


def dumps(obj: Any) -> str:
    return dumps_bytes(obj).decode()


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def iso(value: dt.datetime) -> str:
    """A UTC timestamp that sorts as text: ``2026-11-26T10:52:24.000000+00:00``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def row_line(row: Sequence[Any]) -> bytes:
    """What the digest covers for one bulk row ``(idx, col..., body)``: unambiguous by construction."""
    return orjson.dumps(row[:-1]) + row[-1].encode() + b"\n"


def _hash_row(h: Any, row: Sequence[Any]) -> None:
    """``h.update(row_line(row))`` without joining the parts (a long body is not copied twice more)."""
    h.update(orjson.dumps(row[:-1]))
    h.update(row[-1].encode())
    h.update(b"\n")


class RowDigest:
    """Count and SHA-256 of rows fed in order, chunk by chunk."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()
        self.count = 0

    def update(self, rows: Sequence[Sequence[Any]]) -> None:
        if len(rows) < 64:  # a few long rows (findings with their result indices): no joined copy
            for row in rows:
                _hash_row(self._h, row)
        else:
            self._h.update(b"".join([row_line(row) for row in rows]))
        self.count += len(rows)

    def result(self) -> dict[str, Any]:
        return {"count": self.count, "sha256": self._h.hexdigest()}


def digest_rows(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """(count, SHA-256) over rows in order."""
    h = hashlib.sha256()
    count = size = 0
    batch: list[bytes] = []
    for row in rows:
        count += 1
        if len(row[-1]) > _LONG_LINE:  # a finding with its result indices: hashed alone, never joined
            h.update(b"".join(batch))
            _hash_row(h, row)
            batch.clear()
            size = 0
            continue
        line = row_line(row)
        batch.append(line)
        size += len(line)
        if len(batch) >= 4096 or size >= _LONG_LINE:
            h.update(b"".join(batch))
            batch.clear()
            size = 0
    h.update(b"".join(batch))
    return count, h.hexdigest()


_LONG_LINE = 4 * 1024 * 1024  # bytes of row lines joined before they are hashed


# --------------------------------------------------------------------------------------------
# objects → JSON-able dicts


def revocation_dict(r: Revocation) -> dict[str, Any]:
    return {"id": r.id, "target": r.target, "at": iso(r.at), "by": r.by, "reason": r.reason}


def revocation_from(d: dict[str, Any]) -> Revocation:
    return Revocation(d["id"], d["target"], from_iso(d["at"]), d["by"], d["reason"])


def _with_revocation(out: dict[str, Any], revocation: Revocation | None) -> dict[str, Any]:
    if revocation is not None:  # absent, not null, when not revoked: older records keep their shape
        out["revocation"] = revocation_dict(revocation)
    return out


def _revocation_of(d: dict[str, Any]) -> Revocation | None:
    return revocation_from(d["revocation"]) if d.get("revocation") else None


def waiver_dict(w: Waiver) -> dict[str, Any]:
    return _with_revocation(
        {
            "id": w.id,
            "check_id": w.check_id,
            "resource": w.resource,
            "reason": w.reason,
            "expires": iso(w.expires),
            "approved_by": w.approved_by,
        },
        w.revocation,
    )


def waiver_from(d: dict[str, Any]) -> Waiver:
    return Waiver(
        d["check_id"],
        d["resource"],
        d["reason"],
        from_iso(d["expires"]),
        d["approved_by"],
        id=d["id"],
        revocation=_revocation_of(d),
    )


def attestation_dict(a: Attestation) -> dict[str, Any]:
    return _with_revocation(
        {
            "id": a.id,
            "criterion": a.criterion,
            "type": a.type,
            "sha256": a.sha256,
            "filename": a.filename,
            "attested_by": a.attested_by,
            "created": iso(a.created),
            "expires": iso(a.expires),
        },
        a.revocation,
    )


def attestation_from(d: dict[str, Any]) -> Attestation:
    return Attestation(
        d["id"],
        d["criterion"],
        d["type"],
        d["sha256"],
        d["filename"],
        d["attested_by"],
        from_iso(d["created"]),
        from_iso(d["expires"]),
        _revocation_of(d),
    )


def _target_dict(t: Target) -> dict[str, Any]:
    return {"provider": t.provider, "id": t.id, "name": t.name, "attrs": t.public_attrs()}


def _check_dict(c: CheckSpec) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "provider": c.provider,
        "resource_types": list(c.resource_types),
        "severity": c.severity.value,
        "rationale": c.rationale,
        "remediation": c.remediation,
        "function": c.function,
        "aliases": list(c.aliases),
        "plugin": c.plugin,
    }


def _mapping_dict(m: Mapping) -> dict[str, Any]:
    return {
        "framework": m.framework,
        "framework_title": m.framework_title,
        "digest": m.digest,
        "sources": [list(s) for s in m.sources],
        "criteria": [{"id": c.id, "category": c.category, "title": c.title} for c in m.criteria.values()],
        "attestation_types": [
            {"id": a.id, "title": a.title, "validity_days": a.validity_days, "description": a.description}
            for a in m.attestation_types.values()
        ],
        "entries": {cid: {"checks": e.checks, "attestations": e.attestations} for cid, e in m.entries.items()},
        "unavailable_checks": sorted(m.unavailable_checks),
    }


_INDICES = 65_536  # result indices serialised at a time
_NO_RESULTS = b'"results":[]'


def finding_body(f: CriterionFinding) -> str:
    """A finding's stored body: canonical JSON of :func:`_finding_dict` with its result indices.

    The indices (as many as the sweep's results, for a broad criterion) are written into the
    text in slices, never held as one list; the text is byte for byte what serialising the
    whole dict gives. ``"results":[]`` occurs once: the other keys are fixed and no JSON string
    holds an unescaped quote.
    """
    before, after = dumps_bytes(_finding_dict(f)).split(_NO_RESULTS, 1)
    out = bytearray(before)
    out += b'"results":['
    numbered = iter(f.results)
    first = True
    while part := list(islice(numbered, _INDICES)):
        out += b"" if first else b","
        out += orjson.dumps(part)[1:-1]
        first = False
    out += b"]"
    out += after
    return out.decode()  # built in place: one copy of a long body besides the text returned


def _finding_dict(f: CriterionFinding) -> dict[str, Any]:
    """A finding as JSON-able data, its result indices left out (``[]``): see :func:`finding_body`."""
    return {
        "criterion_id": f.criterion_id,
        "state": f.state,
        "basis": f.basis.value,
        "reason": f.reason,
        "checks": f.checks,
        "counts": f.counts,
        "results": [],
        "waived": f.waived,
        "attestations": [
            {
                "type": a.type,
                "state": a.state,
                "note": a.note,
                "attestation": attestation_dict(a.attestation) if a.attestation else None,
            }
            for a in f.attestations
        ],
    }


_STATUS = {status.value: status for status in Status}  # faster than Status(value) on millions of rows


def _result_from(d: dict[str, Any]) -> CheckResult:
    return CheckResult(
        d["check_id"],
        d["provider"],
        d["target"],
        d["region"],
        d["resource_id"],
        d["resource_type"],
        _STATUS[d["status"]],
        d["reason"],
        d["evidence"],
        waiver_from(d["waiver"]) if d["waiver"] else None,
    )


# --------------------------------------------------------------------------------------------
# a Sweep ↔ header + rows

TABLES = {
    "resources": ("key", "type"),
    "observations": ("check_id", "resource_key", "status"),
    "findings": ("criterion_id", "state"),
}


CHUNK = 10_000  # resource and observation rows encoded, digested and inserted at a time
_FINDINGS_CHUNK = 4 * 1024 * 1024  # characters of finding bodies per chunk


def _chunks(items: Iterable[T]) -> Iterator[list[tuple[int, T]]]:
    """``(index, item)`` in lists of :data:`CHUNK`, from one pass over ``items`` (never sliced or indexed)."""
    numbered = enumerate(items)
    while chunk := list(islice(numbered, CHUNK)):
        yield chunk


def encode_rows(sweep: Sweep) -> Iterator[tuple[str, Iterator[list[tuple[Any, ...]]]]]:
    """Per bulk table, its rows ``(idx, column..., body)`` in chunks (so writing can overlap encoding).

    Each sequence is read once, front to back (they may stream from disk). orjson serialises the
    slotted dataclasses natively (fields in declaration order, dict keys
    sorted, datetimes as RFC 3339), three times faster than building dicts first. ``_value_``
    skips the slow ``Enum.value`` descriptor.
    """

    def resources() -> Iterator[list[tuple[Any, ...]]]:
        for chunk in _chunks(sweep.resources):
            yield [(i, f"{r.provider}|{r.target}|{r.id}", r.type, dumps(r)) for i, r in chunk]

    def observations() -> Iterator[list[tuple[Any, ...]]]:
        for chunk in _chunks(sweep.results):
            yield [
                (i, r.check_id, f"{r.provider}|{r.target}|{r.resource_id}", r.status._value_, dumps(r))
                for i, r in chunk
            ]

    def findings() -> Iterator[list[tuple[Any, ...]]]:
        chunk: list[tuple[Any, ...]] = []
        size = 0
        for i, f in enumerate(sweep.findings):  # a body holds its criterion's result indices: chunks by size
            body = finding_body(f)
            chunk.append((i, f.criterion_id, f.state, body))
            size += len(body)
            if size >= _FINDINGS_CHUNK:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    yield "resources", resources()
    yield "observations", observations()
    yield "findings", findings()


def encode_header(sweep: Sweep, recorded: dt.datetime) -> dict[str, Any]:
    """The sweep's entry content, except the row digests (``tables``) and ``seq``/``prev``."""
    checks = [_check_dict(c) for c in sorted(sweep.checks.values(), key=lambda c: c.id)]
    return {
        "format": FORMAT,
        "kind": "sweep",
        "id": sweep.id,
        "started": iso(sweep.started),
        "finished": iso(sweep.finished),
        "recorded": iso(recorded),
        "tool": {"name": "trustsweep", "version": sweep.tool_version},
        "plugins": [
            {"name": p.name, "module": p.module, "distribution": p.distribution, "version": p.version}
            for p in sweep.plugins
        ],
        "providers": list(sweep.providers),
        "targets": [_target_dict(t) for t in sweep.targets],
        "mapping": _mapping_dict(sweep.mapping),
        "checks": checks,
        "attestations": [attestation_dict(a) for a in sweep.attestations],
        "waivers": [waiver_dict(w) for w in sweep.waivers],
        "collection_errors": [e.to_dict() for e in sweep.collection_errors],
        "stats": sweep.stats,
        "provenance": sweep.provenance,  # live sweep or offline inventory (digest, collection time)
        "counts": sweep.counts(),
        "exit_code": sweep.exit_code,
    }
