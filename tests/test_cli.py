"""The pixelgan command: train (dry run), generate, pixelate, and clear errors."""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.photo import pixelate_photo
from pixelgan.training.options import TrainOptions

from pixelgan.cli import build_parser, main
from pixelgan.commands.train import given
from tests.conftest import photo_bytes, write_generator


def test_dry_run_train_twice_gives_the_same_generator_and_faces(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    faces = []
    for run in ("a", "b"):
        command = ["train", "--recipe", "post", "--dry-run", "--out", str(tmp_path / run), "--sample-every", "0"]
        assert main(command) == 0
        weights = tmp_path / run / "generator.safetensors"
        face = tmp_path / f"{run}.png"
        assert main(["generate", "--weights", str(weights), "--seed", "42", "-o", str(face)]) == 0
        faces.append((load_generator_file(weights).model_id, face.read_bytes()))
    assert faces[0] == faces[1]  # the model id hashes every weight
    assert Image.open(tmp_path / "a.png").size == (320, 320)


def test_train_reads_the_grids_prepare_wrote_where_the_photos_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from pixelgan.training.fake_data import make_fake_photos

    photos = make_fake_photos(tmp_path / "photos", count=12)
    grids = tmp_path / "elsewhere" / "grids.npz"
    post = ["--recipe", "post", "--boxes", "16"]
    assert main(["prepare", "--data", str(photos), "--out", str(grids), *post, "--no-cache"]) == 0
    run = ["train", "--data", str(grids), "--out", str(tmp_path / "run"), *post, "--epochs", "1", "--sample-every", "0"]
    assert main(run) == 0
    assert "12 images from photos" in capsys.readouterr().err
    training = load_generator_file(tmp_path / "run" / "generator.safetensors").metadata["training"]
    assert (training["dataset"], training["images_used"]) == ("photos", 12)
    assert main([*run[:-4], "--boxes", "20", "--epochs", "1"]) == 2  # grids of another size
    assert "holds grids made with {'boxes': 16" in capsys.readouterr().err


def test_conv_dry_run_then_evaluate_writes_a_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from pixelgan.training.fake_data import make_fake_photos

    run = ["train", "--recipe", "conv", "--dry-run", "--out", str(tmp_path / "run"), "--arch", "conv", "--boxes", "16"]
    assert main([*run, "--hidden", "16,8,4", "--augment", "translation,flip", "--ema", "0.9"]) == 0
    photos = make_fake_photos(tmp_path / "photos", count=160)
    weights = tmp_path / "run" / "generator.safetensors"
    evaluate = ["evaluate", "--weights", str(weights), "--data", str(photos), "--n", "100"]
    assert main([*evaluate, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "eval")]) == 0
    report = json.loads((tmp_path / "eval" / "evaluation.json").read_text())
    assert report["setup"]["arch"] == "conv" and report["setup"]["samples"] == 100
    # A two-epoch generator is told from photos every time; two halves of the photos are not.
    assert report["generator"]["classifier"] >= 0.9
    assert 0.3 <= report["real floor"]["classifier"] <= 0.7
    assert report["morph"]["pairs"] == 50
    # 16 pairs = 32 grids of 16x16 in 8 columns and 4 rows, 1 px apart, drawn at 4x
    assert Image.open(tmp_path / "eval" / "nearest.png").size == ((8 * 17 + 1) * 4, (4 * 17 + 1) * 4)
    out = capsys.readouterr().out
    assert "| real floor |" in out
    assert "morph middle frames (t = 0.5, 50 seed pairs)" in out


