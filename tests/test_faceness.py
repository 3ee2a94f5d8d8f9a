"""Faceness: detector rates are shares in [0, 1], blank grids have no face, crops are read back."""

from __future__ import annotations

import numpy as np
from pixelgan.model.crop import crop_of
from pixelgan.training.faceness import DETECTORS, UPSCALE_SIDE, faceness, upscaled


def test_upscaled_grid_is_the_detectors_size() -> None:
    grid = np.arange(1600, dtype=np.uint32).reshape(40, 40).astype(np.uint8)
    assert upscaled(grid).shape == (UPSCALE_SIDE, UPSCALE_SIDE)


def test_blank_and_noise_grids_have_no_face() -> None:
    rng = np.random.default_rng(0)
    grids = np.concatenate([np.full((4, 40, 40), 128, np.uint8), rng.integers(0, 256, (4, 40, 40), dtype=np.uint8)])
    assert faceness(grids) == dict.fromkeys(DETECTORS, 0.0)


def test_crop_of_reads_old_and_new_preprocessing() -> None:
    assert crop_of({"crop": "abs_center"}) == "center"
    assert crop_of({"crop": {"kind": "face", "margin": 1.5}}) == "face"
    assert crop_of({}) == "center"


def test_rgb_grids_are_judged_like_their_grey() -> None:
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, (3, 40, 40), dtype=np.uint8)
    assert upscaled(np.repeat(grey[0, :, :, None], 3, axis=2)).shape == (UPSCALE_SIDE, UPSCALE_SIDE, 3)
    assert faceness(np.repeat(grey[..., None], 3, axis=3)) == faceness(grey)
