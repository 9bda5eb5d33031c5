"""CSV populations for auditors: ``results.csv`` (one row per check result) and ``criteria.csv``.

UTF-8, RFC 4180 quoting (``csv.QUOTE_MINIMAL`` with ``\\r\\n`` line ends), and every text cell that
a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage return) is
prefixed with ``'`` — resource names and tags are attacker-controlled.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .rows import attestation_summary, criterion_title, result_rows

if TYPE_CHECKING:
    from ..sweep import Sweep

RESULT_COLUMNS = (
    "sweep_id", "sweep_started", "provider", "target", "region", "resource_type", "resource_id",
    "resource_name", "check_id", "check_title", "criteria", "status", "severity", "reason",
    "waiver_approved_by", "waiver_expires", "waiver_reason",
)
CRITERION_COLUMNS = (
    "sweep_id", "sweep_started", "criterion", "title", "state", "basis", "pass", "fail", "error",
    "not_applicable", "waived", "checks", "attestations", "reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell as text, defused against spreadsheet formula injection."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write(path: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return path


def write(sweep: Sweep, out_dir: Path, options: Collection[str] = ()) -> list[Path]:
    started = sweep.started.isoformat()

    def results() -> Iterable[list[object]]:
        for row in result_rows(sweep):
            r, w = row.result, row.result.waiver
            yield [sweep.id, started, r.provider, r.target, r.region, r.resource_type, r.resource_id,
                   row.resource_name, r.check_id, row.title, " ".join(row.criteria), r.status.value,
                   row.severity, r.reason, w.approved_by if w else "",
                   w.expires.isoformat() if w else "", w.reason if w else ""]

    def criteria() -> Iterable[list[object]]:
        for f in sweep.findings:
            c = f.counts
            yield [sweep.id, started, f.criterion_id, criterion_title(sweep, f), f.state, f.basis.value,
                   c.get("pass", 0), c.get("fail", 0), c.get("error", 0), c.get("not_applicable", 0),
                   f.waived, " ".join(f.checks), attestation_summary(f), f.reason]

    return [_write(out_dir / "results.csv", RESULT_COLUMNS, results()),
            _write(out_dir / "criteria.csv", CRITERION_COLUMNS, criteria())]
