"""LeCam regularisation (Tseng et al. 2021): keep D's outputs near each other's moving averages.

    lecam = LeCam(weight=0.1)
    loss_d = loss_d + lecam.penalty(logits_real, logits_fake)     # in D's step

With little data, D's logits for real and fake images drift apart without bound and its
gradients for G turn uninformative. LeCam penalises real logits above the running mean of
the fake ones and fake logits below the running mean of the real ones, which bounds the
divergence D optimises (a LeCam divergence instead of Jensen-Shannon).
"""

from __future__ import annotations

import torch
from pixelgan.model.errors import ConfigError
from torch.nn.functional import relu


class LeCam:
    """weight x (E[relu(D(real) - mean_fake)^2] + E[relu(mean_real - D(fake))^2]), means as EMAs."""

    def __init__(self, *, weight: float, decay: float = 0.99) -> None:
        if weight <= 0 or not 0.0 < decay < 1.0:
            raise ConfigError(f"LeCam needs weight > 0 and decay in (0, 1), got {weight}, {decay}")
        self.weight = weight
        self.decay = decay
        self.mean_real = 0.0
        self.mean_fake = 0.0

    def penalty(self, logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
        """The penalty for this step's logits; the moving averages take this step's means after."""
        loss = relu(logits_real - self.mean_fake).square().mean() + relu(self.mean_real - logits_fake).square().mean()
        self.mean_real = self.decay * self.mean_real + (1 - self.decay) * float(logits_real.detach().mean())
        self.mean_fake = self.decay * self.mean_fake + (1 - self.decay) * float(logits_fake.detach().mean())
        return self.weight * loss

    def state_dict(self) -> dict:
        return {"mean_real": self.mean_real, "mean_fake": self.mean_fake}

    def load_state_dict(self, state: dict) -> None:
        self.mean_real, self.mean_fake = float(state["mean_real"]), float(state["mean_fake"])
