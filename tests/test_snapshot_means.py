"""Means of consecutive snapshots: the weights' mean, one file per window, ranked by select."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from pixelgan.model.generator_file import load_generator_file
from pixelgan.training.snapshot_means import mean_of_snapshots, write_snapshot_means
from pixelgan.training.snapshot_names import run_snapshots

from tests.conftest import SMALL_CONFIG, write_generator


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    for epoch in (10, 20, 30):
        write_generator(tmp_path / "snapshots" / f"epoch-{epoch:04d}.safetensors", seed=epoch)
    return tmp_path


def test_a_mean_holds_the_mean_of_every_array_and_the_epochs_it_averages(run_dir: Path) -> None:
    files = [load_generator_file(path) for path in run_snapshots(run_dir)]
    model_id = mean_of_snapshots(files, run_dir / "mean.safetensors")
    mean = load_generator_file(run_dir / "mean.safetensors")
    assert mean.model_id == model_id
    assert mean.config == files[-1].config
    for name, array in mean.arrays.items():
        np.testing.assert_allclose(array, np.mean([file.arrays[name] for file in files], axis=0), rtol=1e-6, atol=1e-7)
    assert mean.metadata["training"]["mean_of_epochs"] == [10, 20, 30]
    assert mean.metadata["training"]["dataset"] == "test"


def test_every_window_of_consecutive_snapshots_gets_one_mean(run_dir: Path) -> None:
    written = write_snapshot_means(run_dir, width=2)
    assert [path.name for path in written] == ["mean-0010-0020.safetensors", "mean-0020-0030.safetensors"]
    assert all(path.parent == run_dir / "means" for path in written)
    assert load_generator_file(written[1]).metadata["training"]["mean_of_epochs"] == [20, 30]


@pytest.mark.parametrize("width", [1, 4])
def test_no_mean_for_a_width_of_one_or_more_than_the_snapshots(run_dir: Path, width: int) -> None:
    assert write_snapshot_means(run_dir, width=width) == []
    assert not (run_dir / "means").exists()


def test_snapshots_of_different_architectures_are_not_averaged(tmp_path: Path) -> None:
    other = replace(SMALL_CONFIG, latent_dim=SMALL_CONFIG.latent_dim + 1)
    files = [
        load_generator_file(write_generator(tmp_path / "epoch-0001.safetensors")),
        load_generator_file(write_generator(tmp_path / "epoch-0002.safetensors", config=other)),
    ]
    with pytest.raises(ValueError, match="different architectures"):
        mean_of_snapshots(files, tmp_path / "mean.safetensors")
    assert not (tmp_path / "mean.safetensors").exists()
