"""Start-up: from starting `pixelgan serve` (torch-free path) to /readyz answering 200.

python benchmarks/startup.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import print_header, print_table
from tests.helpers import free_port
from tests.servers import wait_ready


def one_start() -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pixelgan.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}")
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="starts; the median is shown")
    args = parser.parse_args()
    print_header(f"start-up to /readyz 200, {args.repeats} starts")
    times = [one_start() for _ in range(args.repeats)]
    rows = [[f"{statistics.median(times):.2f}", f"{min(times):.2f}", f"{max(times):.2f}"]]
    print_table(["median s", "min s", "max s"], rows)


if __name__ == "__main__":
    main()
