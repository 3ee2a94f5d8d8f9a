"""pixelate(): the post's per-block Python loop against ours, on square grey images.

    python benchmarks/pixelate.py [--repeats 20]

Sides 200, 768 and 3000 (none a multiple of 40, so ours takes the area-weighted path; the
post's loop returns a ragged grid there, but does the same amount of work).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# One OpenBLAS thread, as `pixelgan serve` runs (model.render.BLAS_THREADS); set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.pixelate import pixelate

from benchmarks.machine import print_header, print_table
from benchmarks.timing import median_ms
from tests.helpers import post_pixelator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="runs per case; the median is shown")
    args = parser.parse_args()
    print_header(f"pixelate, boxes=40, median of {args.repeats} runs")
    rows = []
    for side in (200, 768, 3000):
        pixels = np.random.default_rng(side).integers(0, 256, (side, side), dtype=np.uint8)
        pixelate(pixels, 40)  # the weight matrix is cached per side, as in a server's steady state
        post = median_ms(lambda pixels=pixels: post_pixelator(pixels, 40), args.repeats)
        ours = median_ms(lambda pixels=pixels: pixelate(pixels, 40), args.repeats)
        rows.append([f"{side}x{side}", f"{post:.2f}", f"{ours:.3f}", f"{post / ours:.0f}x"])
    print_table(["image", "post's loop ms", "pixelate ms", "speed-up"], rows)


if __name__ == "__main__":
    main()
