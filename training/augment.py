"""Differentiable augmentation (DiffAugment, Zhao et al. 2020) for grids in [-1, 1].

    augment = DiffAugment(("translation", "brightness", "contrast", "flip", "cutout"))
    logits = discriminator(augment(images, rng))      # real and fake alike, in both steps

With ~1,700 training images the discriminator memorises the real set and its gradients
stop teaching the generator anything. Augmenting only the real images would teach the
generator to make augmented-looking faces; augmenting real and fake alike, through
operations that gradients pass through, lets D see many more distinct images while G is
still judged on plain faces. Every operation draws its randomness from `rng`, so a seeded
run is repeatable.

Each operation is applied to each image with probability `augment.probability` (1 by
default: always, as DiffAugment does). `AdaptiveProbability` moves that probability as
ADA does (Karras et al. 2020): up while the discriminator is too sure of the real images
(the mean sign of its real logits above a target), down while it is not.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from pixelgan.model.errors import ConfigError
from pixelgan.training.options import OPERATIONS, TrainOptions


class DiffAugment:
    """Apply the named operations, in the order of `OPERATIONS`, independently per image.

    translation: shift by up to `translation_ratio` of the side, in whole grid cells,
        repeating the edge cells into the space uncovered.
    brightness: add U(-0.5, 0.5). contrast: scale about the image mean by U(0.5, 1.5).
    flip: mirror left-right with probability 1/2.
    cutout: set a square of `cutout_ratio` of the side, anywhere, to mid grey (0).
    """

    def __init__(
        self,
        operations: Sequence[str],
        *,
        translation_ratio: float = TrainOptions.translation_ratio,
        cutout_ratio: float = 0.5,
    ) -> None:
        unknown = set(operations) - set(OPERATIONS)
        if unknown:
            raise ConfigError(f"unknown augmentations {sorted(unknown)}; choose from {', '.join(OPERATIONS)}")
        self.operations = tuple(name for name in OPERATIONS if name in operations)
        self.translation_ratio = translation_ratio
        self.cutout_ratio = cutout_ratio
        self.probability = 1.0

    def __bool__(self) -> bool:
        return bool(self.operations)

    def __call__(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        """(B, 1, H, W) -> (B, 1, H, W), differentiable in `images`."""
        for name in self.operations:
            augmented = getattr(self, f"_{name}")(images, rng)
            if self.probability < 1.0:
                chosen = self._uniform(images, rng) < self.probability  # (B, 1, 1, 1)
                augmented = torch.where(chosen, augmented, images)
            images = augmented
        return images

    @staticmethod
    def _uniform(images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        """One U(0, 1) draw per image, shaped (B, 1, 1, 1) to broadcast."""
        return torch.rand(len(images), 1, 1, 1, generator=rng, device=images.device)

    def _brightness(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        return images + (self._uniform(images, rng) - 0.5)

    def _contrast(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        mean = images.mean(dim=(1, 2, 3), keepdim=True)
        return (images - mean) * (self._uniform(images, rng) + 0.5) + mean

    def _flip(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        return torch.where(self._uniform(images, rng) < 0.5, images.flip(-1), images)

    def _translation(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        batch, _, height, width = images.shape
        reach = max(1, round(height * self.translation_ratio))
        shifts = torch.randint(-reach, reach + 1, (2, batch, 1), generator=rng, device=images.device)
        rows = (torch.arange(height, device=images.device) + shifts[0]).clamp(0, height - 1)  # (B, H)
        cols = (torch.arange(width, device=images.device) + shifts[1]).clamp(0, width - 1)  # (B, W)
        images = images.gather(2, rows[:, None, :, None].expand(-1, images.shape[1], -1, width))
        return images.gather(3, cols[:, None, None, :].expand(-1, images.shape[1], height, -1))

    def _cutout(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        batch, _, height, width = images.shape
        size = max(1, round(height * self.cutout_ratio))
        corners = torch.randint(0, height - size + 1, (2, batch, 1), generator=rng, device=images.device)
        rows = torch.arange(height, device=images.device) - corners[0]  # (B, H): inside when 0 <= r < size
        cols = torch.arange(width, device=images.device) - corners[1]
        inside_rows = (rows >= 0) & (rows < size)
        inside_cols = (cols >= 0) & (cols < size)
        keep = ~(inside_rows[:, :, None] & inside_cols[:, None, :])  # (B, H, W)
        return images * keep[:, None].to(images.dtype)


class AdaptiveProbability:
    """ADA's controller: nudge `augment.probability` towards the level where D stops overfitting.

    Every `interval` steps, r = mean(sign(D(real))) over those steps: about 0 when D cannot
    tell real images from fakes, near 1 when it has memorised them. The probability moves
    by interval x batch / `images_to_full` towards more augmentation while r > `target`
    and towards less while r < `target`, so it can cross its whole range in that many
    images.
    """

    def __init__(
        self, augment: DiffAugment, *, target: float, images_to_full: int = 100_000, interval: int = 4
    ) -> None:
        if not 0.0 < target < 1.0:
            raise ConfigError(f"the adaptive augmentation target must be in (0, 1), got {target}")
        self.augment = augment
        self.target = target
        self.images_to_full = images_to_full
        self.interval = interval
        self.augment.probability = 0.0
        self._signs: list[float] = []
        self._images = 0

    def observe(self, real_sign: float, images: int) -> None:
        """Record one step's mean sign of D's real logits over `images` images; adjust every `interval` steps."""
        self._signs.append(real_sign)
        self._images += images
        if len(self._signs) < self.interval:
            return
        overfit = sum(self._signs) / len(self._signs)
        step = self._images / self.images_to_full
        direction = 1.0 if overfit > self.target else -1.0
        self.augment.probability = min(1.0, max(0.0, self.augment.probability + direction * step))
        self._signs.clear()
        self._images = 0

    def state_dict(self) -> dict:
        return {"probability": self.augment.probability}

    def load_state_dict(self, state: dict) -> None:
        self.augment.probability = float(state["probability"])
