"""Reading photos: any format and mode Pillow opens, to a square grayscale or RGB image.

    image = open_image(path_or_bytes, max_pixels=40_000_000)   # header only, cheap
    square = decode_square(image, color=False)                 # exact pixels
    square = decode_square(image, color=False, min_side=120)   # JPEG: decode at reduced size
    square = decode_square(image, crop="face")                 # the face square (needs dlib)

`open_image` reads only the header, so a file that claims a huge size is refused before a
byte of it is decoded. `decode_square` takes the first frame, applies the EXIF orientation,
composites transparency on white, converts to Pillow's "L" (ITU-R 601 luma) or "RGB", and
crops a square (`model.crop`): the largest centred one (the post's AbsCenterCrop), or the
square around the most confident face.

With `min_side`, a JPEG is decoded by libjpeg's DCT scaling (`Image.draft`) at the smallest
scale (1/2, 1/4, 1/8) whose square is still at least `min_side` pixels: most of the cost of
pixelating a photo is decoding it, and a 40x40 grid needs few of its pixels. Training keeps
the exact path.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from pixelgan.model.crop import CROPS, abs_center_crop, face_crop
from pixelgan.model.errors import DamagedImageError, ImageTooLargeError, NoFaceError, NotAnImageError
from pixelgan.model.face_detect import detect_face

_SIXTEEN_BIT_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def open_image(source: bytes | str | Path | BinaryIO, *, max_pixels: int | None = None) -> Image.Image:
    """Open an image lazily (header only) and check its declared size against `max_pixels`.

    Raises NotAnImageError for bytes no Pillow plugin recognises, DamagedImageError for a
    header that cannot be read, and ImageTooLargeError when width x height > `max_pixels`.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        # Our own max_pixels check replaces Pillow's bomb warning; its hard error still applies.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
    except Image.DecompressionBombError as error:
        raise ImageTooLargeError(f"the image declares too many pixels to decode ({error})") from None
    except UnidentifiedImageError:
        raise NotAnImageError(
            "the file is not an image in a supported format (JPEG, PNG, GIF, WebP, BMP, TIFF, ...)"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise DamagedImageError(f"the image header could not be read ({error})") from None
    width, height = image.size
    if max_pixels is not None and width * height > max_pixels:
        raise ImageTooLargeError(
            f"the image is {width}x{height} = {width * height / 1e6:.1f} megapixels, "
            f"over the limit of {max_pixels / 1e6:.1f} megapixels"
        )
    return image


def decode_square(
    image: Image.Image, *, color: bool = False, min_side: int | None = None, crop: str = "center"
) -> Image.Image:
    """Decode an opened image into a square, in "L" (or "RGB" when `color`).

    crop "center" keeps the largest centred square; "face" the square around the most
    confident face (NoFaceError when there is none, FaceDetectorMissingError without dlib).
    `min_side` allows a JPEG to be decoded at a reduced scale whose square side stays at least
    `min_side` pixels. Raises DamagedImageError when the pixels cannot be decoded.
    """
    if crop not in CROPS:
        raise ValueError(f"crop must be one of {CROPS}, got {crop!r}")
    mode = "RGB" if color else "L"
    if min_side is not None and image.format == "JPEG":
        # A face square is a part of the photo: in portraits about half its short side.
        _draft(image, mode, min_side * (2 if crop == "face" else 1))
    try:
        image.seek(0)  # animated GIF/WebP/TIFF: the first frame
        image.load()
        image = ImageOps.exif_transpose(image)
        image = _convert(image, mode)
    # A damaged file can make a decoder raise almost anything (OSError for truncation,
    # SyntaxError, struct.error, IndexError, ...); each one means "these bytes do not decode".
    except Exception as error:
        raise DamagedImageError(f"the image data is damaged or truncated ({error})") from None
    if crop == "center":
        return abs_center_crop(image)
    face = detect_face(image)
    if face is None:
        raise NoFaceError("no face was found in the image (crop=face needs one frontal face)")
    return face_crop(image, face)


def _draft(image: Image.Image, mode: str, min_side: int) -> None:
    """Ask libjpeg for the smallest DCT scale that keeps the short side >= `min_side`."""
    width, height = image.size
    short = min(width, height)
    if short <= min_side:
        return
    factor = short / min_side
    image.draft(mode, (math.ceil(width / factor), math.ceil(height / factor)))


def _convert(image: Image.Image, mode: str) -> Image.Image:
    """Convert any Pillow mode to "L" or "RGB", flattening transparency onto white."""
    if image.mode == mode:
        return image
    if image.mode in _SIXTEEN_BIT_MODES:
        # Pillow's own I;16 -> L conversion clips at 255 rather than scaling 0..65535 down.
        wide = np.asarray(image, dtype=np.float64)
        narrow = np.clip(np.rint(wide / 257.0), 0, 255).astype(np.uint8)
        return Image.fromarray(narrow, mode="L").convert(mode)
    if image.mode == "F":
        narrow = np.clip(np.rint(np.asarray(image, dtype=np.float64)), 0, 255).astype(np.uint8)
        return Image.fromarray(narrow, mode="L").convert(mode)
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert(mode)
    return image.convert(mode)
