"""The generator file: the one seam between training and serving.

    save_generator(path, config, arrays, training={...})
    generator = load_generator_file(path)      # -> GeneratorFile(config, arrays, metadata, model_id)

The layout is safetensors' (so its tools can inspect it) and holds no pickle, so loading a
file can never run code:

    8 bytes    little-endian u64: N, the length of the JSON header
    N bytes    JSON: {"__metadata__": {"pixelgan": "<JSON string>"},
                      "<name>": {"dtype": "F32", "shape": [...], "data_offsets": [b, e]}, ...}
    rest       the float32 arrays, little-endian, back to back

The "pixelgan" metadata holds the format name and version, the architecture config, the
preprocessing the model was trained with, a training summary and `model_id`: the first 16
hex digits of the SHA-256 of the config and the array bytes, which the reader checks.
Every problem a reader can meet raises GeneratorFileError naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pixelgan.model.architectures import parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import GeneratorFileError

FORMAT_NAME = "pixelgan-generator"
FORMAT_VERSION = 1
_MAX_HEADER_BYTES = 1 << 20
_REQUIRED_METADATA = ("format", "version", "model_id", "config", "preprocessing", "training")


@dataclass(frozen=True)
class GeneratorFile:
    """A loaded generator file: its config, float32 arrays by name, and metadata."""

    path: Path
    config: GeneratorConfig
    arrays: dict[str, np.ndarray]
    metadata: dict

    @property
    def model_id(self) -> str:
        return self.metadata["model_id"]


def model_id_of(config: GeneratorConfig, arrays: dict[str, np.ndarray]) -> str:
    """The content hash of a generator: config JSON plus every array's bytes, in name order."""
    digest = hashlib.sha256(json.dumps(config.to_dict(), sort_keys=True).encode())
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name], dtype="<f4").tobytes())
    return digest.hexdigest()[:16]


def save_generator(
    path: str | Path,
    config: GeneratorConfig,
    arrays: dict[str, np.ndarray],
    *,
    training: dict,
    preprocessing: dict | None = None,
) -> str:
    """Write a generator file atomically and return its model id.

    `arrays` must hold exactly the parameters `parameter_shapes(config)` names.
    `preprocessing` defaults to the grayscale pixel grid of `config.grid` in [-1, 1].
    """
    path = Path(path)
    _check_arrays(path, config, arrays)
    model_id = model_id_of(config, arrays)
    metadata = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "model_id": model_id,
        "config": config.to_dict(),
        "preprocessing": preprocessing or default_preprocessing(config),
        "training": training,
    }
    header: dict = {"__metadata__": {"pixelgan": json.dumps(metadata, sort_keys=True)}}
    blobs, offset = [], 0
    for name in sorted(arrays):
        blob = np.ascontiguousarray(arrays[name], dtype="<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(arrays[name].shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, sort_keys=True).encode()
    header_bytes += b" " * (-len(header_bytes) % 8)  # safetensors aligns the data to 8 bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        for blob in blobs:
            out.write(blob)
    partial.replace(path)
    return model_id


def default_preprocessing(config: GeneratorConfig) -> dict:
    """How the training images were made: AbsCenterCrop, then a grey (or, for 3 channels, RGB) grid in [-1, 1]."""
    return {"crop": "abs_center", "grid": config.grid, "grayscale": config.channels == 1, "value_range": [-1.0, 1.0]}


def load_generator_file(path: str | Path) -> GeneratorFile:
    """Read and verify a generator file; every problem raises GeneratorFileError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GeneratorFileError(f"{path}: cannot read the generator file ({error.strerror})") from None
    header, body = _split(path, data)
    metadata = _metadata(path, header)
    try:
        config = GeneratorConfig.from_dict(metadata["config"])
    except (TypeError, ValueError) as error:
        raise GeneratorFileError(f"{path}: invalid 'config' ({error})") from None
    arrays = _arrays(path, header, body)
    _check_arrays(path, config, arrays)
    if model_id_of(config, arrays) != metadata["model_id"]:
        raise GeneratorFileError(f"{path}: the weights do not match 'model_id'; the file is damaged")
    return GeneratorFile(path=path, config=config, arrays=arrays, metadata=metadata)


def _split(path: Path, data: bytes) -> tuple[dict, memoryview]:
    if len(data) < 8:
        raise GeneratorFileError(f"{path}: too short to be a generator file ({len(data)} bytes)")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > min(_MAX_HEADER_BYTES, len(data) - 8):
        raise GeneratorFileError(f"{path}: not a generator file (header length {header_length} is invalid)")
    try:
        header = json.loads(data[8 : 8 + header_length])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise GeneratorFileError(f"{path}: the header is not valid JSON; the file is damaged") from None
    if not isinstance(header, dict):
        raise GeneratorFileError(f"{path}: the header is not a JSON object")
    return header, memoryview(data)[8 + header_length :]


def _metadata(path: Path, header: dict) -> dict:
    try:
        metadata = json.loads(header["__metadata__"]["pixelgan"])
    except (KeyError, TypeError, json.JSONDecodeError):
        raise GeneratorFileError(f"{path}: missing the 'pixelgan' metadata; not a pixelgan generator") from None
    if not isinstance(metadata, dict):
        raise GeneratorFileError(f"{path}: the 'pixelgan' metadata is not a JSON object")
    for field in _REQUIRED_METADATA:
        if field not in metadata:
            raise GeneratorFileError(f"{path}: missing field '{field}'")
    if metadata["format"] != FORMAT_NAME:
        raise GeneratorFileError(f"{path}: field 'format' is {metadata['format']!r}, expected {FORMAT_NAME!r}")
    if metadata["version"] != FORMAT_VERSION:
        raise GeneratorFileError(
            f"{path}: unknown format version {metadata['version']!r} (this reader knows {FORMAT_VERSION})"
        )
    return metadata


def _arrays(path: Path, header: dict, body: memoryview) -> dict[str, np.ndarray]:
    arrays = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        try:
            begin, end = entry["data_offsets"]
            shape = tuple(int(size) for size in entry["shape"])
            dtype = entry["dtype"]
        except (KeyError, TypeError, ValueError):
            raise GeneratorFileError(f"{path}: tensor '{name}' has an invalid entry") from None
        if dtype != "F32":
            raise GeneratorFileError(f"{path}: tensor '{name}' has dtype {dtype!r}, expected 'F32'")
        if not (0 <= begin <= end <= len(body)) or end - begin != 4 * int(np.prod(shape)):
            raise GeneratorFileError(f"{path}: tensor '{name}' lies outside the file; the file is truncated")
        arrays[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(shape).astype(np.float32)
    return arrays


def _check_arrays(path: Path, config: GeneratorConfig, arrays: dict[str, np.ndarray]) -> None:
    expected = parameter_shapes(config)
    for name, shape in expected.items():
        if name not in arrays:
            raise GeneratorFileError(f"{path}: missing tensor '{name}'")
        if tuple(arrays[name].shape) != shape:
            raise GeneratorFileError(f"{path}: tensor '{name}' has shape {tuple(arrays[name].shape)}, expected {shape}")
    extra = sorted(set(arrays) - set(expected))
    if extra:
        raise GeneratorFileError(f"{path}: unexpected tensors {extra}")
