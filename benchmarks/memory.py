"""Resident memory of one server worker after warm-up and after 1,000 and 10,000 mixed requests.

    python benchmarks/memory.py [--requests 10000] [--clients 8]

Starts `pixelgan serve` (one worker, so the server process is the worker), sends a fixed
mix of requests from `--clients` threads and reads the process's VmRSS from /proc (Linux).
The mix, in turn: /generate with a new seed, /generate?seed=7 (a repeat), /grid n=16,
/pixelate of a 640x480 JPEG, /healthz, /model, and three bad requests (seed out of range,
a text file to /pixelate, an unknown path) so the error paths are soaked too.
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import print_header, print_table
from tests.servers import multipart_file, running_server

CHECKPOINTS = (1_000, 10_000)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def request_mix(base_url: str) -> list[tuple[str, bytes | None, str | None, int]]:
    """(url, body, content type, expected status) for one round of the mix."""
    photo = io.BytesIO()
    pixels = np.random.default_rng(0).integers(0, 256, (480, 640, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(photo, "JPEG", quality=90)
    jpeg_body, jpeg_type = multipart_file(photo.getvalue(), "image/jpeg")
    text_body, text_type = multipart_file(b"not an image at all", "text/plain")
    return [
        (base_url + "/generate?seed={seed}", None, None, 200),
        (base_url + "/generate?seed=7", None, None, 200),
        (base_url + "/grid?n=16&seed={seed}", None, None, 200),
        (base_url + "/pixelate", jpeg_body, jpeg_type, 200),
        (base_url + "/healthz", None, None, 200),
        (base_url + "/model", None, None, 200),
        (base_url + "/generate?seed=-1", None, None, 422),
        (base_url + "/pixelate", text_body, text_type, 415),
        (base_url + "/no-such-path", None, None, 404),
    ]


def send(case: tuple[str, bytes | None, str | None, int], seed: int) -> None:
    url, body, content_type, expected = case
    request = urllib.request.Request(url.format(seed=seed), data=body)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    if status != expected:
        raise RuntimeError(f"{url} answered {status}, expected {expected}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=CHECKPOINTS[-1], help="requests in all (default 10000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    args = parser.parse_args()
    print_header(f"server RSS, one worker, {args.requests} mixed requests from {args.clients} clients")
    rows = []
    with running_server() as (base_url, process), ThreadPoolExecutor(args.clients) as pool:
        mix = request_mix(base_url)
        rows.append(["ready, no requests yet", f"{rss_mb(process.pid):.1f}"])
        list(pool.map(send, mix * 10, range(len(mix) * 10)))  # warm-up: every path, caches filled
        rows.append([f"after warm-up ({len(mix) * 10} requests)", f"{rss_mb(process.pid):.1f}"])
        cases = itertools.cycle(mix)
        done = 0
        for checkpoint in (*[c for c in CHECKPOINTS if c < args.requests], args.requests):
            batch = checkpoint - done
            list(pool.map(send, itertools.islice(cases, batch), range(done + 1000, checkpoint + 1000)))
            done = checkpoint
            rows.append([f"after {checkpoint:,} requests more", f"{rss_mb(process.pid):.1f}"])
    print_table(["point", "RSS MB"], rows)


if __name__ == "__main__":
    main()
