"""Several models in one service: the weights setting, GET /models, `model=` on every image route,
and `pixelgan models` / `generate --model` on the command line."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.shipped import DEFAULT_MODEL, resolve_weights_list, shipped_generator_paths

from pixelgan.cli import main
from tests.conftest import SMALL_CONFIG, write_generator

COLOR_CONFIG = GeneratorConfig(arch="conv", latent_dim=8, grid=8, hidden=(8, 4), channels=3)


@pytest.fixture
def run_folders(tmp_path: Path) -> list[Path]:
    """Three run folders: grey 'first' (the default), grey 'second', colour 'colour'."""
    folders = []
    for name, config, seed in (("first", SMALL_CONFIG, 0), ("second", SMALL_CONFIG, 1), ("colour", COLOR_CONFIG, 2)):
        (tmp_path / name).mkdir()
        write_generator(tmp_path / name / "generator.safetensors", config, seed)
        folders.append(tmp_path / name)
    return folders


@pytest.fixture
def client(run_folders: list[Path]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(weights=",".join(map(str, run_folders))))) as client:
        yield client


def model_id(folder: Path) -> str:
    return load_generator_file(folder / "generator.safetensors").model_id


def test_models_lists_every_model_default_first(client: TestClient, run_folders: list[Path]) -> None:
    body = client.get("/models").json()
    assert body["default"] == "first"
    assert [entry["name"] for entry in body["models"]] == ["first", "second", "colour"]
    assert [entry["model_id"] for entry in body["models"]] == [model_id(folder) for folder in run_folders]
    assert [entry["color"] for entry in body["models"]] == [False, False, True]
    assert [entry["grid"] for entry in body["models"]] == [12, 12, 8]
    assert body["models"][0]["architecture"]["arch"] == "mlp"
    assert body["models"][0]["training"]["dataset"] == "test"


def test_model_describes_the_default(client: TestClient, run_folders: list[Path]) -> None:
    assert client.get("/model").json()["model_id"] == model_id(run_folders[0])


@pytest.mark.parametrize("key", ["second", "id"])
def test_generate_draws_with_the_named_model(client: TestClient, run_folders: list[Path], key: str) -> None:
    chosen = model_id(run_folders[1]) if key == "id" else key
    default = client.get("/generate", params={"seed": 5})
    other = client.get("/generate", params={"seed": 5, "model": chosen})
    assert other.status_code == 200
    assert other.content != default.content
    assert model_id(run_folders[1]) in other.headers["etag"]
    assert model_id(run_folders[0]) in default.headers["etag"]


def test_colour_model_gives_rgb_faces(client: TestClient) -> None:
    response = client.get("/generate", params={"seed": 3, "model": "colour", "scale": 1})
    image = Image.open(io.BytesIO(response.content))
    assert image.mode == "RGB"
    assert image.size == (8, 8)
    pixels = np.asarray(image).astype(int)
    assert np.abs(pixels[..., 0] - pixels[..., 1]).max() > 0  # not grey in three channels


@pytest.mark.parametrize(
    ("path", "params"),
    [("/generate", {"seed": 1}), ("/grid", {"seed": 1, "n": 2}), ("/morph", {"from": 1, "to": 2, "frames": 4})],
)
def test_unknown_model_is_422_naming_the_models(client: TestClient, path: str, params: dict) -> None:
    response = client.get(path, params={**params, "model": "nope"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "unknown_model",
        "detail": "model must be one of first, second, colour (a name or a model id), got 'nope'",
    }


@pytest.mark.parametrize(
    ("path", "params"), [("/grid", {"seed": 1, "n": 2}), ("/morph", {"from": 1, "to": 2, "frames": 4})]
)
def test_grid_and_morph_take_the_model(client: TestClient, run_folders: list[Path], path: str, params: dict) -> None:
    default = client.get(path, params=params)
    other = client.get(path, params={**params, "model": "second"})
    assert other.status_code == 200
    assert other.content != default.content
    assert model_id(run_folders[1]) in other.headers["etag"]


def test_weights_split_on_commas_and_the_path_separator(run_folders: list[Path]) -> None:
    first, second, colour = map(str, run_folders)
    files = [folder / "generator.safetensors" for folder in run_folders]
    assert resolve_weights_list(f"{first},{second}{os.pathsep}{colour}") == files
    assert resolve_weights_list(f" {first} , ") == files[:1]


def test_default_weights_are_every_shipped_generator_default_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIXELGAN_WEIGHTS", "/nowhere")  # read by app.settings alone, not here
    paths = resolve_weights_list(None)
    assert paths == shipped_generator_paths()
    assert paths[0].parent.name == DEFAULT_MODEL
    assert {"celebrity-conv", "celebrity-mlp"} <= {path.parent.name for path in paths}


def test_two_models_with_one_name_are_refused(run_folders: list[Path]) -> None:
    with (
        pytest.raises(GeneratorFileError, match="are both named 'first'"),
        TestClient(create_app(Settings(weights=f"{run_folders[0]},{run_folders[0]}"))),
    ):
        pass


def test_cli_models_lists_what_the_service_lists(
    client: TestClient, run_folders: list[Path], capsys: pytest.CaptureFixture
) -> None:
    assert main(["models", "--weights", ",".join(map(str, run_folders))]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed == client.get("/models").json()["models"]


def test_cli_generate_model_writes_the_service_bytes(
    client: TestClient, run_folders: list[Path], tmp_path: Path
) -> None:
    weights = ",".join(map(str, run_folders))
    face = tmp_path / "face.png"
    assert main(["generate", "--weights", weights, "--model", "colour", "--seed", "4", "-o", str(face)]) == 0
    assert face.read_bytes() == client.get("/generate", params={"seed": 4, "model": "colour"}).content


def test_cli_unknown_model_is_one_line(run_folders: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    arguments = ["generate", "--weights", str(run_folders[0]), "--model", "x", "-o", str(tmp_path / "f.png")]
    assert main(arguments) == 2
    assert (
        capsys.readouterr().err
        == "pixelgan generate: error: model must be one of first (a name or a model id), got 'x'\n"
    )
