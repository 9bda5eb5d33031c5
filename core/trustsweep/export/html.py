"""``report.html``: one self-contained page per sweep for the people around an audit.

No network: inline CSS, inline SVG charts and a few lines of inline JavaScript to filter the
failures; a Content-Security-Policy forbids every fetch. Every string that came from a cloud, a
user or a plugin goes through :func:`trustsweep.report.text.html_text` (resource names are
attacker-controlled; control and BiDi characters become visible escapes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..aggregate import SATISFIED
from ..model import CheckResult, Status
from ..report.text import html_text
from . import ExportContext
from .rows import ResourceNames, ResultRow, attestation_summary, criteria_index, criterion_title, more_failing

if TYPE_CHECKING:
    from ..aggregate import CriterionFinding
    from ..sweep import Sweep
    from .window import Window

MAX_PROBLEMS = 5000
MAX_PASSING_PER_CHECK = 500
LABELS = ("satisfied", "not-satisfied", "incomplete", "not-assessed")
COLOUR = {
    "satisfied": "#2e7d32",
    "not-satisfied": "#c62828",
    "incomplete": "#ef6c00",
    "not-assessed": "#9e9e9e",
    "pass": "#2e7d32",
    "fail": "#c62828",
    "error": "#ef6c00",
    "not_applicable": "#9e9e9e",
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em;color:#222}
h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top}th{background:#f5f5f5}td{overflow-wrap:break-word}
.wrap{overflow-x:auto}.tag{color:#fff;padding:0 5px;border-radius:3px;white-space:nowrap}
.num{text-align:right}.muted{color:#666}code{font-size:12px;overflow-wrap:anywhere}
p{overflow-wrap:anywhere}figure{margin:.5em 0}
.filters label{margin-right:1em;display:inline-block}details{margin:.3em 0}summary{cursor:pointer}
@media print{.filters{display:none}details{display:block}a{color:inherit}}
@media (max-width:600px){body{padding:.4em;font-size:13px}th,td{padding:2px 3px}}
"""
SCRIPT = """
(function(){var f=document.querySelectorAll('.filters select');function apply(){var w={};
f.forEach(function(s){if(s.value)w[s.name]=s.value});var n=0;
document.querySelectorAll('#problems tbody tr').forEach(function(r){var ok=true;for(var k in w){
var v=r.dataset[k]||'';if(k==='criterion'?(' '+v+' ').indexOf(' '+w[k]+' ')<0:v!==w[k])ok=false}
r.hidden=!ok;if(ok)n++});document.getElementById('shown').textContent=n}
f.forEach(function(s){s.addEventListener('change',apply)});})();
"""


def esc(value: object) -> str:
    return "" if value is None else html_text(value)


def label(finding: CriterionFinding) -> str:
    """satisfied, not-satisfied, incomplete or not-assessed (as in ``trustsweep history``)."""
    if finding.state != SATISFIED and finding.basis.value in ("incomplete", "not-assessed"):
        return finding.basis.value
    return finding.state


def _tag(text: str) -> str:
    return f"<span class='tag' style='background:{COLOUR.get(text, '#555')}'>{esc(text)}</span>"


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], attrs: str = "") -> Iterator[str]:
    """A table whose cells are already HTML (escaped by the caller)."""
    yield f"<div class='wrap'><table{attrs}><thead><tr>"
    yield "".join(f"<th>{esc(h)}</th>" for h in head)
    yield "</tr></thead><tbody>"
    for row in rows:
        yield "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n"
    yield "</tbody></table></div>"


def _bar(counts: Counter[str], keys: Iterable[str], title: str) -> str:
    """A stacked horizontal bar as inline SVG, with a legend."""
    keys = list(keys)
    total = sum(counts[k] for k in keys) or 1
    x, parts, legend = 0.0, [], []
    for key in keys:
        width = 600 * counts[key] / total
        if width:
            parts.append(
                f"<rect x='{x:.1f}' y='0' width='{width:.1f}' height='24' fill='{COLOUR[key]}'>"
                f"<title>{esc(key)}: {counts[key]}</title></rect>"
            )
        x += width
        legend.append(f"{_tag(key)} {counts[key]}")
    return (
        f"<figure><figcaption>{esc(title)}</figcaption><svg role='img' aria-label='{esc(title)}' "
        f"viewBox='0 0 600 24' width='100%' height='24' preserveAspectRatio='none'>{''.join(parts)}</svg>"
        f"<div>{' '.join(legend)}</div></figure>"
    )


