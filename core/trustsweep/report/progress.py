"""Rich progress bars on stderr while units of collection work complete."""

from __future__ import annotations

import sys
from types import TracebackType

from ..model import Collected
from .text import console, plain


class CliProgress:
    """One bar per provider; silent when disabled or when stderr is not a terminal."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress = None
        self._tasks: dict[str, int] = {}
        self.errors = 0

    def __enter__(self) -> CliProgress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description:<10}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[note]}", markup=False),
                TimeElapsedColumn(),
                console=console(stderr=True),
                transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)

    def planned(self, provider: str, units: int) -> None:
        if self._progress is not None:
            self._tasks[provider] = self._progress.add_task(plain(provider), total=units, note="")

    def unit_done(self, collected: Collected) -> None:
        if collected.errors:
            self.errors += len(collected.errors)
        if self._progress is not None:
            task = self._tasks.get(collected.unit.provider)
            if task is not None:
                note = f"{collected.unit.target.id} {collected.unit.region} {collected.unit.service}"
                self._progress.update(task, advance=1, note=plain(note)[:48])

    def message(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(plain(text))
        else:
            print(plain(text), file=sys.stderr)