def test_a_colour_generator_is_evaluated_against_colour_grids(tmp_path: Path) -> None:
    from pixelgan.training.fake_data import make_fake_photos

    run = ["train", "--recipe", "conv", "--dry-run", "--out", str(tmp_path / "run"), "--boxes", "16", "--color"]
    assert main([*run, "--hidden", "16,8,4"]) == 0
    photos = make_fake_photos(tmp_path / "photos", count=160)
    evaluate = ["evaluate", "--weights", str(tmp_path / "run"), "--data", str(photos), "--n", "100"]
    assert main([*evaluate, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "eval")]) == 0
    report = json.loads((tmp_path / "eval" / "evaluation.json").read_text())
    # The real grids are cut in colour too (grey ones would not even share the faces' shape).
    assert 0.3 <= report["real floor"]["classifier"] <= 0.7
    assert Image.open(tmp_path / "eval" / "nearest.png").mode == "RGB"


def test_generate_uses_pixelgan_weights(generator_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIXELGAN_WEIGHTS", str(generator_path))
    assert main(["generate", "--seed", "1", "--scale", "1", "-o", str(tmp_path / "face.png")]) == 0
    assert Image.open(tmp_path / "face.png").size == (12, 12)


def test_generate_defaults_to_the_shipped_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIXELGAN_WEIGHTS", raising=False)
    assert main(["generate", "--seed", "1", "--scale", "1", "-o", str(tmp_path / "face.png")]) == 0
    assert Image.open(tmp_path / "face.png").size == (40, 40)


@pytest.mark.parametrize("size", [(40, 40), (41, 55), (474, 474), (475, 300), (1000, 999)])
def test_pixelate_scale_one_is_exactly_boxes(tmp_path: Path, size: tuple[int, int]) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(photo_bytes(size))
    out = tmp_path / "out.png"
    assert main(["pixelate", str(source), "-o", str(out), "--scale", "1"]) == 0
    pixels = np.asarray(Image.open(out))
    assert pixels.shape == (40, 40)
    np.testing.assert_array_equal(pixels, np.rint(pixelate_photo(source, 40) * 255))


def test_pixelate_color_and_scale(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(photo_bytes((200, 160), fmt="JPEG"))
    out = tmp_path / "out.png"
    assert main(["pixelate", str(source), "-o", str(out), "--boxes", "10", "--scale", "3", "--color"]) == 0
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert (image.size, image.mode) == ((30, 30), "RGB")


def test_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "text.png").write_text("not an image")
    assert main(["pixelate", str(tmp_path / "text.png"), "-o", str(tmp_path / "o.png")]) == 2
    assert "pixelgan pixelate: error: the file is not an image" in capsys.readouterr().err
    assert main(["generate", "--weights", str(tmp_path / "absent"), "-o", str(tmp_path / "o.png")]) == 2
    assert "cannot read the generator file" in capsys.readouterr().err
    assert main(["train", "--out", str(tmp_path / "run"), "--data", str(tmp_path / "nothing")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_serve_refuses_a_bad_weights_file_and_leaves_the_environment_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"garbage")
    before = dict(os.environ)
    assert main(["serve", "--weights", str(bad), "--port", "1"]) == 2
    assert f"{bad}: too short" in capsys.readouterr().err
    assert dict(os.environ) == before


def test_seed_out_of_range_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--seed", str(2**32), "-o", str(tmp_path / "face.png")])
    assert exit_info.value.code == 2
    assert "seed must be between 0 and 4294967295" in capsys.readouterr().err
    assert not (tmp_path / "face.png").exists()


def test_weights_may_be_a_run_folder(generator_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "face.png"
    assert main(["generate", "--weights", str(generator_path.parent), "--seed", "1", "-o", str(out)]) == 0
    assert out.exists()
    empty = tmp_path / "empty-run"
    empty.mkdir()
    assert main(["generate", "--weights", str(empty), "-o", str(out)]) == 2
    assert f"{empty} is a folder without a generator.safetensors in it" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["train", "--dry-run", "--out", "run"], ["select", "run", "--data", "photos"]])
def test_training_commands_without_the_train_extra_say_which_extra(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    for name in [
        name
        for name in sys.modules
        if name.startswith(("pixelgan.training", "pixelgan.model.networks", "pixelgan.model.conv_"))
    ]:
        monkeypatch.delitem(sys.modules, name)  # imported afresh, they meet the missing packages
    for package in ("torch", "dlib", "cv2"):
        monkeypatch.setitem(sys.modules, package, None)  # `import torch` now raises ModuleNotFoundError
    assert main(command) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("pip install 'pixelgan[train]'")
    assert len(err.splitlines()) == 1


def test_select_ranks_snapshots_and_copies_the_best(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from pixelgan.training import select
    from pixelgan.training.fake_data import make_fake_photos

    snapshots = tmp_path / "run" / "snapshots"
    snapshots.mkdir(parents=True)
    for index in range(3):
        write_generator(snapshots / f"epoch-{index:04d}.safetensors", seed=index)
    # The real grids (whose bar none reaches: the 2% rule decides), then the three snapshots.
    rates = iter([{"dlib": 1.0}, {"haar": 0.9, "dlib": 0.5}, {"haar": 0.8, "dlib": 0.7}, {"haar": 1.0, "dlib": 0.7}])
    monkeypatch.setattr(select, "faceness", lambda faces: next(rates))
    photos = make_fake_photos(tmp_path / "photos", count=40)
    command = ["select", str(tmp_path / "run"), "--data", str(photos), "--cache-dir", str(tmp_path / "cache")]
    assert main([*command, "--copy-to", str(tmp_path / "best.safetensors")]) == 0
    out = capsys.readouterr().out
    assert "real grids: strict faceness 1.000; in the running from 0.950" in out
    best = out.split("best: ")[1].split()[0]
    assert best in {str(snapshots / "epoch-0001.safetensors"), str(snapshots / "epoch-0002.safetensors")}
    assert "| epoch-0000.safetensors | 0.500 | 0.900 | |" in out  # below the faceness cut: no realism
    assert (tmp_path / "best.safetensors").read_bytes() == Path(best).read_bytes()


def test_select_ranks_the_means_of_consecutive_snapshots_with_the_snapshots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from pixelgan.training import select
    from pixelgan.training.fake_data import make_fake_photos

    run = tmp_path / "run"
    for index in range(3):
        write_generator(run / "snapshots" / f"epoch-{index:04d}.safetensors", seed=index)
    # The real grids, the three snapshots, then the two means: only the second mean reaches the bar.
    strict = [1.0, 0.5, 0.6, 0.7, 0.8, 0.96]
    rates = iter({"haar": 1.0, "dlib": rate} for rate in strict)
    monkeypatch.setattr(select, "faceness", lambda faces: next(rates))
    photos = make_fake_photos(tmp_path / "photos", count=40)
    command = ["select", str(run), "--data", str(photos), "--cache-dir", str(tmp_path / "cache"), "--mean-of", "2"]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert f"best: {run / 'means' / 'mean-0001-0002.safetensors'}" in out
    assert "| mean-0000-0001.safetensors | 0.800 | 1.000 | |" in out


def test_every_setting_has_a_flag_that_reaches_its_dataclass() -> None:
    parser = build_parser()
    train_parser = parser._subparsers._group_actions[0].choices["train"]
    flags = {action.dest for action in train_parser._actions}
    assert {field.name for field in fields(TrainOptions) + fields(GeneratorConfig)} <= flags
    typed = ["--epochs", "7", "--boxes", "24", "--arch", "conv", "--ema", "0.9", "--augment", "flip,cutout"]
    args = parser.parse_args(["train", "--out", "run", *typed, "--d-channels", "8,16", "--minibatch-std"])
    options = TrainOptions(epochs=7, ema=0.9, augment=("flip", "cutout"), d_channels=(8, 16), minibatch_std=True)
    assert TrainOptions(**given(args, TrainOptions)) == options  # untyped flags keep the dataclass defaults
    assert GeneratorConfig(**given(args, GeneratorConfig)) == GeneratorConfig(arch="conv", grid=24)
