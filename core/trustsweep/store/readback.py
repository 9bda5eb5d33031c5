"""A stored sweep read back (``trustsweep export``, ``trustsweep report``): checked, in bounded memory.

Each bulk table is streamed from the database once, inside one read snapshot: every row goes
into the table's digest and is decoded into a :class:`~trustsweep.spool.Spool` (past its first
items, a temporary file, as the engine keeps a sweep's results), and the sweep is refused if a
digest differs. The rebuilt :class:`~trustsweep.sweep.Sweep` reads its resources and results
from the spools, decoding one at a time on each pass; a finding's result indices are parsed from
its body a slice at a time into 4 bytes each (:class:`~trustsweep.aggregate.Indices`, as the
engine holds them).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

import orjson

from ..model import CheckResult, CheckSpec, CollectionError, Resource, Severity, Target
from ..spool import Spool
from . import canonical as c

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..mappings import Mapping
    from ..sweep import Sweep

_BATCH = 4096  # rows digested at a time
_INDEX_TEXT = 262_144  # characters of a stored body's indices parsed at a time
_RESULTS_KEY = '"results":['


def _digested(rows: Iterable[tuple[Any, ...]], digest: c.RowDigest) -> Iterator[str]:
    """Each row's body (its last column), every row fed to ``digest`` on the way."""
    stream = iter(rows)
    while batch := list(islice(stream, _BATCH)):
        digest.update(batch)
        for row in batch:
            yield row[-1]


def read_tables(
    rows: Callable[[str], Iterable[tuple[Any, ...]]], expected: dict[str, Any], label: str
) -> tuple[Sequence[Resource], Sequence[CheckResult], list[CriterionFinding]]:
    """A stored sweep's resources and results in spools, its findings decoded; every table's
    digest checked (TamperedError if one differs, before anything is used).

    Rows are decoded as they are read (a finding's body, holding its criterion's result indices,
    one at a time); a row that cannot be decoded is reported after its table's digest, which
    names an alteration first.
    """
    from .ledger import TamperedError

    resources: Spool[Resource] = Spool(Resource.from_dict, c.dumps_bytes)  # as the engine keeps them
    results: Spool[CheckResult] = Spool(c._result_from, c.dumps_bytes)
    findings: list[CriterionFinding] = []
    keep: dict[str, Callable[[str], None]] = {
        "resources": lambda body: resources.append(Resource.from_dict(orjson.loads(body))),
        "observations": lambda body: results.append(c._result_from(orjson.loads(body))),
        "findings": lambda body: findings.append(finding_from_body(body)),
    }
    unreadable = ""
    for table in c.TABLES:
        digest = c.RowDigest()
        for body in _digested(rows(table), digest):
            try:
                keep[table](body)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                unreadable = unreadable or f"a stored row of {table} cannot be read ({exc})"
        got = digest.result()
        if (got["count"], got["sha256"]) != (expected[table]["count"], expected[table]["sha256"]):
            raise TamperedError(f"{label}: stored {table} do not match the sweep's digest")
    if unreadable:
        raise TamperedError(f"{label}: {unreadable}")
    return resources, results, findings


def _split(body: str) -> tuple[str, int, int]:
    """Where a finding body's result indices are: (body, start, end) of the text between the brackets.

    ``"results":[`` occurs once in a stored finding body (see :func:`canonical.finding_body`).
    """
    start = body.index(_RESULTS_KEY) + len(_RESULTS_KEY)
    return body, start, body.index("]", start)


def finding_head(body: str) -> dict[str, Any]:
    """A stored finding's fields but its result indices (``results`` is ``[]``), without parsing them."""
    if _RESULTS_KEY not in body:
        return dict(orjson.loads(body))
    _, start, end = _split(body)
    return dict(orjson.loads(body[:start] + body[end:]))


def finding_from_body(body: str) -> CriterionFinding:
    """A stored finding; its result indices parsed a slice at a time into 4 bytes each."""
    from ..aggregate import Indices

    _, start, end = _split(body)
    indices = array("I")
    pos = start
    while pos < end:
        stop = body.find(",", min(pos + _INDEX_TEXT, end), end)
        stop = end if stop < 0 else stop
        indices.extend(orjson.loads("[" + body[pos:stop] + "]"))
        pos = stop + 1
    return _finding_from(orjson.loads(body[:start] + body[end:]), Indices([indices]))


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
        results,
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
        resources=resources,
        results=results,
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
