"""CSV populations: a round trip gives back every result; formula cells are neutralised."""

from __future__ import annotations

import csv
from collections import Counter

from trustsweep.export.csv_population import CRITERION_COLUMNS, RESULT_COLUMNS, neutralise


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_results_round_trip(sweep, export) -> None:
    out = export("csv")
    rows = _read(out / "results.csv")
    assert list(rows[0]) == list(RESULT_COLUMNS)
    assert len(rows) == len(sweep.results)
    assert Counter(r["status"] for r in rows) == Counter(r.status.value for r in sweep.results)
    for row, result in zip(rows, sweep.results):
        assert row["check_id"] == result.check_id
        assert row["sweep_id"] == sweep.id
        expected = result.resource_id
        assert row["resource_id"] in (expected, "'" + expected)
        assert row["reason"] in (result.reason, "'" + result.reason)
    waived = [r for r in rows if r["waiver_approved_by"]]
    assert waived and all(r["check_id"] == "synthetic.keys.rotation" for r in waived)


def test_crlf_and_quoting_follow_rfc4180(export) -> None:
    raw = (export("csv") / "results.csv").read_bytes()
    assert raw.split(b"\r\n")[0].startswith(b"sweep_id,")
    assert b'"reason a""b\'c,d\r\ne"' in raw  # quotes doubled, the embedded CRLF kept inside quotes


def test_formula_cells_are_neutralised(export) -> None:
    rows = _read(export("csv") / "results.csv")
    cells = [v for row in rows for v in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and c != "-")]
    assert '\'=HYPERLINK("http://evil.example/x","click")' in cells
    assert "'+cmd|' /C calc'!A0" in cells and "'-2+3" in cells and "'@SUM(A1)" in cells


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("safe = text") == "safe = text"
    assert neutralise(None) == "" and neutralise(3) == "3"


def test_one_row_per_criterion(sweep, export) -> None:
    rows = _read(export("csv") / "criteria.csv")
    assert list(rows[0]) == list(CRITERION_COLUMNS)
    assert [r["criterion"] for r in rows] == [f.criterion_id for f in sweep.findings]
    by_id = {r["criterion"]: r for r in rows}
    for finding in sweep.findings:
        row = by_id[finding.criterion_id]
        assert row["state"] == finding.state and row["basis"] == finding.basis.value
        assert int(row["fail"]) == finding.counts.get("fail", 0)
