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
from .rows import criterion_title

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..sweep import Sweep

_MAX_LINES = 50
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text safe for XML 1.0 (control characters are not representable even escaped)."""
    return _XML_INVALID.sub("\ufffd", value)


def _lines(results: list[CheckResult]) -> str:
    shown = [f"{r.check_id} {r.target} {r.region} {r.resource_id}: {r.reason}" for r in results[:_MAX_LINES]]
    if len(results) > _MAX_LINES:
        shown.append(f"… {len(results) - _MAX_LINES} more (see results.csv or assessment-results.json)")
    return _text("\n".join(shown))


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


def _provider_verdict(results: list[CheckResult]) -> tuple[str, str, str]:
    errors = [r for r in results if r.status is Status.ERROR]
    failures = [r for r in results if r.blocking]
    counts = Counter(r.status.value for r in results)
    if errors:
        return "error", f"{len(errors)} check result(s) could not be obtained", _lines(errors)
    if failures:
        return "failure", f"{len(failures)} failing check result(s)", _lines(failures)
    if not counts.get("pass") and not any(r.waiver for r in results):
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
    for provider in sorted(sweep.providers):
        suite = ET.SubElement(
            root, "testsuite", name=provider, hostname=_text(socket.gethostname()), tests="0", failures="0", errors="0"
        )
        provider_checks = {c for c, spec in sweep.checks.items() if spec.provider == provider}
        for finding in sweep.findings:
            if not provider_checks & set(finding.checks):
                continue
            results = [sweep.results[i] for i in finding.results if sweep.results[i].provider == provider]
            verdict, message, body = _provider_verdict(results)
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
