"""The generator file: round trip, and one clear error for every way a file can be wrong."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import load_generator_file, save_generator

from tests.conftest import SMALL_CONFIG, random_arrays, write_generator


def test_round_trip_keeps_config_arrays_and_metadata(generator_path: Path) -> None:
    loaded = load_generator_file(generator_path)
    assert loaded.config == SMALL_CONFIG
    for name, array in random_arrays(SMALL_CONFIG).items():
        np.testing.assert_array_equal(loaded.arrays[name], array)
    assert loaded.metadata["training"] == {"dataset": "test", "epochs": 0}
    assert loaded.metadata["preprocessing"]["grid"] == 12
    assert len(loaded.model_id) == 16


def test_model_id_depends_on_the_weights(tmp_path: Path) -> None:
    first = load_generator_file(write_generator(tmp_path / "a.safetensors", seed=0)).model_id
    second = load_generator_file(write_generator(tmp_path / "b.safetensors", seed=1)).model_id
    again = load_generator_file(write_generator(tmp_path / "c.safetensors", seed=0)).model_id
    assert first != second
    assert first == again


def rewrite_metadata(path: Path, change) -> None:
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    metadata = json.loads(header["__metadata__"]["pixelgan"])
    change(metadata)
    header["__metadata__"]["pixelgan"] = json.dumps(metadata)
    new_header = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(new_header)) + new_header + data[8 + length :])


@pytest.mark.parametrize("field", ["format", "version", "model_id", "config", "preprocessing", "training"])
def test_missing_field_is_named(generator_path: Path, field: str) -> None:
    rewrite_metadata(generator_path, lambda metadata: metadata.pop(field))
    with pytest.raises(GeneratorFileError, match=f"{re.escape(str(generator_path))}: missing field '{field}'"):
        load_generator_file(generator_path)


def test_unknown_version_is_refused(generator_path: Path) -> None:
    rewrite_metadata(generator_path, lambda metadata: metadata.update(version=99))
    with pytest.raises(GeneratorFileError, match="unknown format version 99"):
        load_generator_file(generator_path)


def test_bad_config_is_refused(generator_path: Path) -> None:
    rewrite_metadata(generator_path, lambda metadata: metadata["config"].update(arch="transformer"))
    with pytest.raises(GeneratorFileError, match="invalid 'config'"):
        load_generator_file(generator_path)


def test_config_with_wrong_shapes_is_refused(generator_path: Path) -> None:
    rewrite_metadata(generator_path, lambda metadata: metadata["config"].update(latent_dim=9))
    with pytest.raises(GeneratorFileError, match=r"tensor 'net.0.weight' has shape \(16, 8\), expected \(16, 9\)"):
        load_generator_file(generator_path)


def test_flipped_weight_byte_fails_the_hash(generator_path: Path) -> None:
    data = bytearray(generator_path.read_bytes())
    data[-3] ^= 0xFF
    generator_path.write_bytes(bytes(data))
    with pytest.raises(GeneratorFileError, match="do not match 'model_id'"):
        load_generator_file(generator_path)


def test_truncated_file_is_refused(generator_path: Path) -> None:
    generator_path.write_bytes(generator_path.read_bytes()[:-100])
    with pytest.raises(GeneratorFileError, match="truncated"):
        load_generator_file(generator_path)


@pytest.mark.parametrize("content", [b"", b"1234", b"\xff" * 64, b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all!"])
def test_garbage_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.safetensors"
    path.write_bytes(content)
    with pytest.raises(GeneratorFileError, match=re.escape(str(path))):
        load_generator_file(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(GeneratorFileError, match=r"nowhere\.safetensors: cannot read"):
        load_generator_file(tmp_path / "nowhere.safetensors")


def test_save_refuses_arrays_that_do_not_fit_the_config(tmp_path: Path) -> None:
    arrays = random_arrays(SMALL_CONFIG)
    with pytest.raises(GeneratorFileError, match="has shape"):
        save_generator(tmp_path / "x.safetensors", GeneratorConfig(), arrays, training={})


def test_file_is_valid_safetensors_layout(generator_path: Path) -> None:
    data = generator_path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    ends = [entry["data_offsets"][1] for name, entry in header.items() if name != "__metadata__"]
    assert max(ends) == len(data) - 8 - length
    assert (8 + length) % 8 == 0
