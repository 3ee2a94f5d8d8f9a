"""Wall-clock medians for the benchmark scripts.

from benchmarks.timing import median_ms
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
