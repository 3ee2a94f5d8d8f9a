"""The architecture registry: one record per arch, the torch table beside it, one error for unknown names."""

from __future__ import annotations

import pytest
from pixelgan.model.architectures import ARCHITECTURES, architecture, parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.networks import TORCH_ARCHITECTURES, build_generator, generator_arrays, torch_architecture

from pixelgan.cli import main
from tests.conftest import random_arrays


def test_torch_table_has_an_entry_for_every_record() -> None:
    assert set(TORCH_ARCHITECTURES) == set(ARCHITECTURES)
    assert all(name == record.name for name, record in ARCHITECTURES.items())


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_default_config_builds_and_runs_on_both_sides(name: str) -> None:
    config = GeneratorConfig(arch=name)
    assert config.hidden == architecture(name).default_hidden
    arrays = generator_arrays(build_generator(config))
    assert {key: array.shape for key, array in arrays.items()} == parameter_shapes(config)
    faces = NumpyGenerator(config, random_arrays(config)).faces_for_seeds([0, 1])
    assert faces.shape == (2, config.grid, config.grid)


@pytest.mark.parametrize(
    "lookup",
    [lambda: GeneratorConfig(arch="transformer"), lambda: architecture("transformer"), lambda: torch_architecture("x")],
    ids=["config", "registry", "torch table"],
)
def test_unknown_architecture_names_the_known_ones(lookup) -> None:
    with pytest.raises(ConfigError, match=r"unknown architecture '\w+'; known: mlp, conv"):
        lookup()


def test_mlp_refuses_a_conv_only_setting() -> None:
    with pytest.raises(ConfigError, match="attention is a conv generator setting"):
        GeneratorConfig(arch="mlp", attention=20)


def test_conv_needs_a_width_and_a_grid_its_widths_reach() -> None:
    with pytest.raises(ConfigError, match="at least one width"):
        GeneratorConfig(arch="conv", hidden=())
    with pytest.raises(ConfigError, match="grid must be a multiple of it; got grid 30"):
        GeneratorConfig(arch="conv", grid=30)


def test_cli_offers_exactly_the_registered_architectures(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--dry-run", "--out", "run", "--arch", "transformer"])
    known = ", ".join(f"'{name}'" for name in ARCHITECTURES)
    assert f"invalid choice: 'transformer' (choose from {known})" in capsys.readouterr().err
