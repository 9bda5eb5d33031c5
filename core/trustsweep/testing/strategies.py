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
    "[/x]", "[bold]", "[red]", "[/]", "[link=http://x]", ":warning:", "`", "``", "|", "\\", "\\|", "*", "_",
    "<img src=x onerror=alert(1)>", "<script>", "&amp;", "'", '"', "\n", "\r", "\t", "\x1b[2J", "\x1b]8;;x\x07",
    "\x00", "\x7f", "\x85", "\u202e", "\u2066", "\u200f", "\u2028", "\ufeff", "# ", "- ", "1. ", "> ", "---",
    "[a](javascript:x)", "![i](x)", "~~", "{", "}", "%s", "{0}", "é", "漢字", "🙂", " ",
)


def budget(examples: int) -> int:
    """``examples`` in ``make test``; :data:`FUZZ_FACTOR` times more under ``make fuzz``."""
    return examples * FUZZ_FACTOR if os.environ.get("TRUSTSWEEP_FUZZ") else examples


def hostile_text(min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[str]:
    """Text made of known-nasty fragments and arbitrary characters (no lone surrogates)."""
    fragment = st.sampled_from(NASTY) | st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4)
    out = st.lists(fragment, min_size=min_size, max_size=max_size).map("".join)
    return out.filter(lambda s: s.strip()) if min_size else out
