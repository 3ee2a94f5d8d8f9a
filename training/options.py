"""The settings of one training run, as a frozen dataclass that the CLI fills in.

options = TrainOptions(epochs=300, batch_size=64, lr=2e-4, seed=0)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class TrainOptions:
    """epochs, batch_size, lr (Adam, betas 0.5/0.999 as DCGAN), seed (same seed and data on
    CPU -> same weights), device ("auto" picks CUDA when present), flip (random horizontal
    flips of real images), sample_every / checkpoint_every (epochs; 0 = only at the end)."""

    epochs: int = 300
    batch_size: int = 64
    lr: float = 2e-4
    beta1: float = 0.5
    seed: int = 0
    device: str = "auto"
    flip: bool = False
    sample_every: int = 25
    checkpoint_every: int = 25

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.lr <= 0:
            raise ValueError(f"epochs and batch_size must be at least 1 and lr positive: {self}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be auto, cpu or cuda, got {self.device!r}")

    def to_dict(self) -> dict:
        return asdict(self)