def _summary(sweep: Sweep) -> Iterator[str]:
    labels = Counter(label(f) for f in sweep.findings)
    results = Counter(sweep.counts())
    yield "<section id='summary'><h2>Summary</h2>"
    yield (
        f"<p>{len(sweep.findings)} criteria: {labels['satisfied']} satisfied, {labels['not-satisfied']} not "
        f"satisfied, {labels['incomplete']} incomplete, {labels['not-assessed']} not assessed. "
        f"{sum(results.values())} check results on {len(sweep.resources)} resources in "
        f"{len(sweep.targets)} targets.</p>"
    )
    yield _bar(labels, LABELS, "SOC 2 criteria")
    yield _bar(results, ("pass", "fail", "error", "not_applicable"), "Check results")
    basis = Counter((label(f), f.basis.value) for f in sweep.findings)
    rows = [
        [esc(b), *[f"<span class='num'>{basis[(lab, b)]}</span>" for lab in LABELS]]
        for b in ("assessed", "attested", "incomplete", "not-assessed")
    ]
    yield from _table(["basis", *LABELS], rows, " id='by-basis'")
    yield "</section>"


def _criteria(sweep: Sweep) -> Iterator[str]:
    yield "<section id='criteria'><h2>Criteria</h2>"
    rows = []
    for f in sweep.findings:
        att = attestation_summary(f)
        rows.append(
            [
                f"<b>{esc(f.criterion_id)}</b>",
                esc(criterion_title(sweep, f)),
                _tag(label(f)),
                esc(f.basis.value),
                "<br>".join(f"<code>{esc(c)}</code>" for c in f.checks),
                esc(att),
                esc(f.reason),
            ]
        )
    yield from _table(
        ["criterion", "title", "state", "basis", "checks", "attestations", "reason"], rows, " id='criteria-table'"
    )
    yield "</section>"


def _options(name: str, values: Iterable[str]) -> str:
    opts = "".join(f"<option value='{esc(v)}'>{esc(v)}</option>" for v in sorted(set(values)))
    return f"<label>{esc(name)} <select name='{esc(name)}'><option value=''>all</option>{opts}</select></label>"


def _problem_row(row: ResultRow) -> str:
    r = row.result
    status = r.status.value + (" (waived)" if r.waiver else "")
    name = f"<br><span class='muted'>{esc(row.resource_name)}</span>" if row.resource_name else ""
    cells = [
        _tag(r.status.value) + ("<br>waived" if r.waiver else ""),
        esc(row.severity),
        f"<code>{esc(r.check_id)}</code><br>{esc(row.title)}",
        f"<code>{esc(r.resource_id)}</code>{name}",
        esc(r.provider),
        esc(r.target),
        esc(r.region),
        esc(" ".join(row.criteria)),
        esc(r.reason),
        esc(row.remediation),
    ]
    data = (
        f" data-provider='{esc(r.provider)}' data-severity='{esc(row.severity)}' data-status='{esc(status)}'"
        f" data-criterion='{esc(' '.join(row.criteria))}'"
    )
    return f"<tr{data}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>\n"


