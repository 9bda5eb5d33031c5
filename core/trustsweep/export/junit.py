"""JUnit XML (``junit.xml``): CI systems show a sweep like a test run and can gate on it.

One ``testsuite`` per provider holds a ``testcase`` per criterion that provider has checks for
(failure: the failing results; error: checks that could not run; skipped: nothing applied), and a
``soc2`` suite holds every criterion's overall verdict, attestations included. The layout follows
the Jenkins / Surefire JUnit format that CI systems read.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ..aggregate import SATISFIED, Basis
from ..model import CheckResult, Status
from . import ExportContext
from .rows import criterion_title, more_failing

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..sweep import Sweep

_MAX_LINES = 50
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text safe for XML 1.0 (control characters are not representable even escaped)."""
    return _XML_INVALID.sub("\ufffd", value)


class _Tally:
    """One provider's results for one criterion, in the sweep's order: counts and the first lines."""

    __slots__ = ("error_lines", "errors", "failure_lines", "failures", "passes", "waived")

    def __init__(self) -> None:
        self.errors = self.failures = self.passes = self.waived = 0
        self.error_lines: list[str] = []
        self.failure_lines: list[str] = []

    def add(self, r: CheckResult) -> None:
        if r.status is Status.ERROR:
            self.errors += 1
            if len(self.error_lines) < _MAX_LINES:
                self.error_lines.append(_line(r))
        elif r.blocking:
            self.failures += 1
            if len(self.failure_lines) < _MAX_LINES:
                self.failure_lines.append(_line(r))
        if r.status is Status.PASS:
            self.passes += 1
        if r.waiver is not None:
            self.waived += 1


def _line(r: CheckResult) -> str:
    return f"{r.check_id} {r.target} {r.region} {r.resource_id}: {r.reason}"


def _lines(shown: list[str], total: int) -> str:
    if total > len(shown):
        shown = [*shown, more_failing(total - len(shown), "results.csv or assessment-results.json")]
    return _text("\n".join(shown))


def _tallies(sweep: Sweep) -> dict[tuple[str, int], _Tally]:
    """(provider, finding position) → its tally, from one pass over the results.

    A finding's results are those of its mapped checks (as :func:`trustsweep.aggregate.aggregate`
    gathers them), so the pass goes by check id and never indexes into the results.
    """
    by_check: dict[str, list[int]] = {}
    for pos, finding in enumerate(sweep.findings):
        for check_id in dict.fromkeys(finding.checks):
            by_check.setdefault(check_id, []).append(pos)
    out: dict[tuple[str, int], _Tally] = {}
    for r in sweep.results:
        for pos in by_check.get(r.check_id, ()):
            tally = out.get((r.provider, pos))
            if tally is None:
                tally = out[(r.provider, pos)] = _Tally()
            tally.add(r)
    return out


def _case(
    suite: ET.Element,
    classname: str,
    sweep: Sweep,
    finding: CriterionFinding,
    verdict: str,
    message: str,
    body: str = "",
) -> None:
    title = criterion_title(sweep, finding)
    case = ET.SubElement(
        suite, "testcase", name=_text(f"{finding.criterion_id} {title}".strip()), classname=classname, time="0"
    )
    if verdict != "pass":
        child = ET.SubElement(case, verdict, message=_text(message), type=verdict)
        if body:
            child.text = body


def _provider_verdict(tally: _Tally) -> tuple[str, str, str]:
    if tally.errors:
        return "error", f"{tally.errors} check result(s) could not be obtained", _lines(tally.error_lines, tally.errors)
    if tally.failures:
        return "failure", f"{tally.failures} failing check result(s)", _lines(tally.failure_lines, tally.failures)
    if not tally.passes and not tally.waived:
        return "skipped", "not assessed: no mapped check applied to a collected resource", ""
    return "pass", "", ""


def _overall_verdict(finding: CriterionFinding) -> tuple[str, str]:
    if finding.basis is Basis.INCOMPLETE:
        return "error", finding.reason
    if finding.state == SATISFIED:
        return "pass", ""
    if finding.blocking:
        return "failure", finding.reason
    return "skipped", f"not assessed: {finding.reason}"


def _close(suite: ET.Element, started: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in suite.iter("testcase"):
        counts["tests"] += 1
        for kind in ("failure", "error", "skipped"):
            if case.find(kind) is not None:
                counts[kind] += 1
    suite.set("tests", str(counts["tests"]))
    suite.set("failures", str(counts["failure"]))
    suite.set("errors", str(counts["error"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", "0")
    suite.set("timestamp", started)
    return counts


def build(sweep: Sweep) -> ET.Element:
    started = sweep.started.strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites", name=_text(f"trustsweep SOC 2 sweep {sweep.id}"))
    total: Counter[str] = Counter()
    tallies = _tallies(sweep)
    for provider in sorted(sweep.providers):
        suite = ET.SubElement(
            root, "testsuite", name=provider, hostname=_text(socket.gethostname()), tests="0", failures="0", errors="0"
        )
        provider_checks = {c for c, spec in sweep.checks.items() if spec.provider == provider}
        for pos, finding in enumerate(sweep.findings):
            if not provider_checks & set(finding.checks):
                continue
            verdict, message, body = _provider_verdict(tallies.get((provider, pos)) or _Tally())
            _case(suite, f"trustsweep.{provider}", sweep, finding, verdict, message, body)
        total += _close(suite, started)
    overall = ET.SubElement(root, "testsuite", name="soc2", tests="0", failures="0", errors="0")
    props = ET.SubElement(overall, "properties")
    for name, value in (
        ("sweep-id", sweep.id),
        ("tool-version", sweep.tool_version),
        ("evidence-chain-head", sweep.chain_head),
    ):
        if value:
            ET.SubElement(props, "property", name=name, value=_text(value))
    for finding in sweep.findings:
        verdict, message = _overall_verdict(finding)
        _case(overall, "trustsweep.soc2", sweep, finding, verdict, message)
    total += _close(overall, started)
    root.set("tests", str(total["tests"]))
    root.set("failures", str(total["failure"]))
    root.set("errors", str(total["error"]))
    root.set("time", "0")
    return root


def write(sweep: Sweep, out_dir: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    path = out_dir / "junit.xml"
    tree = ET.ElementTree(build(sweep))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return [path]
