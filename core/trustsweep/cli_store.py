"""Evidence-store commands: verify, history, export, diff (attest and waive: ``cli_attest``).

Exit codes: 0 fine; 1 the store failed verification (tampered or truncated evidence) — also when
``history``, ``diff`` or ``export`` refuse to read evidence that does not verify (``--no-verify``
reads it anyway); 2 bad input (unopenable store, newer schema, reversed dates, bad --head, ...).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .cli import OSCAL_VERSIONS, StoreOpt, _err, _format, _json_out, _table, handled
from .errors import UserError
from .report.text import plain

if TYPE_CHECKING:
    from .store.ledger import EvidenceStore

FromOpt = Annotated[Optional[str], typer.Option("--from", help="Start of the window (YYYY-MM-DD or ISO datetime, UTC).")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="End of the window, inclusive (YYYY-MM-DD or ISO datetime, UTC).")]
ListFormatOpt = Annotated[str, typer.Option("--format", help="table or json.")]
NoVerifyOpt = Annotated[bool, typer.Option("--no-verify", help="Read the store without first checking the chain and the rows read (unverified evidence).")]


def _date(value: str, what: str) -> dt.datetime:
    from .config import parse_datetime

    try:
        return parse_datetime(value, what=what)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _window(start: str | None, end: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``--from``/``--to`` as ``[start, end)``; a bare ``--to`` date includes that whole day."""
    lo = _date(start, "--from") if start else None
    hi = None
    if end:
        hi = _date(end, "--to")
        hi += dt.timedelta(days=1) if len(end.strip()) == 10 else dt.timedelta(microseconds=1)
    if lo and hi and lo >= hi:
        raise UserError(f"the window is the wrong way round: --from {start} is after --to {end}")
    return lo, hi


@contextmanager
def _store(url: str | None, *, create: bool = False) -> Iterator[EvidenceStore]:
    from .store import open_store
    from .store.ledger import TamperedError

    store = open_store(url, create=create)
    try:
        with store.translated():
            yield store
    except TamperedError as exc:
        _err(f"evidence does not verify: {exc} (see 'trustsweep verify')")
        raise typer.Exit(1) from None
    finally:
        store.close()


def _short(ts: str) -> str:
    return ts[:19].replace("T", " ")


# --------------------------------------------------------------------------------------------


