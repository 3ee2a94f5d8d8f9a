"""Reading photos: the documented formats, any mode, to a square grayscale or RGB image.

    image = open_image(path_or_bytes, max_pixels=40_000_000)   # header only, cheap
    square = decode_square(image, color=False)                 # exact pixels
    square = decode_square(image, color=False, min_side=120)   # JPEG: decode at reduced size
    square = decode_square(image, crop="face")                 # the face square (needs dlib)
    square = decode_square(image, max_decode_bytes=96 << 20)   # refused if decoding costs more

`open_image` reads only the header, so a file that claims a huge size is refused before a
byte of it is decoded. Only `PHOTO_FORMATS` are opened (each decoded by C code whose memory
is known from the header, `model.decode_budget`); so are none of their variants Pillow
decodes in Python (RLE BMP, plain-text PPM), whose time grows with the pixels. `decode_square`
checks the decode's memory against `max_decode_bytes`, takes the first frame, applies the
EXIF orientation, composites transparency on white, converts to Pillow's "L" (ITU-R 601
luma) or "RGB", and crops a square (`model.crop`): the largest centred one (the post's
AbsCenterCrop), or the square around the most confident face. Conversion runs in bands of
rows, so it holds one band of its working copies, not the whole image's.

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
from PIL import Image, UnidentifiedImageError
from pixelgan.model.crop import CROPS, abs_center_crop, face_crop
from pixelgan.model.decode_budget import check_decode_budget, check_webp_budget
from pixelgan.model.errors import DamagedImageError, ImageTooLargeError, NoFaceError, NotAnImageError
from pixelgan.model.face_detect import detect_face

# Pillow's names for the formats a photo may come in (PPM covers PGM and PBM too).
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "PPM")
FORMAT_NAMES = "JPEG, PNG, GIF, WebP, BMP, TIFF or PGM/PPM"
_SIXTEEN_BIT_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
# Rows converted at a time: the float64 working copy of a 16-bit band stays near 2 MB.
BAND_PIXELS = 1 << 18
# EXIF orientation -> the transpose that displays it upright (as ImageOps.exif_transpose).
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def open_image(
    source: bytes | str | Path | BinaryIO, *, max_pixels: int | None = None, max_decode_bytes: int | None = None
) -> Image.Image:
    """Open an image lazily (header only) and check its declared size against `max_pixels`.

    Raises NotAnImageError for bytes that are not one of `PHOTO_FORMATS` (or a variant of one
    decoded in Python), DamagedImageError for a header that cannot be read, and
    ImageTooLargeError when width x height > `max_pixels`, or for a WebP whose canvas alone
    is over `max_decode_bytes` (libwebp allocates it on open).
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    if not isinstance(source, (str, Path)):
        check_webp_budget(_peek(source, 30), max_decode_bytes)
    try:
        # Our own limits replace Pillow's bomb warning; its hard error still applies.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source, formats=PHOTO_FORMATS)
    except Image.DecompressionBombError as error:
        raise ImageTooLargeError(f"the image declares too many pixels to decode ({error})") from None
    except UnidentifiedImageError:
        raise NotAnImageError(f"the file is not an image in a supported format ({FORMAT_NAMES})") from None
    except MemoryError:
        raise
    # A crafted header can make a plugin raise almost anything (SyntaxError, struct.error, ...).
    except Exception as error:
        raise DamagedImageError(f"the image header could not be read ({error})") from None
    python_decoded = sorted({tile.codec_name for tile in image.tile if tile.codec_name in Image.DECODERS})
    if python_decoded:
        raise NotAnImageError(
            f"this {image.format} variant ({', '.join(python_decoded)} encoding) is not supported: it decodes "
            "too slowly; send the image as PNG or JPEG"
        )
    width, height = image.size
    if max_pixels is not None and width * height > max_pixels:
        raise ImageTooLargeError(
            f"the image is {width}x{height} = {width * height / 1e6:.1f} megapixels, "
            f"over the limit of {max_pixels / 1e6:.1f} megapixels"
        )
    return image


def decode_square(
    image: Image.Image,
    *,
    color: bool = False,
    min_side: int | None = None,
    crop: str = "center",
    max_decode_bytes: int | None = None,
) -> Image.Image:
    """Decode an opened image into a square, in "L" (or "RGB" when `color`).

    crop "center" keeps the largest centred square; "face" the square around the most
    confident face (NoFaceError when there is none, FaceDetectorMissingError without dlib).
    `min_side` allows a JPEG to be decoded at a reduced scale whose square side stays at least
    `min_side` pixels. Raises ImageTooLargeError when decoding would hold more than
    `max_decode_bytes` (`model.decode_budget`), DamagedImageError when the pixels cannot be
    decoded; a MemoryError passes through (the machine is short of memory, not the file bad).
    """
    if crop not in CROPS:
        raise ValueError(f"crop must be one of {CROPS}, got {crop!r}")
    mode = "RGB" if color else "L"
    try:
        if min_side is not None and image.format in ("JPEG", "MPO"):
            # A face square is a part of the photo: in portraits about half its short side.
            _draft(image, mode, min_side * (2 if crop == "face" else 1))
        check_decode_budget(image, mode, max_decode_bytes)
        image.seek(0)  # animated GIF/WebP/TIFF: the first frame
        image.load()
        orientation = image.getexif().get(0x0112)
        image = _convert(image, mode)
        if orientation in _ORIENTATION_TRANSPOSE:
            image = image.transpose(_ORIENTATION_TRANSPOSE[orientation])
    except (ImageTooLargeError, MemoryError):
        raise
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


def _peek(stream: BinaryIO, count: int) -> bytes:
    """The next `count` bytes of a seekable stream, leaving its position where it was."""
    position = stream.tell()
    head = stream.read(count)
    stream.seek(position)
    return head


def _draft(image: Image.Image, mode: str, min_side: int) -> None:
    """Ask libjpeg for the smallest DCT scale that keeps the short side >= `min_side`."""
    width, height = image.size
    short = min(width, height)
    if short <= min_side:
        return
    factor = short / min_side
    image.draft(mode, (math.ceil(width / factor), math.ceil(height / factor)))


def _convert(image: Image.Image, mode: str) -> Image.Image:
    """Convert any Pillow mode to "L" or "RGB", a band of rows at a time (every step is per pixel)."""
    if image.mode == mode:
        return image
    width, height = image.size
    rows = max(1, BAND_PIXELS // max(width, 1))
    if rows >= height:
        return _convert_pixels(image, mode)
    converted = Image.new(mode, image.size)
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(top + rows, height)))  # keeps the palette and info
        converted.paste(_convert_pixels(band, mode), (0, top))
    return converted


def _convert_pixels(image: Image.Image, mode: str) -> Image.Image:
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
        if rgba.getchannel("A").getextrema() == (255, 255):
            # Opaque (many RGBA files are): compositing would give the same pixels, at 4x the time.
            return rgba.convert(mode)
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert(mode)
    return image.convert(mode)
