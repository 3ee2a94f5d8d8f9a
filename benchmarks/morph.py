"""Morphs and dithers: a 64-frame /morph at scale 8 per format, each dither's cost on one face,
and the peak memory of the largest legal morphs.

    python benchmarks/morph.py [--repeats 10]

In process, on the shipped generator (or $PIXELGAN_WEIGHTS), one BLAS thread as served.
Table 1 splits a 64-frame morph (seeds 0 -> 1 -> 0) into the forward (33 faces in one
batch), quantising and encoding, with the file size. Table 2 is `/generate`'s default
size, a 40x40 face at scale 8, at 4 levels: the quantise step alone, and face + quantise +
PNG, beside 256 levels with no dither (today's path). Table 3 is the peak RSS growth of one
morph at the corners of /morph's bounds (widest frames, most pixels), each in a fresh process
(`resource.getrusage`'s ru_maxrss; Linux), with 2880 px frames, the widest before
`MAX_ANIMATION_SIDE`, for comparison.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

# One OpenBLAS thread, as `pixelgan serve` runs (model.render.BLAS_THREADS); set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.app.parameters import MAX_ANIMATION_PIXELS
from pixelgan.app.settings import Settings
from pixelgan.model.animation import FORMATS, encode_animation
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.morph import MAX_FRAMES, morph_faces
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import DITHERS, quantize
from pixelgan.model.render import render_morph
from pixelgan.model.shipped import resolve_weights

from benchmarks.flood import widest_morph
from benchmarks.machine import print_header, print_table
from benchmarks.timing import median_ms

FRAMES = 64
SCALE = 8
LEVELS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="runs per case; the median is shown")
    parser.add_argument("--one-morph", nargs=3, metavar=("FORMAT", "FRAMES", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    generator = NumpyGenerator.from_file(resolve_weights(Settings().weights))
    if args.one_morph:  # table 3's child process
        fmt, frames, scale = args.one_morph
        print(" ".join(map(str, one_morph_cost(generator, fmt, int(frames), int(scale)))))
        return
    print_header(f"morph and dither, model {generator.model_id}, median of {args.repeats} runs")
    morph_table(generator, args.repeats)
    dither_table(generator, args.repeats)
    memory_table(generator)


def one_morph_cost(generator: NumpyGenerator, fmt: str, frames: int, scale: int) -> tuple[float, float]:
    """(CPU seconds, peak RSS growth in MiB) of one morph, rendered as /morph renders it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    render_morph(generator, 1, 2, frames=frames, scale=scale, fmt=fmt)
    cpu = time.process_time() - started
    return cpu, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024


def memory_table(generator: NumpyGenerator) -> None:
    grid = generator.config.grid
    widest = widest_morph(grid)
    cases = [
        widest,
        (
            MAX_FRAMES,
            max(scale for scale in range(1, widest[1] + 1) if MAX_FRAMES * (grid * scale) ** 2 <= MAX_ANIMATION_PIXELS),
        ),
        (2, 72),  # refused now: 2880 px frames
    ]
    rows = []
    for frames, scale in cases:
        for fmt in FORMATS:
            command = [sys.executable, __file__, "--one-morph", fmt, str(frames), str(scale)]
            cpu, peak = map(float, subprocess.run(command, capture_output=True, text=True, check=True).stdout.split())
            rows.append([frames, f"{grid * scale} px", fmt, f"{cpu:.2f}", f"{peak:.0f}"])
    print("one morph's peak memory, each in a fresh process")
    print_table(["frames", "side", "format", "CPU s", "peak RSS growth MiB"], rows)


def morph_table(generator: NumpyGenerator, repeats: int) -> None:
    faces = morph_faces(generator, 0, 1, FRAMES)
    forward = median_ms(lambda: morph_faces(generator, 0, 1, FRAMES), repeats)
    rows = []
    for levels, dither in [(256, "none"), (LEVELS, "bayer4"), (LEVELS, "floyd")]:
        quantised = quantize(faces, levels, dither)
        quantise = median_ms(lambda levels=levels, dither=dither: quantize(faces, levels, dither), repeats)
        for fmt in FORMATS:
            encode = median_ms(lambda fmt=fmt, q=quantised: encode_animation(q, scale=SCALE, ms=80, fmt=fmt), repeats)
            size = len(encode_animation(quantised, scale=SCALE, ms=80, fmt=fmt))
            total = forward + quantise + encode
            rows.append(
                [
                    fmt,
                    levels,
                    dither,
                    f"{forward:.1f}",
                    f"{quantise:.1f}",
                    f"{encode:.1f}",
                    f"{total:.1f}",
                    size // 1024,
                ]
            )
    print(f"{FRAMES}-frame morph at scale {SCALE} ({SCALE * generator.config.grid} px a side)")
    print_table(["format", "levels", "dither", "forward ms", "quantise ms", "encode ms", "total ms", "KiB"], rows)


def dither_table(generator: NumpyGenerator, repeats: int) -> None:
    face = generator.faces_for_seeds([0])[0]
    repeats = repeats * 20  # each case is tens of microseconds
    baseline = median_ms(lambda: encode_png(generator.faces_for_seeds([0])[0], SCALE), repeats)
    rows = [["256 levels, none", "0", f"{baseline:.3f}", "1.00x", len(encode_png(face, SCALE))]]
    for dither in DITHERS:
        quantise = median_ms(lambda dither=dither: quantize(face, LEVELS, dither), repeats)
        whole = median_ms(
            lambda dither=dither: encode_png(quantize(generator.faces_for_seeds([0])[0], LEVELS, dither), SCALE),
            repeats,
        )
        size = len(encode_png(quantize(face, LEVELS, dither), SCALE))
        rows.append(
            [f"{LEVELS} levels, {dither}", f"{quantise * 1000:.0f}", f"{whole:.3f}", f"{whole / baseline:.2f}x", size]
        )
    print(f"one {generator.config.grid}x{generator.config.grid} face at scale {SCALE}")
    print_table(["levels, dither", "quantise us", "face + quantise + PNG ms", "vs today", "PNG bytes"], rows)


if __name__ == "__main__":
    main()
