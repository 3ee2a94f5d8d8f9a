"""Snapshot selection: faceness decides who is in the running, realism decides among them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pixelgan.training import select

from tests.conftest import write_generator


@pytest.fixture
def snapshots(tmp_path: Path) -> list[Path]:
    return [write_generator(tmp_path / f"epoch-{index:04d}.safetensors", seed=index) for index in range(4)]


def rank_with(
    monkeypatch: pytest.MonkeyPatch,
    paths: list[Path],
    strict: list[float],
    realism: list[tuple[float, float]],
    *,
    real_strict: float = 1.0,
) -> list[str]:
    # faceness is asked about each snapshot's faces in turn, then about the real grids.
    rates = iter([{"haar": 1.0, "dlib": rate} for rate in [*strict, real_strict]])
    monkeypatch.setattr(select, "faceness", lambda faces: next(rates))
    scores = iter(realism)
    monkeypatch.setattr(select.RealismJudge, "scores", lambda self, generator: next(scores))
    real = np.random.default_rng(0).random((40, 12, 12))
    return [item.path.name for item in select.rank_snapshots(paths, real)]


def test_realism_picks_among_snapshots_that_find_faces_as_often_as_real_grids(
    snapshots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real grids: 0.90, so the bar is 0.855. Epochs 0 to 2 reach it and epoch 2 is the most
    # realistic of them, though 9% below epoch 0's faceness; epoch 3 misses the bar.
    names = rank_with(
        monkeypatch, snapshots, [0.95, 0.90, 0.86, 0.80], [(3.0, 0.80), (2.0, 0.70), (1.0, 0.60)], real_strict=0.90
    )
    assert names == [
        "epoch-0002.safetensors",
        "epoch-0001.safetensors",
        "epoch-0000.safetensors",
        "epoch-0003.safetensors",
    ]


def test_without_a_snapshot_at_the_bar_realism_picks_within_two_percent_of_the_best_faceness(
    snapshots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real grids: 1.0, a bar of 0.95 that none reaches. Epoch 1 has the best faceness, epoch 2
    # is within 2% of it and more realistic on both counts, epoch 3 is more realistic still but
    # 5% below the best faceness: out of the running.
    names = rank_with(monkeypatch, snapshots, [0.50, 0.90, 0.89, 0.855], [(3.0, 0.80), (2.0, 0.70)])
    assert names == [
        "epoch-0002.safetensors",
        "epoch-0001.safetensors",
        "epoch-0003.safetensors",
        "epoch-0000.safetensors",
    ]


def test_equal_realism_places_go_to_the_later_snapshot(snapshots: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # epoch 0 is better by Fréchet, epoch 1 by the classifier: equal average places.
    names = rank_with(monkeypatch, snapshots[:2], [0.9, 0.9], [(1.0, 0.8), (2.0, 0.7)])
    assert names == ["epoch-0001.safetensors", "epoch-0000.safetensors"]


def test_realism_judge_scores_real_like_faces_better(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    real = np.clip(rng.normal(0.5, 0.1, (200, 12, 12)), 0, 1)
    judge = select.RealismJudge(real)

    class Faces:
        def __init__(self, centre: float) -> None:
            self.centre = centre

        def faces_for_seeds(self, seeds: range) -> np.ndarray:
            return (np.clip(rng.normal(self.centre, 0.1, (len(seeds), 12, 12)), 0, 1) * 255).astype(np.uint8)

    like, unlike = judge.scores(Faces(0.5)), judge.scores(Faces(0.8))
    assert like[0] < unlike[0]
    assert like[1] < unlike[1]
