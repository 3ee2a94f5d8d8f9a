"""Resident memory of one server worker serving the default model alone, then every shipped model.

    python benchmarks/models_memory.py [--rounds 20]

Starts `pixelgan serve` (one worker) twice: with `--weights weights/celebrity-face`, then
with no weights setting (every generator under weights/). Each time it reads the worker's
VmRSS when ready, then after `--rounds` rounds of /generate (a new seed), /grid n=16 and
/morph (16 frames) for every served model, so each model's forward buffers are in use. The
last column is the extra RSS over the default alone against the extra models' file sizes.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.shipped import resolve_weights_list, shipped_generator_path

from benchmarks.machine import print_header, print_table
from benchmarks.memory import rss_mb, send
from tests.servers import running_server

SETTINGS = (("default model alone", str(shipped_generator_path().parent)), ("every shipped model", None))


def model_names(base_url: str) -> list[str]:
    with urllib.request.urlopen(base_url + "/models", timeout=30) as response:
        return [entry["name"] for entry in json.load(response)["models"]]


def measure(weights: str | None, rounds: int) -> tuple[list[str], float, float]:
    """(model names, RSS MB when ready, RSS MB after the rounds)."""
    with running_server(weights=weights) as (base_url, process):
        names = model_names(base_url)
        ready = rss_mb(process.pid)
        for round_number in range(rounds):
            for name in names:
                for path in ("/generate?seed={seed}", "/grid?n=16&seed={seed}", "/morph?from={seed}&to=1&frames=16"):
                    send((f"{base_url}{path}&model={name}", None, None, 200), round_number)
        return names, ready, rss_mb(process.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds of requests to every model (default 20)")
    args = parser.parse_args()
    print_header(f"server RSS, one worker, {args.rounds} rounds of /generate, /grid and /morph per model")
    rows = []
    baseline = None
    for label, weights in SETTINGS:
        names, ready, after = measure(weights, args.rounds)
        files_mb = sum(path.stat().st_size for path in resolve_weights_list(weights)) / 2**20
        baseline = baseline or (after, files_mb)
        extra = f"+{after - baseline[0]:.1f} for +{files_mb - baseline[1]:.1f}" if after != baseline[0] else ""
        rows.append([label, ", ".join(names), f"{files_mb:.1f}", f"{ready:.1f}", f"{after:.1f}", extra])
    print_table(["weights", "models", "files MB", "ready RSS MB", "after requests MB", "extra MB vs files MB"], rows)


if __name__ == "__main__":
    main()
