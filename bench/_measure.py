"""Small helpers shared by the benchmarks: peak RSS and wall-clock timing."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Sequence


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def median_wall(argv: Sequence[str], runs: int = 15) -> tuple[float, float]:
    """Median and min wall seconds of running a command ``runs`` times (after one warm-up)."""
    subprocess.run(argv, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)
