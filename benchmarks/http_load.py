"""Throughput and latency of /generate, /grid and /healthz under wrk (32 connections).

    python benchmarks/http_load.py [--seconds 5] [--workers 1]

Needs `wrk` on PATH (Debian: apt-get install wrk). One server process (workers=1 by
default) on loopback; wrk runs one thread beside it. Every /generate request asks for a
new random seed at the default scale 8, so what is measured is the real work (latent,
forward, PNG encode); a fixed-seed run is reported on its own line. /healthz is the
ceiling of the HTTP stack on the same server.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import print_header, print_table
from benchmarks.server import running_server

LUA = """
local path = "%s"
local random_seed = %s
function init(args)
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%%x+)"), 16) %% 1000))
end
function request()
  if random_seed then
    return wrk.format("GET", path .. "seed=" .. math.random(0, 2147483646))
  end
  return wrk.format("GET", path)
end
function done(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%f, "errors": %%d, "p50": %%f, "p99": %%f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""

CASES = [
    ("/healthz", "/healthz", False),
    ("/generate (new seed each request)", "/generate?", True),
    ("/generate (one seed, repeated)", "/generate?seed=42", False),
    ("/grid n=64 scale=4 (new seed)", "/grid?n=64&scale=4&", True),
]


def run_wrk(base_url: str, path: str, random_seed: bool, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (path, "true" if random_seed else "false"))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base_url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    print_header(f"HTTP load: wrk, {args.connections} connections, {args.seconds} s a case, {args.workers} worker(s)")
    rows = []
    with running_server(workers=args.workers) as (base_url, _):
        run_wrk(base_url, "/generate?", True, 1, args.connections)  # warm-up
        ceiling = None
        for name, path, random_seed in CASES:
            result = run_wrk(base_url, path, random_seed, args.seconds, args.connections)
            rate = result["requests"] / result["seconds"]
            ceiling = ceiling or rate
            rows.append(
                [
                    name,
                    f"{rate:.0f}",
                    f"{rate / ceiling:.2f}x",
                    f"{result['p50']:.1f}",
                    f"{result['p99']:.1f}",
                    result["errors"],
                ]
            )
    print_table(["endpoint", "requests/s", "vs /healthz", "p50 ms", "p99 ms", "errors"], rows)


if __name__ == "__main__":
    main()
