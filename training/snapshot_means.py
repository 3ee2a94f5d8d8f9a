"""Means of consecutive snapshots' weights: a generator from a stretch of a run, not one moment of it.

    means = write_snapshot_means(run_dir, width=5)   # run_dir/means/mean-0170-0210.safetensors, ...

A GAN's generator keeps circling around the balance it is looking for; the run's EMA
already smooths that over about its last thousand steps (0.999 per step), and the mean of
a few snapshots saved 10 epochs apart smooths it over a longer stretch (weight averaging
along one trajectory, as in Yazici et al. 2019, "The Unusual Effectiveness of Averaging in
GAN Training"). With `pixelgan select --mean-of N` each mean is one more candidate, judged
like the snapshots, so a mean is chosen only where it measures better. On the shipped runs
it measured within noise of the best snapshot (README, "What was tried").

Every window of `width` consecutive snapshots gives one mean, written as an ordinary
generator file whose training record lists the epochs it averages; `pixelgan select` ranks
the means with the snapshots (`training.select`); `training.snapshot_names` names the snapshots.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pixelgan.model.generator_file import GeneratorFile, load_generator_file, save_generator
from pixelgan.training.snapshot_names import run_snapshots, snapshot_epoch

MEANS_FOLDER = "means"


def write_snapshot_means(run_dir: Path, *, width: int) -> list[Path]:
    """Write the mean of every `width` consecutive snapshots of `run_dir` to its means/ folder; their paths."""
    if width < 2:
        return []
    snapshots = [load_generator_file(path) for path in run_snapshots(run_dir)]  # each read once
    means = []
    for start in range(len(snapshots) - width + 1):
        window = snapshots[start : start + width]
        first, last = snapshot_epoch(window[0].path), snapshot_epoch(window[-1].path)
        path = Path(run_dir) / MEANS_FOLDER / f"mean-{first:04d}-{last:04d}.safetensors"
        mean_of_snapshots(window, path)
        means.append(path)
    return means


def mean_of_snapshots(files: list[GeneratorFile], out: Path) -> str:
    """Write the mean of the loaded snapshots `files` (one architecture) to `out`; returns its model id.

    The mean takes the config, preprocessing and training record of the last file, and adds
    the epochs it averages to the training record.
    """
    last = files[-1]
    if any(file.config != last.config for file in files):
        names = ", ".join(str(file.path) for file in files)
        raise ValueError(f"snapshots of different architectures cannot be averaged: {names}")
    # Averaged in float64 and rounded to float32 once.
    arrays = {name: np.mean([file.arrays[name] for file in files], axis=0, dtype=np.float64) for name in last.arrays}
    training = last.metadata["training"] | {"mean_of_epochs": [snapshot_epoch(file.path) for file in files]}
    return save_generator(
        out,
        last.config,
        {name: array.astype(np.float32) for name, array in arrays.items()},
        training=training,
        preprocessing=last.metadata["preprocessing"],
    )
