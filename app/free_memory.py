"""Hand the memory a decode freed back to the system: `release_free_memory()` after a large upload.

    release_free_memory()     # glibc's malloc_trim(0); a no-op where there is no glibc

glibc keeps freed memory for reuse, and after the first large free it also raises the size
from which it maps allocations on their own (up to 32 MB), so Pillow's 16 MB image blocks
then come from per-thread arenas that it rarely shrinks. Each threadpool thread that decoded
a large photo would keep about that photo's memory for the life of the worker. malloc_trim
returns the free pages of every arena; it takes about a millisecond.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name)
    return getattr(libc, "malloc_trim", None)


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
