"""summary.md carries the report's contents in brief: titles, scope, versions, evidence, top failures."""

from __future__ import annotations

from markdown_it import MarkdownIt

from trustsweep.report.summary import render_markdown


def _tables(md: str) -> dict[str, list[list[str]]]:
    """Each table's rows (cell texts), keyed by the heading above it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    tables: dict[str, list[list[str]]] = {}
    heading, row, rows, in_heading = "overview", [], None, False
    for tok in tokens:
        if tok.type == "heading_open":
            in_heading = True
        elif tok.type == "inline" and in_heading:
            heading, in_heading = tok.content, False
        elif tok.type == "table_open":
            rows = tables.setdefault(heading, [])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and rows is not None:
            row.append("".join(c.content for c in tok.children or []))
        elif tok.type == "tr_close" and rows is not None:
            rows.append(row)
        elif tok.type == "table_close":
            rows = None
    return tables


def test_summary_sections(sweep) -> None:
    md = render_markdown(sweep)
    tables = _tables(md)
    criteria = tables["Criteria"]
    assert criteria[0][:2] == ["criterion", "title"] and len(criteria) == len(sweep.findings) + 1
    titled = {row[0]: row[1] for row in criteria[1:]}
    assert titled["CC6.1"] == sweep.mapping.criteria["CC6.1"].title
    scope = tables[f"In scope ({len(sweep.targets)} targets)"]
    assert [row[1] for row in scope[1:]] == [t.id for t in sweep.targets]
    (attestation,) = tables["Attestations"][1:]
    assert attestation[2] == "Ada <Auditor>" and attestation[3] == "<b>idp</b> report.pdf"
    assert attestation[4] == "a" * 64 and attestation[7] == "valid"
    (waiver,) = tables["Waivers"][1:]
    assert waiver[2:4] == ["Carol", "legacy <HSM>"]
    assert f"trustsweep {sweep.tool_version}; plugins:" in md


def test_top_failures_rank_by_severity_then_count(sweep) -> None:
    rows = _tables(render_markdown(sweep))["Top failures by severity"][1:]
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    keys = [(rank[r[0]], -int(r[2])) for r in rows]
    assert keys == sorted(keys) and rows
    assert rows[0][1] == "synthetic.storage.encrypted" and rows[0][4] == "Turn on encryption."
    blocking = sum(1 for r in sweep.results if r.blocking and r.check_id == "synthetic.storage.encrypted")
    assert int(rows[0][2]) == blocking
    assert "synthetic.keys.rotation" not in [r[1] for r in rows]  # its failures are waived
