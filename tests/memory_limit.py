"""A stand-in for a container's memory limit: SIGKILL a process once its RSS passes a limit.

    with memory_limit(processes, 512 * 2**20) as killed:   # watched every few milliseconds
        ...                                                # send the attack
    killed                                                 # the pids it killed

Docker and Kubernetes give each replica a cgroup memory limit, and the kernel's OOM killer
ends a replica that goes over it with SIGKILL. The tests' replicas are plain processes
(tests/replicas.py), so this thread does the same from outside, reading /proc (Linux only).
Polling can miss a spike shorter than its interval; it never kills below the limit.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence


def rss_bytes(pid: int) -> int | None:
    """The resident set size of `pid`, or None once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None  # a zombie has no VmRSS line


@contextlib.contextmanager
def memory_limit(
    processes: Sequence[subprocess.Popen], limit_bytes: int, *, interval: float = 0.002
) -> Iterator[list[int]]:
    """Watch `processes` while the block runs and SIGKILL any whose RSS is over `limit_bytes`."""
    killed: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for process in processes:
                if process.poll() is None and (rss_bytes(process.pid) or 0) > limit_bytes:
                    process.send_signal(signal.SIGKILL)
                    killed.append(process.pid)
            stop.wait(interval)

    watcher = threading.Thread(target=watch, name="memory-limit", daemon=True)
    watcher.start()
    try:
        yield killed
    finally:
        stop.set()
        watcher.join(timeout=5)
