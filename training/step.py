"""One GAN update on a batch, as dcgan's two blocks: the discriminator's step, then the generator's.

losses = train_step(generator, discriminator, optimizer_g, optimizer_d, real, rng, loss="hinge")
# {"loss_d": ..., "loss_g": ..., "d_real": ..., "d_fake": ..., "real_sign": ...}
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from pixelgan.training.augment import DiffAugment
from pixelgan.training.lecam import LeCam
from torch import nn
from torch.nn.functional import binary_cross_entropy_with_logits as bce
from torch.nn.functional import relu


def train_step(
    generator: nn.Module,
    discriminator: nn.Module,
    optimizer_g: torch.optim.Optimizer,
    optimizer_d: torch.optim.Optimizer,
    real: torch.Tensor,
    rng: torch.Generator,
    *,
    loss: str = "ns",
    augment: DiffAugment | None = None,
    r1: float = 0.0,
    lecam: LeCam | None = None,
) -> dict[str, float]:
    """One GAN update on a batch of real images (B, 1, grid, grid) in [-1, 1]; returns losses.

    loss "ns": the post's BCE, i.e. the logistic loss with the non-saturating generator
    term; "hinge": D pushes real logits above 1 and fake below -1, G raises fake logits.
    `augment` (DiffAugment) is applied to every image D sees, real or fake, in both blocks.
    `r1` > 0 adds a separate D step on the R1 penalty, r1 / 2 * E|grad_x D(x)|^2 on the real
    images (the caller scales gamma by the steps between penalties: lazy regularisation).
    `lecam` adds its penalty to D's loss. "real_sign" is the mean sign of D's real logits
    (ADA's overfitting signal).
    """
    batch = real.shape[0]
    latents = torch.randn(batch, generator.config.latent_dim, generator=rng, device=real.device)
    fake = generator(latents)

    def judge(images: torch.Tensor) -> torch.Tensor:
        return discriminator(augment(images, rng) if augment else images)

    # (1) discriminator: real -> 1, fake.detach() -> 0
    logits_real = judge(real)
    logits_fake = judge(fake.detach())
    if loss == "hinge":
        loss_d = relu(1 - logits_real).mean() + relu(1 + logits_fake).mean()
    else:
        loss_d = bce(logits_real, torch.ones_like(logits_real)) + bce(logits_fake, torch.zeros_like(logits_fake))
    if lecam:
        loss_d = loss_d + lecam.penalty(logits_real, logits_fake)
    optimizer_d.zero_grad(set_to_none=True)
    loss_d.backward()
    optimizer_d.step()
    if r1:
        _r1_step(judge, optimizer_d, real, r1)

    # (2) generator: make the discriminator say 1 for the same fakes
    logits_g = judge(fake)
    loss_g = -logits_g.mean() if loss == "hinge" else bce(logits_g, torch.ones_like(logits_g))
    optimizer_g.zero_grad(set_to_none=True)
    loss_g.backward()
    optimizer_g.step()

    return {
        "loss_d": loss_d.item(),
        "loss_g": loss_g.item(),
        "d_real": torch.sigmoid(logits_real).mean().item(),
        "d_fake": torch.sigmoid(logits_fake).mean().item(),
        "real_sign": torch.sign(logits_real.detach()).mean().item(),
    }


def _r1_step(
    judge: Callable[[torch.Tensor], torch.Tensor], optimizer_d: torch.optim.Optimizer, real: torch.Tensor, gamma: float
) -> None:
    """(1b) discriminator: flatten its surface at the real images (R1, Mescheder et al. 2018)."""
    real = real.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(judge(real).sum(), real, create_graph=True)
    penalty = gradient.square().sum(dim=(1, 2, 3)).mean()
    optimizer_d.zero_grad(set_to_none=True)
    (gamma / 2 * penalty).backward()
    optimizer_d.step()
