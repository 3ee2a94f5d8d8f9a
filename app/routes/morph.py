"""GET /morph: a looping animation from one seed's face to another's and back.

    GET /morph?from=3&to=7&frames=32&ms=80&format=gif&scale=8&levels=4&dither=bayer4

The walk is `model.morph` (slerp between the two seeds' latents, half the loop rendered in
one batch), the frames are quantised like `/generate`'s and encoded by `model.animation`.
Like a seeded face, the result depends only on the model, the code and the parameters, so
it is immutable under an ETag of all three. The output is bounded before any work: at most
`MAX_ANIMATION_SIDE` px a side and `MAX_ANIMATION_PIXELS` pixels over all frames.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pixelgan.app.admission import RenderSlot
from pixelgan.app.errors import ApiError
from pixelgan.app.model_state import Model
from pixelgan.app.parameters import (
    MAX_ANIMATION_PIXELS,
    MAX_ANIMATION_SIDE,
    AnimationFormat,
    Dither,
    FrameMs,
    Frames,
    Levels,
    Palette,
    Scale,
    SeedFrom,
    SeedTo,
)
from pixelgan.app.png_response import IMMUTABLE, etag_matches, make_etag, not_modified
from pixelgan.app.routes.faces import check_colors, check_output_side, color_parts
from pixelgan.model.animation import DEFAULT_FRAME_MS, MEDIA_TYPES
from pixelgan.model.morph import DEFAULT_FRAMES
from pixelgan.model.palettes import GREY
from pixelgan.model.render import render_morph

router = APIRouter(tags=["faces"])

ANIMATION_RESPONSES = {
    200: {
        "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
        "description": "A looping animation: GIF, lossless WebP or APNG (image/png).",
    }
}


# A plain def: a morph is tens of milliseconds of forward and encoding, which belongs in
# the threadpool, not on the event loop.
@router.get("/morph", response_class=Response, responses=ANIMATION_RESPONSES)
def morph(
    request: Request,
    model: Model,
    slot: RenderSlot,
    seed_from: SeedFrom,
    to: SeedTo,
    frames: Frames = DEFAULT_FRAMES,
    ms: FrameMs = DEFAULT_FRAME_MS,
    fmt: AnimationFormat = "gif",
    scale: Scale = 8,
    levels: Levels = 256,
    dither: Dither = "none",
    palette: Palette = GREY,
) -> Response:
    """A loop from seed `from`'s face to seed `to`'s and back, `frames` frames of `ms` each."""
    check_colors(levels, dither, palette)
    side = model.generator.config.grid * scale
    check_output_side(side)
    check_animation_size(frames, side)
    etag = make_etag(
        model.file.model_id, "morph", seed_from, to, frames, ms, fmt, scale, *color_parts(levels, dither, palette)
    )
    if etag_matches(request, etag):
        return not_modified(etag)
    walk = render_morph(
        model.generator,
        seed_from,
        to,
        frames=frames,
        ms=ms,
        fmt=fmt,
        scale=scale,
        levels=levels,
        dither=dither,
        palette=palette,
    )
    return Response(walk.data, media_type=walk.media_type, headers={"Cache-Control": IMMUTABLE, "ETag": etag})


def check_animation_size(frames: int, side: int) -> None:
    """422 when an animation's frames would be over MAX_ANIMATION_SIDE px a side, or hold over
    MAX_ANIMATION_PIXELS pixels over all of them."""
    if side > MAX_ANIMATION_SIDE:
        raise ApiError(
            422,
            "invalid_parameter",
            f"each frame would be {side}x{side} px, over the animation limit of {MAX_ANIMATION_SIDE} px a side; "
            "lower scale",
        )
    total = frames * side * side
    if total > MAX_ANIMATION_PIXELS:
        raise ApiError(
            422,
            "invalid_parameter",
            f"the animation would be {frames} frames of {side}x{side} px, {total / 1e6:.1f} megapixels in all, "
            f"over the limit of {MAX_ANIMATION_PIXELS / 1e6:.1f} megapixels; lower frames or scale",
        )
