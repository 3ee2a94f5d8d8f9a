"""Resident memory of one server worker serving the default model alone, then every shipped model.

    python benchmarks/models_memory.py [--rounds 20]

Starts `pixelgan serve` (one worker) twice: with `--weights weights/celebrity-face`, then
with no weights setting (every generator under weights/). Each time it reads the worker's
VmRSS when ready, then after `--rounds` rounds of /generate (a new seed), /grid n=16 and
/morph (16 frames) for every served model, so each model's forward buffers are in use. The
last column is the extra RSS over the default alone against the extra models' file sizes.

The second table says where a model's memory goes, per shipped model, in this process:
the weights its numpy forward holds (counted from the forward object: each array that owns
its memory, once) and the size of its pass buffers, which every conv model cuts from one
shared area (`model.pass_buffers.PASS_BUFFERS`), so they are held once, at the largest.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.shipped import model_name, resolve_weights_list, shipped_generator_path, shipped_generator_paths

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


def owned_arrays(root: object, seen: set[int]) -> list[np.ndarray]:
    """Every ndarray reachable from `root`'s attributes, lists and tuples that owns its memory."""
    if id(root) in seen:
        return []
    seen.add(id(root))
    if isinstance(root, np.ndarray):
        return [root] if root.base is None else []
    if isinstance(root, list | tuple):
        children = list(root)
    elif hasattr(root, "__dict__"):
        children = list(vars(root).values())
    else:
        return []
    return [array for child in children for array in owned_arrays(child, seen)]


def held_mb(path: Path) -> tuple[float, float]:
    """(weights MB that one model's numpy forward holds, MB of its pass buffers in the shared area)."""
    forward = NumpyGenerator.from_file(str(path))._forward
    weights = sum(array.nbytes for array in owned_arrays(forward, set()))
    return weights / 1e6, getattr(forward, "pass_bytes", 0) / 1e6


def breakdown_table() -> None:
    rows, area = [], 0.0
    for path in shipped_generator_paths():
        weights, buffers = held_mb(path)
        area = max(area, buffers)
        file_mb = path.stat().st_size / 1e6
        rows.append(
            [model_name(path), f"{file_mb:.1f}", f"{weights:.1f}", f"{weights / file_mb:.2f}", f"{buffers:.1f}"]
        )
    print("what each model's forward holds (MB = 10^6 bytes)")
    print_table(["model", "file MB", "weights MB", "weights / file", "pass buffers MB"], rows)
    print(f"pass buffers, one area shared by every conv model (model.pass_buffers.PASS_BUFFERS): {area:.1f} MB")


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
    print()
    breakdown_table()


if __name__ == "__main__":
    main()
