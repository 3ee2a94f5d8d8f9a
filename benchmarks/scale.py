"""Throughput and p99 through nginx for 1, 2 and 3 replicas, and with a warm cache.

    python benchmarks/scale.py [--seconds 5] [--connections 32] [--replicas 1 2 3]

Needs `wrk` and nginx (Debian: apt-get install wrk nginx-light). Each replica is one
`pixelgan serve` process on a loopback port, behind nginx running the deployment's config
(tests/replicas.py), all on this machine. "fresh seeds" asks for a new random seed
every request: each is a cache miss that a replica computes. "warm cache" repeats one
seed, so nginx answers from its cache. A row straight to one replica, without nginx,
shows what the proxy costs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.http_load import run_wrk
from benchmarks.machine import print_header, print_table
from tests.replicas import find_nginx, replica_set


def row(name: str, result: dict) -> list[object]:
    rate = result["requests"] / result["seconds"]
    return [name, f"{rate:.0f}", f"{result['p50']:.1f}", f"{result['p99']:.1f}", result["errors"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 3], help="replica counts to measure")
    args = parser.parse_args()
    if shutil.which("wrk") is None or find_nginx() is None:
        sys.exit("needs wrk and nginx (Debian: apt-get install wrk nginx-light)")
    print_header(f"Replicas behind nginx: wrk, {args.connections} connections, {args.seconds} s a case, /generate")
    rows = []
    for count in args.replicas:
        with replica_set(count) as replicas:
            run_wrk(replicas.url, "/generate?", True, 1, args.connections)  # warm-up
            if count == args.replicas[0]:
                direct = run_wrk(replicas.replica_url(0), "/generate?", True, args.seconds, args.connections)
                rows.append(row("1 replica, no nginx, fresh seeds", direct))
            fresh = run_wrk(replicas.url, "/generate?", True, args.seconds, args.connections)
            replicas_name = f"{count} replica{'s' if count > 1 else ''}"
            rows.append(row(f"{replicas_name} via nginx, fresh seeds", fresh))
            if count == args.replicas[-1]:
                run_wrk(replicas.url, "/generate?seed=42", False, 1, args.connections)  # fills the cache
                warm = run_wrk(replicas.url, "/generate?seed=42", False, args.seconds, args.connections)
                rows.append(row(f"{replicas_name} via nginx, warm cache (one seed)", warm))
    print_table(["setup", "requests/s", "p50 ms", "p99 ms", "errors"], rows)


if __name__ == "__main__":
    main()
