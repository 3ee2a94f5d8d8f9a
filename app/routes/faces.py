"""GET /generate and GET /grid: faces from seeds.

A seed picks the latent (numpy's frozen RandomState stream), so one seed gives the same PNG
bytes on every request, worker and restart; such responses are immutable and carry an ETag.
Without a seed the server picks one and returns it in `X-Seed`.

Both routes are plain `def`, so FastAPI runs them in its threadpool: a face's forward and
PNG encode (a few tenths of a millisecond, but up to a 4096-pixel PNG at a large `scale`)
never hold up the event loop and with it every other request, /healthz included. Each takes
a render slot first (`app.admission`). The output's size is checked before any of that work.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response
from pixelgan.app.admission import RenderSlot
from pixelgan.app.errors import ApiError
from pixelgan.app.model_state import Model
from pixelgan.app.parameters import MAX_SIDE, Dither, FaceCount, Levels, Palette, Scale, Seed
from pixelgan.app.png_response import (
    IMMUTABLE,
    NO_STORE,
    PNG_RESPONSES,
    etag_matches,
    make_etag,
    not_modified,
    png_response,
)
from pixelgan.model.inference import SEED_MAX
from pixelgan.model.palettes import GREY, PaletteLevelsError, check_palette_levels
from pixelgan.model.render import render_faces
from pixelgan.model.sheet import sheet_shape

router = APIRouter(tags=["faces"])


@router.get("/generate", response_class=Response, responses=PNG_RESPONSES)
def generate(
    request: Request,
    model: Model,
    slot: RenderSlot,
    seed: Seed = None,
    scale: Scale = 8,
    levels: Levels = 256,
    dither: Dither = "none",
    palette: Palette = GREY,
) -> Response:
    """One face as a PNG: the grid for `seed` in `levels` greys, each pixel a `scale` x `scale` block."""
    return _faces_png(request, model, seed, 1, scale, (levels, dither, palette))


@router.get("/grid", response_class=Response, responses=PNG_RESPONSES)
def grid(
    request: Request,
    model: Model,
    slot: RenderSlot,
    seed: Seed = None,
    n: FaceCount = 16,
    scale: Scale = 4,
    levels: Levels = 256,
    dither: Dither = "none",
    palette: Palette = GREY,
) -> Response:
    """A contact sheet of `n` faces for consecutive seeds, computed as one batch."""
    if seed is not None and seed + n - 1 > SEED_MAX:
        raise ApiError(422, "invalid_parameter", f"seed + n - 1 must be at most {SEED_MAX}")
    return _faces_png(request, model, seed, n, scale, (levels, dither, palette))


def _faces_png(
    request: Request, model: Model, seed: int | None, count: int, scale: int, colors: tuple[int, str, str]
) -> Response:
    check_colors(*colors)
    grid = model.generator.config.grid
    check_output_side(max(sheet_shape(count, grid, grid) if count > 1 else (grid, grid)) * scale)
    if seed is None:
        seed = secrets.randbelow(SEED_MAX - count + 2)
        png = _render(model, seed, count, scale, colors)
        return png_response(png, cache_control=NO_STORE, headers={"X-Seed": str(seed)})
    etag = (
        make_etag(model.file.model_id, seed, count, scale, *color_parts(*colors))
        if count > 1
        else make_etag(model.file.model_id, seed, scale, *color_parts(*colors))
    )
    if etag_matches(request, etag):
        return not_modified(etag)
    return png_response(
        _render(model, seed, count, scale, colors),
        cache_control=IMMUTABLE,
        headers={"ETag": etag, "X-Seed": str(seed)},
    )


def _render(model: Model, seed: int, count: int, scale: int, colors: tuple[int, str, str]) -> bytes:
    levels, dither, palette = colors
    return render_faces(model.generator, seed, count, scale=scale, levels=levels, dither=dither, palette=palette).data


def check_colors(levels: int, dither: str, palette: str) -> None:
    """422 when `levels` is given with a palette other than grey, before any work."""
    try:
        check_palette_levels(palette, levels)
    except PaletteLevelsError as error:
        raise ApiError(422, "invalid_parameter", str(error)) from None


def color_parts(levels: int, dither: str, palette: str) -> tuple:
    """The ETag parts of the colours: grey's as before palettes existed, so those ETags stand."""
    return (levels, dither) if palette == GREY else (levels, dither, palette)


def check_output_side(side: int) -> None:
    """422 when an output image would be over MAX_SIDE pixels a side."""
    if side > MAX_SIDE:
        raise ApiError(
            422, "invalid_parameter", f"the image would be {side} px a side, over the limit of {MAX_SIDE}; lower scale"
        )
