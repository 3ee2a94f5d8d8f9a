"""Reading photos: every mode and format, EXIF orientation, transparency, damage, size limits."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pixelgan.model.errors import DamagedImageError, ImageTooLargeError, ImageTooSmallError, NotAnImageError
from pixelgan.model.images import decode_square, open_image
from pixelgan.model.photo import pixelate_photo

from tests.conftest import photo_bytes


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [
        ("RGB", "JPEG"),
        ("CMYK", "JPEG"),
        ("L", "PNG"),
        ("RGBA", "PNG"),
        ("P", "PNG"),
        ("1", "PNG"),
        ("I;16", "PNG"),
        ("RGB", "WEBP"),
        ("RGB", "BMP"),
        ("RGB", "TIFF"),
        ("P", "GIF"),
        ("L", "PPM"),
    ],
)
def test_every_mode_pixelates_to_the_grid(mode: str, fmt: str) -> None:
    grid = pixelate_photo(photo_bytes((100, 80), mode=mode, fmt=fmt), 40)
    assert grid.shape == (40, 40)
    assert 0.0 <= grid.min() <= grid.max() <= 1.0
    assert grid.std() > 0.01  # the picture survived, not a flat field


def test_sixteen_bit_grey_scales_down_instead_of_clipping() -> None:
    pixels = np.full((40, 40), 32896, dtype=np.uint16)  # mid-grey: 128 * 257
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    assert pixelate_photo(buffer.getvalue(), 40) == pytest.approx(np.full((40, 40), 128 / 255))


def test_transparency_composites_on_white() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
    assert pixelate_photo(buffer.getvalue(), 40) == pytest.approx(np.ones((40, 40)))


@pytest.mark.parametrize("color", [False, True])
def test_an_opaque_alpha_channel_changes_nothing(color: bool) -> None:
    rgb = photo_bytes((120, 90), mode="RGB", fmt="PNG")
    rgba = io.BytesIO()
    Image.open(io.BytesIO(rgb)).convert("RGBA").save(rgba, format="PNG")
    half_transparent = Image.open(io.BytesIO(rgb)).convert("RGBA")
    half_transparent.putalpha(128)
    faded = io.BytesIO()
    half_transparent.save(faded, format="PNG")
    grid = pixelate_photo(rgb, 40, color=color)
    np.testing.assert_array_equal(pixelate_photo(rgba.getvalue(), 40, color=color), grid)
    assert pixelate_photo(faded.getvalue(), 40, color=color).mean() > grid.mean()  # half white: composited


def test_palette_transparency_composites_on_white() -> None:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0] * 256)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0)
    assert pixelate_photo(buffer.getvalue(), 40) == pytest.approx(np.ones((40, 40)))


def test_animated_gif_uses_the_first_frame() -> None:
    frames = [Image.new("L", (40, 40), 0), Image.new("L", (40, 40), 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert pixelate_photo(buffer.getvalue(), 40).max() == pytest.approx(0.0)


def test_exif_orientation_is_applied() -> None:
    image = Image.new("L", (80, 40), 255)
    image.paste(0, (0, 0, 40, 40))  # left half black as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": the black half ends up on top
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    square = decode_square(open_image(buffer.getvalue()))
    pixels = np.asarray(square)
    assert square.size == (40, 40)
    assert pixels[:10].mean() < 30  # the crop of the rotated image is from its black half


def test_not_an_image_is_refused() -> None:
    with pytest.raises(NotAnImageError, match="not an image"):
        open_image(b"hello, this is plain text")


def test_truncated_image_is_damaged() -> None:
    data = photo_bytes((200, 200), fmt="PNG")
    with pytest.raises(DamagedImageError, match="damaged or truncated"):
        pixelate_photo(data[: len(data) // 2], 40)


def test_truncated_jpeg_is_damaged() -> None:
    data = photo_bytes((300, 300), fmt="JPEG")
    with pytest.raises(DamagedImageError, match="damaged or truncated"):
        pixelate_photo(data[: len(data) // 3], 40)


def test_declared_size_over_limit_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLargeError, match="over the limit"):
        open_image(photo_bytes((300, 300)), max_pixels=300 * 299)


def test_decompression_bomb_header_is_refused() -> None:
    with pytest.raises(ImageTooLargeError, match="too many pixels to decode"):
        open_image(bomb_png(30000, 30000), max_pixels=40_000_000)


def test_smaller_than_grid_is_refused() -> None:
    with pytest.raises(ImageTooSmallError, match="smaller than the 40x40 grid"):
        pixelate_photo(photo_bytes((60, 30)), 40)


def test_fast_jpeg_path_stays_within_two_grey_levels() -> None:
    data = photo_bytes((1200, 900), fmt="JPEG", quality=90)
    exact = pixelate_photo(data, 40)
    fast = pixelate_photo(data, 40, fast=True)
    assert np.abs(exact - fast).mean() * 255 <= 2.0


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but which holds almost no data."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
