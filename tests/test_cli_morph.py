"""pixelgan morph, and --levels, --dither and --crop on generate and pixelate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import quantize

from pixelgan.cli import main
from tests.conftest import photo_bytes


def test_generate_with_levels_and_dither_writes_the_quantised_face(tmp_path: Path, generator_path: Path) -> None:
    out = tmp_path / "face.png"
    command = ["generate", "--weights", str(generator_path), "--seed", "5", "--scale", "2", "-o", str(out)]
    assert main([*command, "--levels", "4", "--dither", "bayer2"]) == 0
    face = NumpyGenerator.from_file(str(generator_path)).faces_for_seeds([5])[0]
    assert out.read_bytes() == encode_png(quantize(face, 4, "bayer2"), 2)


def test_pixelate_with_levels_keeps_only_those_greys(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_bytes((200, 160)))
    out = tmp_path / "pixels.png"
    assert main(["pixelate", str(photo), "-o", str(out), "--scale", "1", "--levels", "2", "--dither", "floyd"]) == 0
    assert set(np.unique(np.asarray(Image.open(out).convert("L")))) == {0, 255}


def test_pixelate_face_crop_without_a_face_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr("pixelgan.model.images.detect_face", lambda image: None)
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_bytes((200, 160)))
    assert main(["pixelate", str(photo), "-o", str(tmp_path / "out.png"), "--crop", "face"]) == 2
    assert "no face was found in the image" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["gif", "webp", "png"])
def test_morph_writes_a_loop_in_the_format_of_its_name(tmp_path: Path, generator_path: Path, suffix: str) -> None:
    out = tmp_path / f"walk.{suffix}"
    command = ["morph", "3", "7", "-o", str(out), "--weights", str(generator_path), "--frames", "6", "--ms", "40"]
    assert main([*command, "--scale", "2", "--levels", "8"]) == 0
    image = Image.open(out)
    assert (image.n_frames, image.size) == (6, (24, 24))
    image.seek(1)
    image.load()  # WebP reads a frame's duration when it decodes the frame
    assert image.info["duration"] == 40


def test_morph_refuses_an_unknown_suffix(tmp_path: Path, generator_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["morph", "1", "2", "-o", str(tmp_path / "walk.mp4"), "--weights", str(generator_path)])
    assert exit_info.value.code == 2
    assert "the output must end in .gif, .webp or .png (APNG), got 'walk.mp4'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--frames", "121"], "argument --frames: must be an integer from 2 to 120"),
        (["--ms", "5"], "argument --ms: must be an integer from 20 to 2000"),
        (["--levels", "1"], "argument --levels: must be an integer from 2 to 256"),
        (["--dither", "bayer3"], "argument --dither: invalid choice"),
    ],
)
def test_morph_flags_out_of_range_name_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture, flags: list[str], words: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["morph", "1", "2", "-o", str(tmp_path / "walk.gif"), *flags])
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err
