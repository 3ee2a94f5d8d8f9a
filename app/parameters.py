"""The query parameters of every route, with their ranges, stated once.

Routes use the `Annotated` aliases; `RULES` gives the sentence that a 422 quotes when a
value is out of range or of the wrong type, so an error always says what is allowed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from pixelgan.model.animation import FORMATS, MAX_FRAME_MS, MIN_FRAME_MS
from pixelgan.model.crop import CROPS
from pixelgan.model.inference import SEED_MAX
from pixelgan.model.morph import MAX_FRAMES, MIN_FRAMES
from pixelgan.model.palettes import PALETTES
from pixelgan.model.quantize import DITHERS, MAX_LEVELS, MIN_LEVELS

MAX_SIDE = 4096
MAX_GRID_FACES = 64
MAX_BOXES = 512
# Every frame of a morph is encoded in full: 120 frames at scale 8 (12.3 M pixels) fit, as
# do 64 frames at scale 12; the cap keeps one request's encode under about a second.
MAX_ANIMATION_PIXELS = 2**24
# Lossless WebP's animation encoder holds about 27 bytes per pixel of one frame (its canvases
# and candidate sub-frames): a morph of 2880 px frames peaked at 216 MiB, one of 1520 px
# frames at 67 MiB (benchmarks/morph.py), inside one render's memory budget.
MAX_ANIMATION_SIDE = 1536

RULES = {
    "seed": f"an integer from 0 to {SEED_MAX} (2^32 - 1), or left out for a random seed",
    "scale": f"an integer from 1 to {MAX_SIDE}, with the output at most {MAX_SIDE} px a side",
    "n": f"an integer from 1 to {MAX_GRID_FACES}",
    "boxes": f"an integer from 1 to {MAX_BOXES}",
    "color": "true or false",
    "file": "a multipart form field named 'file' holding the image",
    "levels": f"an integer from {MIN_LEVELS} to {MAX_LEVELS} (grey levels per channel; {MAX_LEVELS}: unchanged)",
    "dither": f"one of {', '.join(DITHERS)}",
    "palette": f"one of {', '.join(PALETTES)}",
    "crop": f"one of {', '.join(CROPS)}",
    "from": f"an integer from 0 to {SEED_MAX} (2^32 - 1)",
    "to": f"an integer from 0 to {SEED_MAX} (2^32 - 1)",
    "frames": f"an integer from {MIN_FRAMES} to {MAX_FRAMES}",
    "ms": f"an integer from {MIN_FRAME_MS} to {MAX_FRAME_MS} (milliseconds a frame)",
    "format": f"one of {', '.join(FORMATS)}",
}

Seed = Annotated[int | None, Query(ge=0, le=SEED_MAX, description=f"Seed: {RULES['seed']}; echoed in X-Seed.")]
Scale = Annotated[int, Query(ge=1, le=MAX_SIDE, description=f"Nearest-neighbour upscale: {RULES['scale']}.")]
FaceCount = Annotated[int, Query(ge=1, le=MAX_GRID_FACES, description=f"Faces, seeds seed..seed+n-1: {RULES['n']}.")]
Boxes = Annotated[int, Query(ge=1, le=MAX_BOXES, description=f"Grid side: {RULES['boxes']}.")]
Color = Annotated[bool, Query(description="Keep RGB block means instead of grey: true or false.")]
Levels = Annotated[
    int, Query(ge=MIN_LEVELS, le=MAX_LEVELS, description=f"Evenly spaced grey levels, 0 to 255: {RULES['levels']}.")
]
Dither = Annotated[
    Literal[DITHERS],
    Query(description="How in-between greys are spread over cells: none (nearest level), bayer2/4/8 (ordered), floyd."),
]
Palette = Annotated[
    Literal[PALETTES],
    Query(description="Colours to draw in: grey (levels evenly spaced greys) or a named palette (levels left out)."),
]
Crop = Annotated[
    Literal[CROPS],
    Query(description="Square cut from the photo: center (largest centred square) or face (needs the face extra)."),
]
SeedFrom = Annotated[
    int, Query(alias="from", ge=0, le=SEED_MAX, description=f"Seed of the first face: {RULES['from']}.")
]
SeedTo = Annotated[int, Query(ge=0, le=SEED_MAX, description=f"Seed of the face halfway: {RULES['to']}.")]
Frames = Annotated[int, Query(ge=MIN_FRAMES, le=MAX_FRAMES, description=f"Frames in the loop: {RULES['frames']}.")]
FrameMs = Annotated[int, Query(ge=MIN_FRAME_MS, le=MAX_FRAME_MS, description=f"Time a frame is shown: {RULES['ms']}.")]
AnimationFormat = Annotated[
    Literal[FORMATS], Query(alias="format", description="gif, webp (lossless) or png (APNG); all loop forever.")
]
