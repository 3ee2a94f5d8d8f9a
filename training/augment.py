"""Differentiable augmentation (DiffAugment, Zhao et al. 2020) for grids in [-1, 1].

    augment = DiffAugment(("translation", "brightness", "contrast", "flip", "cutout"))
    logits = discriminator(augment(images, rng))      # real and fake alike, in both steps

With ~1,700 training images the discriminator memorises the real set and its gradients
stop teaching the generator anything. Augmenting only the real images would teach the
generator to make augmented-looking faces; augmenting real and fake alike, through
operations that gradients pass through, lets D see many more distinct images while G is
still judged on plain faces. Every operation draws its randomness from `rng`, so a seeded
run is repeatable.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

OPERATIONS = ("translation", "brightness", "contrast", "flip", "cutout")


class DiffAugment:
    """Apply the named operations, in the order of `OPERATIONS`, independently per image.

    translation: shift by up to `translation_ratio` of the side, in whole grid cells,
        repeating the edge cells into the space uncovered.
    brightness: add U(-0.5, 0.5). contrast: scale about the image mean by U(0.5, 1.5).
    flip: mirror left-right with probability 1/2.
    cutout: set a square of `cutout_ratio` of the side, anywhere, to mid grey (0).
    """

    def __init__(
        self, operations: Sequence[str], *, translation_ratio: float = 0.125, cutout_ratio: float = 0.5
    ) -> None:
        unknown = set(operations) - set(OPERATIONS)
        assert not unknown, f"unknown augmentations {sorted(unknown)}; choose from {OPERATIONS}"
        self.operations = tuple(name for name in OPERATIONS if name in operations)
        self.translation_ratio = translation_ratio
        self.cutout_ratio = cutout_ratio

    def __bool__(self) -> bool:
        return bool(self.operations)

    def __call__(self, images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        """(B, 1, H, W) -> (B, 1, H, W), differentiable in `images`."""
        for name in self.operations:
            images = getattr(self, f"_{name}")(images, rng)
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
