"""Training data: a folder of photos -> a cached (N, grid, grid) float32 array in [0, 1].

    dataset = load_dataset("~/photos/celebrity-faces", boxes=40)
    dataset = load_dataset("~/photos/celebrity-faces", boxes=40, crop="face")   # face squares
    dataset = load_dataset("~/photos/celebrity-faces", boxes=40, color=True)    # (N, 40, 40, 3) RGB
    dataset.grids           # (N, 40, 40) float32
    dataset.summary()       # images used, duplicates dropped, files skipped

The folder may hold class folders (the post's ImageFolder layout) or be flat, and real
folders are messy: unreadable, truncated or non-image files and images smaller than the grid
are skipped and counted, and so are photos where `crop="face"` finds no face; files with the
same bytes as an earlier one are dropped. Each image is decoded, cropped (the post's
AbsCenterCrop, or the face square of `model.crop`) and pixelated once, by the same
`pixelate_photo` the service uses (exact path),
and the result is cached under `cache_dir`, keyed by every file's path, size and mtime and
the preprocessing settings, so the next run on the same folder starts at once.

A grid file (`save_grids`, written by `pixelgan prepare`) holds the same arrays with the
settings they were made with and the folder's name: `load_dataset` reads one in place of
the folder, so a machine without the photos (a GPU machine, say) trains on the same grids.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pixelgan.model.crop import crop_settings
from pixelgan.model.errors import DataError, ImageError
from pixelgan.model.photo import pixelate_photo
from pixelgan.training.progress import Progress

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".pgm", ".ppm"}
# Bump when preprocessing changes, so old caches are not reused.
PREPROCESSING_VERSION = 2
GRID_FILE_FORMAT = "pixelgan-grids-1"
DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pixelgan"

log = logging.getLogger(__name__)


class DatasetError(DataError):
    """The folder holds no usable image (or does not exist)."""


@dataclass
class Dataset:
    """Pixelated training images and what happened to every file on the way."""

    root: Path
    boxes: int
    grids: np.ndarray
    crop: str = "center"
    color: bool = False
    files_seen: int = 0
    duplicates: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # relative path -> reason
    from_cache: bool = False

    def summary(self) -> dict:
        """The counts that go into the generator file's training summary."""
        return {
            "dataset": self.root.name,
            "files_seen": self.files_seen,
            "images_used": len(self.grids),
            "duplicates_dropped": len(self.duplicates),
            "files_skipped": len(self.skipped),
        }


def find_images(root: Path) -> list[Path]:
    """Every file under `root` with an image suffix, in a stable (sorted) order."""
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES)


def load_dataset(
    root: str | Path,
    *,
    boxes: int = 40,
    crop: str = "center",
    color: bool = False,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    show_progress: bool = False,
) -> Dataset:
    """Pixelate every usable image under `root` (or read the cache); see the module docstring."""
    root = Path(root).expanduser()
    if root.is_file():
        return read_grids(root, boxes=boxes, crop=crop, color=color)
    if not root.is_dir():
        raise DatasetError(f"{root} is not a folder")
    paths = find_images(root)
    cache_path = cache_dir / f"{_cache_key(root, paths, boxes, crop, color)}.npz" if cache_dir else None
    if cache_path and cache_path.exists():
        dataset = _read_cache(cache_path, root, boxes, crop, color)
    else:
        dataset = _build(root, paths, boxes, crop, color, show_progress)
        if cache_path:
            save_grids(dataset, cache_path)
    if dataset.skipped:
        listing = "; ".join(f"{name}: {reason}" for name, reason in sorted(dataset.skipped.items()))
        log.warning("skipped %d of %d files under %s: %s", len(dataset.skipped), len(paths), root, listing)
    if len(dataset.grids) == 0:
        raise DatasetError(
            f"{root} holds no usable image ({len(paths)} files with image suffixes, "
            f"{len(dataset.skipped)} skipped); expected photos at least {boxes}x{boxes} pixels"
        )
    return dataset


