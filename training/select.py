"""Choose a run's exported snapshot by faceness on latents that evaluation never uses.

    ranked = rank_snapshots(sorted(run_dir.glob("snapshots/*.safetensors")))
    best_path, best_rates = ranked[0]

GAN quality wanders from checkpoint to checkpoint, and the last one is not always the best.
Each snapshot's faces for `SELECTION_SEEDS` (a million seeds away from evaluation's 0..1999,
so choosing cannot flatter the reported numbers) are scored by `training.faceness`; the
strict detector's rate decides, the lenient one breaks ties, and between equals the later
snapshot wins (it has trained longer).
"""

from __future__ import annotations

from pathlib import Path

from pixelgan.model.inference import NumpyGenerator
from pixelgan.training.faceness import faceness

SELECTION_SEEDS = range(1_000_000, 1_000_400)


def rank_snapshots(paths: list[Path], seeds: range = SELECTION_SEEDS) -> list[tuple[Path, dict[str, float]]]:
    """[(path, {"haar": rate, "dlib": rate}), ...], best first (strict rate, lenient rate, later name)."""
    scored = [(path, faceness(NumpyGenerator.from_file(str(path)).faces_for_seeds(seeds))) for path in paths]
    return sorted(scored, key=lambda item: (item[1]["dlib"], item[1]["haar"], item[0].name), reverse=True)
