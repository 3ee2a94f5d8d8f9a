"""What pixelgan raises for a person to read: the `UserError` family.

    try: ...
    except UserError as error: print(f"error: {error}")    # as the `pixelgan` command does

A UserError is something the person running pixelgan can change (a photo, a file, a
setting, a missing package); its message says what. The command prints it on one line and
exits 2; the service maps each kind to a status and a stable code (`app.errors`). Anything
else is a bug and shows its traceback. Each class also derives from the builtin it refines
(ValueError, RuntimeError), so code that catches those keeps working.
"""

from __future__ import annotations


class UserError(Exception):
    """An input, file or setting the user can fix; the message says what is wrong."""


class ImageError(UserError, ValueError):
    """An input image that cannot be used; the message says why."""


class NotAnImageError(ImageError):
    """The bytes are not an image in any format Pillow reads."""


class DamagedImageError(ImageError):
    """The image's header was read but its pixels could not be decoded (truncated, corrupt)."""


class ImageTooLargeError(ImageError):
    """The image declares more pixels than the caller allows."""


class ImageTooSmallError(ImageError):
    """The image (after cropping to a square) is smaller than the pixel grid."""


class NoFaceError(ImageError):
    """A face-centred crop was asked for, and the face detector found no face in the image."""


class GeneratorFileError(UserError, ValueError):
    """A generator file that cannot be loaded; the message names the file and the problem."""


class ConfigError(UserError, ValueError):
    """An architecture or training setting that cannot be used; the message names it."""


class DataError(UserError, ValueError):
    """Photos or grids that cannot serve as asked: an empty folder, too few images to measure."""


class MissingPackageError(UserError, RuntimeError):
    """An optional package that this needs is not installed; the message names the extra."""


class FaceDetectorMissingError(MissingPackageError):
    """A face-centred crop was asked for, but the optional detector package is not installed."""
