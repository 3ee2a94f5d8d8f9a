"""Score a generator file against a folder of real photos, beside the real-vs-real floor.

    report, fakes, real = evaluate_file(path, photos_folder, samples=2000)
    write_report(run_dir, report, fakes, real)        # evaluation.json, nearest.png
    print(format_table(report))

The real grids are shuffled (seed 0) and cut in two halves, A and B. The PCA-64 feature
space is fitted on A. The generator's faces (seeds 0..samples-1, as served: uint8) are then
measured against B, and A is measured against B the same way, which is the best any
generator can do at this data size: the floor row.

- frechet / kid: distance between the feature distributions (PCA-64). To keep the two rows
  comparable (FD is biased by sample count) the sample side uses |A| faces.
- precision / recall: k = 3 manifolds in PCA-64 (realism / coverage).
- classifier: held-out accuracy of a small CNN telling the set from real images (0.5 ideal).
- memorised: share of faces nearer (in pixels) to a training image than 99% of real images
  are to their nearest other real image. Every real image was used in training, so all of
  them are the training set here; the floor row asks the same of B against A.
- diversity: mean pairwise pixel distance of the set over that of the real images.
- haar / dlib: faceness, the share of the set in which a lenient (OpenCV Haar) and a strict
  (dlib HOG) face detector find a face (`training.faceness`).
- morph: the strict detector's rate on the middle frames of walks between seeds (2k, 2k + 1)
  beside its rate on their ends (`training.walks`). The real grids must be made
  the way the generator's training photos were (the crop in its file, `model.crop.crop_of`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from pixelgan.model.crop import crop_of
from pixelgan.model.errors import DataError
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.sheet import contact_sheet, unit_to_uint8, upscale
from pixelgan.training.classifier import two_sample_accuracy
from pixelgan.training.data import DEFAULT_CACHE_DIR, load_dataset
from pixelgan.training.faceness import DETECTORS, faceness
from pixelgan.training.features import Pca
from pixelgan.training.metrics import (
    frechet_distance,
    kernel_inception_distance,
    leave_one_out_nearest,
    mean_pairwise_distance,
    nearest_neighbours,
    precision_recall,
)
from pixelgan.training.walks import walk_faceness

FEATURE_DIMS = 64
MORPH_PAIRS = 500  # walks whose middle frames are checked for faces (seeds 0..999 at their ends)
MEMORISED_PERCENTILE = 1.0
COLUMNS = ("frechet", "kid", "precision", "recall", "classifier", "memorised", "diversity", *DETECTORS)


def generated_grids(generator: NumpyGenerator, count: int) -> np.ndarray:
    """The served faces of seeds 0..count-1 as (count, grid, grid[, 3]) floats in [0, 1]."""
    faces = [generator.faces_for_seeds(range(begin, min(begin + 256, count))) for begin in range(0, count, 256)]
    return np.concatenate(faces).astype(np.float64) / 255.0


def evaluate(fakes: np.ndarray, real: np.ndarray, *, seed: int = 0) -> dict:
    """{"generator": row, "real floor": row, "setup": {...}} for (N, grid, grid) grids in [0, 1]."""
    if len(real) < 2 * FEATURE_DIMS:
        raise DataError(f"evaluation needs at least {2 * FEATURE_DIMS} real images, got {len(real)}")
    real = np.asarray(real, np.float64)
    order = np.random.default_rng(seed).permutation(len(real))
    half_a, half_b = real[order[: len(real) // 2]], real[order[len(real) // 2 :]]
    pca = Pca.fit(half_a, dims=FEATURE_DIMS)

    # How close real images come to each other: a face nearer than this to a training image
    # is closer than 99% of real faces are to any other real face.
    threshold = np.percentile(leave_one_out_nearest(real), MEMORISED_PERCENTILE)
    real_spread = mean_pairwise_distance(real)

    def row(candidates: np.ndarray, training: np.ndarray) -> dict:
        compared = candidates[: len(half_a)]
        features, reference = pca.transform(compared), pca.transform(half_b)
        precision, recall = precision_recall(reference, features, k=3)
        nearest, _ = nearest_neighbours(candidates, training)
        return {
            "frechet": frechet_distance(features, reference),
            "kid": kernel_inception_distance(features, reference),
            "precision": precision,
            "recall": recall,
            "classifier": two_sample_accuracy(compared, half_b, seed=seed),
            "memorised": float((nearest < threshold).mean()),
            "diversity": mean_pairwise_distance(candidates) / real_spread,
            **faceness(unit_to_uint8(candidates)),
        }

    return {
        "generator": row(fakes, real),
        "real floor": row(half_a, half_b),
        "setup": {
            "samples": len(fakes),
            "real_images": len(real),
            "half_size": len(half_a),
            "feature_dims": FEATURE_DIMS,
            "pca_explained_variance": round(pca.explained, 4),
            "memorised_threshold": float(threshold),
            "seed": seed,
        },
    }


def evaluate_file(
    weights: Path, photos: Path, *, samples: int = 2000, seed: int = 0, cache_dir: Path | None = DEFAULT_CACHE_DIR
) -> tuple[dict, np.ndarray, np.ndarray]:
    """Evaluate a generator file against a photo folder cut the way its training photos were.

    Returns (report, fakes, real grids), the report's "setup" naming the file and the crop.
    """
    generator, real, crop = generator_and_real_grids(weights, photos, cache_dir=cache_dir)
    fakes = generated_grids(generator, samples)
    report = evaluate(fakes, real, seed=seed)
    report["morph"] = walk_faceness(generator, pairs=min(MORPH_PAIRS, samples // 2))
    report["setup"] |= {
        "weights": str(weights),
        "model_id": generator.model_id,
        "arch": generator.config.arch,
        "crop": crop,
    }
    return report, fakes, real


def generator_and_real_grids(
    weights: Path, photos: Path, *, cache_dir: Path | None = DEFAULT_CACHE_DIR
) -> tuple[NumpyGenerator, np.ndarray, str]:
    """A generator file's numpy generator, and the photos' grids cut by the crop its file names,
    in colour for a colour generator."""
    generator_file = load_generator_file(weights)
    crop = crop_of(generator_file.metadata["preprocessing"])
    generator = NumpyGenerator.from_file(generator_file)
    colour = generator.config.channels == 3  # a colour model is measured against colour grids
    dataset = load_dataset(photos, boxes=generator.config.grid, crop=crop, color=colour, cache_dir=cache_dir)
    return generator, dataset.grids, crop


def write_report(out: Path, report: dict, fakes: np.ndarray, real: np.ndarray) -> list[Path]:
    """Write `evaluation.json` and `nearest.png` (the 16 faces nearest a training image) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(report, indent=2) + "\n")
    pairs = nearest_training_pairs(fakes, real).reshape(-1, *fakes.shape[1:])  # face, nearest, face, ...
    Image.fromarray(upscale(contact_sheet(unit_to_uint8(pairs), columns=8), 4)).save(out / "nearest.png")
    return [out / "evaluation.json", out / "nearest.png"]


def nearest_training_pairs(fakes: np.ndarray, real: np.ndarray, *, shown: int = 16) -> np.ndarray:
    """(shown, 2, grid, grid): the `shown` faces nearest any training image, each beside it."""
    distances, nearest = nearest_neighbours(fakes, real)
    closest = np.argsort(distances)[:shown]
    return np.stack([np.stack([fakes[index], real[nearest[index]]]) for index in closest])


def format_morph(morph: dict) -> str:
    """One line: the middle frames' strict faceness against the walks' ends."""
    return (
        f"morph middle frames (t = 0.5, {morph['pairs']} seed pairs): dlib {morph['middle']:.3f} "
        f"against {morph['ends']:.3f} at their ends ({morph['middle_over_ends']:.3f} of it)"
    )


def format_table(rows: dict[str, dict]) -> str:
    """A markdown table with one line per named row of `COLUMNS` figures."""
    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    for name, values in rows.items():
        cells = [f"{values[column]:.4f}" if column == "kid" else f"{values[column]:.3f}" for column in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
