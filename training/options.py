"""The settings of one training run, as a frozen dataclass that the CLI fills in, and their choices.

    options = TrainOptions(epochs=300, batch_size=64, lr=2e-4, seed=0)
    options.lr_at(epoch)                 # the learning rate of a 1-based epoch

Torch-free, so `pixelgan train`'s flags can offer these choices without importing torch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pixelgan.model.conv_layout import DISCRIMINATOR_NORMS
from pixelgan.model.crop import CROPS
from pixelgan.model.errors import ConfigError

LOSSES = ("ns", "hinge")
DEVICES = ("auto", "cpu", "cuda")
# DiffAugment's operations (`training.augment`), in the order they are applied.
OPERATIONS = ("translation", "brightness", "contrast", "flip", "cutout")


@dataclass(frozen=True)
class TrainOptions:
    """epochs, batch_size, lr (Adam, betas 0.5/0.999 as DCGAN), seed (same seed and data on
    CPU -> same weights), device ("auto" picks CUDA when present), flip (random horizontal
    flips of real images), sample_every / checkpoint_every (epochs; 0 = only at the end),
    loss, augment (DiffAugment operations), ema (decay of the exported average; 0 = off),
    crop ("center": the post's AbsCenterCrop; "face": the face square),
    d_channels (conv discriminator widths; empty = its default), minibatch_std (in D),
    r1 (gamma of the R1 penalty on real images, 0 = off) applied every r1_every steps,
    d_norm ("spectral" or "none": the conv discriminator's layers under spectral norm or
    free), d_residual (residual blocks in the conv discriminator), lecam (weight of the
    LeCam penalty, 0 = off), ada_target (0: every augmentation always applied; in (0, 1):
    ADA's adaptive probability, aiming D's mean real sign at this target), translation_ratio
    (the farthest DiffAugment's translation shifts, as a share of the grid's side: 0.125 is
    5 cells of a 40-cell grid), lr_decay (the last
    lr_decay epochs' learning rate falls linearly toward 0, as pix2pix's schedule; 0 = constant;
    a shorter run decays throughout)."""

    epochs: int = 300
    batch_size: int = 64
    lr: float = 2e-4
    beta1: float = 0.5
    seed: int = 0
    device: str = "auto"
    flip: bool = False
    sample_every: int = 25
    checkpoint_every: int = 25
    loss: str = "ns"
    augment: tuple[str, ...] = ()
    ema: float = 0.0
    crop: str = "center"
    d_channels: tuple[int, ...] = ()
    minibatch_std: bool = False
    r1: float = 0.0
    r1_every: int = 16
    d_norm: str = "spectral"
    d_residual: bool = False
    lecam: float = 0.0
    ada_target: float = 0.0
    translation_ratio: float = 0.125
    lr_decay: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.lr <= 0:
            raise ConfigError(f"epochs and batch_size must be at least 1 and lr positive: {self}")
        if self.device not in DEVICES:
            raise ConfigError(f"device must be one of {DEVICES}, got {self.device!r}")
        if self.loss not in LOSSES:
            raise ConfigError(f"loss must be one of {LOSSES}, got {self.loss!r}")
        unknown = set(self.augment) - set(OPERATIONS)
        if unknown:
            raise ConfigError(f"unknown augmentations {sorted(unknown)}; choose from {', '.join(OPERATIONS)}")
        if not 0.0 <= self.ema < 1.0:
            raise ConfigError(f"ema must be in [0, 1), got {self.ema}")
        if self.crop not in CROPS:
            raise ConfigError(f"crop must be one of {CROPS}, got {self.crop!r}")
        if self.r1 < 0 or self.r1_every < 1 or any(width < 1 for width in self.d_channels):
            raise ConfigError(f"r1 must be >= 0, r1_every >= 1 and d_channels positive: {self}")
        if self.d_norm not in DISCRIMINATOR_NORMS:
            raise ConfigError(f"d_norm must be one of {DISCRIMINATOR_NORMS}, got {self.d_norm!r}")
        if self.lecam < 0 or not 0.0 <= self.ada_target < 1.0:
            raise ConfigError(f"lecam must be >= 0 and ada_target in [0, 1): {self}")
        if not 0.0 < self.translation_ratio < 0.5:
            raise ConfigError(f"translation_ratio must be in (0, 0.5), got {self.translation_ratio}")
        if self.lr_decay < 0:
            raise ConfigError(f"lr_decay must be >= 0 epochs, got {self.lr_decay}")

    def lr_at(self, epoch: int) -> float:
        """The learning rate of 1-based `epoch`: `lr` until the decay starts, then a straight
        line that would reach 0 one epoch after the last (so the last epoch still learns). A
        run shorter than `lr_decay` decays over all its epochs."""
        decayed = min(self.lr_decay, self.epochs)
        if epoch <= self.epochs - decayed:
            return self.lr
        return self.lr * (self.epochs - epoch + 1) / (decayed + 1)

    def to_dict(self) -> dict:
        return asdict(self) | {"augment": list(self.augment), "d_channels": list(self.d_channels)}
