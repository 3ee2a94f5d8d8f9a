"""The discriminator's regularisers and variants: LeCam, ADA's adaptive probability, D without
spectral norm, the residual D, and the generator's upsample + conv on the small map."""

from __future__ import annotations

import pytest
import torch
from pixelgan.model.conv_discriminator import ConvDiscriminator, ResidualDown
from pixelgan.model.conv_networks import upsample_conv
from pixelgan.training.augment import AdaptiveProbability, DiffAugment
from pixelgan.training.lecam import LeCam
from torch.nn.functional import conv2d, interpolate


@pytest.mark.parametrize("shape", [(2, 3, 1, 1), (2, 5, 5, 5), (1, 4, 3, 7)])
def test_upsample_conv_equals_nearest_upsample_then_conv(shape: tuple[int, ...]) -> None:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(shape, generator=generator, dtype=torch.float64)
    weight = torch.randn(6, shape[1], 3, 3, generator=generator, dtype=torch.float64)
    expected = conv2d(interpolate(x, scale_factor=2, mode="nearest"), weight, padding=1)
    assert torch.allclose(upsample_conv(x, weight), expected, atol=1e-12)


@pytest.mark.parametrize("norm", ["spectral", "none"])
@pytest.mark.parametrize("residual", [False, True])
def test_discriminator_variants_give_one_logit_per_image(norm: str, residual: bool) -> None:
    discriminator = ConvDiscriminator(grid=40, channels=(8, 16, 32), minibatch_std=True, norm=norm, residual=residual)
    images = torch.randn(8, 1, 40, 40, requires_grad=True)
    logits = discriminator(images)
    logits.sum().backward()
    assert logits.shape == (8,)
    assert images.grad.abs().sum() > 0
    parametrized = [name for name, _ in discriminator.named_parameters() if "parametrizations" in name]
    assert bool(parametrized) == (norm == "spectral")
    assert any(isinstance(module, ResidualDown) for module in discriminator.modules()) == residual


def test_unknown_discriminator_norm_is_refused() -> None:
    with pytest.raises(ValueError, match="discriminator norm must be one of"):
        ConvDiscriminator(norm="batch")


def test_lecam_penalises_only_logits_past_the_other_sides_average() -> None:
    lecam = LeCam(weight=1.0, decay=0.5)
    lecam.mean_real, lecam.mean_fake = 1.0, -1.0
    # Real logits below the fake average and fake logits above the real average: no penalty.
    assert lecam.penalty(torch.tensor([-2.0, -1.5]), torch.tensor([2.0, 3.0])).item() == 0.0
    lecam.mean_real, lecam.mean_fake = 1.0, -1.0
    # Real at 1 (2 above the fake average), fake at -1 (2 below the real average): 4 + 4.
    assert lecam.penalty(torch.tensor([1.0]), torch.tensor([-1.0])).item() == pytest.approx(8.0)
    assert (lecam.mean_real, lecam.mean_fake) == (1.0, -1.0)  # the averages took those same logits


def test_lecam_state_round_trips() -> None:
    lecam = LeCam(weight=0.1)
    lecam.penalty(torch.tensor([3.0]), torch.tensor([-2.0]))
    restored = LeCam(weight=0.1)
    restored.load_state_dict(lecam.state_dict())
    assert (restored.mean_real, restored.mean_fake) == (lecam.mean_real, lecam.mean_fake) != (0.0, 0.0)


def test_adaptive_probability_rises_while_d_overfits_and_falls_after() -> None:
    augment = DiffAugment(["translation"])
    controller = AdaptiveProbability(augment, target=0.6, images_to_full=1000, interval=2)
    assert augment.probability == 0.0
    for _ in range(8):  # 4 adjustments of 2 x 50 / 1000 = 0.1 each
        controller.observe(1.0, 50)
    assert augment.probability == pytest.approx(0.4)
    for _ in range(20):
        controller.observe(0.0, 50)
    assert augment.probability == 0.0  # clamped at 0
    restored = AdaptiveProbability(DiffAugment(["translation"]), target=0.6)
    augment.probability = 0.3
    restored.load_state_dict(controller.state_dict())
    assert restored.augment.probability == 0.3


def test_augment_probability_zero_leaves_images_alone() -> None:
    augment = DiffAugment(["translation", "brightness", "cutout"])
    augment.probability = 0.0
    images = torch.rand(16, 1, 8, 8)
    assert torch.equal(augment(images, torch.Generator().manual_seed(0)), images)
    augment.probability = 0.5
    changed = (augment(images, torch.Generator().manual_seed(0)) != images).flatten(1).any(1)
    assert 0 < changed.sum() < 16


def test_adaptive_target_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"target must be in \(0, 1\)"):
        AdaptiveProbability(DiffAugment(["translation"]), target=1.0)
