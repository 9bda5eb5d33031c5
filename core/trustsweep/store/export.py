"""``trustsweep export``: OSCAL assessment results for an audit window, one result per stored sweep.

Each sweep is rebuilt from the store (every digest re-checked on the way) and turned into its
OSCAL ``result`` by the same code that wrote it at sweep time, so an export matches what the
sweep wrote then. The catalog, assessment plan and component definition come from the latest
sweep of the window; every document carries the store's chain head. ``history.md`` and
``history.html`` chart each criterion's state across the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from .ledger import Entry, EvidenceStore


def export_window(
    store: EvidenceStore,
    sweeps: Sequence[Entry],
    out: Path,
    *,
    oscal_version: str = "1.2.1",
    fmt: str = "json",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[Path]:
    """Write the OSCAL bundle of a window into ``out``; return the paths written."""
    from ..oscal import assessment_results_document, build_result, dump, write_bundle
    from .history import load_history, render_html, render_markdown
    from .verify import require_verified

    head = require_verified(store)  # every entry's hash and link; load_sweep checks each sweep's rows
    results = []
    last = None
    for entry in sweeps:
        sweep = store.load_sweep(entry)
        results.append(build_result(sweep, oscal_version=oscal_version))
        last = sweep
    assert last is not None
    last.chain_head = head
    paths = write_bundle(last, out, oscal_version=oscal_version, fmt=fmt)
    span = (
        f"{(start or dt.datetime.fromisoformat(sweeps[0].at)).date()} to "
        f"{((end - dt.timedelta(microseconds=1)) if end else dt.datetime.fromisoformat(sweeps[-1].at)).date()}"
    )
    doc = assessment_results_document(
        results,
        oscal_version=oscal_version,
        chain_head=head,
        title=f"trustsweep SOC 2 assessment results, {span} ({len(results)} sweeps)",
        import_ap=f"assessment-plan.{fmt}",
        tool_version=last.tool_version,
    )
    ar = out / f"assessment-results.{fmt}"
    dump(doc, ar, fmt)
    hist = load_history(store, start, end, verified=False)  # checked above and by load_sweep
    title = f"Criteria over the audit window, {span}"
    (out / "history.md").write_text(render_markdown(hist, title), encoding="utf-8")
    (out / "history.html").write_text(render_html(hist, title), encoding="utf-8")
    return [p for p in paths if p != ar] + [ar, out / "history.md", out / "history.html"]
