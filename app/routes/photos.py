"""POST /pixelate: a photo through a square crop and the same `pixelate` training uses.

The upload is read into memory (the body limit keeps it bounded), processed and dropped: it
is never written to disk, logged or kept. JPEGs decode at reduced DCT scale (`fast=True`),
since a 40x40 grid needs only a few of a photo's pixels. `crop=face` cuts the face square
training's `--crop face` cuts; without the optional detector it answers 501.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pixelgan.app.admission import RenderSlot
from pixelgan.app.free_memory import release_free_memory
from pixelgan.app.model_state import AppSettings
from pixelgan.app.parameters import Boxes, Color, Crop, Dither, Levels, Palette, Scale
from pixelgan.app.png_response import NO_STORE, PNG_RESPONSES, png_response
from pixelgan.app.routes.faces import check_colors, check_output_side
from pixelgan.app.upload import OPENAPI_BODY, UploadedPhoto
from pixelgan.model.palettes import GREY
from pixelgan.model.render import render_photo

router = APIRouter(tags=["photos"])


@router.post("/pixelate", response_class=Response, responses=PNG_RESPONSES, openapi_extra=OPENAPI_BODY)
def pixelate_upload(
    # The upload is read before a render slot is taken, so a slow upload holds no slot (a
    # full worker refused it before, in app.admission.AdmissionGate, without reading it).
    photo: UploadedPhoto,
    settings: AppSettings,
    slot: RenderSlot,
    boxes: Boxes = 40,
    scale: Scale = 8,
    color: Color = False,
    levels: Levels = 256,
    dither: Dither = "none",
    crop: Crop = "center",
    palette: Palette = GREY,
) -> Response:
    """The photo's centred (or face) square as a `boxes` x `boxes` grid of block means, in `levels`, upscaled."""
    check_colors(levels, dither, palette)
    check_output_side(boxes * scale)
    # A photo that cannot be used raises a model.errors.UserError, which app.errors maps.
    pixelated = render_photo(
        photo,
        boxes=boxes,
        scale=scale,
        color=color,
        crop=crop,
        levels=levels,
        dither=dither,
        palette=palette,
        max_pixels=settings.max_pixels,
        max_decode_bytes=settings.max_decode_bytes,
        fast=True,
    )
    release_free_memory()
    return png_response(pixelated.data, cache_control=NO_STORE)
