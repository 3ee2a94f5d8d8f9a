"""A flood of the worst legal request of each heavy route, and what the health checks see meanwhile.

    python benchmarks/flood.py [--clients 32] [--seconds 10] [--only morph]

Starts `pixelgan serve` (one worker, default settings). For each route in turn, `--clients`
clients send its most expensive legal request back to back for `--seconds`, each on its own
keep-alive connection, ignoring Retry-After as an attacker would; one more client, in a process
of its own, asks for /healthz and /readyz every 100 ms. Prints per route: the accepted requests' latency (p50,
p99), how many were refused (503 `overloaded`), the health checks' p99 and slowest, and the
worker's peak RSS over its idle RSS (VmHWM via /proc/PID/clear_refs; Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import io
import multiprocessing
import sys
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.app.parameters import MAX_ANIMATION_PIXELS, MAX_ANIMATION_SIDE, MAX_BOXES, MAX_GRID_FACES, MAX_SIDE
from pixelgan.model.morph import MAX_FRAMES
from pixelgan.model.sheet import sheet_shape

from benchmarks.machine import print_header, print_table
from benchmarks.upload_memory import gradient, proc_status
from tests.servers import running_server

GRID = 40  # the shipped generator's


def widest_morph(grid: int) -> tuple[int, int]:
    """(frames, scale) of the widest frames a morph may have, as many as the pixel cap allows:
    the most memory (lossless WebP's encoder holds about 27 bytes per pixel of a frame) and
    near the most CPU."""
    scale = MAX_ANIMATION_SIDE // grid
    return min(MAX_FRAMES, MAX_ANIMATION_PIXELS // (grid * scale) ** 2), scale


def worst_requests() -> dict[str, dict]:
    """Route -> httpx request arguments for its most expensive legal request."""
    sheet_scale = MAX_SIDE // max(sheet_shape(MAX_GRID_FACES, GRID, GRID))
    morph_frames, morph_scale = widest_morph(GRID)
    photo = io.BytesIO()
    # The largest RGBA PNG the default decode budget accepts (benchmarks/upload_memory.py).
    gradient(4200, 4200, "RGBA").save(photo, "PNG")
    return {
        "/generate": {"method": "GET", "url": f"/generate?scale={MAX_SIDE // GRID}&dither=floyd&levels=2"},
        "/grid": {"method": "GET", "url": f"/grid?n={MAX_GRID_FACES}&scale={sheet_scale}&dither=floyd&levels=2"},
        "/morph": {"method": "GET", "url": f"/morph?from=1&to=2&frames={morph_frames}&scale={morph_scale}&format=webp"},
        "/pixelate": {
            "method": "POST",
            "url": f"/pixelate?boxes={MAX_BOXES}&scale={MAX_SIDE // MAX_BOXES}&dither=floyd&levels=2",
            "files": {"file": ("photo.png", photo.getvalue(), "image/png")},
        },
    }


async def flood_client(base_url: str, request: dict, deadline: float, results: list) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await client.request(**request)
                status = response.status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            results.append((status, time.perf_counter() - started))


def health_prober(base_url: str, seconds: float, latencies: multiprocessing.Queue) -> None:
    """/healthz and /readyz every 100 ms, from a process of its own, so the flood's clients
    (in this process, on the same cores) do not add their own delay to what it measures."""
    measured: dict[str, list[float]] = collections.defaultdict(list)
    deadline = time.perf_counter() + seconds
    with httpx.Client(base_url=base_url, timeout=120) as client:
        while time.perf_counter() < deadline:
            for path in ("/healthz", "/readyz"):
                started = time.perf_counter()
                response = client.get(path)
                measured[path].append(time.perf_counter() - started)
                if response.status_code != 200:
                    measured[path + " not 200"].append(0.0)
            time.sleep(0.1)
    latencies.put(dict(measured))


async def flood_clients(base_url: str, request: dict, clients: int, seconds: float) -> list:
    deadline = time.perf_counter() + seconds
    results: list = []
    await asyncio.gather(*(flood_client(base_url, request, deadline, results) for _ in range(clients)))
    return results


def flood(base_url: str, request: dict, clients: int, seconds: float) -> tuple[list, dict]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    prober = multiprocessing.Process(target=health_prober, args=(base_url, seconds, queue))
    prober.start()
    results = asyncio.run(flood_clients(base_url, request, clients, seconds))
    latencies = collections.defaultdict(list, queue.get(timeout=300))
    prober.join()
    return results, latencies


def ms(values: list[float], q: float) -> str:
    return f"{np.quantile(values, q) * 1000:.0f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="flooding clients per route")
    parser.add_argument("--seconds", type=float, default=10.0, help="flood length per route")
    parser.add_argument("--only", default="", help="flood the routes whose path contains this text")
    args = parser.parse_args()
    print_header(f"{args.clients} clients flooding the worst legal request, {args.seconds:g} s a route, one worker")
    rows = []
    with running_server() as (base_url, process):
        for route, request in worst_requests().items():
            if args.only not in route:
                continue
            Path(f"/proc/{process.pid}/clear_refs").write_text("5")
            idle = proc_status(process.pid, "VmRSS")
            results, latencies = flood(base_url, request, args.clients, args.seconds)
            peak = proc_status(process.pid, "VmHWM")
            accepted = [seconds for status, seconds in results if status == 200]
            statuses = collections.Counter(status for status, _ in results)
            others = {status: count for status, count in statuses.items() if status not in (200, 503)}
            rows.append(
                [
                    route,
                    len(accepted),
                    ms(accepted, 0.5),
                    ms(accepted, 0.99),
                    statuses.get(503, 0),
                    ", ".join(f"{status}: {count}" for status, count in others.items()) or "-",
                    ms(latencies["/healthz"], 0.99),
                    ms(latencies["/readyz"], 0.99),
                    f"{max(latencies['/healthz'] + latencies['/readyz']) * 1000:.0f}",
                    f"{(peak - idle) / 2**20:+.0f}",
                ]
            )
            print(" | ".join(str(cell) for cell in rows[-1]), file=sys.stderr, flush=True)
            print(f"{request['url']}", file=sys.stderr, flush=True)
    headers = ["route", "accepted", "p50 ms", "p99 ms", "refused 503", "other", "/healthz p99 ms"]
    headers += ["/readyz p99 ms", "health max ms", "peak RSS growth MiB"]
    print_table(headers, rows)


if __name__ == "__main__":
    main()
