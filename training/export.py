"""Export a trained torch generator to the pickle-free generator file that serving reads.

model_id = export_generator(generator, run_dir / "generator.safetensors", training={...})
"""

from __future__ import annotations

from pathlib import Path

from torch import nn

from model.generator_file import save_generator
from model.networks import generator_arrays


def export_generator(generator: nn.Module, path: Path, *, training: dict) -> str:
    """Write `generator` (with its `.config`) to `path`; returns the model id."""
    return save_generator(path, generator.config, generator_arrays(generator), training=training)
