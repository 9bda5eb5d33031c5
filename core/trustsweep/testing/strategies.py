"""Hypothesis strategies for hostile input: text shown to users, and broken input files.

``make test`` runs every property with a small, bounded number of examples; ``make fuzz`` sets
``TRUSTSWEEP_FUZZ=1`` and runs the same properties with :data:`FUZZ_FACTOR` times as many.
Needs ``hypothesis`` (the ``dev`` extra).
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

FUZZ_FACTOR = 40

#: strings that broke or could break an output path: Rich markup, Markdown, HTML, terminal controls
NASTY = (
    "[/x]",
    "[bold]",
    "[red]",
    "[/]",
    "[link=http://x]",
    ":warning:",
    "`",
    "``",
    "|",
    "\\",
    "\\|",
    "*",
    "_",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "&amp;",
    "'",
    '"',
    "\n",
    "\r",
    "\t",
    "\x1b[2J",
    "\x1b]8;;x\x07",
    "\x00",
    "\x7f",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "\ufeff",
    "# ",
    "- ",
    "1. ",
    "> ",
    "---",
    "[a](javascript:x)",
    "![i](x)",
    "~~",
    "{",
    "}",
    "%s",
    "{0}",
    "é",
    "漢字",
    "🙂",
    " ",
)


def budget(examples: int) -> int:
    """``examples`` in ``make test``; :data:`FUZZ_FACTOR` times more under ``make fuzz``."""
    return examples * FUZZ_FACTOR if os.environ.get("TRUSTSWEEP_FUZZ") else examples


def hostile_text(min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[str]:
    """Text made of known-nasty fragments and arbitrary characters (no lone surrogates)."""
    fragment = st.sampled_from(NASTY) | st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4)
    out = st.lists(fragment, min_size=min_size, max_size=max_size).map("".join)
    return out.filter(lambda s: s.strip()) if min_size else out


# --------------------------------------------------------------------------------------------
# broken input files: mutate a valid document


def json_values(max_leaves: int = 8) -> st.SearchStrategy[object]:
    """Any JSON value (the type swaps a field can suffer), nested a little."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63 - 1)
        | st.floats(allow_nan=False, allow_infinity=False)
        | hostile_text(max_size=3)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text(max_size=2), inner, max_size=3),
        max_leaves=max_leaves,
    )


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _replace(value: object, path: tuple[object, ...], new: object) -> object:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    assert isinstance(value, list)
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


@st.composite
def swapped(draw: st.DrawFn, document: object, values: st.SearchStrategy[object] | None = None) -> object:
    """``document`` with one node (anywhere, the root included) replaced by another JSON value."""
    path = draw(st.sampled_from(_paths(document)))
    return _replace(document, path, draw(values or json_values()))


def deep(levels: int) -> object:
    """A value nested ``levels`` deep (lists in dicts)."""
    value: object = "x"
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, with bytes flipped, inserted or deleted: what a disk or a transfer does."""
    how = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    at = draw(st.integers(0, max(0, len(data) - 1)))
    if how == "truncate":
        return data[:at]
    if how == "flip":
        width = draw(st.integers(1, 16))
        return data[:at] + bytes(b ^ draw(st.integers(1, 255)) for b in data[at : at + width]) + data[at + width :]
    if how == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data[:at] + data[at + draw(st.integers(1, 64)) :]
