"""The query parameters of every route, with their ranges, stated once.

Routes use the `Annotated` aliases; `RULES` gives the sentence that a 422 quotes when a
value is out of range or of the wrong type, so an error always says what is allowed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from model.inference import SEED_MAX

MAX_SIDE = 4096
MAX_GRID_FACES = 64
MAX_BOXES = 512

RULES = {
    "seed": f"an integer from 0 to {SEED_MAX} (2^32 - 1), or left out for a random seed",
    "scale": f"an integer from 1 to {MAX_SIDE}, with the output at most {MAX_SIDE} px a side",
    "n": f"an integer from 1 to {MAX_GRID_FACES}",
    "boxes": f"an integer from 1 to {MAX_BOXES}",
    "color": "true or false",
    "file": "a multipart form field named 'file' holding the image",
}

Seed = Annotated[int | None, Query(ge=0, le=SEED_MAX, description=f"Seed: {RULES['seed']}; echoed in X-Seed.")]
Scale = Annotated[int, Query(ge=1, le=MAX_SIDE, description=f"Nearest-neighbour upscale: {RULES['scale']}.")]
FaceCount = Annotated[int, Query(ge=1, le=MAX_GRID_FACES, description=f"Faces, seeds seed..seed+n-1: {RULES['n']}.")]
Boxes = Annotated[int, Query(ge=1, le=MAX_BOXES, description=f"Grid side: {RULES['boxes']}.")]
Color = Annotated[bool, Query(description="Keep RGB block means instead of grey: true or false.")]
