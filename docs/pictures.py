"""The README's pictures of grey levels, dithers and a morph, made from the shipped generator.

    python docs/pictures.py [--weights FILE]      # writes docs/levels.png and docs/morph.gif

Run it again after the shipped weights change. levels.png: one face (seed `FACE_SEED`) in
rows none, bayer4 and floyd, and columns 256 (unchanged), 8, 4 and 2 levels. morph.gif:
the loop from seed `FACE_SEED` to `MORPH_TO` and back, as `GET /morph` serves it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import quantize
from pixelgan.model.render import render_morph
from pixelgan.model.sheet import contact_sheet
from pixelgan.model.shipped import resolve_weights

DOCS = Path(__file__).resolve().parent
FACE_SEED = 4
MORPH_TO = 11
LEVELS = (256, 8, 4, 2)
DITHERS = ("none", "bayer4", "floyd")
SCALE = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="generator file (default: $PIXELGAN_WEIGHTS or shipped)")
    args = parser.parse_args()
    generator = NumpyGenerator.from_file(resolve_weights(args.weights))
    face = generator.faces_for_seeds([FACE_SEED])[0]
    table = np.stack([quantize(face, levels, dither) for dither in DITHERS for levels in LEVELS])
    (DOCS / "levels.png").write_bytes(encode_png(contact_sheet(table, columns=len(LEVELS), pad=2), SCALE))
    (DOCS / "morph.gif").write_bytes(render_morph(generator, FACE_SEED, MORPH_TO, scale=SCALE).data)
    print(f"{DOCS / 'levels.png'}, {DOCS / 'morph.gif'} (model {generator.model_id})")


if __name__ == "__main__":
    main()
