"""User errors: what a person should see is a UserError (one line from the CLI, a 4xx from the
service); a bug keeps its traceback; no input is guarded by an `assert`, which `python -O` drops."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from pixelgan.app.errors import USER_ERRORS
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model import render
from pixelgan.model.errors import ConfigError, DataError, MissingPackageError, UserError
from pixelgan.training import faceness
from pixelgan.training.ema import GeneratorEMA
from pixelgan.training.evaluate import evaluate
from pixelgan.training.features import Pca

from pixelgan.cli import main
from tests.conftest import photo_bytes

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FOLDERS = ("app", "model", "training", "pixelgan")


def test_package_code_has_no_assert() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for folder in PACKAGE_FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Assert)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda: GeneratorEMA(torch.nn.Linear(2, 2), decay=1.0),
            ConfigError,
            r"EMA decay must be in \(0, 1\), got 1.0",
        ),
        (lambda: Pca.fit(np.zeros((10, 4, 4)), dims=64), DataError, r"PCA-64 needs at least 64 images"),
        (
            lambda: evaluate(np.zeros((8, 4, 4)), np.zeros((100, 4, 4))),
            DataError,
            "needs at least 128 real images, got 100",
        ),
    ],
    ids=["ema decay", "pca size", "evaluate size"],
)
def test_guards_raise_user_errors(make, error: type[UserError], words: str) -> None:
    with pytest.raises(error, match=words):
        make()


def test_faceness_without_the_cascade_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    class EmptyCascade:
        def __init__(self, path: str) -> None: ...

        def empty(self) -> bool:
            return True

    monkeypatch.setattr(faceness.cv2, "CascadeClassifier", EmptyCascade)
    with pytest.raises(MissingPackageError, match=r"pip install 'opencv-python-headless<5'"):
        faceness.faceness(np.zeros((1, 40, 40), np.uint8))


def test_cli_prints_a_user_error_in_one_line_and_a_bug_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_bytes())
    command = ["pixelate", str(photo), "-o", str(tmp_path / "out.png")]

    def refuse(*args: object, **kwargs: object) -> None:
        raise DataError("these photos will not do")

    monkeypatch.setattr(render, "pixelate_photo", refuse)
    assert main(command) == 2
    assert capsys.readouterr().err == "pixelgan pixelate: error: these photos will not do\n"

    def bug(*args: object, **kwargs: object) -> None:
        raise ValueError("an index went wrong")

    monkeypatch.setattr(render, "pixelate_photo", bug)
    with pytest.raises(ValueError, match="an index went wrong"):
        main(command)


def test_cli_says_when_it_cannot_write_the_output(generator_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "missing-folder" / "face.png"
    assert main(["generate", "--weights", str(generator_path), "--seed", "1", "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"pixelgan generate: error: cannot write {out} (No such file or directory)\n"


@pytest.mark.parametrize(("kind", "status", "code"), USER_ERRORS, ids=lambda value: getattr(value, "__name__", value))
def test_service_maps_each_user_error_to_its_status_and_code(
    generator_path: Path, monkeypatch: pytest.MonkeyPatch, kind: type[UserError], status: int, code: str
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise kind("the sentence for the user")

    monkeypatch.setattr(render, "pixelate_photo", refuse)
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        response = client.post("/pixelate", files={"file": ("photo.png", photo_bytes())})
    assert (response.status_code, response.json()) == (status, {"code": code, "detail": "the sentence for the user"})


def test_service_answers_a_bug_with_500_not_a_user_error(generator_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ValueError("an index went wrong")

    monkeypatch.setattr(render, "pixelate_photo", bug)
    with TestClient(create_app(Settings(weights=generator_path)), raise_server_exceptions=False) as client:
        response = client.post("/pixelate", files={"file": ("photo.png", photo_bytes())})
    assert response.status_code == 500
