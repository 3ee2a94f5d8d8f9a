"""What the model is: image transforms, the generator file, and numpy inference.

Everything re-exported here is torch-free, so the service can import it. The torch networks
live in `model.networks` and are imported only by training and tests.
"""

from pixelgan.model.architectures import parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.crop import abs_center_crop, square_box
from pixelgan.model.errors import (
    DamagedImageError,
    GeneratorFileError,
    ImageError,
    ImageTooLargeError,
    ImageTooSmallError,
    NotAnImageError,
)
from pixelgan.model.generator_file import GeneratorFile, load_generator_file, save_generator
from pixelgan.model.images import decode_square, open_image
from pixelgan.model.inference import SEED_MAX, NumpyGenerator, latent_from_seed, latents_from_seeds
from pixelgan.model.pixelate import pixelate
from pixelgan.model.sheet import signed_unit_to_uint8, unit_to_uint8

__all__ = [
    "SEED_MAX",
    "DamagedImageError",
    "GeneratorConfig",
    "GeneratorFile",
    "GeneratorFileError",
    "ImageError",
    "ImageTooLargeError",
    "ImageTooSmallError",
    "NotAnImageError",
    "NumpyGenerator",
    "abs_center_crop",
    "decode_square",
    "latent_from_seed",
    "latents_from_seeds",
    "load_generator_file",
    "open_image",
    "parameter_shapes",
    "pixelate",
    "save_generator",
    "signed_unit_to_uint8",
    "square_box",
    "unit_to_uint8",
]
