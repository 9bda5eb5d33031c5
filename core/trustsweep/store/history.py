"""The audit window: each criterion's state over the stored sweeps, and the diff of two sweeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..report.text import html_text, md_code, md_text
from .canonical import TABLES
from .ledger import Entry, EvidenceStore
from .readback import finding_head
from .verify import require_verified

SYMBOL = {"satisfied": "✅", "not-satisfied": "❌", "incomplete": "⚠️", "not-assessed": "·"}


@dataclass(slots=True)
class Point:
    """One criterion in one sweep."""

    state: str
    basis: str
    reason: str

    @property
    def label(self) -> str:
        """satisfied, not-satisfied, incomplete (some check errored) or not-assessed."""
        if self.state != "satisfied" and self.basis in ("incomplete", "not-assessed"):
            return self.basis
        return self.state


@dataclass
class History:
    sweeps: list[Entry] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    points: dict[str, dict[int, Point]] = field(default_factory=dict)  # criterion → seq → point

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "sweep": e.id,
                "seq": e.seq,
                "started": e.at,
                "hash": e.hash,
                "criteria": {
                    cid: {"state": p.state, "basis": p.basis, "label": p.label, "reason": p.reason}
                    for cid in self.criteria
                    if (p := self.points[cid].get(e.seq))
                },
            }
            for e in self.sweeps
        ]


def load_history(
    store: EvidenceStore,
    start: dt.datetime | None,
    end: dt.datetime | None,
    criteria: Sequence[str] = (),
    *,
    verified: bool = True,
) -> History:
    """Criterion states of every sweep with ``start <= started < end``.

    With ``verified`` (the default) the chain of entries and the findings read are checked first:
    a TamperedError names the first that does not match.
    """
    hist = History(sweeps=store.entries("sweep", start, end))
    if verified:
        require_verified(store, hist.sweeps, ["findings"])
    if not hist.sweeps:
        return hist
    sql = (  # no body here: sorting rows that hold a criterion's result indices would hold them all
        "SELECT f.entry, f.criterion_id, f.idx FROM findings f JOIN entries e ON e.seq = f.entry "
        "WHERE e.kind = 'sweep' AND e.seq >= ? AND e.seq <= ?"
    )
    params: list[Any] = [hist.sweeps[0].seq, hist.sweeps[-1].seq]
    if criteria:
        sql += f" AND f.criterion_id IN ({', '.join('?' for _ in criteria)})"
        params += list(criteria)
    wanted = {e.seq for e in hist.sweeps}
    order: dict[str, None] = {}
    with store.db.snapshot():  # one body at a time: a body holds its criterion's result indices, read past here
        for seq, cid, idx in store.db.query(sql + " ORDER BY f.entry, f.idx", params):
            if int(seq) not in wanted:
                continue
            (body,) = store.db.query("SELECT body FROM findings WHERE entry = ? AND idx = ?", (seq, idx))[0]
            data = finding_head(body)
            order.setdefault(cid, None)
            hist.points.setdefault(cid, {})[int(seq)] = Point(data["state"], data["basis"], data["reason"])
    hist.criteria = list(order)
    return hist


def _day(entry: Entry) -> str:
    return entry.at[:16].replace("T", " ")


def render_markdown(hist: History, title: str = "Criteria over the audit window") -> str:
    """A chart as a Markdown grid: one row per criterion, one column per sweep."""
    lines = [f"## {md_text(title)}", ""]
    if not hist.sweeps:
        return "\n".join([*lines, "No sweep was recorded in this window.", ""])
    lines.append("✅ satisfied · ❌ not satisfied · ⚠️ incomplete (a check could not run) · `·` not assessed")
    lines.append("")
    lines.append("| criterion | " + " | ".join(md_text(_day(e)) for e in hist.sweeps) + " | satisfied |")
    lines.append("|---|" + "---|" * len(hist.sweeps) + "---|")
    for cid in hist.criteria:
        pts = [hist.points[cid].get(e.seq) for e in hist.sweeps]
        cells = [SYMBOL[p.label] if p else " " for p in pts]
        share = sum(1 for p in pts if p and p.state == "satisfied")
        lines.append(f"| {md_text(cid)} | " + " | ".join(cells) + f" | {share}/{len(hist.sweeps)} |")
    lines.append("")
    lines.append("Sweeps: " + ", ".join(f"{md_code(e.id[:8], in_table=False)} {md_text(_day(e))}" for e in hist.sweeps))
    return "\n".join(lines) + "\n"


_COLOUR = {"satisfied": "#2e7d32", "not-satisfied": "#c62828", "incomplete": "#ef6c00", "not-assessed": "#9e9e9e"}


def render_html(hist: History, title: str = "Criteria over the audit window") -> str:
    """The same chart as a self-contained HTML page (coloured cells; the reason on hover)."""
    esc = html_text
    head = "".join(f"<th title='{esc(e.id)}'>{esc(_day(e))}</th>" for e in hist.sweeps)
    rows = []
    for cid in hist.criteria:
        cells = []
        for e in hist.sweeps:
            p = hist.points[cid].get(e.seq)
            if p is None:
                cells.append("<td></td>")
            else:
                cells.append(f"<td style='background:{_COLOUR[p.label]}' title='{esc(p.label)}: {esc(p.reason)}'></td>")
        rows.append(f"<tr><th>{esc(cid)}</th>{''.join(cells)}</tr>")
    legend = " ".join(
        f"<span style='background:{c};color:#fff;padding:0 4px'>{esc(k)}</span>" for k, c in _COLOUR.items()
    )
    body = (
        f"<table><tr><th>criterion</th>{head}</tr>{''.join(rows)}</table>"
        if hist.sweeps
        else "<p>No sweep was recorded in this window.</p>"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title><style>"
        "table{border-collapse:collapse;font:12px sans-serif}td,th{border:1px solid #ddd;padding:2px 6px}"
        f"td{{min-width:14px}}</style></head><body><h2>{esc(title)}</h2><p>{legend}</p>{body}</body></html>\n"
    )


# --------------------------------------------------------------------------------------------
# diff


@dataclass
class Diff:
    a: Entry
    b: Entry
    new_failures: list[tuple[str, str, str]] = field(default_factory=list)  # check, resource key, status in A
    fixed: list[tuple[str, str, str]] = field(default_factory=list)  # check, resource key, status in B
    new_errors: list[tuple[str, str]] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # resource key, type
    removed: list[tuple[str, str]] = field(default_factory=list)
    criteria: list[tuple[str, str, str]] = field(default_factory=list)  # criterion, label in A, label in B

    def to_json(self) -> dict[str, Any]:
        return {
            "a": {"sweep": self.a.id, "started": self.a.at},
            "b": {"sweep": self.b.id, "started": self.b.at},
            "new_failures": [{"check": c, "resource": r, "before": s} for c, r, s in self.new_failures],
            "fixed": [{"check": c, "resource": r, "now": s} for c, r, s in self.fixed],
            "new_errors": [{"check": c, "resource": r} for c, r in self.new_errors],
            "resources_added": [{"resource": k, "type": t} for k, t in self.added],
            "resources_removed": [{"resource": k, "type": t} for k, t in self.removed],
            "criteria_changed": [{"criterion": c, "before": x, "now": y} for c, x, y in self.criteria],
        }


def diff_sweeps(store: EvidenceStore, a: Entry, b: Entry, *, verified: bool = True) -> Diff:
    """What changed from sweep A to sweep B: failures, fixes, resources, criteria.

    With ``verified`` (the default) the chain of entries and both sweeps' rows are checked first.
    """
    if verified:
        require_verified(store, [a, b], list(TABLES))
    out = Diff(a, b)

    def statuses(seq: int) -> dict[tuple[str, str], str]:
        rows = store.db.query("SELECT check_id, resource_key, status FROM observations WHERE entry = ?", (seq,))
        return {(r[0], r[1]): r[2] for r in rows}

    def resources(seq: int) -> dict[str, str]:
        return {r[0]: r[1] for r in store.db.query("SELECT key, type FROM resources WHERE entry = ?", (seq,))}

    def criteria(seq: int) -> dict[str, str]:
        out: dict[str, str] = {}
        with store.db.snapshot():
            for cid, body in store.db.stream(
                "SELECT criterion_id, body FROM findings WHERE entry = ? ORDER BY idx", (seq,)
            ):
                data = finding_head(body)
                out[cid] = Point(data["state"], data["basis"], data["reason"]).label
        return out

    before, after = statuses(a.seq), statuses(b.seq)
    for key, status in sorted(after.items()):
        old = before.get(key)
        if status == "fail" and old != "fail":
            out.new_failures.append((key[0], key[1], old or "absent"))
        elif status == "error" and old != "error":
            out.new_errors.append(key)
    for key, status in sorted(before.items()):
        now = after.get(key)
        if status == "fail" and now in ("pass", "not_applicable"):
            out.fixed.append((key[0], key[1], now))
    ra, rb = resources(a.seq), resources(b.seq)
    out.added = sorted((k, t) for k, t in rb.items() if k not in ra)
    out.removed = sorted((k, t) for k, t in ra.items() if k not in rb)
    ca, cb = criteria(a.seq), criteria(b.seq)
    out.criteria = [(cid, ca.get(cid, "absent"), label) for cid, label in cb.items() if ca.get(cid) != label]
    return out
