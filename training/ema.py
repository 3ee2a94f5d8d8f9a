"""An exponential moving average of the generator's weights, and batch-norm recalibration.

    ema = GeneratorEMA(generator, decay=0.999)
    ema.update(generator)                                 # after every generator step
    recalibrate_batch_norm(ema.generator, rng=rng)        # before sampling or export

GAN weights orbit rather than settle; their average makes smoother, steadier faces than any
single step (Yazici et al. 2019), so the EMA copy is what gets sampled and exported.
Batch-norm statistics cannot be averaged like weights: the running means of the live
generator describe the live weights, not the averaged ones, so before the EMA copy is used
its statistics are measured afresh on fixed latents.
"""

from __future__ import annotations

import copy

import torch
from pixelgan.model.errors import ConfigError
from torch import nn


class GeneratorEMA:
    """A frozen copy of `generator` whose parameters track it as p <- decay*p + (1-decay)*g."""

    def __init__(self, generator: nn.Module, *, decay: float) -> None:
        if not 0.0 < decay < 1.0:
            raise ConfigError(f"EMA decay must be in (0, 1), got {decay}")
        self.decay = decay
        self.generator = copy.deepcopy(generator).requires_grad_(False)

    @torch.no_grad()
    def update(self, generator: nn.Module) -> None:
        """Move the average towards `generator`'s current weights."""
        for average, live in zip(self.generator.parameters(), generator.parameters(), strict=True):
            average.lerp_(live, 1.0 - self.decay)
        for average, live in zip(self.generator.buffers(), generator.buffers(), strict=True):
            average.copy_(live)

    def state_dict(self) -> dict:
        return self.generator.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.generator.load_state_dict(state)


@torch.no_grad()
def recalibrate_batch_norm(
    generator: nn.Module, *, rng: torch.Generator, batches: int = 16, batch_size: int = 256
) -> None:
    """Re-measure every batch norm's running statistics as the exact average over
    `batches` batches of random latents; leaves `generator` in eval mode. No-op without BN."""
    norms = [module for module in generator.modules() if isinstance(module, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        generator.eval()
        return
    device = next(generator.parameters()).device
    momenta = [norm.momentum for norm in norms]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # None: a cumulative average over the batches seen
    generator.train()
    for _ in range(batches):
        generator(torch.randn(batch_size, generator.config.latent_dim, generator=rng, device=device))
    for norm, momentum in zip(norms, momenta, strict=True):
        norm.momentum = momentum
    generator.eval()
