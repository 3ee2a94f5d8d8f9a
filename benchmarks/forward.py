"""The numpy generator forward against the machine's limit: single-thread sgemm.

    python benchmarks/forward.py [--repeats 200] [--weights FILE]

Prints, with one OpenBLAS thread as served: numpy's sgemm rate on a 512^3 product (the
reference), then per generator and batch size the forward's time per face, the GFLOP/s it
achieves counted from the architecture's multiply-adds (with the upsample folded into the
convolution, as the forward computes it), and the ratio of the two. The generators are the
shipped one (or --weights) and one with twice each of its widths (about 4x the multiply-adds),
with random weights: speed depends on shapes only. Each figure is the fastest of its runs in this
thread's CPU time, sgemm's too, so that waiting for a core on a shared machine does not
count. A second table times faces per pass (`chunk`) at batches of `CHUNK_BATCHES`, the
choice behind `model.numpy_conv.CHUNK`.
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

from pixelgan.model.architectures import architecture, parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.conv_layout import base_side
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.numpy_conv import ConvForward
from pixelgan.model.shipped import resolve_weights

from benchmarks.machine import print_header, print_table
from benchmarks.timing import fastest_cpu_ms

SGEMM_SIDE = 512
BATCHES = (1, 8)
CHUNKS = (1, 2, 4, 8, 16)
CHUNK_BATCHES = (8, 64)


def sgemm_gflops(repeats: int) -> float:
    """numpy's float32 matrix product rate on square matrices of side SGEMM_SIDE."""
    rng = np.random.default_rng(0)
    left, right = (rng.standard_normal((SGEMM_SIDE, SGEMM_SIDE), dtype=np.float32) for _ in range(2))
    out = np.empty_like(left)
    milliseconds = fastest_cpu_ms(lambda: np.matmul(left, right, out=out), repeats)
    return 2 * SGEMM_SIDE**3 / milliseconds / 1e6


def multiply_adds(config: GeneratorConfig) -> int:
    """Multiply-adds of one face: the Linear, each upsample + 3x3 conv as four 2x2 convs on the
    small map (16 per channel pair and small pixel), the self-attention layer if any, and the
    last 3x3 conv to one channel."""
    side = base_side(config)
    total = config.latent_dim * config.hidden[0] * side * side
    for fan_in, fan_out in zip(config.hidden, config.hidden[1:], strict=False):
        total += 16 * fan_in * fan_out * side * side
        side *= 2
        if side == config.attention:
            total += attention_multiply_adds(fan_out, side * side)
    return total + 9 * config.hidden[-1] * side * side


def attention_multiply_adds(channels: int, positions: int) -> int:
    """SAGAN attention over `positions` of `channels`: q, k (C/8) and v (C/2) projections,
    q k^T, the weighted sum of values, and the output projection back to C."""
    narrow, half = max(1, channels // 8), max(1, channels // 2)
    projections = positions * channels * (2 * narrow + half) + positions * half * channels
    return projections + positions * positions * (narrow + half)


def ms_per_face(forward: ConvForward, batch: int, repeats: int) -> float:
    latents = np.random.default_rng(batch).standard_normal((batch, forward.config.latent_dim), dtype=np.float32)
    forward(latents)  # warm: buffers touched, kernels cached
    return fastest_cpu_ms(lambda: forward(latents), max(repeats // batch, 30)) / batch


def wide_forward(hidden: tuple[int, ...], chunk: int | None = None) -> ConvForward:
    """A conv forward with random weights and twice `hidden`'s channels: about 4x the multiply-adds."""
    config = GeneratorConfig(arch="conv", hidden=tuple(2 * width for width in hidden))
    rng = np.random.default_rng(0)
    arrays = {
        name: rng.standard_normal(shape, dtype=np.float32) * 0.05 for name, shape in parameter_shapes(config).items()
    }
    return ConvForward(config, arrays) if chunk is None else ConvForward(config, arrays, chunk=chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="faces timed per case; the fastest CPU time is shown")
    parser.add_argument("--weights", type=Path, default=None, help="generator file (default: the shipped one)")
    args = parser.parse_args()
    shipped_file = load_generator_file(resolve_weights(args.weights))
    if architecture(shipped_file.config.arch).numpy_forward is not ConvForward:
        sys.exit(f"{args.weights}: a conv generator is needed, this one is {shipped_file.config.arch!r}")
    print_header(f"numpy generator forward, one BLAS thread, fastest CPU time of about {args.repeats} faces a case")
    sgemm = sgemm_gflops(max(args.repeats // 2, 20))
    print(f"sgemm {SGEMM_SIDE}^3, one thread: {sgemm:.1f} GFLOP/s\n")
    generators = {
        f"shipped {'/'.join(map(str, shipped_file.config.hidden))}": ConvForward(
            shipped_file.config, shipped_file.arrays
        ),
        f"4x wider {'/'.join(str(2 * width) for width in shipped_file.config.hidden)}": wide_forward(
            shipped_file.config.hidden
        ),
    }
    rows = []
    for name, forward in generators.items():
        flops = 2 * multiply_adds(forward.config)
        for batch in BATCHES:
            milliseconds = ms_per_face(forward, batch, args.repeats)
            gflops = flops / milliseconds / 1e6
            rows.append(
                [name, f"{flops / 2e6:.1f}", batch, f"{milliseconds:.3f}", f"{gflops:.1f}", f"{gflops / sgemm:.2f}"]
            )
    print_table(["generator", "M mult-adds", "batch", "ms/face", "GFLOP/s", "vs sgemm"], rows)
    rows = []
    for chunk in CHUNKS:
        shipped = ConvForward(shipped_file.config, shipped_file.arrays, chunk=chunk)
        wide = wide_forward(shipped_file.config.hidden, chunk)
        rows.append(
            [
                chunk,
                *(
                    f"{ms_per_face(forward, batch, args.repeats):.3f}"
                    for forward in (shipped, wide)
                    for batch in CHUNK_BATCHES
                ),
            ]
        )
    columns = [f"{name} b={batch} ms/face" for name in ("shipped", "4x wider") for batch in CHUNK_BATCHES]
    print_table(["faces a pass", *columns], rows)


if __name__ == "__main__":
    main()
