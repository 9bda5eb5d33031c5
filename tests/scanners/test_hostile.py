"""Report text is data wherever it is shown: markup in ids and package names never becomes markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markdown_it import MarkdownIt

from trustsweep.testing.cli import run_cli
from trustsweep_scanners.emulator import trivy_report, write

EVIL_PACKAGE = "<img src=x onerror=alert(1)>|`x`\x1b[31m**bold**"
EVIL_ID = "CVE-2024-0001</td><script>alert(2)</script>\n| forged | row |"


def test_hostile_report_text_is_escaped_in_every_output(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    reports = tmp_path / "reports"
    write(
        reports / "evil.json",
        trivy_report(
            "registry.example/<b>evil</b>:1",
            [(EVIL_ID, EVIL_PACKAGE, "CRITICAL", "9.9", now - dt.timedelta(days=30))],
            now,
        ),
    )
    out = tmp_path / "out"
    proc = run_cli("sweep", "-p", "scanners", "-t", str(reports), "--no-store", "--out", str(out), "--export", "html")
    assert proc.returncode == 1, proc.stderr  # the critical finding is overdue: the outputs were written
    assert "\x1b" not in proc.stdout + proc.stderr
    summary = (out / "summary.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "CVE-2024-0001" in summary and "CVE-2024-0001" in html  # the finding is shown...
    for raw in ("<img src=x", "<script>alert(2)", "<b>evil</b>"):
        assert raw not in html, raw  # ...as text, never as markup
    tokens = [
        t for block in MarkdownIt("commonmark").enable("table").parse(summary) for t in [block, *(block.children or [])]
    ]
    assert not [t.content for t in tokens if t.type in ("html_inline", "html_block")]
    assert "\n| forged | row |" not in summary
