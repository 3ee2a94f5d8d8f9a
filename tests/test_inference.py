"""Numpy inference: frozen seed -> latent, equality with the torch forward, uint8 output."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.conv_networks import SelfAttention
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.inference import SEED_MAX, NumpyGenerator, latent_from_seed
from pixelgan.model.networks import build_generator, generator_arrays
from pixelgan.model.numpy_conv import CHUNK, ConvForward
from pixelgan.model.pass_buffers import PASS_BUFFERS

from tests.conftest import SMALL_CONFIG, random_arrays


def test_latent_from_seed_is_the_frozen_randomstate_stream() -> None:
    # RandomState(0).standard_normal's first values, unchanged since numpy 1.0 and frozen by NEP 19.
    np.testing.assert_allclose(latent_from_seed(0, 3), [1.7640524, 0.4001572, 0.978738], rtol=1e-6)
    assert latent_from_seed(SEED_MAX, 100).shape == (100,)
    assert latent_from_seed(7, 100).dtype == np.float32


@pytest.mark.parametrize("seed", [-1, SEED_MAX + 1])
def test_latent_from_seed_refuses_out_of_range(seed: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 4294967295"):
        latent_from_seed(seed, 10)


CONV_CONFIG = GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8))


def _randomise_batch_norms(network: torch.nn.Module) -> None:
    """Give every batch norm non-trivial statistics and affine terms, so folding is tested."""
    with torch.no_grad():
        for module in network.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.3, 0.3)
            if isinstance(module, SelfAttention):  # gain starts at 0: the identity
                module.gain.fill_(0.8)
                module.query.weight.mul_(20)  # peaked attention, not the uniform start
                module.key.weight.mul_(20)


@pytest.mark.parametrize(
    "config",
    [
        SMALL_CONFIG,
        GeneratorConfig(),
        GeneratorConfig(latent_dim=32, grid=20, hidden=(64,)),
        CONV_CONFIG,
        GeneratorConfig(arch="conv", hidden=(128, 64, 32, 16)),
        GeneratorConfig(arch="conv", latent_dim=8, grid=7, hidden=(4,)),
        GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8), attention=6),
        GeneratorConfig(arch="conv", hidden=(128, 64, 32, 16), attention=20),
        GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8), attention=6, channels=3),
    ],
    ids=lambda config: (
        f"{config.arch}-{config.grid}-{'x'.join(map(str, config.hidden))}-a{config.attention}-c{config.channels}"
    ),
)
def test_numpy_forward_equals_torch_forward(config: GeneratorConfig) -> None:
    torch.manual_seed(0)
    network = build_generator(config)
    _randomise_batch_norms(network)
    with torch.no_grad():  # larger weights than the N(0, 0.02) start, so Tanh is not all near 0
        for parameter in network.parameters():
            parameter.mul_(2 if config.arch == "conv" else 1)
    network.eval()
    latents = np.random.default_rng(0).standard_normal((64, config.latent_dim)).astype(np.float32)
    with torch.no_grad():
        images = network(torch.from_numpy(latents))  # (B, C, grid, grid)
        expected = (images.squeeze(1) if config.channels == 1 else images.permute(0, 2, 3, 1)).numpy()
    actual = NumpyGenerator(config, generator_arrays(network)).forward(latents)
    assert actual.shape == (64, config.grid, config.grid, *(() if config.channels == 1 else (3,)))
    assert (np.abs(expected) < 0.9).mean() > 0.1, "the test needs outputs where Tanh is not saturated"
    # float32 sums taken in another order through four folded layers: 1e-4, not 1e-5, for conv.
    assert np.abs(actual - expected).max() <= (1e-4 if config.arch == "conv" else 1e-5)


@pytest.mark.parametrize(
    "config",
    [
        GeneratorConfig(),
        CONV_CONFIG,
        GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8), attention=6),
    ],
    ids=["mlp", "conv", "conv-attention"],
)
def test_exported_names_match_the_config_shapes(config: GeneratorConfig) -> None:
    from pixelgan.model.architectures import parameter_shapes

    arrays = generator_arrays(build_generator(config))
    assert {name: array.shape for name, array in arrays.items()} == parameter_shapes(config)


def test_faces_are_uint8_grids_and_deterministic(generator_path: Path) -> None:
    generator = NumpyGenerator.from_file(str(generator_path))
    faces = generator.faces_for_seeds([1, 2, 3])
    assert faces.shape == (3, 12, 12)
    assert faces.dtype == np.uint8
    np.testing.assert_array_equal(faces, generator.faces_for_seeds([1, 2, 3]))
    np.testing.assert_array_equal(faces[1], generator.faces_for_seeds([2])[0])  # batching changes nothing


def test_from_file_accepts_a_loaded_file(generator_path: Path) -> None:
    loaded = load_generator_file(generator_path)
    assert NumpyGenerator.from_file(loaded).model_id == loaded.model_id


def test_conv_forward_is_the_same_for_any_batch_split() -> None:
    forward = ConvForward(CONV_CONFIG, random_arrays(CONV_CONFIG))
    latents = np.random.default_rng(1).standard_normal((2 * CHUNK + 1, CONV_CONFIG.latent_dim)).astype(np.float32)
    whole = forward(latents)
    # Faces one at a time and in uneven pieces reuse the buffers of other batch sizes: nothing may
    # leak between them. BLAS sums a product of another row count in another order, hence 1e-4 (as against torch).
    one_at_a_time = np.concatenate([forward(latents[i : i + 1]) for i in range(len(latents))])
    np.testing.assert_allclose(one_at_a_time, whole, rtol=0, atol=1e-4)
    np.testing.assert_allclose(np.concatenate([forward(latents[:3]), forward(latents[3:])]), whole, rtol=0, atol=1e-4)
    np.testing.assert_array_equal(forward(latents), whole)  # the same batch again: the same bits


def test_conv_forward_from_many_threads_equals_one_thread() -> None:
    forward = ConvForward(CONV_CONFIG, random_arrays(CONV_CONFIG))
    batches = [np.random.default_rng(seed).standard_normal((1 + seed % 5, 16)).astype(np.float32) for seed in range(40)]
    expected = [forward(latents) for latents in batches]
    with ThreadPoolExecutor(8) as pool:
        actual = list(pool.map(forward, batches))
    for want, got in zip(expected, actual, strict=True):
        np.testing.assert_array_equal(got, want)


def test_conv_forwards_of_other_shapes_share_the_pass_buffers_without_mixing() -> None:
    area_before = PASS_BUFFERS.nbytes  # the area only grows: earlier tests' forwards may have grown it
    small = ConvForward(CONV_CONFIG, random_arrays(CONV_CONFIG))
    wide_config = GeneratorConfig(arch="conv", latent_dim=16, grid=20, hidden=(32, 16, 8), attention=10, channels=3)
    wide = ConvForward(wide_config, random_arrays(wide_config))
    latents = np.random.default_rng(2).standard_normal((CHUNK + 1, 16)).astype(np.float32)
    small_alone, wide_alone = small(latents), wide(latents)
    # Each writes the other's zero borders and leftovers; taking turns must not change a bit.
    for _ in range(2):
        np.testing.assert_array_equal(small(latents), small_alone)
        np.testing.assert_array_equal(wide(latents), wide_alone)
    assert PASS_BUFFERS.nbytes == max(area_before, small.pass_bytes, wide.pass_bytes)  # one area, not one each


def test_attention_changes_the_faces_and_keeps_old_ids() -> None:
    torch.manual_seed(0)
    config = GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8), attention=6)
    network = build_generator(config)
    _randomise_batch_norms(network)
    network.eval()
    latents = torch.randn(4, 16)
    with torch.no_grad():
        with_attention = network(latents)
        network.attention.gain.zero_()
        assert not torch.allclose(network(latents), with_attention)
    assert config.to_dict()["attention"] == 6
    assert "attention" not in CONV_CONFIG.to_dict()  # files from before attention hash as they did


@pytest.mark.parametrize(("side", "message"), [(5, "inner maps"), (12, "inner maps"), (3, "inner maps")])
def test_attention_must_follow_an_inner_map(side: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GeneratorConfig(arch="conv", latent_dim=16, grid=12, hidden=(24, 16, 8), attention=side)
