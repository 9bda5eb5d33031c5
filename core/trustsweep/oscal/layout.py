"""What the results writer must know before it streams, learnt in one pass over a Sweep's
resources and results with bounded memory: the *strays* (results whose resource has no fact, e.g.
in a Sweep decoded from an older store entry), the resource keys with more than one fact, and the
check × resource pairs that may have more than one result.

The engine appends each target's facts and results together, so both sequences come in one run
per target (``provider``, ``target``), in the same order: the stray check then holds one target's
resource keys at a time. When that layout does not hold, it falls back to the keys of the whole
sweep (memory proportional to that sweep, which is then an in-memory list anyway). Repeated
check × resource pairs are found with a Bloom filter (no false negatives): only its candidates
are tracked exactly while the observations are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from ..model import CheckResult, Resource

#: a stray's inventory fields: provider, target, region, type, native id
StrayFields = tuple[str, str, str, str, str]


@dataclass
class Layout:
    """``strays``: result keys without a fact, in order of first appearance, with their fields;
    ``repeated_keys``: resource keys with several facts; ``maybe_repeated``: ``check|key`` pairs
    that may have several results (every one that does, and a few that do not)."""

    strays: dict[str, StrayFields] = field(default_factory=dict)
    repeated_keys: set[str] = field(default_factory=set)
    maybe_repeated: set[str] = field(default_factory=set)
    grouped: bool = True


class Bloom:
    """A set of strings that may answer "seen" wrongly (rarely) but never "not seen" wrongly.

    Two bit positions from Python's string hash (per process, fine: it lives for one build);
    about 16 bits per expected item, at most 2**27 bits (16 MB): below 2 % false positives up to
    8 million items."""

    def __init__(self, expected: int) -> None:
        bits = 1 << min(27, max(13, (expected * 16).bit_length()))
        self.mask = bits - 1
        self.bits = bytearray(bits >> 3)

    def add(self, text: str) -> bool:
        """Add ``text``; True when it may have been added before."""
        h = hash(text)
        p, q = h & self.mask, (h >> 28) & self.mask
        bits = self.bits
        seen = bits[p >> 3] & (1 << (p & 7)) and bits[q >> 3] & (1 << (q & 7))
        bits[p >> 3] |= 1 << (p & 7)
        bits[q >> 3] |= 1 << (q & 7)
        return bool(seen)


def _natural(r: CheckResult) -> str:
    return f"{r.check_id}|{r.provider}|{r.target}|{r.resource_id}"


def _stray(r: CheckResult) -> StrayFields:
    return r.provider, r.target, r.region, r.resource_type, r.resource_id


def _scan_grouped(resources: Iterable[Resource], results: Sequence[CheckResult], out: Layout) -> bool:
    """Fill ``out`` holding one target's resource keys at a time; False when the layout does not hold."""
    groups: Iterator[tuple[tuple[str, str], Iterator[Resource]]] = groupby(resources, lambda r: (r.provider, r.target))
    passed: set[tuple[str, str]] = set()  # targets (few): a second run of one means "not grouped"
    done: set[tuple[str, str]] = set()
    current: tuple[str, str] | None = None
    keys: set[str] = set()
    bloom = Bloom(len(results))
    for group, run in groupby(results, lambda r: (r.provider, r.target)):
        if group in done:
            return False
        done.add(group)
        while current != group:  # skip targets without results
            nxt = next(groups, None)
            if nxt is None or nxt[0] in passed:
                return False  # results of a target without facts, or out of order
            current = nxt[0]
            passed.add(current)
            keys = _keys(nxt[1], out.repeated_keys)
        for r in run:
            key = f"{r.provider}|{r.target}|{r.resource_id}"
            if key not in keys and key not in out.strays:
                out.strays[key] = _stray(r)
            natural = f"{r.check_id}|{key}"
            if bloom.add(natural):
                out.maybe_repeated.add(natural)
    for group, facts in groups:  # the remaining targets (without results) must not repeat either
        if group in passed:
            return False
        passed.add(group)
        _keys(facts, out.repeated_keys)
    return True


def _keys(resources: Iterable[Resource], repeated: set[str]) -> set[str]:
    """The resource keys (adding those met twice to ``repeated``)."""
    keys: set[str] = set()
    for res in resources:
        key = f"{res.provider}|{res.target}|{res.id}"
        if key in keys:
            repeated.add(key)
        keys.add(key)
    return keys


def scan(resources: Sequence[Resource], results: Sequence[CheckResult]) -> Layout:
    """One pass over each sequence (two when the layout does not hold)."""
    layout = Layout()
    if _scan_grouped(resources, results, layout):
        return layout
    layout = Layout(grouped=False)
    known = _keys(resources, layout.repeated_keys)
    seen: set[str] = set()
    for r in results:
        key = r.resource_key
        if key not in known and key not in layout.strays:
            layout.strays[key] = _stray(r)
        natural = _natural(r)
        if natural in seen:
            layout.maybe_repeated.add(natural)
        seen.add(natural)
    return layout
