"""The end-of-sweep summary: a table in the terminal and ``summary.md`` beside the OSCAL."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ..export.rows import more_failing
from ..model import CheckResult, Status
from .text import console, md_code, md_text, print_table, text

if TYPE_CHECKING:
    from ..sweep import Sweep

MAX_PROBLEMS = 200  # failures and errors listed in summary.md


_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
_TOP_CHECKS = 20
_MAX_TARGETS = 200


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _header(*columns: str) -> list[str]:
    return [_row(*columns), "|" + "---|" * len(columns)]


def _overview(sweep: Sweep) -> list[str]:
    counts = sweep.counts()
    states = Counter((f.state, f.basis.value) for f in sweep.findings)
    plugins = ", ".join(f"{md_text(p.name)} {md_text(p.version)}".strip() for p in sweep.plugins)
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
        f"- trustsweep {md_text(sweep.tool_version)}; plugins: {plugins or 'none'}",
    ]
    if sweep.chain_head:
        lines.append(f"- Evidence chain head: `{sweep.chain_head}`")
    lines += ["", *_header("basis", "satisfied", "not satisfied")]
    for basis in ("assessed", "attested", "incomplete", "not-assessed"):
        lines.append(_row(basis, states[("satisfied", basis)], states[("not-satisfied", basis)]))
    return lines


def _scope(sweep: Sweep) -> list[str]:
    lines = ["", f"## In scope ({len(sweep.targets)} targets)", "", *_header("provider", "target", "name")]
    for t in sweep.targets[:_MAX_TARGETS]:
        lines.append(_row(md_text(t.provider), md_code(t.id), md_text(t.name)))
    if len(sweep.targets) > _MAX_TARGETS:
        lines.append(_row("…", f"{len(sweep.targets) - _MAX_TARGETS} more in assessment-results.json", ""))
    return lines


def _criteria(sweep: Sweep) -> list[str]:
    lines = ["", "## Criteria", "", *_header("criterion", "title", "state", "basis", "pass", "fail", "error", "reason")]
    for f in sweep.findings:
        criterion = sweep.mapping.criteria.get(f.criterion_id)
        lines.append(
            _row(
                md_text(f.criterion_id),
                md_text(criterion.title if criterion else ""),
                f.state,
                f.basis.value,
                f.counts.get("pass", 0),
                f.counts.get("fail", 0),
                f.counts.get("error", 0),
                md_text(f.reason),
            )
        )
    return lines


class _Failing:
    """One pass over the results: failing results per check, and the first failures and errors."""

    def __init__(self, sweep: Sweep, limit: int) -> None:
        self.by_check: Counter[str] = Counter()
        self.first: list[CheckResult] = []
        self.total = 0
        for r in sweep.results:
            if r.status is Status.FAIL or r.status is Status.ERROR:
                self.total += 1
                if len(self.first) < limit:
                    self.first.append(r)
                if r.blocking:
                    self.by_check[r.check_id] += 1


def _top_failures(sweep: Sweep, failing: Counter[str]) -> list[str]:
    """The failing checks, most severe and most widespread first, with what to do about them."""
    if not failing:
        return []
    ranked = sorted(
        failing,
        key=lambda c: (
            _SEVERITY_RANK.get(sweep.checks[c].severity.value, 9) if c in sweep.checks else 9,
            -failing[c],
            c,
        ),
    )
    lines = ["", "## Top failures by severity", "", *_header("severity", "check", "failing", "title", "remediation")]
    for check_id in ranked[:_TOP_CHECKS]:
        spec = sweep.checks.get(check_id)
        lines.append(
            _row(
                spec.severity.value if spec else "",
                md_code(check_id),
                failing[check_id],
                md_text(spec.title if spec else ""),
                md_text(spec.remediation if spec else ""),
            )
        )
    if len(ranked) > _TOP_CHECKS:
        lines.append(_row("…", f"{len(ranked) - _TOP_CHECKS} more failing checks", "", "", ""))
    return lines


def _problems(sweep: Sweep, problems: _Failing) -> list[str]:
    """The first :data:`MAX_PROBLEMS` failures and errors; the rest are counted, and where they are said."""
    if not problems.total:
        return []
    lines = ["", f"## Failures and errors ({problems.total})", "", *_header("check", "resource", "status", "reason")]
    for r in problems.first:
        status = r.status.value + (
            f" (waived until {r.waiver.expires.date()} by {r.waiver.approved_by})" if r.waiver else ""
        )
        lines.append(_row(md_text(r.check_id), md_code(r.resource_id), md_text(status), md_text(r.reason)))
    if problems.total > len(problems.first):
        where = "assessment-results.json" + (
            " (`trustsweep export` writes it again from the evidence store)" if sweep.chain_head else ""
        )
        lines.append(_row("…", more_failing(problems.total - len(problems.first), where), "", ""))  # no data in it
    return lines


def _evidence(sweep: Sweep) -> list[str]:
    lines: list[str] = []
    states = {a.attestation.id: a.state for f in sweep.findings for a in f.attestations if a.attestation}
    if sweep.attestations:
        lines += [
            "",
            "## Attestations",
            "",
            *_header("type", "criterion", "attested by", "file", "SHA-256", "date", "expires", "state"),
        ]
        for a in sweep.attestations:
            lines.append(
                _row(
                    md_text(a.type),
                    md_text(a.criterion),
                    md_text(a.attested_by),
                    md_code(a.filename),
                    f"`{a.sha256}`",
                    a.created.date().isoformat(),
                    a.expires.date().isoformat(),
                    md_text(a.revocation.describe()) if a.revocation else states.get(a.id, "on record"),
                )
            )
    if sweep.waivers:
        lines += ["", "## Waivers", "", *_header("check", "resource", "approved by", "reason", "expires", "state")]
        for w in sweep.waivers:
            lines.append(
                _row(
                    md_code(w.check_id),
                    md_code(w.resource),
                    md_text(w.approved_by),
                    md_text(w.reason),
                    w.expires.date().isoformat(),
                    md_text(w.revocation.describe()) if w.revocation else "on record",
                )
            )
    return lines


def render_markdown(sweep: Sweep) -> str:
    """``summary.md``: the report's contents in brief (``--export html`` has them in full).

    Bounded whatever the sweep's size: counts, per-check tallies and the first
    :data:`MAX_PROBLEMS` failures and errors (the rest: a line saying how many and where).
    """
    failing = _Failing(sweep, MAX_PROBLEMS)
    lines = [
        *_overview(sweep),
        *_scope(sweep),
        *_criteria(sweep),
        *_top_failures(sweep, failing.by_check),
        *_problems(sweep, failing),
        *_evidence(sweep),
    ]
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
    print_table(
        "Check results by provider",
        ("provider", *statuses),
        [[p, *(by_provider[p][s] for s in statuses)] for p in sorted(by_provider)],
        right=statuses,
        out=screen,
    )
    states = Counter((f.state, f.basis.value) for f in sweep.findings)
    print_table(
        "SOC 2 criteria",
        ("basis", "satisfied", "not satisfied"),
        [
            [b, states[("satisfied", b)], states[("not-satisfied", b)]]
            for b in ("assessed", "attested", "incomplete", "not-assessed")
        ],
        out=screen,
    )
    for error in sweep.collection_errors[:10]:
        screen.print(
            text("error", "red")
            + text(
                f" {error.provider} {error.target} {error.region} {error.service}: {error.reason}",
                encoding=screen.encoding,
            )
        )
    if out is not None:
        screen.print(text(f"Wrote OSCAL bundle and summary.md to {out}", encoding=screen.encoding))