def _build(root: Path, paths: list[Path], boxes: int, crop: str, color: bool, show_progress: bool) -> Dataset:
    empty = np.zeros((0, boxes, boxes, 3) if color else (0, boxes, boxes), np.float32)
    dataset = Dataset(root=root, boxes=boxes, grids=empty, crop=crop, color=color, files_seen=len(paths))
    first_of_hash: dict[str, str] = {}
    unique: list[tuple[str, bytes]] = []
    for path in paths:
        name = path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            dataset.skipped[name] = f"unreadable ({error.strerror})"
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in first_of_hash:
            dataset.duplicates.append(name)
            continue
        first_of_hash[digest] = name
        unique.append((name, data))

    def grid_of(item: tuple[str, bytes]) -> np.ndarray | str:
        try:
            return pixelate_photo(item[1], boxes, crop=crop, color=color)
        except ImageError as error:
            return str(error)

    # Pillow and dlib release the GIL while decoding and detecting, so threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        progress = Progress(total=len(unique), unit="photo", enabled=show_progress)
        results = []
        for done, result in enumerate(pool.map(grid_of, unique), 1):
            results.append(result)
            progress.update(done, {})
        progress.close()
    grids = []
    for (name, _), result in zip(unique, results, strict=False):
        if isinstance(result, str):
            dataset.skipped[name] = result
        else:
            grids.append(result)
    if grids:
        dataset.grids = np.stack(grids)
    return dataset


def _cache_key(root: Path, paths: list[Path], boxes: int, crop: str, color: bool) -> str:
    listing = []
    for path in paths:
        stat = path.stat()
        listing.append([path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns])
    settings = {
        "boxes": boxes,
        "crop": crop_settings(crop),
        "version": PREPROCESSING_VERSION,
        "root": str(root.resolve()),
        "files": listing,
    } | ({"color": True} if color else {})  # grey keys as before colour existed, so their caches stay
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:24]


def save_grids(dataset: Dataset, path: Path) -> None:
    """Write `dataset` to `path` (.npz, no pickles) with the settings and counts that
    `read_grids` checks and restores; written beside and then moved, so a reader never
    meets half a file."""
    report = {
        "format": GRID_FILE_FORMAT,
        "dataset": dataset.root.name,
        "boxes": dataset.boxes,
        "crop": dataset.crop,
        "color": dataset.color,
        "cut": _cut(dataset.crop),
        "files_seen": dataset.files_seen,
        "duplicates": dataset.duplicates,
        "skipped": dataset.skipped,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(partial, grids=dataset.grids, report=np.array(json.dumps(report)))
    partial.replace(path)


def read_grids(path: Path, *, boxes: int, crop: str, color: bool) -> Dataset:
    """The dataset in the grid file `path`, which must have been made with these settings."""
    try:
        report, grids = _read_npz(path)
    except (OSError, ValueError, KeyError) as error:
        raise DatasetError(f"{path} is not a grid file ({error}); write one with pixelgan prepare") from None
    if report.get("format") != GRID_FILE_FORMAT:
        raise DatasetError(f"{path} is not a grid file written by pixelgan prepare")
    made = {"boxes": report["boxes"], "crop": report["crop"], "color": report["color"]}
    asked = {"boxes": boxes, "crop": crop, "color": color}
    if made != asked:
        raise DatasetError(f"{path} holds grids made with {made}; this run needs {asked}")
    if report.get("cut") != _cut(crop):
        raise DatasetError(
            f"{path} was cut by an older version of the preprocessing ({report.get('cut')}, now {_cut(crop)}); "
            "write it again with pixelgan prepare"
        )
    return Dataset(
        root=Path(report["dataset"]),
        boxes=boxes,
        grids=grids,
        crop=crop,
        color=color,
        files_seen=report["files_seen"],
        duplicates=report["duplicates"],
        skipped=report["skipped"],
        from_cache=True,
    )


def _cut(crop: str) -> dict:
    """What else decides a grid's pixels: the crop's detector settings and the preprocessing version."""
    return {"crop": crop_settings(crop), "version": PREPROCESSING_VERSION}


def _read_npz(path: Path) -> tuple[dict, np.ndarray]:
    """The report and the grids of a file `save_grids` wrote (a grid file or a cache entry)."""
    with np.load(path, allow_pickle=False) as saved:
        return json.loads(str(saved["report"])), saved["grids"]


def _read_cache(cache_path: Path, root: Path, boxes: int, crop: str, color: bool) -> Dataset:
    report, grids = _read_npz(cache_path)
    counts = {key: report[key] for key in ("files_seen", "duplicates", "skipped")}  # caches from before grid files too
    return Dataset(root=root, boxes=boxes, grids=grids, crop=crop, color=color, from_cache=True, **counts)
