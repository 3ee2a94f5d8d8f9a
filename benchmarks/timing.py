"""Wall-clock medians, and fastest CPU times, for the benchmark scripts.

from benchmarks.timing import fastest_cpu_ms, median_ms
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(function: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` calls of `function`, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def fastest_cpu_ms(function: Callable[[], object], repeats: int) -> float:
    """Shortest CPU time of this thread over `repeats` calls of `function`, in milliseconds.

    For single-threaded compute on a shared machine: time spent waiting for a core does not
    count, and the fastest run is the one least disturbed (caches shared with other work)."""
    fastest = float("inf")
    for _ in range(repeats):
        started = time.thread_time()
        function()
        fastest = min(fastest, time.thread_time() - started)
    return fastest * 1000
