"""Evidence-store commands (verify, history, export, diff, attest, waive)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the evidence-store commands to the CLI."""
