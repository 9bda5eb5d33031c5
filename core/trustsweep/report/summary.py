"""The end-of-sweep summary: a table in the terminal and ``summary.md`` beside the OSCAL."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .text import console, md_code, md_text, print_table, text

if TYPE_CHECKING:
    from ..sweep import Sweep

_MAX_LISTED = 50


def render_markdown(sweep: Sweep) -> str:
    counts = sweep.counts()
    states = Counter((f.state, f.basis.value) for f in sweep.findings)
    lines = [
        "# trustsweep summary",
        "",
        f"- Sweep `{sweep.id}`, {sweep.started.isoformat()} → {sweep.finished.isoformat()}",
        f"- Providers: {md_text(', '.join(sweep.providers)) or 'none'}; targets: {len(sweep.targets)}; "
        f"resources: {len(sweep.resources)}",
        f"- Check results: {counts['pass']} pass, {counts['fail']} fail, {counts['error']} error, "
        f"{counts['not_applicable']} not applicable",
        f"- Criteria: {sum(1 for f in sweep.findings if f.state == 'satisfied')} of {len(sweep.findings)} satisfied",
        f"- Exit code: {sweep.exit_code}",
    ]
    if sweep.chain_head:
        lines.append(f"- Evidence chain head: `{sweep.chain_head}`")
    lines += ["", "| basis | satisfied | not satisfied |", "|---|---|---|"]
    for basis in ("assessed", "attested", "incomplete", "not-assessed"):
        lines.append(f"| {basis} | {states[('satisfied', basis)]} | {states[('not-satisfied', basis)]} |")
    lines += ["", "## Criteria", "", "| criterion | state | basis | pass | fail | error | reason |", "|---|---|---|---|---|---|---|"]
    for f in sweep.findings:
        lines.append(
            f"| {md_text(f.criterion_id)} | {f.state} | {f.basis.value} | {f.counts.get('pass', 0)} | "
            f"{f.counts.get('fail', 0)} | {f.counts.get('error', 0)} | {md_text(f.reason)} |"
        )
    problems = [r for r in sweep.results if r.status.value in ("fail", "error")]
    if problems:
        lines += ["", f"## Failures and errors ({len(problems)})", "", "| check | resource | status | reason |", "|---|---|---|---|"]
        for r in problems[:_MAX_LISTED * 4]:
            status = r.status.value + (f" (waived until {r.waiver.expires.date()} by {r.waiver.approved_by})" if r.waiver else "")
            lines.append(f"| {md_text(r.check_id)} | {md_code(r.resource_id)} | {md_text(status)} | {md_text(r.reason)} |")
        if len(problems) > _MAX_LISTED * 4:
            lines.append(f"| … | {len(problems) - _MAX_LISTED * 4} more in assessment-results.json | | |")
    return "\n".join(lines) + "\n"


def write_summary(sweep: Sweep, path: Path, history: str = "") -> Path:
    """Write ``summary.md``; ``history`` (Markdown, from the evidence store) is appended."""
    tmp = path.with_name(path.name + ".tmp")
    text = render_markdown(sweep) + ("\n" + history if history else "")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def print_summary(sweep: Sweep, out: Path | None) -> None:
    """The result tables on stdout, fitted to the terminal; data never read as markup."""
    screen = console()
    by_provider: dict[str, Counter[str]] = {}
    for r in sweep.results:
        by_provider.setdefault(r.provider, Counter())[r.status.value] += 1
    statuses = ("pass", "fail", "error", "not_applicable")
    print_table("Check results by provider", ("provider", *statuses),
                [[p, *(by_provider[p][s] for s in statuses)] for p in sorted(by_provider)], right=statuses, out=screen)
    states = Counter((f.state, f.basis.value) for f in sweep.findings)
    print_table("SOC 2 criteria", ("basis", "satisfied", "not satisfied"),
                [[b, states[("satisfied", b)], states[("not-satisfied", b)]]
                 for b in ("assessed", "attested", "incomplete", "not-assessed")], out=screen)
    for error in sweep.collection_errors[:10]:
        screen.print(text("error", "red") + text(f" {error.provider} {error.target} {error.region} {error.service}: "
                                                 f"{error.reason}", encoding=screen.encoding))
    if out is not None:
        screen.print(text(f"Wrote OSCAL bundle and summary.md to {out}", encoding=screen.encoding))
