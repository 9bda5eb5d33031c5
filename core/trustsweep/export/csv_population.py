"""CSV populations for auditors: ``results.csv`` (one row per check result) and ``criteria.csv``.

UTF-8, RFC 4180 quoting (``csv.QUOTE_MINIMAL`` with ``\\r\\n`` line ends), and every text cell that
a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage return) is
prefixed with ``'`` — resource names and tags are attacker-controlled.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import ExportContext
from .rows import ResourceNames, attestation_summary, criteria_index, criterion_title

if TYPE_CHECKING:
    from ..sweep import Sweep

RESULT_COLUMNS = (
    "sweep_id",
    "sweep_started",
    "provider",
    "target",
    "region",
    "resource_type",
    "resource_id",
    "resource_name",
    "check_id",
    "check_title",
    "criteria",
    "status",
    "severity",
    "reason",
    "waiver_approved_by",
    "waiver_expires",
    "waiver_reason",
)
CRITERION_COLUMNS = (
    "sweep_id",
    "sweep_started",
    "criterion",
    "title",
    "state",
    "basis",
    "pass",
    "fail",
    "error",
    "not_applicable",
    "waived",
    "checks",
    "attestations",
    "reason",
)
_FORMULA_START = "=+-@\t\r"


def neutralise(value: object) -> str:
    """A cell as text, defused against spreadsheet formula injection."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return "'" + text if text[:1] in _FORMULA_START and text else text


def _write(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write(sweep: Sweep, out_dir: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    started = sweep.started.isoformat()

    index, names = criteria_index(sweep), ResourceNames(sweep.resources)
    meta = {cid: (spec.title, spec.severity.value) for cid, spec in sweep.checks.items()}

    # The cells that repeat — where a result was found and which check — are neutralised once per
    # (provider, target, region, type) and per check; only the resource and reason vary per row.
    places: dict[tuple[str, str, str, str], tuple[str, ...]] = {}
    checks: dict[str, tuple[tuple[str, ...], str]] = {}
    sweep_cells = (neutralise(sweep.id), neutralise(started))

    def results() -> Iterable[list[str]]:
        for r in sweep.results:
            where = places.get((r.provider, r.target, r.region, r.resource_type))
            if where is None:
                where = places[(r.provider, r.target, r.region, r.resource_type)] = (
                    *sweep_cells,
                    *(neutralise(v) for v in (r.provider, r.target, r.region, r.resource_type)),
                )
            check = checks.get(r.check_id)
            if check is None:
                title, severity = meta.get(r.check_id, (r.check_id, ""))
                check = checks[r.check_id] = (
                    tuple(neutralise(v) for v in (r.check_id, title, " ".join(index.get(r.check_id, ())))),
                    neutralise(severity),
                )
            name = names.name(r)
            w = r.waiver
            yield [
                *where,
                neutralise(r.resource_id),
                neutralise(name) if name else "",
                *check[0],
                r.status.value,
                check[1],
                neutralise(r.reason),
                neutralise(w.approved_by) if w else "",
                w.expires.isoformat() if w else "",
                neutralise(w.reason) if w else "",
            ]

    def criteria() -> Iterable[list[str]]:
        for f in sweep.findings:
            c = f.counts
            yield [
                neutralise(v)
                for v in (
                    sweep.id,
                    started,
                    f.criterion_id,
                    criterion_title(sweep, f),
                    f.state,
                    f.basis.value,
                    c.get("pass", 0),
                    c.get("fail", 0),
                    c.get("error", 0),
                    c.get("not_applicable", 0),
                    f.waived,
                    " ".join(f.checks),
                    attestation_summary(f),
                    f.reason,
                )
            ]

    return [
        _write(out_dir / "results.csv", RESULT_COLUMNS, results()),
        _write(out_dir / "criteria.csv", CRITERION_COLUMNS, criteria()),
    ]
