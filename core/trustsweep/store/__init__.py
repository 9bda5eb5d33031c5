"""The evidence store for SOC 2 Type II: every sweep, attestation and waiver, append-only and hash-chained.

``--store sqlite:///PATH`` (default: ``evidence.sqlite`` in the user data directory) or
``--store postgresql://...``. See ``docs/store.md`` for the layout, the guarantees and the
PostgreSQL writer role's grants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model import Attestation, Waiver

if TYPE_CHECKING:
    from ..sweep import Sweep
    from .ledger import EvidenceStore

__all__ = ["current_attestations", "current_waivers", "open_store", "record_sweep", "recorded_evidence"]


def open_store(url: str | None, *, create: bool = True) -> EvidenceStore:
    """Open a store (a UserError, exit 2, when it cannot be opened or is from a newer version)."""
    from .ledger import EvidenceStore

    return EvidenceStore.open(url, create=create)


def record_sweep(sweep: Sweep, url: str | None, *, before_commit: Callable[[EvidenceStore], None] | None = None) -> str:
    """Append the sweep in one transaction; set ``sweep.chain_head`` to its hash and return it.

    ``before_commit(store)`` runs inside that transaction once the entry is written (with
    ``sweep.chain_head`` set; reading ``store`` sees the new entry): the CLI writes its outputs
    there. If it raises, or the commit fails, nothing is stored and ``sweep.chain_head`` is reset.
    """
    try:
        with open_store(url) as store, store.translated():
            return store.record(sweep, before_commit=before_commit)
    except BaseException:
        sweep.chain_head = ""
        raise


def recorded_evidence(url: str | None) -> tuple[list[Attestation], list[Waiver]]:
    """Every attestation and waiver on record. A SQLite store that does not exist yet has none
    and is not created here (it is created when a sweep is recorded)."""
    from .urls import parse_url

    parsed = parse_url(url)
    if parsed.kind == "sqlite" and parsed.path is not None and not parsed.path.exists():
        return [], []
    with open_store(url) as store, store.translated(), store.readable():
        return store.attestations(), store.waivers()


def current_attestations(url: str | None) -> list[Attestation]:
    """Every attestation on record with its revocation (the core picks the valid ones at the sweep's time)."""
    with open_store(url) as store, store.translated(), store.readable():
        return store.attestations()


def current_waivers(url: str | None) -> list[Waiver]:
    """Every waiver on record with its revocation (each stops applying when it expires or is revoked)."""
    with open_store(url) as store, store.translated(), store.readable():
        return store.waivers()


def recent_history_markdown(url: str | None, last: int = 14) -> str:
    """The chart of each criterion over the last ``last`` stored sweeps, for ``summary.md``."""
    with open_store(url) as store, store.translated():
        return history_markdown(store, last)


def history_markdown(store: EvidenceStore, last: int = 14) -> str:
    """:func:`recent_history_markdown` of an open store (e.g. inside the transaction recording a sweep).

    A store that does not verify gets no chart but the reason, never a chart of altered evidence.
    """
    from .history import load_history, render_markdown
    from .ledger import TamperedError

    try:
        # the start of the last ``last`` sweeps, without reading every sweep's entry
        starts = store.db.query("SELECT at FROM entries WHERE kind = 'sweep' ORDER BY seq DESC LIMIT ?", (last,))
        hist = load_history(store, dt.datetime.fromisoformat(starts[-1][0]) if starts else None, None)
    except TamperedError as exc:
        return (
            f"## Criteria over the last stored sweeps\n\n**The evidence store does not verify**: {exc}. "
            "Run `trustsweep verify`.\n"
        )
    hist.sweeps = hist.sweeps[-last:]
    return render_markdown(hist, title=f"Criteria over the last {len(hist.sweeps)} stored sweep(s)")
