"""Training: a short run writes a loadable generator; same seed -> same weights; resume."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.inference import NumpyGenerator
from pixelgan.training.data import load_dataset
from pixelgan.training.fake_data import make_fake_photos
from pixelgan.training.loop import train
from pixelgan.training.options import TrainOptions

CONFIG = GeneratorConfig(latent_dim=16, grid=20, hidden=(32, 64))


@pytest.fixture(scope="module")
def grids(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    root = make_fake_photos(tmp_path_factory.mktemp("photos"), count=20)
    return load_dataset(root, boxes=20, cache_dir=None).grids


def run(grids: np.ndarray, run_dir: Path, epochs: int = 3, **options) -> Path:
    defaults = {"batch_size": 8, "sample_every": 2, "checkpoint_every": 2, "device": "cpu"}
    return train(
        grids,
        CONFIG,
        TrainOptions(epochs=epochs, **(defaults | options)),
        run_dir=run_dir,
        summary={"dataset": "fake", "images_used": len(grids)},
        show_progress=False,
    )


def test_short_run_writes_everything(grids: np.ndarray, tmp_path: Path) -> None:
    path = run(grids, tmp_path / "run", flip=True)
    loaded = load_generator_file(path)
    assert loaded.config == CONFIG
    assert loaded.metadata["training"]["epochs"] == 3
    assert loaded.metadata["training"]["images_used"] == 20
    assert NumpyGenerator.from_file(loaded).faces_for_seeds([0]).shape == (1, 20, 20)
    rows = list(csv.DictReader((tmp_path / "run" / "losses.csv").open()))
    assert [row["epoch"] for row in rows] == ["1", "2", "3"]
    assert all(np.isfinite(float(row["loss_d"])) for row in rows)
    assert sorted(p.name for p in (tmp_path / "run" / "samples").iterdir()) == ["epoch-0002.png", "epoch-0003.png"]


def test_same_seed_same_weights(grids: np.ndarray, tmp_path: Path) -> None:
    first = load_generator_file(run(grids, tmp_path / "a")).model_id
    second = load_generator_file(run(grids, tmp_path / "b")).model_id
    other = load_generator_file(run(grids, tmp_path / "c", seed=1)).model_id
    assert first == second
    assert first != other


def test_resume_continues_to_the_same_weights(grids: np.ndarray, tmp_path: Path) -> None:
    straight = load_generator_file(run(grids, tmp_path / "straight", epochs=4)).model_id
    run(grids, tmp_path / "resumed", epochs=2)
    resumed = train(
        grids,
        CONFIG,
        TrainOptions(epochs=4, batch_size=8, sample_every=2, checkpoint_every=2, device="cpu"),
        run_dir=tmp_path / "resumed",
        summary={"dataset": "fake", "images_used": len(grids)},
        resume=True,
        show_progress=False,
    )
    assert load_generator_file(resumed).model_id == straight
    assert len((tmp_path / "resumed" / "losses.csv").read_text().splitlines()) == 5


def test_lr_decay_falls_linearly_over_the_last_epochs() -> None:
    options = TrainOptions(epochs=10, lr=1e-3, lr_decay=4)
    rates = [options.lr_at(epoch) for epoch in range(1, 11)]
    assert rates[:6] == [1e-3] * 6
    assert rates[6:] == pytest.approx([0.8e-3, 0.6e-3, 0.4e-3, 0.2e-3])
    assert TrainOptions(epochs=10).lr_at(10) == TrainOptions().lr
    shorter = TrainOptions(epochs=3, lr=1e-3, lr_decay=60)  # decays over all of its epochs
    assert [shorter.lr_at(epoch) for epoch in (1, 2, 3)] == pytest.approx([0.75e-3, 0.5e-3, 0.25e-3])


def test_a_decay_added_at_resume_gives_the_straight_runs_weights(grids: np.ndarray, tmp_path: Path) -> None:
    # How the shipped face generator was made: a run at a constant rate, resumed with a
    # longer schedule whose decay starts where the first run stopped.
    straight = load_generator_file(run(grids, tmp_path / "straight", epochs=4, lr_decay=2))
    constant = load_generator_file(run(grids, tmp_path / "constant", epochs=4)).model_id
    run(grids, tmp_path / "resumed", epochs=2)
    resumed = train(
        grids,
        CONFIG,
        TrainOptions(epochs=4, lr_decay=2, batch_size=8, sample_every=2, checkpoint_every=2, device="cpu"),
        run_dir=tmp_path / "resumed",
        summary={"dataset": "fake", "images_used": len(grids)},
        resume=True,
        show_progress=False,
    )
    assert load_generator_file(resumed).model_id == straight.model_id
    assert straight.model_id != constant
    assert straight.metadata["training"]["options"]["lr_decay"] == 2


def test_grid_mismatch_is_refused(grids: np.ndarray, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="generator makes 40x40"):
        train(grids, GeneratorConfig(), TrainOptions(epochs=1), run_dir=tmp_path, summary={}, show_progress=False)


CONV_CONFIG = GeneratorConfig(arch="conv", latent_dim=16, grid=20, hidden=(16, 8, 4))
CONV_OPTIONS = {"augment": ("translation", "brightness", "contrast", "flip", "cutout"), "ema": 0.9}


@pytest.mark.parametrize("loss", ["ns", "hinge"])
def test_conv_run_with_augment_and_ema_exports_what_numpy_runs(grids: np.ndarray, tmp_path: Path, loss: str) -> None:
    options = TrainOptions(epochs=2, batch_size=8, device="cpu", loss=loss, **CONV_OPTIONS)
    path = train(grids, CONV_CONFIG, options, run_dir=tmp_path, summary={}, show_progress=False)
    loaded = load_generator_file(path)
    assert loaded.config == CONV_CONFIG
    assert loaded.metadata["training"]["options"]["augment"] == list(CONV_OPTIONS["augment"])
    faces = NumpyGenerator.from_file(loaded).faces_for_seeds(range(8))
    assert faces.shape == (8, 20, 20)
    assert len({face.tobytes() for face in faces}) == 8


STRONGER = {"d_channels": (8, 16), "minibatch_std": True, "r1": 0.1, "r1_every": 2, "flip": True}
# Each with its own state to carry over a resume (the EMA copy in all of them): none beyond
# it, LeCam's averages, ADA's probability.
REGULARISED = [
    {},
    {"d_norm": "none", "d_residual": True},
    {"lecam": 0.1},
    {"ada_target": 0.6},
]


@pytest.mark.parametrize("extra", REGULARISED)
def test_stronger_recipe_runs_resumes_and_keeps_snapshots(grids: np.ndarray, tmp_path: Path, extra: dict) -> None:
    recipe = CONV_OPTIONS | STRONGER | extra

    def conv_run(run_dir: Path, epochs: int, resume: bool = False) -> Path:
        options = TrainOptions(epochs=epochs, batch_size=8, checkpoint_every=2, device="cpu", **recipe)
        return train(grids, CONV_CONFIG, options, run_dir=run_dir, summary={}, resume=resume, show_progress=False)

    straight = load_generator_file(conv_run(tmp_path / "straight", 4))
    conv_run(tmp_path / "resumed", 2)
    assert load_generator_file(conv_run(tmp_path / "resumed", 4, resume=True)).model_id == straight.model_id
    snapshots = sorted(path.name for path in (tmp_path / "straight" / "snapshots").iterdir())
    assert snapshots == ["epoch-0002.safetensors", "epoch-0004.safetensors"]
    assert straight.metadata["training"]["options"]["d_channels"] == [8, 16]


def test_export_records_the_crop(grids: np.ndarray, tmp_path: Path) -> None:
    options = TrainOptions(epochs=1, batch_size=8, device="cpu", crop="face")
    path = train(grids, CONFIG, options, run_dir=tmp_path, summary={}, show_progress=False)
    crop = load_generator_file(path).metadata["preprocessing"]["crop"]
    assert crop["kind"] == "face"
    assert crop["margin"] == 1.5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"loss": "wasserstein"}, "loss must be one of"),
        ({"augment": ("rotate",)}, "unknown augmentations"),
        ({"ema": 1.0}, "ema must be in"),
        ({"crop": "eyes"}, "crop must be one of"),
        ({"r1": -1.0}, "r1 must be"),
        ({"d_channels": (8, 0)}, "d_channels positive"),
        ({"d_norm": "batch"}, "d_norm must be one of"),
        ({"lecam": -0.1}, "lecam must be >= 0"),
        ({"ada_target": 1.0}, r"ada_target in \[0, 1\)"),
        ({"lr_decay": -1}, "lr_decay must be >= 0"),
    ],
)
def test_bad_options_are_refused(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TrainOptions(**options)


@pytest.mark.parametrize(
    ("config", "options", "field"),
    [
        (GeneratorConfig(latent_dim=16, grid=20, hidden=(32, 48)), {}, "architecture 'hidden'"),
        (CONFIG, {"crop": "face"}, "option 'crop'"),
        (CONFIG, {"ema": 0.9}, "'ema' was off"),
        (CONFIG, {"d_norm": "none"}, "'d_norm' is 'spectral', this run asks for 'none'"),
    ],
)
def test_resume_with_another_architecture_or_discriminator_names_the_field(
    grids: np.ndarray, tmp_path: Path, config: GeneratorConfig, options: dict, field: str
) -> None:
    run(grids, tmp_path, epochs=2)
    changed = TrainOptions(epochs=4, batch_size=8, device="cpu", **options)
    with pytest.raises(ConfigError, match=field):
        train(grids, config, changed, run_dir=tmp_path, summary={}, resume=True, show_progress=False)


def test_colour_run_trains_on_rgb_grids_and_exports_rgb_faces(tmp_path: Path) -> None:
    photos = make_fake_photos(tmp_path / "photos", count=20)
    colour = load_dataset(photos, boxes=20, color=True, cache_dir=tmp_path / "cache")
    assert colour.grids.shape == (20, 20, 20, 3)
    assert load_dataset(photos, boxes=20, color=True, cache_dir=tmp_path / "cache").from_cache
    assert load_dataset(photos, boxes=20, cache_dir=tmp_path / "cache").grids.shape == (20, 20, 20)
    config = GeneratorConfig(arch="conv", latent_dim=16, grid=20, hidden=(16, 8, 4), channels=3)
    options = TrainOptions(epochs=2, batch_size=8, device="cpu", **CONV_OPTIONS)
    path = train(colour.grids, config, options, run_dir=tmp_path / "run", summary={}, show_progress=False)
    loaded = load_generator_file(path)
    assert loaded.config.channels == 3
    assert loaded.metadata["preprocessing"]["grayscale"] is False
    faces = NumpyGenerator.from_file(loaded).faces_for_seeds(range(4))
    assert faces.shape == (4, 20, 20, 3)
    with pytest.raises(ValueError, match=r"grids are \(20, 20\), but the generator makes 20x20x3"):
        train(load_dataset(photos, boxes=20, cache_dir=None).grids, config, options, run_dir=tmp_path, summary={})
