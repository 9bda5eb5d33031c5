"""Evidence-store commands: verify, history, export, diff (attest and waive: :mod:`.attest`).

Exit codes: 0 fine; 1 the store failed verification (tampered or truncated evidence) — also when
``history``, ``diff`` or ``export`` refuse to read evidence that does not verify (``--no-verify``
reads it anyway); 2 bad input (unopenable store, newer schema, reversed dates, bad --head, ...).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserError
from ..outputs import check_out_dir
from ..report.text import plain
from .common import (
    DocumentFormat,
    DocumentFormatOpt,
    HistoryFormat,
    ListFormat,
    ListFormatOpt,
    OscalVersion,
    OscalVersionOpt,
    StoreOpt,
    VerifyFormat,
    err,
    json_out,
    table,
)
from .stored import FromOpt, NoVerifyOpt, ToOpt, opened, short, window


def verify(
    store: StoreOpt = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="A chain head recorded elsewhere (e.g. an OSCAL document's evidence-chain-head prop) that the store must still contain.",
        ),
    ] = None,
    fmt: Annotated[VerifyFormat, typer.Option("--format", help="Output format.")] = VerifyFormat.text,
) -> None:
    """Re-hash every stored sweep, attestation and waiver; name the first that does not match."""
    from ..store.verify import verify as run_verify

    if head is not None and not re.fullmatch(r"[0-9a-f]{64}", head.strip().lower()):
        raise UserError(
            f"--head {head!r} is not a chain head (64 hex digits, as printed by 'verify' or in an "
            "OSCAL document's evidence-chain-head prop)"
        )
    with opened(store) as st:
        report = run_verify(st, expect_head=head)
        where = st.where
    if fmt is VerifyFormat.json:
        json_out(
            {
                "store": where,
                "ok": report.ok,
                "entries": report.entries,
                "sweeps": report.sweeps,
                "observations": report.observations,
                "head": report.head,
                "first_bad": report.first_bad,
                "problems": report.problems,
            }
        )
        raise typer.Exit(0 if report.ok else 1)
    if not report.ok:
        for problem in report.problems:
            typer.echo(plain(f"FAILED {problem}"))
        err(f"{where}: evidence store does not verify ({report.entries} entries checked before the failure)")
        raise typer.Exit(1)
    typer.echo(
        f"{where}: OK — {report.entries} entries ({report.sweeps} sweeps, {report.observations} "
        f"observations) verified; chain head {report.head or '(empty store)'}"
    )


def history(
    start: FromOpt = None,
    end: ToOpt = None,
    criterion: Annotated[list[str], typer.Option("--criterion", help="Only this criterion (repeatable).")] = [],
    fmt: Annotated[HistoryFormat, typer.Option("--format", help="Output format.")] = HistoryFormat.table,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write to this file instead of stdout (.html: an HTML chart; otherwise Markdown unless --format says).",
        ),
    ] = None,
    no_verify: NoVerifyOpt = False,
    store: StoreOpt = None,
) -> None:
    """Each criterion's state over the stored sweeps of a window (a chart in markdown/html), verified first."""
    from ..store.history import SYMBOL, load_history, render_html, render_markdown

    if out is not None and fmt is HistoryFormat.table:  # a file gets the chart: HTML or Markdown by its suffix
        fmt = HistoryFormat.html if out.suffix.lower() in (".html", ".htm") else HistoryFormat.markdown
    lo, hi = window(start, end)
    with opened(store) as st:
        hist = load_history(st, lo, hi, criterion, verified=not no_verify)
    unknown = [c for c in criterion if c not in hist.points]
    if unknown and hist.sweeps:
        raise UserError(f"criterion {unknown[0]!r} is in none of the stored sweeps of this window")
    if fmt is not HistoryFormat.table:
        if fmt is HistoryFormat.json:
            if out is None:
                json_out(hist.to_json())
                return
            import orjson

            text = orjson.dumps(hist.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
        else:
            text = render_markdown(hist) if fmt is HistoryFormat.markdown else render_html(hist)
        if out is None:
            sys.stdout.write(text)
        else:
            from ..files import write_text

            write_text(out, text)
            typer.echo(plain(f"wrote {out}"))
        return
    if not hist.sweeps:
        typer.echo("no sweep recorded in this window")
        return
    if len(hist.criteria) <= 3 and criterion:
        rows = [
            [short(e.at), e.id[:8], cid, p.label, p.reason]
            for e in hist.sweeps
            for cid in hist.criteria
            if (p := hist.points[cid].get(e.seq))
        ]
        table("Criterion history", ["sweep started", "sweep", "criterion", "state", "reason"], rows)
        return
    shown = hist.sweeps[-12:]
    if len(shown) < len(hist.sweeps):
        typer.echo(
            f"(showing the last {len(shown)} of {len(hist.sweeps)} sweeps; use --format markdown or html for all)"
        )
    rows = []
    for cid in hist.criteria:
        pts = [hist.points[cid].get(e.seq) for e in shown]
        share = sum(1 for e in hist.sweeps if (p := hist.points[cid].get(e.seq)) and p.state == "satisfied")
        rows.append([cid, *[SYMBOL[p.label] if p else "" for p in pts], f"{share}/{len(hist.sweeps)}"])
    table("Criteria over time", ["criterion", *[short(e.at)[:16] for e in shown], "satisfied"], rows)


def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the OSCAL documents.")],
    start: FromOpt = None,
    end: ToOpt = None,
    oscal_version: OscalVersionOpt = OscalVersion.v1_2_1,
    fmt: DocumentFormatOpt = DocumentFormat.json,
    store: StoreOpt = None,
) -> None:
    """OSCAL assessment results with one result per stored sweep in the window (evidence re-verified)."""
    from ..store.export import export_window

    lo, hi = window(start, end)
    with opened(store) as st:
        sweeps = st.entries("sweep", lo, hi)
        if not sweeps:
            raise UserError("no sweep is recorded in this window; nothing exported")
        check_out_dir(out)
        paths = export_window(st, sweeps, out, oscal_version=oscal_version.value, fmt=fmt.value, start=lo, end=hi)
    for path in paths:
        typer.echo(f"wrote {path}")
    typer.echo(f"{len(sweeps)} sweep(s) exported, each re-verified against the chain")


