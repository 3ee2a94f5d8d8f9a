"""Run a generator file in numpy: seeds -> latents -> uint8 grayscale grids. No torch.

    generator = NumpyGenerator.from_file("weights/celebrity-face/generator.safetensors")
    face = generator.faces_for_seeds([42])[0]        # (40, 40) uint8

Seeds map to latents through numpy's legacy `RandomState` (Mersenne Twister and its polar
Gaussian), whose stream numpy freezes for good (NEP 19), so seed 42 gives the same latent,
and the same face, on any machine and any future numpy. Training draws its fixed sample
latents the same way, so torch and numpy see identical inputs.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from pixelgan.model.architectures import architecture
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.generator_file import GeneratorFile, load_generator_file
from pixelgan.model.sheet import signed_unit_to_uint8

SEED_MAX = 2**32 - 1


_thread_local = threading.local()


def latent_from_seed(seed: int, latent_dim: int) -> np.ndarray:
    """The latent vector for `seed` (0 <= seed <= 2**32 - 1): float32 of shape (latent_dim,).

    Equal to `np.random.RandomState(seed).standard_normal(latent_dim)`; re-seeding one
    generator per thread gives the same stream without building a new one (3 us, not 90).
    """
    if not 0 <= seed <= SEED_MAX:
        raise ValueError(f"seed must be between 0 and {SEED_MAX}, got {seed}")
    state = getattr(_thread_local, "random_state", None)
    if state is None:
        state = _thread_local.random_state = np.random.RandomState()
    state.seed(seed)
    return state.standard_normal(latent_dim).astype(np.float32)


def latents_from_seeds(seeds: Sequence[int], latent_dim: int) -> np.ndarray:
    """Stack `latent_from_seed` for each seed: float32 of shape (len(seeds), latent_dim)."""
    return np.stack([latent_from_seed(seed, latent_dim) for seed in seeds])


class NumpyGenerator:
    """The generator of a generator file in numpy; `forward` matches the torch net of its arch."""

    def __init__(self, config: GeneratorConfig, arrays: dict[str, np.ndarray], model_id: str = "") -> None:
        self.config = config
        self.model_id = model_id
        self._forward = architecture(config.arch).numpy_forward(config, arrays)

    @classmethod
    def from_file(cls, source: str | GeneratorFile) -> NumpyGenerator:
        """Load (or take) a generator file and build its numpy forward."""
        generator_file = source if isinstance(source, GeneratorFile) else load_generator_file(source)
        return cls(generator_file.config, generator_file.arrays, generator_file.model_id)

    def forward(self, latents: np.ndarray) -> np.ndarray:
        """(B, latent_dim) float32 -> (B, grid, grid) grey or (B, grid, grid, 3) RGB, float32 in [-1, 1]."""
        return self._forward(np.asarray(latents, dtype=np.float32))

    def faces_for_seeds(self, seeds: Sequence[int]) -> np.ndarray:
        """(len(seeds), grid, grid[, 3]) uint8 faces for the given seeds, computed as one batch."""
        return signed_unit_to_uint8(self.forward(latents_from_seeds(seeds, self.config.latent_dim)))
