"""Figures for the README: generated faces beside pixelated training images.

    pixelgan figures --weights weights/celebrity-mlp/generator.safetensors \
        --data ../shared/data/celebrity-faces --out weights/celebrity-mlp/samples-vs-real.png

Left: the faces for seeds 0..63. Right: 64 training images picked at random (seed 0),
cropped and pixelated exactly as training saw them. Each grid cell is drawn 4x4.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.sheet import contact_sheet, unit_to_uint8, upscale
from pixelgan.training.evaluate import generator_and_real_grids


def samples_beside_real(generator: NumpyGenerator, real_grids: np.ndarray, *, count: int = 64) -> np.ndarray:
    """One uint8 image (grey, or RGB for a colour model): `count` generated faces, a white gap,
    `count` real grids."""
    fakes = contact_sheet(generator.faces_for_seeds(range(count)), columns=8)
    picks = np.random.default_rng(0).choice(len(real_grids), size=min(count, len(real_grids)), replace=False)
    reals = contact_sheet(unit_to_uint8(real_grids[np.sort(picks)]), columns=8)
    gap = np.full((fakes.shape[0], 8, *fakes.shape[2:]), 255, dtype=np.uint8)  # grey, or RGB for colour
    return np.concatenate([fakes, gap, reals], axis=1)


def write_samples_beside_real(weights: Path, photos: Path, out: Path) -> Path:
    """Draw `samples_beside_real` for a generator file and its training folder into `out`."""
    generator, real, _ = generator_and_real_grids(weights, photos)
    Image.fromarray(upscale(samples_beside_real(generator, real), 4)).save(out)
    return out
