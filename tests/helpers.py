"""Helpers shared by the tests (and by the benchmarks, which measure against the same baseline).

    post_pixelator(pixels, 40)   # the post's Pixelator, the reference `pixelate` is tested against
    free_port()                  # a free TCP port on 127.0.0.1 for a real server

The post's Pixelator takes the mean of each `side // boxes` block in a Python loop, and so
returns a ragged grid (41x41 for a side of 474 and 40 boxes) when the side is not a
multiple of `boxes`.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from threadpoolctl import OpenBLASController, threadpool_info, threadpool_limits


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_pixelator(pixels: np.ndarray, boxes: int) -> np.ndarray:
    """Block means in [0, 1] of a square uint8 array, one Python loop step per block."""
    side = pixels.shape[0]
    step = side // boxes
    rows = []
    for top in range(0, side, step):
        rows.append([pixels[top : top + step, left : left + step].mean() for left in range(0, side, step)])
    return np.array(rows) / 255.0


def blas_threads() -> int:
    """How many threads numpy's BLAS runs on right now (process-wide)."""
    return next(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


@contextmanager
def blas_threads_set_to(threads: int) -> Iterator[None]:
    """BLAS on `threads` threads for the block, set by a thread that then ends.

    threadpoolctl lets only the thread that last set OpenBLAS's limit change it while that
    thread lives; set from a passing thread, the limit is free for the code under test to pin.
    """
    original = blas_threads()
    _set_blas_threads_in_passing(threads)
    try:
        yield
    finally:
        _set_blas_threads_in_passing(original)


def _set_blas_threads_in_passing(threads: int) -> None:
    # threadpoolctl (3.8 on) lets one live thread at a time set OpenBLAS's limit; a server
    # running in a thread of this process (the browser tests') may hold it: take it over.
    release = getattr(OpenBLASController, "clear_controlling_thread", None)
    if release is not None:
        release(force=True)
    setter = threading.Thread(target=threadpool_limits, kwargs={"limits": threads, "user_api": "blas"})
    setter.start()
    setter.join()