def diff(
    sweep_a: Annotated[str, typer.Argument(help="The earlier sweep (id or unique prefix).")],
    sweep_b: Annotated[str, typer.Argument(help="The later sweep (id or unique prefix).")],
    fmt: ListFormatOpt = ListFormat.table,
    no_verify: NoVerifyOpt = False,
    store: StoreOpt = None,
) -> None:
    """New failures, fixes, and resources added or removed between two stored sweeps (verified first)."""
    from ..store.history import diff_sweeps

    with opened(store) as st:
        d = diff_sweeps(st, st.find_sweep(sweep_a), st.find_sweep(sweep_b), verified=not no_verify)
    if fmt is ListFormat.json:
        json_out(d.to_json())
        return
    typer.echo(f"from {d.a.id} ({short(d.a.at)})\nto   {d.b.id} ({short(d.b.at)})")
    typer.echo(
        f"new failures {len(d.new_failures)}, fixed {len(d.fixed)}, new errors {len(d.new_errors)}\n"
        f"resources added {len(d.added)}, removed {len(d.removed)}; criteria changed {len(d.criteria)}"
    )
    limit = 200
    for title, columns, rows in (
        ("Criteria changed", ["criterion", "before", "now"], d.criteria),
        ("New failures", ["check", "resource", "before"], d.new_failures),
        ("Fixed", ["check", "resource", "now"], d.fixed),
        ("New errors", ["check", "resource"], d.new_errors),
        ("Resources added", ["resource", "type"], d.added),
        ("Resources removed", ["resource", "type"], d.removed),
    ):
        if rows:
            table(title, columns, rows[:limit])


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``history``, ``export`` and ``diff`` to the CLI."""
    for command in (verify, history, export, diff):
        app.command()(command)
