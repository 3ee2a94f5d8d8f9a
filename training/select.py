"""Choose a run's exported generator: realism among the snapshots (and their means) that draw faces.

    ranked = rank_snapshots(run_snapshots(run_dir), real_grids)   # training.snapshot_names.run_snapshots
    best = ranked[0]          # a Ranked: path, faceness rates, frechet, classifier

The candidates are generator files: the run's snapshots and, from `pixelgan select`, the
means of consecutive snapshots (`training.snapshot_means`), judged alike.

GAN quality wanders from checkpoint to checkpoint, and the last one is not always the best:
as training goes on, the faces' statistics come closer to the photos' while the strict
detector finds fewer of them. Every snapshot draws the faces of `SELECTION_SEEDS` (a million
seeds away from evaluation's 0..1999, so choosing cannot flatter the reported numbers).
First faceness (`training.faceness`): only snapshots whose strict rate is at least
`FACENESS_OF_REAL` (95%) of the real grids' own rate stay in the running, so a snapshot
whose features have come apart cannot win on statistics. When no snapshot reaches that,
those within `FACENESS_MARGIN` (2%) of the best snapshot's rate stay instead. Among those
in the running, realism decides: each snapshot's place by
Fréchet distance (PCA-64, as `pixelgan evaluate`) and its place by the small classifier's
accuracy are averaged, and the lowest average wins; between equals the later snapshot wins
(it has trained longer; snapshots are named epoch-NNNN, and a mean, mean-FFFF-LLLL, sorts
after every snapshot). The rest follow in faceness order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.sheet import unit_to_uint8
from pixelgan.training.classifier import two_sample_accuracy
from pixelgan.training.faceness import faceness
from pixelgan.training.features import Pca
from pixelgan.training.metrics import frechet_distance

SELECTION_SEEDS = range(1_000_000, 1_001_000)  # 1,000: a rate's standard error under 0.01
REALISM_SEED_START = 1_000_000  # realism uses as many faces from here as half the real set
FACENESS_OF_REAL = 0.95
FACENESS_MARGIN = 0.02
FEATURE_DIMS = 64


@dataclass(frozen=True)
class Ranked:
    """One snapshot's scores; `frechet` and `classifier` are None when it missed the faceness cut."""

    path: Path
    rates: dict[str, float]
    frechet: float | None = None
    classifier: float | None = None


def real_strict_rate(real: np.ndarray) -> float:
    """The strict detector's rate on the real grids (N, grid, grid[, 3]) in [0, 1]: the faceness bar's base."""
    return faceness(unit_to_uint8(real))["dlib"]


def rank_snapshots(
    paths: list[Path], real: np.ndarray, *, seed: int = 0, real_strict: float | None = None
) -> list[Ranked]:
    """The snapshots best first: realism among those that find faces often enough, then the rest.

    `real` holds (N, grid, grid) grey or (N, grid, grid, 3) RGB real grids in [0, 1], cut as
    the run's photos were; `real_strict` is their `real_strict_rate`, measured here if not given.
    """
    rated = [(path, selection_faceness(NumpyGenerator.from_file(str(path)))) for path in paths]
    if real_strict is None:
        real_strict = real_strict_rate(real)
    eligible = faceness_cut(rated, real_strict=real_strict)
    realism = RealismJudge(real, seed=seed)
    scored = [Ranked(path, rates, *realism.scores(NumpyGenerator.from_file(str(path)))) for path, rates in eligible]
    frechet_place = _places([item.frechet for item in scored])
    classifier_place = _places([item.classifier for item in scored])
    later_first = sorted(range(len(scored)), key=lambda index: scored[index].path.name, reverse=True)
    order = sorted(later_first, key=lambda index: frechet_place[index] + classifier_place[index])  # stable
    chosen = {item.path for item in scored}
    rest = sorted(
        (Ranked(path, rates) for path, rates in rated if path not in chosen),
        key=lambda item: (item.rates["dlib"], item.rates["haar"], item.path.name),
        reverse=True,
    )
    return [scored[index] for index in order] + rest


def selection_faceness(generator: NumpyGenerator) -> dict[str, float]:
    """The detectors' rates on the generator's faces of `SELECTION_SEEDS`: how select judges faceness."""
    return faceness(generator.faces_for_seeds(SELECTION_SEEDS))


def faceness_bar(real_strict: float) -> float:
    """The strict rate that keeps a snapshot in the running: 95% of the real grids'."""
    return FACENESS_OF_REAL * real_strict


def faceness_cut(rated: list[tuple[Path, dict[str, float]]], *, real_strict: float) -> list[tuple[Path, dict]]:
    """The rated snapshots in the running: strict rate at `faceness_bar`, else within 2% of the best."""
    bar = faceness_bar(real_strict)
    if not any(rates["dlib"] >= bar for _, rates in rated):
        bar = max(rates["dlib"] for _, rates in rated) * (1 - FACENESS_MARGIN)
    return [(path, rates) for path, rates in rated if rates["dlib"] >= bar]


class RealismJudge:
    """Fréchet distance and classifier accuracy of a generator's selection faces against real grids.

    The real grids are split in halves as `pixelgan evaluate` splits them (seeded shuffle):
    the PCA space is fitted on the first, and faces are compared with the second.
    """

    def __init__(self, real: np.ndarray, *, seed: int = 0) -> None:
        real = np.asarray(real, np.float64)
        order = np.random.default_rng(seed).permutation(len(real))
        half_a, self.half_b = real[order[: len(real) // 2]], real[order[len(real) // 2 :]]
        self.count = len(half_a)
        self.pca = Pca.fit(half_a, dims=min(FEATURE_DIMS, len(half_a) - 1))
        self.reference = self.pca.transform(self.half_b)
        self.seed = seed

    def scores(self, generator: NumpyGenerator) -> tuple[float, float]:
        """(Fréchet distance, classifier accuracy) of `count` faces from `REALISM_SEED_START` on."""
        seeds = range(REALISM_SEED_START, REALISM_SEED_START + self.count)
        faces = generator.faces_for_seeds(seeds).astype(np.float64) / 255.0
        frechet = frechet_distance(self.pca.transform(faces), self.reference)
        return frechet, two_sample_accuracy(faces, self.half_b, seed=self.seed)


def format_ranking(ranked: list[Ranked]) -> str:
    """A markdown table of the snapshots in name (epoch) order: faceness, and realism where measured."""
    lines = ["| snapshot | dlib (strict) | haar (lenient) | frechet | classifier |", "|---|---:|---:|---:|---:|"]
    for item in sorted(ranked, key=lambda item: item.path.name):
        realism = "| |" if item.frechet is None else f"| {item.frechet:.3f} | {item.classifier:.3f} |"
        lines.append(f"| {item.path.name} | {item.rates['dlib']:.3f} | {item.rates['haar']:.3f} {realism}")
    return "\n".join(lines)


def _places(values: list[float]) -> list[int]:
    """Each value's place when sorted from lowest (0) to highest."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    places = [0] * len(values)
    for place, index in enumerate(order):
        places[index] = place
    return places
