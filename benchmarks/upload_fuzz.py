"""Fuzzing POST /pixelate at length: mutated files of every accepted format, answers counted by status.

    python benchmarks/upload_fuzz.py [--cases 30000] [--seed 1]

The same mutations as tests/test_upload_fuzz.py (tests/upload_mutations.py), with more cases
and another seed, through the app in this process (TestClient) under the default limits.
Prints, per seed file, how many cases got each status, the slowest case, and every case that
got a 5xx or a body that is not the JSON error shape (the test's failure, by name).
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.shipped import shipped_generator_path

from benchmarks.machine import print_header, print_table
from tests.upload_mutations import mutated_uploads


def is_contract(status: int, content: bytes, body: object) -> bool:
    if status == 200:
        return content.startswith(b"\x89PNG")
    return status < 500 and isinstance(body, dict) and set(body) == {"code", "detail"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30_000, help="mutated files to send")
    parser.add_argument("--seed", type=int, default=1, help="mutation seed (the test uses 0)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # Pillow warns about every odd tag it skips
    print_header(f"POST /pixelate, {args.cases} mutated uploads, seed {args.seed}, default limits")
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    slowest: dict[str, tuple[float, str]] = {}
    broken = []
    settings = Settings(weights=shipped_generator_path())
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for name, data in mutated_uploads(args.cases, seed=args.seed):
            kind = name.split("#")[0]
            started = time.perf_counter()
            response = client.post("/pixelate?scale=1", files={"file": ("upload", data)})
            elapsed = time.perf_counter() - started
            try:
                body = response.json() if response.status_code != 200 else None
            except ValueError:
                body = None
            if not is_contract(response.status_code, response.content, body):
                broken.append(f"{name}: {response.status_code} {response.text[:160]!r}")
            statuses[kind][response.status_code] += 1
            slowest[kind] = max(slowest.get(kind, (0.0, "")), (elapsed, name))
    codes = sorted({code for counter in statuses.values() for code in counter})
    rows = [
        [kind, *(counter.get(code, 0) for code in codes), f"{slowest[kind][0] * 1000:.0f}"]
        for kind, counter in statuses.items()
    ]
    print_table(["seed file", *(str(code) for code in codes), "slowest ms"], rows)
    print(f"answers outside the contract (5xx, or not JSON): {len(broken)}")
    for line in broken:
        print("  " + line)


if __name__ == "__main__":
    main()
