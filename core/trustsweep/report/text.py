"""Data is data wherever it is shown: escaping for the terminal, Markdown and HTML.

Resource ids, names, tags, reasons, waiver and attestation text come from clouds and users; they
are hostile. Every place that shows them goes through one of these functions:

- :func:`plain` — one line for the terminal: control characters (C0, DEL, C1), BiDi overrides and
  isolates, line and paragraph separators become visible escapes (``\\x1b``, ``\\n``, ``\\u202e``).
- :func:`console` / :func:`print_table` — the one Rich console of the CLI: no markup, no emoji
  codes, no highlighting, the width of the terminal it prints to (80 columns when unknown); table
  cells are :class:`rich.text.Text` built from :func:`plain` and long ids fold, never overflow.
- :func:`md_text` / :func:`md_code` — Markdown inline text (every character that can open inline
  markup is escaped, so no emphasis, link, raw HTML, entity or table pipe comes from data) and code spans (a fence longer than any
  backtick run inside).
- :func:`html_text` — HTML text and attribute values (``html.escape`` with quotes).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# C0 controls, DEL, C1 controls, BiDi marks/embeddings/overrides/isolates, LS/PS, BOM
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&!|~$])")  # what can start inline markup, HTML or a table cell
_BACKTICKS = re.compile(r"`+")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def plain(value: Any) -> str:
    """``value`` as one line of inert text: every control or BiDi character made visible."""
    return _UNSAFE.sub(_visible, str(value))


def md_text(value: Any) -> str:
    """Markdown inline text (also safe in a table cell): shows exactly :func:`plain` of ``value``."""
    return _MD_INLINE.sub(r"\\\1", plain(value))


def md_code(value: Any, *, in_table: bool = True) -> str:
    """A Markdown code span showing :func:`plain` of ``value`` verbatim.

    The fence is one backtick longer than the longest run inside; in a table cell ``|`` is
    written ``\\|`` (GFM removes the backslash before it parses the span).
    """
    text = plain(value)
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    if not text.strip():  # a blank span would not be a code span at all
        return md_text(value)
    return f"{fence}{text}{fence}"


def html_text(value: Any) -> str:
    """HTML text or a quoted attribute value showing :func:`plain` of ``value``."""
    return html.escape(plain(value), quote=True)


# --------------------------------------------------------------------------------------------
# terminal


def text(value: Any, style: str = "", *, encoding: str = "utf-8") -> Text:
    """A Rich ``Text`` of :func:`plain` of ``value``: never parsed as markup.

    With a terminal ``encoding`` that cannot show every character (``PYTHONIOENCODING=ascii``),
    those become backslash escapes before the layout, so columns stay aligned.
    """
    from rich.text import Text

    shown = plain(value)
    if not encoding.lower().replace("-", "").startswith("utf"):
        shown = shown.encode(encoding, "backslashreplace").decode(encoding)
    return Text(shown, style=style)


def console(*, stderr: bool = False, file: IO[str] | None = None) -> Console:
    """The CLI's console: data is never markup, width is the terminal's own (80 when unknown)."""
    from rich.console import Console

    return Console(stderr=stderr, file=file, markup=False, emoji=False, highlight=False)


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    right: Sequence[str] = (),
    encoding: str = "utf-8",
) -> Table:
    """A table of data cells that folds long values to fit the console instead of overflowing."""
    from rich.table import Table

    out = Table(title=text(title, encoding=encoding) if title else None)
    for column in columns:
        out.add_column(text(column, encoding=encoding), overflow="fold", justify="right" if column in right else "left")
    for row in rows:
        out.add_row(*(text(cell, encoding=encoding) for cell in row))
    return out


def print_table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    right: Sequence[str] = (),
    out: Console | None = None,
) -> None:
    """Print :func:`table` on ``out`` (default: a new :func:`console` on stdout)."""
    screen = out or console()
    screen.print(table(title, columns, rows, right=right, encoding=screen.encoding))
