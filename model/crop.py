"""The post's AbsCenterCrop: the largest centred square of an image.

    >>> square_box((474, 600))
    (0, 63, 474, 537)

The box is the post's exactly: the short side is kept whole and the long side loses
`(long - short) // 2` pixels at its start, so odd differences leave the extra pixel at the end.
"""

from __future__ import annotations

from PIL import Image


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
