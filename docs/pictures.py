"""The README's pictures of grey levels, palettes, dithers, a morph and the models side by side.

    python docs/pictures.py [--weights FILE_OR_FOLDER[,...]]
    # writes docs/levels.png, docs/palettes.png, docs/morph.gif and docs/models.png

Run it again after the shipped weights change (a new generator under weights/ gets its row
in models.png by itself). levels.png: one face (seed `FACE_SEED`, the default model) in rows
none, bayer4 and floyd, and columns 256 (unchanged), 8, 4 and 2 levels. palettes.png: the
same face in rows none, bayer4 and floyd and a column per palette. morph.gif: the loop from
seed `FACE_SEED` to `MORPH_TO` and back, as `GET /morph` serves it. models.png: a row per
served model (the weights setting's, by default every shipped generator, the default
first), seeds `MODEL_SEEDS` in columns.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.app.settings import Settings
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.palettes import PALETTES, reduce_colors
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import quantize
from pixelgan.model.render import render_morph
from pixelgan.model.sheet import contact_sheet
from pixelgan.model.shipped import model_name, resolve_weights_list

DOCS = Path(__file__).resolve().parent
FACE_SEED = 4
MORPH_TO = 11
LEVELS = (256, 8, 4, 2)
DITHERS = ("none", "bayer4", "floyd")
SCALE = 4
MODEL_SEEDS = range(8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weights",
        help="generator files or run folders, comma-separated (default: $PIXELGAN_WEIGHTS or every shipped)",
    )
    args = parser.parse_args()
    paths = resolve_weights_list(args.weights or Settings().weights)
    generator = NumpyGenerator.from_file(paths[0])
    face = generator.faces_for_seeds([FACE_SEED])[0]
    table = np.stack([quantize(face, levels, dither) for dither in DITHERS for levels in LEVELS])
    (DOCS / "levels.png").write_bytes(encode_png(contact_sheet(table, columns=len(LEVELS), pad=2), SCALE))
    color = generator.config.channels == 3
    in_palettes = [
        as_rgb(reduce_colors(face, dither=dither, palette=name, color=color), color or name != "grey")
        for dither in DITHERS
        for name in PALETTES
    ]
    palette_sheet = contact_sheet(np.stack(in_palettes), columns=len(PALETTES), pad=2)
    (DOCS / "palettes.png").write_bytes(encode_png(palette_sheet, SCALE))
    (DOCS / "morph.gif").write_bytes(render_morph(generator, FACE_SEED, MORPH_TO, scale=SCALE).data)
    rows = []
    for path in paths:
        model = NumpyGenerator.from_file(path)
        rows.append(as_rgb(model.faces_for_seeds(MODEL_SEEDS), model.config.channels == 3))
    side = max(row.shape[1] for row in rows)
    faces = np.concatenate([pad_to(row, side) for row in rows])
    (DOCS / "models.png").write_bytes(encode_png(contact_sheet(faces, columns=len(MODEL_SEEDS), pad=2), SCALE))
    names = ", ".join(model_name(path) for path in paths)
    print(f"{DOCS}/levels.png, palettes.png, morph.gif (model {generator.model_id}); models.png (rows: {names})")


def as_rgb(pixels: np.ndarray, rgb: bool) -> np.ndarray:
    """Grey (..., H, W) or, when `rgb`, RGB (..., H, W, 3) uint8 as RGB, so grey and colour share one sheet."""
    return pixels if rgb else np.repeat(pixels[..., None], 3, axis=-1)


def pad_to(faces: np.ndarray, side: int) -> np.ndarray:
    """(N, g, g, 3) faces centred on white (N, side, side, 3): models with smaller grids share the sheet."""
    before = (side - faces.shape[1]) // 2
    after = side - faces.shape[1] - before
    return np.pad(faces, ((0, 0), (before, after), (before, after), (0, 0)), constant_values=255)


if __name__ == "__main__":
    main()
