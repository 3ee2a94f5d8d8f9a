"""POST /pixelate: a photo through AbsCenterCrop and the same `pixelate` training uses.

The upload is read into memory (the body limit keeps it bounded), processed and dropped: it
is never written to disk, logged or kept. JPEGs decode at reduced DCT scale (`fast=True`),
since a 40x40 grid needs only a few of a photo's pixels.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile

from app.errors import ApiError, api_error_for_image
from app.model_state import AppSettings
from app.parameters import Boxes, Color, Scale
from app.png_response import NO_STORE, PNG_RESPONSES, png_response
from app.routes.faces import check_output_side
from model.errors import ImageError
from model.photo import pixelate_photo
from model.png import encode_png
from model.sheet import grid_to_uint8

router = APIRouter(tags=["photos"])


@router.post("/pixelate", response_class=Response, responses=PNG_RESPONSES)
def pixelate_upload(
    settings: AppSettings,
    file: Annotated[UploadFile, File(description="a photo: JPEG, PNG, GIF, WebP, BMP or TIFF")],
    boxes: Boxes = 40,
    scale: Scale = 8,
    color: Color = False,
) -> Response:
    """The photo's largest centred square as a `boxes` x `boxes` grid of block means, upscaled."""
    check_output_side(boxes * scale)
    data = file.file.read()
    if not data:
        raise ApiError(422, "empty_file", "the uploaded file is empty")
    try:
        grid = pixelate_photo(data, boxes, color=color, max_pixels=settings.max_pixels, fast=True)
    except ImageError as error:
        raise api_error_for_image(error) from None
    return png_response(encode_png(grid_to_uint8(grid), scale), cache_control=NO_STORE)
