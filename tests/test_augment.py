"""DiffAugment and the generator EMA: shapes, gradients, determinism, what each op does."""

from __future__ import annotations

import pytest
import torch
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError
from pixelgan.model.networks import build_generator
from pixelgan.training.augment import OPERATIONS, DiffAugment
from pixelgan.training.ema import GeneratorEMA, recalibrate_batch_norm


def images(batch: int = 8, side: int = 16) -> torch.Tensor:
    return torch.rand(batch, 1, side, side, generator=torch.Generator().manual_seed(0)) * 2 - 1


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_operation_keeps_shape_passes_gradients_and_repeats_with_the_seed(operation: str) -> None:
    augment = DiffAugment([operation])
    source = images().requires_grad_(True)
    first = augment(source, torch.Generator().manual_seed(1))
    first.sum().backward()
    assert first.shape == source.shape
    assert source.grad is not None and source.grad.abs().sum() > 0
    second = augment(source, torch.Generator().manual_seed(1))
    assert torch.equal(first, second)
    assert not torch.equal(first, source.detach()), f"{operation} changed nothing"


def test_translation_moves_whole_cells_and_repeats_edges() -> None:
    source = torch.arange(16.0).view(1, 1, 4, 4).repeat(64, 1, 1, 1)
    moved = DiffAugment(["translation"], translation_ratio=0.25)(source, torch.Generator().manual_seed(0))
    index = torch.arange(4)
    shifted = {
        (dy, dx): source[0, 0][(index + dy).clamp(0, 3)][:, (index + dx).clamp(0, 3)]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    }
    seen = {next(shift for shift, image in shifted.items() if torch.equal(image, moved[b, 0])) for b in range(64)}
    assert len(seen) == 9  # every shift within one cell occurs, and nothing else does (next() would raise)


def test_flip_mirrors_or_keeps_each_image() -> None:
    source = images(32)
    flipped = DiffAugment(["flip"])(source, torch.Generator().manual_seed(0))
    mirrored = (flipped == source.flip(-1)).flatten(1).all(1)
    kept = (flipped == source).flatten(1).all(1)
    assert (mirrored | kept).all() and mirrored.any() and kept.any()


def test_cutout_greys_one_square_of_half_the_side() -> None:
    source = torch.ones(16, 1, 20, 20)
    cut = DiffAugment(["cutout"], cutout_ratio=0.5)(source, torch.Generator().manual_seed(0))
    assert ((cut == 0).flatten(1).sum(1) == 100).all()  # a 10x10 square per image


def test_no_operations_is_falsy_and_unknown_is_refused() -> None:
    assert not DiffAugment([])
    with pytest.raises(ConfigError, match=r"unknown augmentations \['rotate'\]; choose from translation,"):
        DiffAugment(["rotate"])


def test_ema_moves_a_fraction_of_the_way() -> None:
    generator = torch.nn.Linear(2, 2)
    ema = GeneratorEMA(generator, decay=0.9)
    before = ema.generator.weight.clone()
    with torch.no_grad():
        generator.weight.add_(1.0)
    ema.update(generator)
    torch.testing.assert_close(ema.generator.weight, before + 0.1)
    assert not ema.generator.weight.requires_grad


def test_recalibration_measures_batch_norm_on_the_ema_weights() -> None:
    config = GeneratorConfig(arch="conv", latent_dim=8, grid=8, hidden=(8, 4))
    generator = build_generator(config)
    recalibrate_batch_norm(generator, rng=torch.Generator().manual_seed(0), batches=4, batch_size=32)
    assert not generator.training
    norm = generator.project_norm
    assert norm.num_batches_tracked == 4
    assert not torch.allclose(norm.running_var, torch.ones_like(norm.running_var))
    assert norm.momentum == 0.1  # restored after the cumulative pass


def test_the_translation_reach_is_a_training_option_recorded_in_the_generator_file(tmp_path) -> None:
    from pixelgan.model.generator_file import load_generator_file
    from pixelgan.training.options import TrainOptions

    from pixelgan.cli import main

    assert DiffAugment(["translation"]).translation_ratio == TrainOptions().translation_ratio
    with pytest.raises(ConfigError, match=r"translation_ratio must be in \(0, 0.5\), got 0.5"):
        TrainOptions(translation_ratio=0.5)
    run = tmp_path / "run"
    assert main(["train", "--dry-run", "--out", str(run), "--sample-every", "0", "--translation-ratio", "0.05"]) == 0
    recorded = load_generator_file(run / "generator.safetensors").metadata["training"]["options"]
    assert recorded["translation_ratio"] == 0.05
