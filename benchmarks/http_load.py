"""Throughput and latency of /generate, /grid and /healthz under wrk (32 connections).

    python benchmarks/http_load.py [--seconds 5] [--workers 1]

Needs `wrk` on PATH (Debian: apt-get install wrk). One server process (workers=1 by
default) on loopback; wrk runs one thread beside it. Every /generate request asks for a
new random seed at the default scale 8, so what is measured is the real work (latent,
forward, PNG encode); a fixed-seed run is reported on its own line. /healthz is the
ceiling of the HTTP stack on the same server.

Two more tables. The limit of /generate: a request costs at least the HTTP stack's time
(1 / the /healthz rate under the same load) plus one face's forward and PNG encode timed
in this process, so 1 / their sum is the most /generate can do; the table gives the
three figures and the share of that limit reached. And /healthz latency, from one more
connection, while 32 others ask for 4000-pixel faces (/generate?scale=100): a slow
request must not hold up the others.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.app.settings import Settings
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.png import encode_png
from pixelgan.model.shipped import resolve_weights

from benchmarks.machine import print_header, print_table
from benchmarks.timing import median_ms
from tests.servers import running_server

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


def wrk_command(base_url: str, path: str, random_seed: bool, seconds: int, connections: int) -> tuple[list[str], Path]:
    """The wrk command line for one case, and its Lua script (the caller deletes it)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (path, "true" if random_seed else "false"))
    return ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base_url], Path(script.name)


def wrk_result(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def run_wrk(base_url: str, path: str, random_seed: bool, seconds: int, connections: int) -> dict:
    command, script = wrk_command(base_url, path, random_seed, seconds, connections)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    script.unlink()
    return wrk_result(output)


def run_wrk_beside(base_url: str, probe: str, load: str, seconds: int, connections: int) -> tuple[dict, dict]:
    """wrk on `probe` with one connection while another wrk loads `load` (new seeds) with `connections`."""
    load_command, load_script = wrk_command(base_url, load, True, seconds, connections)
    probe_command, probe_script = wrk_command(base_url, probe, False, seconds, 1)
    with subprocess.Popen(load_command, stdout=subprocess.PIPE, text=True) as loader:
        probe_output = subprocess.run(probe_command, capture_output=True, text=True, check=True).stdout
        load_output, _ = loader.communicate()
    load_script.unlink()
    probe_script.unlink()
    return wrk_result(probe_output), wrk_result(load_output)


def face_ms(repeats: int = 500) -> float:
    """Median in-process time of one /generate's work: a new seed's face and its PNG at scale 8."""
    generator = NumpyGenerator.from_file(resolve_weights(Settings().weights))
    seeds = itertools.count()
    return median_ms(lambda: encode_png(generator.faces_for_seeds([next(seeds)])[0], 8), repeats)


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
    rates = {}
    with running_server(workers=args.workers) as (base_url, _):
        run_wrk(base_url, "/generate?", True, 1, args.connections)  # warm-up
        for name, path, random_seed in CASES:
            result = run_wrk(base_url, path, random_seed, args.seconds, args.connections)
            rates[name] = result["requests"] / result["seconds"]
            rows.append(
                [
                    name,
                    f"{rates[name]:.0f}",
                    f"{rates[name] / rates[CASES[0][0]]:.2f}x",
                    f"{result['p50']:.1f}",
                    f"{result['p99']:.1f}",
                    result["errors"],
                ]
            )
        probe, load = run_wrk_beside(base_url, "/healthz", "/generate?scale=100&", args.seconds, args.connections)
    print_table(["endpoint", "requests/s", "vs /healthz", "p50 ms", "p99 ms", "errors"], rows)

    http_ms = 1000 / rates[CASES[0][0]]
    work_ms = face_ms()
    limit = 1000 / (http_ms + work_ms)
    generate = rates[CASES[1][0]]
    header = ["/healthz ms (1/rate)", "face + PNG ms (in process)", "limit req/s", "/generate req/s", "of limit"]
    row = [f"{http_ms:.3f}", f"{work_ms:.3f}", f"{limit:.0f}", f"{generate:.0f}", f"{generate / limit:.2f}"]
    print_table(header, [row])

    load_rate = load["requests"] / load["seconds"]
    rows = [[f"{probe['p50']:.2f}", f"{probe['p99']:.2f}", probe["errors"], f"{load_rate:.0f}", load["errors"]]]
    print_table(["/healthz p50 ms", "p99 ms", "errors", "/generate?scale=100 req/s", "errors"], rows)


if __name__ == "__main__":
    main()
