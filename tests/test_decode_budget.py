"""Decoding memory decided from the header: the budget, the formats opened, banded conversion."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pixelgan.model import images
from pixelgan.model.decode_budget import decode_cost, webp_canvas_size
from pixelgan.model.errors import DamagedImageError, ImageTooLargeError, NotAnImageError
from pixelgan.model.images import decode_square, open_image
from pixelgan.model.photo import pixelate_photo

from tests.conftest import photo_bytes
from tests.crafted_images import encoded, fits_header, lossless_webp_header, png_header, rle8_bmp

MIB = 2**20


def test_webp_canvas_size_is_read_from_each_kind_of_header() -> None:
    assert webp_canvas_size(lossless_webp_header(16383, 2441)) == (16383, 2441)
    for mode, options in (("RGB", {"quality": 80}), ("RGBA", {"lossless": True}), ("RGB", {"exif": b"Exif\0\0"})):
        data = encoded(Image.new(mode, (321, 123)), "WEBP", **options)
        assert webp_canvas_size(data[:30]) == (321, 123)
    assert webp_canvas_size(photo_bytes()[:30]) is None


def test_huge_webp_is_refused_from_its_header_before_libwebp_sees_it() -> None:
    # Opened, these bytes would be a damaged file: the refusal has to come first.
    with pytest.raises(ImageTooLargeError, match=r"over the limit of 128 MiB per upload"):
        open_image(lossless_webp_header(16383, 2441), max_decode_bytes=128 * MIB)
    with pytest.raises(DamagedImageError):
        pixelate_photo(lossless_webp_header(64, 64), 40, max_decode_bytes=128 * MIB)


def test_cost_counts_bytes_per_pixel_not_only_pixels() -> None:
    eight_bit = open_image(png_header(4000, 4000))
    sixteen_bit = open_image(png_header(4000, 4000, bit_depth=16))
    rgba = open_image(png_header(4000, 4000, color_type=6))
    assert (eight_bit.mode, sixteen_bit.mode, rgba.mode) == ("L", "I;16", "RGBA")
    assert decode_cost(eight_bit, "L") < decode_cost(sixteen_bit, "L") < decode_cost(rgba, "L")
    assert decode_cost(rgba, "L") < decode_cost(rgba, "RGB")


@pytest.mark.parametrize(("bit_depth", "refused"), [(8, False), (16, True)])
def test_budget_refuses_what_decodes_large_before_decoding(bit_depth: int, refused: bool) -> None:
    image = open_image(png_header(4000, 4000, bit_depth=bit_depth))
    budget = (decode_cost(open_image(png_header(4000, 4000)), "L") + decode_cost(image, "L")) // 2
    if refused:
        with pytest.raises(ImageTooLargeError, match=r"over the limit of \d+ MiB per upload"):
            decode_square(image, max_decode_bytes=budget)
    else:  # within budget, so decoding starts, and finds no pixel data
        with pytest.raises(DamagedImageError):
            decode_square(image, max_decode_bytes=budget)


def test_jpeg_budget_is_counted_at_its_reduced_decode_size() -> None:
    data = photo_bytes((2400, 1800), fmt="JPEG")
    full = decode_cost(open_image(data), "L")
    # A budget the full-size decode is over, but the 1/8-scale decode (fast=True) is not.
    assert pixelate_photo(data, 40, fast=True, max_decode_bytes=full - 1).shape == (40, 40)
    with pytest.raises(ImageTooLargeError):
        pixelate_photo(data, 40, max_decode_bytes=full - 1)


UNDOCUMENTED = [
    ("TGA", "RGB", {}),
    ("ICO", "RGBA", {}),
    ("PCX", "RGB", {}),
    ("SGI", "RGB", {}),
    ("QOI", "RGB", {}),
    ("DDS", "RGB", {}),
    ("SPIDER", "F", {}),
    ("MSP", "1", {}),
    ("JPEG2000", "RGB", {}),
    ("AVIF", "RGB", {}),
]


@pytest.mark.parametrize(("fmt", "mode", "options"), UNDOCUMENTED, ids=[case[0] for case in UNDOCUMENTED])
def test_formats_outside_the_documented_list_are_not_opened(fmt: str, mode: str, options: dict) -> None:
    data = encoded(Image.new(mode, (64, 64)), fmt, **options)
    assert Image.open(io.BytesIO(data)).format == fmt  # Pillow itself would open it
    with pytest.raises(NotAnImageError, match=r"JPEG, PNG, GIF, WebP, BMP, TIFF or PGM/PPM"):
        open_image(data)


def test_fits_is_not_opened() -> None:
    assert Image.open(io.BytesIO(fits_header(6000, 6000))).format == "FITS"
    with pytest.raises(NotAnImageError, match="not an image in a supported format"):
        open_image(fits_header(6000, 6000))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"P2\n3 2\n255\n0 1 2\n3 4 5\n", "ppm_plain"),
        (b"P5\n3 2\n1000\n" + b"\0\1" * 6, "ppm"),
        (rle8_bmp(510, 4), "bmp_rle"),
    ],
    ids=["plain PGM", "PGM with maxval 1000", "RLE8 BMP"],
)
def test_variants_decoded_in_python_are_refused(data: bytes, encoding: str) -> None:
    assert Image.open(io.BytesIO(data)).tile[0].codec_name == encoding
    with pytest.raises(NotAnImageError, match=rf"\({encoding} encoding\) is not supported"):
        open_image(data)


@pytest.mark.parametrize(
    ("mode", "options"),
    [("RGBA", {}), ("P", {"transparency": 3}), ("I;16", {}), ("LA", {}), ("CMYK", {})],
)
@pytest.mark.parametrize("color", [False, True])
def test_banded_conversion_equals_converting_at_once(
    monkeypatch: pytest.MonkeyPatch, mode: str, options: dict, color: bool
) -> None:
    rng = np.random.default_rng(0)
    if mode == "I;16":
        image = Image.fromarray(rng.integers(0, 65536, (70, 90), dtype=np.uint16))
    else:
        image = Image.fromarray(rng.integers(0, 256, (70, 90, 4), dtype=np.uint8), "RGBA").convert(mode)
    data = encoded(image, "TIFF" if mode == "CMYK" else "PNG", **options)
    whole = np.asarray(decode_square(open_image(data), color=color))
    monkeypatch.setattr(images, "BAND_PIXELS", 200)  # bands of two rows
    banded = np.asarray(decode_square(open_image(data), color=color))
    np.testing.assert_array_equal(banded, whole)


def test_out_of_memory_passes_through_as_memory_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(image: Image.Image, mode: str) -> Image.Image:
        raise MemoryError("Unable to allocate 305. MiB")

    monkeypatch.setattr(images, "_convert", exhausted)
    with pytest.raises(MemoryError):
        pixelate_photo(photo_bytes(), 40)
