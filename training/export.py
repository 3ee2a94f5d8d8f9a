"""Export a trained torch generator to the pickle-free generator file that serving reads.

model_id = export_generator(generator, run_dir / "generator.safetensors", training={...}, crop="face")
"""

from __future__ import annotations

from pathlib import Path

from pixelgan.model.crop import crop_settings
from pixelgan.model.generator_file import default_preprocessing, save_generator
from pixelgan.model.networks import generator_arrays
from torch import nn


def export_generator(generator: nn.Module, path: Path, *, training: dict, crop: str = "center") -> str:
    """Write `generator` (with its `.config`) to `path`, recording the photos' `crop`; returns the model id."""
    preprocessing = default_preprocessing(generator.config) | {"crop": crop_settings(crop)}
    return save_generator(
        path, generator.config, generator_arrays(generator), training=training, preprocessing=preprocessing
    )
