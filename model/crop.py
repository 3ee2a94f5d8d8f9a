"""The two square crops a photo can get before pixelation: AbsCenterCrop and the face square.

    >>> square_box((474, 600))
    (0, 63, 474, 537)
    >>> face_square_box((474, 600), (100, 150, 300, 350))
    (50, 80, 350, 380)

`abs_center_crop` is the post's AbsCenterCrop exactly: the short side is kept whole and the
long side loses `(long - short) // 2` pixels at its start, so odd differences leave the
extra pixel at the end.

`face_crop` cuts a square of `FACE_MARGIN` times the detector's face box, with the box's
centre raised by `FACE_RAISE` of its side so the square holds the forehead and some hair
(the box spans brows to chin). Every face then sits at the same place and size in the grid,
as FFHQ's alignment puts eyes and mouth at fixed points. Where the square leaves the photo,
the edge pixels are repeated outwards. Training (`--crop face`) and `/pixelate?crop=face`
both call this one function.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pixelgan.model import face_detect

CROPS = ("center", "face")
FACE_MARGIN = 1.5
FACE_RAISE = 0.1


def square_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Return the (left, top, right, bottom) box of the largest centred square in `size`."""
    width, height = size
    side = min(width, height)
    left = (width - side) // 2
    top = (height - side) // 2
    return left, top, left + side, top + side


def abs_center_crop(image: Image.Image) -> Image.Image:
    """Crop `image` to its largest centred square (a no-op on square images)."""
    box = square_box(image.size)
    if box == (0, 0, *image.size):
        return image
    return image.crop(box)


def crop_settings(kind: str) -> dict:
    """What a crop kind does, as stored in a generator file's preprocessing and cache keys."""
    if kind == "center":
        return {"kind": "center"}
    if kind == "face":
        return {
            "kind": "face",
            "detector": "dlib HOG frontal (dlib-bin)",
            "detect_side": face_detect.DETECT_SIDE,
            "upsample": face_detect.UPSAMPLE,
            "margin": FACE_MARGIN,
            "raise": FACE_RAISE,
        }
    raise ValueError(f"crop must be one of {CROPS}, got {kind!r}")


def crop_of(preprocessing: dict) -> str:
    """The crop kind a generator file's preprocessing names: the reverse of `crop_settings`.

    Files written before the face crop say `"crop": "abs_center"`, the post's AbsCenterCrop.
    """
    crop = preprocessing.get("crop", "center")
    kind = crop.get("kind", "center") if isinstance(crop, dict) else crop
    return "center" if kind == "abs_center" else kind


def face_square_box(
    size: tuple[int, int], face: tuple[float, float, float, float], *, margin: float = FACE_MARGIN
) -> tuple[int, int, int, int]:
    """The (left, top, right, bottom) face square for a detector box; it may leave `size`."""
    left, top, right, bottom = face
    side = max(1, round(margin * max(right - left, bottom - top)))
    centre_x = (left + right) / 2
    centre_y = (top + bottom) / 2 - FACE_RAISE * (bottom - top)
    x0 = round(centre_x - side / 2)
    y0 = round(centre_y - side / 2)
    return x0, y0, x0 + side, y0 + side


def face_crop(
    image: Image.Image, face: tuple[float, float, float, float], *, margin: float = FACE_MARGIN
) -> Image.Image:
    """Cut the face square of `face` from `image`, repeating edge pixels where it leaves the photo.

    `face` must overlap the image, as every detector box does.
    """
    x0, y0, x1, y1 = face_square_box(image.size, face, margin=margin)
    width, height = image.size
    inside = (max(x0, 0), max(y0, 0), min(x1, width), min(y1, height))
    if inside == (x0, y0, x1, y1):
        return image.crop(inside)
    pixels = np.asarray(image.crop(inside))
    pad = ((inside[1] - y0, y1 - inside[3]), (inside[0] - x0, x1 - inside[2]))
    pad += ((0, 0),) * (pixels.ndim - 2)
    return Image.fromarray(np.pad(pixels, pad, mode="edge"), mode=image.mode)