def verify(
    store: StoreOpt = None,
    head: Annotated[Optional[str], typer.Option("--head", help="A chain head recorded elsewhere (e.g. an OSCAL document's evidence-chain-head prop) that the store must still contain.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Re-hash every stored sweep, attestation and waiver; name the first that does not match."""
    with handled():
        from .store.verify import verify as run_verify

        if fmt not in ("text", "json"):
            raise UserError(f"unsupported --format {fmt!r} (text or json)")
        if head is not None and not re.fullmatch(r"[0-9a-f]{64}", head.strip().lower()):
            raise UserError(f"--head {head!r} is not a chain head (64 hex digits, as printed by 'verify' or in an "
                            "OSCAL document's evidence-chain-head prop)")
        with _store(store) as st:
            report = run_verify(st, expect_head=head)
            where = st.where
        if fmt == "json":
            _json_out({"store": where, "ok": report.ok, "entries": report.entries, "sweeps": report.sweeps,
                       "observations": report.observations, "head": report.head, "first_bad": report.first_bad,
                       "problems": report.problems})
            raise typer.Exit(0 if report.ok else 1)
        if not report.ok:
            for problem in report.problems:
                typer.echo(plain(f"FAILED {problem}"))
            _err(f"{where}: evidence store does not verify ({report.entries} entries checked before the failure)")
            raise typer.Exit(1)
        typer.echo(f"{where}: OK — {report.entries} entries ({report.sweeps} sweeps, {report.observations} "
                   f"observations) verified; chain head {report.head or '(empty store)'}")


def history(
    start: FromOpt = None,
    end: ToOpt = None,
    criterion: Annotated[list[str], typer.Option("--criterion", help="Only this criterion (repeatable).")] = [],
    fmt: Annotated[str, typer.Option("--format", help="table, json, markdown or html.")] = "table",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout (.html: an HTML chart; otherwise Markdown unless --format says).")] = None,
    no_verify: NoVerifyOpt = False,
    store: StoreOpt = None,
) -> None:
    """Each criterion's state over the stored sweeps of a window (a chart in markdown/html), verified first."""
    with handled():
        from .store.history import SYMBOL, load_history, render_html, render_markdown

        if fmt not in ("table", "json", "markdown", "html"):
            raise UserError(f"unsupported --format {fmt!r} (table, json, markdown or html)")
        if out is not None and fmt == "table":  # a file gets the chart: HTML or Markdown by its suffix
            fmt = "html" if out.suffix.lower() in (".html", ".htm") else "markdown"
        lo, hi = _window(start, end)
        with _store(store) as st:
            hist = load_history(st, lo, hi, criterion, verified=not no_verify)
        unknown = [c for c in criterion if c not in hist.points]
        if unknown and hist.sweeps:
            raise UserError(f"criterion {unknown[0]!r} is in none of the stored sweeps of this window")
        if fmt == "json":
            text = None
            if out is None:
                _json_out(hist.to_json())
                return
            import orjson

            text = orjson.dumps(hist.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
        elif fmt in ("markdown", "html"):
            text = render_markdown(hist) if fmt == "markdown" else render_html(hist)
        else:
            text = None
        if text is not None:
            if out is None:
                sys.stdout.write(text)
            else:
                from .files import write_text

                write_text(out, text)
                typer.echo(plain(f"wrote {out}"))
            return
        if not hist.sweeps:
            typer.echo("no sweep recorded in this window")
            return
        if len(hist.criteria) <= 3 and criterion:
            rows = [[_short(e.at), e.id[:8], cid, p.label, p.reason]
                    for e in hist.sweeps for cid in hist.criteria if (p := hist.points[cid].get(e.seq))]
            _table("Criterion history", ["sweep started", "sweep", "criterion", "state", "reason"], rows)
            return
        shown = hist.sweeps[-12:]
        if len(shown) < len(hist.sweeps):
            typer.echo(f"(showing the last {len(shown)} of {len(hist.sweeps)} sweeps; use --format markdown or html for all)")
        rows = []
        for cid in hist.criteria:
            pts = [hist.points[cid].get(e.seq) for e in shown]
            share = sum(1 for e in hist.sweeps if (p := hist.points[cid].get(e.seq)) and p.state == "satisfied")
            rows.append([cid, *[SYMBOL[p.label] if p else "" for p in pts], f"{share}/{len(hist.sweeps)}"])
        _table("Criteria over time", ["criterion", *[_short(e.at)[:16] for e in shown], "satisfied"], rows)


def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the OSCAL documents.")],
    start: FromOpt = None,
    end: ToOpt = None,
    oscal_version: Annotated[str, typer.Option("--oscal-version", help="1.2.1 or 1.1.3.")] = "1.2.1",
    fmt: Annotated[str, typer.Option("--format", help="json or yaml.")] = "json",
    store: StoreOpt = None,
) -> None:
    """OSCAL assessment results with one result per stored sweep in the window (evidence re-verified)."""
    with handled():
        from .cli import _check_out_dir, _check_oscal_version

        _check_oscal_version(oscal_version)
        if fmt not in ("json", "yaml"):
            raise UserError(f"unsupported --format {fmt!r} (json or yaml)")
        lo, hi = _window(start, end)
        with _store(store) as st:
            from .store.export import export_window

            sweeps = st.entries("sweep", lo, hi)
            if not sweeps:
                raise UserError("no sweep is recorded in this window; nothing exported")
            _check_out_dir(out)
            paths = export_window(st, sweeps, out, oscal_version=oscal_version, fmt=fmt, start=lo, end=hi)
        for path in paths:
            typer.echo(f"wrote {path}")
        typer.echo(f"{len(sweeps)} sweep(s) exported, each re-verified against the chain")


def diff(
    sweep_a: Annotated[str, typer.Argument(help="The earlier sweep (id or unique prefix).")],
    sweep_b: Annotated[str, typer.Argument(help="The later sweep (id or unique prefix).")],
    fmt: ListFormatOpt = "table",
    no_verify: NoVerifyOpt = False,
    store: StoreOpt = None,
) -> None:
    """New failures, fixes, and resources added or removed between two stored sweeps (verified first)."""
    with handled():
        from .store.history import diff_sweeps

        _format(fmt)
        with _store(store) as st:
            d = diff_sweeps(st, st.find_sweep(sweep_a), st.find_sweep(sweep_b), verified=not no_verify)
        if fmt == "json":
            _json_out(d.to_json())
            return
        typer.echo(f"from {d.a.id} ({_short(d.a.at)})\nto   {d.b.id} ({_short(d.b.at)})")
        typer.echo(f"new failures {len(d.new_failures)}, fixed {len(d.fixed)}, new errors {len(d.new_errors)}\n"
                   f"resources added {len(d.added)}, removed {len(d.removed)}; criteria changed {len(d.criteria)}")
        limit = 200
        if d.criteria:
            _table("Criteria changed", ["criterion", "before", "now"], d.criteria)
        if d.new_failures:
            _table("New failures", ["check", "resource", "before"], d.new_failures[:limit])
        if d.fixed:
            _table("Fixed", ["check", "resource", "now"], d.fixed[:limit])
        if d.new_errors:
            _table("New errors", ["check", "resource"], d.new_errors[:limit])
        if d.added:
            _table("Resources added", ["resource", "type"], d.added[:limit])
        if d.removed:
            _table("Resources removed", ["resource", "type"], d.removed[:limit])


def register(app: typer.Typer) -> None:
    """Add the evidence-store commands to the CLI (once per app, however often main() runs)."""
    if getattr(app, "_trustsweep_store_commands", False):
        return
    app._trustsweep_store_commands = True  # type: ignore[attr-defined]
    app.command()(verify)
    app.command()(history)
    app.command()(export)
    app.command()(diff)
    from . import cli_attest

    cli_attest.register(app)


__all__ = ["register", "OSCAL_VERSIONS"]
