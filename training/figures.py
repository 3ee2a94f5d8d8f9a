"""Figures for the README: generated faces beside pixelated training images.

    python -m training.figures --weights weights/celebrity-mlp/generator.safetensors \
        --data ../shared/data/celebrity-faces --out weights/celebrity-mlp/samples-vs-real.png

Left: the faces for seeds 0..63. Right: 64 training images picked at random (seed 0),
pixelated exactly as training saw them. Each grid cell is drawn 4x4.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from model.inference import NumpyGenerator
from model.sheet import contact_sheet, grid_to_uint8, upscale
from training.data import load_dataset


def samples_beside_real(generator: NumpyGenerator, real_grids: np.ndarray, *, count: int = 64) -> np.ndarray:
    """One uint8 image: `count` generated faces, a white gap, `count` real grids."""
    fakes = contact_sheet(generator.faces_for_seeds(range(count)), columns=8)
    picks = np.random.default_rng(0).choice(len(real_grids), size=min(count, len(real_grids)), replace=False)
    reals = contact_sheet(grid_to_uint8(real_grids[np.sort(picks)]), columns=8)
    gap = np.full((fakes.shape[0], 8), 255, dtype=np.uint8)
    return np.concatenate([fakes, gap, reals], axis=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, required=True, help="generator file")
    parser.add_argument("--data", type=Path, required=True, help="the training photo folder")
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    args = parser.parse_args(argv)
    generator = NumpyGenerator.from_file(str(args.weights))
    dataset = load_dataset(args.data, boxes=generator.config.grid)
    Image.fromarray(upscale(samples_beside_real(generator, dataset.grids), 4)).save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
