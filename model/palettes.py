"""Named palettes, and pixel grids mapped onto them with the dithers of `model.quantize`.

    pixels = reduce_colors(faces, palette="gameboy", dither="bayer4")      # uint8 (..., H, W, 3) RGB
    pixels = reduce_colors(faces, levels=4, dither="floyd")                # palette grey: model.quantize

`grey` is evenly spaced greys (`levels` of them, `model.quantize`); every other palette is
a fixed list of sRGB colours, and `levels` must then be left at 256 (PaletteLevelsError
otherwise: the two would name the colours twice). A colour is chosen by its distance in
CIELAB (D65), which follows what the eye sees far better than RGB distance. An RGB grid is
mapped by its full Lab colour; a grey grid by its lightness L* alone, onto the palette's
colours ordered by their L*, so a grey face keeps its light and shade in any palette.

- `none`: the nearest palette colour.
- `bayer2/4/8`: by lightness, each cell picks between the two palette colours whose L*
  bracket its own, with the Bayer threshold at the cell deciding (ordered dithering along
  the palette's lightness ramp); in colour, the cell's Lab colour is nudged by its
  threshold times the palette's typical spacing, then mapped to the nearest.
- `floyd`: Floyd-Steinberg error diffusion of the Lab (or L*) error, one anti-diagonal at a
  time as in `model.quantize`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pixelgan.model.errors import UserError
from pixelgan.model.quantize import ERROR_BELOW, ERROR_RIGHT, MAX_LEVELS, diagonal_plan, quantize, threshold_map

GREY = "grey"
# sRGB colours as hex codes, apart by spaces.
PALETTE_COLORS: dict[str, str] = {
    GREY: "",  # evenly spaced greys: `levels` of them, model.quantize
    "gameboy": "0f380f 306230 8bac0f 9bbc0f",  # the original Game Boy's four greens
    "pico8": "000000 1d2b53 7e2553 008751 ab5236 5f574f c2c3c7 fff1e8 "  # PICO-8's sixteen, in its order
    "ff004d ffa300 ffec27 00e436 29adff 83769c ff77a8 ffccaa",
    "cga": "000000 55ffff ff55ff ffffff",  # CGA palette 1, high intensity
    "sepia": "1a1008 3d2a17 6b4c2e 9c7a52 c9ab82 f2e3c6",  # a ramp of six browns
}
PALETTES = tuple(PALETTE_COLORS)
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
_SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)


class PaletteLevelsError(UserError):
    """`levels` given with a palette other than grey."""


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 sRGB (..., 3) -> float64 CIELAB (..., 3) under D65: L* 0..100, a*, b*."""
    linear = _LINEAR[rgb]  # (..., 3): the sRGB curve undone, by table
    xyz = linear @ _SRGB_TO_XYZ.T / _WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def palette_rgb(name: str) -> np.ndarray:
    """(K, 3) uint8 colours of a named palette other than grey."""
    return np.array(
        [[int(code[i : i + 2], 16) for i in (0, 2, 4)] for code in PALETTE_COLORS[name].split()], dtype=np.uint8
    )


def reduce_colors(
    pixels: np.ndarray, *, levels: int = MAX_LEVELS, dither: str = "none", palette: str = GREY, color: bool = False
) -> np.ndarray:
    """uint8 grey (..., H, W) or RGB (..., H, W, 3) pixels in `palette`: grey as `quantize`, else RGB (..., H, W, 3)."""
    if palette not in PALETTE_COLORS:
        raise ValueError(f"palette must be one of {', '.join(PALETTES)}, got {palette!r}")
    if palette == GREY:
        return quantize(pixels, levels, dither, color=color)
    check_palette_levels(palette, levels)
    colors, lightness, lab = _palette_tables(palette)
    features = srgb_to_lab(pixels) if color else _GREY_LIGHTNESS[pixels][..., None]  # (..., H, W, D)
    targets = lab if color else lightness[:, None]  # (K, D)
    if dither == "floyd":
        index = _floyd(features, targets)
    else:
        threshold = threshold_map(dither, features.shape[-3:-1])
        index = (
            _ordered_colour(features, targets, threshold)
            if color
            else _ordered_ramp(features[..., 0], lightness, threshold)
        )
    return colors[index]


def sheet_background(palette: str) -> int | np.ndarray:
    """The gap colour of a contact sheet in `palette`: white, or the palette's lightest colour."""
    return 255 if palette == GREY else _palette_tables(palette)[0][-1]


def check_palette_levels(palette: str, levels: int) -> None:
    """PaletteLevelsError when `levels` is set with a palette other than grey."""
    if palette != GREY and levels != MAX_LEVELS:
        raise PaletteLevelsError(
            f"levels sets evenly spaced greys and goes with palette=grey only; leave it out with palette={palette}"
        )


def _ordered_ramp(lightness: np.ndarray, ramp: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Per cell, one of the two ramp entries bracketing its L* (`ramp` ascending), by the threshold."""
    upper = np.clip(np.searchsorted(ramp, lightness), 1, len(ramp) - 1)
    lower = upper - 1
    gap = ramp[upper] - ramp[lower]
    fraction = np.clip((lightness - ramp[lower]) / np.where(gap > 0, gap, 1), 0, 1)
    return np.where(fraction > threshold, upper, lower)


def _ordered_colour(lab: np.ndarray, targets: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Nearest palette colour to each cell's Lab colour nudged by (threshold - 0.5) x the palette's spacing."""
    return _nearest(lab + (threshold[..., None] - 0.5) * _spacing(targets), targets)


def _floyd(features: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Floyd-Steinberg over (..., H, W, D) features onto the (K, D) targets: (..., H, W) indices."""
    height, width, depth = features.shape[-3:]
    batch = features.reshape(-1, height * width, depth)  # (B, H*W, D)
    errors = np.zeros((batch.shape[0], (height + 1) * (width + 2), depth))
    indices = np.empty(batch.shape[:2], dtype=np.intp)
    for cells, padded, right, below in diagonal_plan(height, width):
        wanted = batch[:, cells] + errors[:, padded]
        index = _nearest(wanted, targets)
        error = wanted - targets[index]
        # Two statements: a right target of one cell can be a below target of another.
        errors[:, right] += error * ERROR_RIGHT
        errors[:, below] += error[:, :, None] * ERROR_BELOW[:, None]
        indices[:, cells] = index
    return indices.reshape(features.shape[:-1])


def _nearest(features: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Index of the nearest of the (K, D) targets to each (..., D) feature."""
    return ((features[..., None, :] - targets) ** 2).sum(axis=-1).argmin(axis=-1)


def _spacing(targets: np.ndarray) -> float:
    """The median distance from a palette colour to its nearest neighbour: how far a dither nudge reaches."""
    distances = np.sqrt(((targets[:, None] - targets) ** 2).sum(axis=-1))
    np.fill_diagonal(distances, np.inf)
    return float(np.median(distances.min(axis=1)))


@lru_cache(maxsize=len(PALETTE_COLORS))
def _palette_tables(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Colours (K, 3) ordered by lightness, their L* (K,) ascending, and their Lab (K, 3)."""
    colors = palette_rgb(name)
    lab = srgb_to_lab(colors)
    order = np.argsort(lab[:, 0], kind="stable")
    return colors[order], lab[order, 0], lab[order]


_CHANNEL = np.arange(256) / 255.0
_LINEAR = np.where(_CHANNEL <= 0.04045, _CHANNEL / 12.92, ((_CHANNEL + 0.055) / 1.055) ** 2.4)
_GREY_LIGHTNESS = srgb_to_lab(np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1))[:, 0]  # L* of grey v
