"""Evaluate 1,000,000 synthetic resources against their applicable checks, streamed per target.

Run: .venv/bin/python bench/evaluate_1m.py [TOTAL_RESOURCES] [PER_TARGET]
Prints resources per second, results per second and peak RSS. Memory stays bounded because each
target's inventory is built, evaluated, counted and dropped before the next one.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import peak_rss_mb
from trustsweep.evaluate import Evaluator
from trustsweep.provider import TargetInventory
from trustsweep.testing.synthetic import CHECKS, PROVIDER, make_resources


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    per_target = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    evaluator = Evaluator(CHECKS)
    counts: Counter[str] = Counter()
    base_rss = peak_rss_mb()
    start = time.perf_counter()
    done = 0
    target_no = 0
    while done < total:
        n = min(per_target, total - done)
        target = f"acct-{target_no}"
        inventory = TargetInventory(PROVIDER, target, make_resources(target, "north-1", n))
        for result in evaluator.evaluate_target(inventory):
            counts[result.status.value] += 1
        done += n
        target_no += 1
    wall = time.perf_counter() - start
    results = sum(counts.values())
    print(f"resources {done:,} in {target_no} targets, {results:,} check results {dict(counts)}")
    print(f"wall {wall:.2f} s   {done / wall:,.0f} resources/s   {results / wall:,.0f} results/s")
    print(f"peak RSS {peak_rss_mb():.0f} MB (after imports {base_rss:.0f} MB)")


if __name__ == "__main__":
    main()