class _Shown:
    """What the page lists, gathered in one pass over the results: at most :data:`MAX_PROBLEMS`
    failing rows and :data:`MAX_PASSING_PER_CHECK` passing rows per check, already rendered, and
    the counts of everything else."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.problem_count = 0
        self.filters: dict[str, set[str]] = {"provider": set(), "severity": set(), "criterion": set(), "status": set()}
        self.passing: dict[str, list[list[str]]] = {}
        self.passing_title: dict[str, str] = {}
        self.passing_count: Counter[str] = Counter()

    def add(self, row: ResultRow) -> None:
        r = row.result
        if r.status is Status.PASS:
            rows = self.passing.setdefault(r.check_id, [])
            self.passing_title.setdefault(r.check_id, row.title)
            rows.append([f"<code>{esc(r.resource_id)}</code>", esc(r.target), esc(r.region), esc(r.reason)])
            return
        self.problems.append(_problem_row(row))
        self.filters["provider"].add(r.provider)
        self.filters["severity"].add(row.severity)
        self.filters["criterion"].update(row.criteria)
        self.filters["status"].add(r.status.value + (" (waived)" if r.waiver else ""))

    def wanted(self, result: CheckResult) -> bool:
        """Count ``result``; whether the page lists it (then :meth:`add` it)."""
        if result.status is Status.PASS:
            self.passing_count[result.check_id] += 1
            return self.passing_count[result.check_id] <= MAX_PASSING_PER_CHECK
        if result.status is Status.FAIL or result.status is Status.ERROR:
            self.problem_count += 1
            return self.problem_count <= MAX_PROBLEMS
        return False


def _problems(shown: _Shown) -> Iterator[str]:
    yield f"<section id='failures'><h2>Failures and errors ({shown.problem_count})</h2>"
    yield "<p class='filters'>"
    for name, values in shown.filters.items():
        yield _options(name, values)
    yield f"<span class='muted'>showing <b id='shown'>{len(shown.problems)}</b></span></p>"
    head = [
        "status",
        "severity",
        "check",
        "resource",
        "provider",
        "target",
        "region",
        "criteria",
        "reason",
        "remediation",
    ]
    yield "<div class='wrap'><table id='problems'><thead><tr>" + "".join(f"<th>{h}</th>" for h in head)
    yield "</tr></thead><tbody>"
    yield from shown.problems
    yield "</tbody></table></div>"
    if shown.problem_count > len(shown.problems):
        more = more_failing(shown.problem_count - len(shown.problems), "results.csv and assessment-results.json")
        yield f"<p id='more-failing'>{esc(more)}.</p>"
    yield "</section>"


def _passing(shown: _Shown) -> Iterator[str]:
    yield "<section id='passing'><h2>Passing population</h2>"
    yield "<p>What passed, per check: the population an auditor samples from (complete in results.csv).</p>"
    counts = shown.passing_count
    for check_id in sorted(shown.passing):
        rows = shown.passing[check_id]
        title = shown.passing_title[check_id]
        yield f"<details><summary><code>{esc(check_id)}</code> {esc(title)}: {counts[check_id]} passing</summary>"
        yield from _table(["resource", "target", "region", "reason"], rows)
        if counts[check_id] > len(rows):
            yield f"<p>{counts[check_id] - len(rows)} more in results.csv.</p>"
        yield "</details>"
    if not shown.passing:
        yield "<p>No check passed.</p>"
    yield "</section>"


def _evidence(sweep: Sweep) -> Iterator[str]:
    yield "<section id='attestations'><h2>Attestations</h2>"
    states = {a.attestation.id: a.state for f in sweep.findings for a in f.attestations if a.attestation}
    rows = [
        [
            esc(a.type),
            esc(a.criterion),
            esc(a.attested_by),
            esc(a.filename),
            f"<code>{esc(a.sha256)}</code>",
            esc(a.created.date().isoformat()),
            esc(a.expires.date().isoformat()),
            esc(states.get(a.id, "on record")),
        ]
        for a in sweep.attestations
    ]
    yield from _table(
        ["type", "criterion", "attested by", "file", "SHA-256", "date", "expires", "state"],
        rows,
        " id='attestations-table'",
    )
    yield "</section><section id='waivers'><h2>Waivers</h2>"
    rows = [
        [
            f"<code>{esc(w.check_id)}</code>",
            f"<code>{esc(w.resource)}</code>",
            esc(w.approved_by),
            esc(w.reason),
            esc(w.expires.date().isoformat()),
        ]
        for w in sweep.waivers
    ]
    yield from _table(["check", "resource", "approved by", "reason", "expires"], rows, " id='waivers-table'")
    yield "</section><section id='collection-errors'><h2>Collection errors</h2>"
    rows = [
        [esc(e.provider), esc(e.target), esc(e.region), esc(e.service), esc(e.reason)] for e in sweep.collection_errors
    ]
    yield from _table(["provider", "target", "region", "service", "reason"], rows, " id='errors-table'")
    yield "</section>"


def _scope(sweep: Sweep) -> Iterator[str]:
    yield "<section id='scope'><h2>Scope</h2>"
    yield from _table(
        ["provider", "target", "name"],
        ([esc(t.provider), f"<code>{esc(t.id)}</code>", esc(t.name)] for t in sweep.targets),
        " id='targets-table'",
    )
    yield "</section><section id='versions'><h2>Versions and evidence</h2>"
    rows = [["trustsweep", "", esc(sweep.tool_version)]]
    rows += [[esc(p.name), esc(p.distribution), esc(p.version)] for p in sweep.plugins]
    yield from _table(["plugin", "distribution", "version"], rows, " id='versions-table'")
    head = f"<code>{esc(sweep.chain_head)}</code>" if sweep.chain_head else "not recorded in an evidence store"
    yield f"<p>Evidence chain head: {head}. Mapping digest: <code>{esc(sweep.mapping.digest)}</code>.</p>"
    yield "</section>"


def _window(window: Window) -> Iterator[str]:
    span = f"{window.start.date().isoformat()} to {window.end.date().isoformat()}"
    yield f"<section id='window'><h2>Type II window</h2><p>{len(window.sweeps)} stored sweeps, {esc(span)}.</p>"
    head = ["criterion", *[t.strftime("%m-%d %H:%M") for _, t in window.sweeps], "days not satisfied"]
    rows = []
    for row in window.criteria:
        cells = [
            f"<span class='tag' style='background:{COLOUR[lab]}' title='{esc(lab)}'>&nbsp;</span>" if lab else ""
            for lab in row.labels
        ]
        days = f"{row.days_not_satisfied:.1f}" if row.assessed else "not assessed"
        rows.append([esc(row.criterion), *cells, days])
    yield from _table(head, rows, " id='window-table'")
    yield "</section>"


def render(sweep: Sweep, window: Window | None = None) -> Iterator[str]:
    """The page, in chunks; one pass over the results gathers what it lists (bounded, see :class:`_Shown`)."""
    shown = _Shown()
    index, names = criteria_index(sweep), ResourceNames(sweep.resources)
    for r in sweep.results:  # rows are built only for what the page shows
        if shown.wanted(r):
            shown.add(ResultRow(r, sweep.checks.get(r.check_id), index.get(r.check_id, ()), names.name(r)))
    title = f"trustsweep SOC 2 report, {sweep.started.date().isoformat()}"
    yield (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{esc(title)}</title>"
        f"<style>{STYLE}</style></head><body><header><h1>{esc(title)}</h1>"
    )
    yield (
        f"<p class='muted'>Sweep <code>{esc(sweep.id)}</code>, {esc(sweep.started.isoformat())} to "
        f"{esc(sweep.finished.isoformat())}; providers: {esc(', '.join(sweep.providers) or 'none')}; "
        f"exit code {sweep.exit_code}.</p></header>"
    )
    yield from _summary(sweep)
    yield from _criteria(sweep)
    yield from _problems(shown)
    yield from _passing(shown)
    yield from _evidence(sweep)
    yield from _scope(sweep)
    if window is not None:
        yield from _window(window)
    yield f"<script>{SCRIPT}</script></body></html>\n"


def write_report(sweep: Sweep, path: Path, window: Window | None = None) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for chunk in render(sweep, window):
            fh.write(chunk)
    return path


def write(sweep: Sweep, out_dir: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    return [write_report(sweep, out_dir / "report.html", ctx.window)]
