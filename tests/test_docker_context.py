"""The Docker build context holds the model and the package, whichever builder reads `.dockerignore`.

The context is computed by docker-py's matcher (`docker.utils.build.exclude_paths`), the one
docker-compose v1 uses and a port of the classic builder's: it skips a folder that a pattern
excluded unless a `!` line starts with that folder's literal path, which is how
`!weights/*/generator.safetensors` once gave an image with no generator. No Docker engine is
needed. What must be in it is read from the tree and from pyproject.toml, not listed here, so
a new model folder or module is checked the day it is added.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from docker.utils.build import PatternMatcher, exclude_paths
from pixelgan.model.shipped import GENERATOR_FILE_NAME, SHIPPED_GENERATOR

ROOT = Path(__file__).resolve().parent.parent
CHECK_WEIGHTS = ROOT / "deploy" / "check_weights.py"


def dockerignore_patterns(root: Path = ROOT) -> list[str]:
    """The patterns as docker-py's `build` reads them: stripped lines, no blanks or comments."""
    lines = (line.strip() for line in (root / ".dockerignore").read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def build_context(root: Path = ROOT) -> set[str]:
    """Relative paths (files and folders) that `docker build root` would send."""
    return exclude_paths(str(root), dockerignore_patterns(root), dockerfile="Dockerfile")


def package_files() -> list[str]:
    """Every file `pip install .` reads into the package: each package's modules and its package data."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = project["tool"]["setuptools"]
    folders = setuptools["package-dir"]

    def folder_of(package: str) -> str:
        parent = max((name for name in folders if package == name or package.startswith(name + ".")), default=None)
        if parent is None:
            return package.replace(".", "/")
        return folders[parent] + package[len(parent) :].replace(".", "/")

    files = [
        path.relative_to(ROOT).as_posix()
        for package in setuptools["packages"]
        for path in (ROOT / folder_of(package)).glob("*.py")
    ]
    for package, patterns in setuptools["package-data"].items():
        for pattern in patterns:
            files += [path.relative_to(ROOT).as_posix() for path in (ROOT / folder_of(package)).glob(pattern)]
    return sorted([*files, "pyproject.toml", project["project"]["readme"]])


def served_generator_files() -> list[str]:
    return sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "weights").glob(f"*/{GENERATOR_FILE_NAME}"))


def test_context_has_every_served_generator_file() -> None:
    served = served_generator_files()
    assert f"weights/{SHIPPED_GENERATOR}" in served
    assert set(served) - build_context() == set()


def test_context_has_every_package_module_and_data_file() -> None:
    wanted = package_files()
    # The sets the package is made of, present so that their absence below would mean something.
    assert {"app/main.py", "model/generator_file.py", "training/__init__.py", "pixelgan/cli.py"} <= set(wanted)
    assert any(name.startswith("app/static/") for name in wanted)
    assert "app/templates/page.html" in wanted
    assert set(wanted) - build_context() == set()


def test_context_has_what_the_dockerfile_runs() -> None:
    assert "deploy/check_weights.py" in (ROOT / "Dockerfile").read_text()
    assert "deploy/check_weights.py" in build_context()


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".venv/bin/python",
        "data/celebrity-faces/0001.jpg",
        "runs/celebrity/checkpoint.pt",
        "runs/celebrity/generator.safetensors",
        "tests/test_app_faces.py",
        "benchmarks/scale.py",
        "weights/celebrity-face/checkpoint.pt",
        "weights/celebrity-face/samples/epoch-0100.png",
        "weights/celebrity-face/snapshots/epoch-0100.safetensors",
        "weights/celebrity-face/losses.csv",
        "app/__pycache__/main.cpython-311.pyc",
    ],
)
def test_context_leaves_out(path: str) -> None:
    assert PatternMatcher(dockerignore_patterns()).matches(path)


def test_a_model_folder_added_later_is_in_the_context(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".dockerignore", tmp_path)
    (tmp_path / "Dockerfile").touch()
    for name in ("generator.safetensors", "losses.csv", "samples/epoch-0010.png", "checkpoint.pt"):
        path = tmp_path / "weights" / "celebrity-color" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    context = build_context(tmp_path)
    assert "weights/celebrity-color/generator.safetensors" in context
    assert not {"weights/celebrity-color/losses.csv", "weights/celebrity-color/checkpoint.pt"} & context


def run_check_weights(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK_WEIGHTS), *arguments], capture_output=True, text=True, timeout=120)


def test_check_weights_passes_the_shipped_weights() -> None:
    result = run_check_weights()
    assert result.returncode == 0, result.stderr
    assert SHIPPED_GENERATOR in result.stdout


def test_check_weights_fails_without_the_default_model(tmp_path: Path) -> None:
    other = next(name for name in served_generator_files() if not name.endswith(SHIPPED_GENERATOR))
    (tmp_path / "other").mkdir()
    shutil.copy(ROOT / other, tmp_path / "other" / GENERATOR_FILE_NAME)
    result = run_check_weights(str(tmp_path))
    assert result.returncode == 1
    assert "missing, and it is the model served by default" in result.stderr


def test_check_weights_fails_on_a_damaged_file(tmp_path: Path) -> None:
    target = tmp_path / SHIPPED_GENERATOR
    target.parent.mkdir(parents=True)
    data = bytearray((ROOT / "weights" / SHIPPED_GENERATOR).read_bytes())
    data[-100] ^= 0xFF  # one array byte: the content hash no longer matches
    target.write_bytes(bytes(data))
    result = run_check_weights(str(tmp_path))
    assert result.returncode == 1
    assert str(target) in result.stderr


def test_dockerfile_checks_the_weights_after_installing() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    install = next(index for index, line in enumerate(lines) if "pip install" in line)
    final_stage = next(index for index, line in enumerate(lines) if line.startswith("FROM") and index > install)
    check = next(index for index, line in enumerate(lines) if line.startswith("RUN") and "check_weights.py" in line)
    assert install < check < final_stage
