"""The errors that `model` raises, so callers (the CLI, the service) can tell them apart.

Each carries a sentence meant for the person who supplied the input.
"""

from __future__ import annotations


class ImageError(ValueError):
    """An input image that cannot be used; the message says why."""


class NotAnImageError(ImageError):
    """The bytes are not an image in any format Pillow reads."""


class DamagedImageError(ImageError):
    """The image's header was read but its pixels could not be decoded (truncated, corrupt)."""


class ImageTooLargeError(ImageError):
    """The image declares more pixels than the caller allows."""


class ImageTooSmallError(ImageError):
    """The image (after cropping to a square) is smaller than the pixel grid."""


class GeneratorFileError(ValueError):
    """A generator file that cannot be loaded; the message names the file and the problem."""


class NoFaceError(ImageError):
    """A face-centred crop was asked for, and the face detector found no face in the image."""


class FaceDetectorMissingError(RuntimeError):
    """A face-centred crop was asked for, but the optional detector package is not installed."""


class ConfigError(ValueError):
    """An architecture or its settings that cannot be built; the message names the field."""
