"""Evaluation metrics: known answers on Gaussians, identical sets, and the real-vs-fake net."""

from __future__ import annotations

import numpy as np
import pytest
from pixelgan.training.classifier import two_sample_accuracy
from pixelgan.training.evaluate import COLUMNS, evaluate, format_table, nearest_training_pairs
from pixelgan.training.features import Pca
from pixelgan.training.metrics import (
    frechet_distance,
    kernel_inception_distance,
    leave_one_out_nearest,
    mean_pairwise_distance,
    nearest_neighbours,
    precision_recall,
)


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh generator per test, so no test's data depends on which tests ran before it."""
    return np.random.default_rng(0)


def test_frechet_distance_of_gaussians_matches_the_closed_form(rng: np.random.Generator) -> None:
    a = rng.standard_normal((20000, 4))
    b = rng.standard_normal((20000, 4)) * 2 + np.array([1.0, 0, 0, 0])
    # |mu|^2 + tr(I + 4I - 2*2I) = 1 + 4 * (1 + 4 - 4) = 5
    assert frechet_distance(a, b) == pytest.approx(5.0, rel=0.03)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)


def test_kid_is_near_zero_for_one_distribution_and_positive_for_two(rng: np.random.Generator) -> None:
    a, b = rng.standard_normal((500, 8)), rng.standard_normal((500, 8))
    assert abs(kernel_inception_distance(a, b)) < 0.05
    assert kernel_inception_distance(a, b + 1.0) > 1.0


def test_precision_recall_tell_realism_from_coverage(rng: np.random.Generator) -> None:
    real = rng.standard_normal((400, 2))
    assert precision_recall(real, real.copy()) == (1.0, 1.0)
    collapsed = rng.standard_normal((400, 2)) * 0.05  # realistic, but one mode
    precision, recall = precision_recall(real, collapsed)
    assert precision > 0.95 and recall < 0.3
    far = real + 10.0
    assert precision_recall(real, far) == (0.0, 0.0)


def test_distances_and_nearest_neighbours() -> None:
    items = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])
    distances, nearest = nearest_neighbours(np.array([[3.0, 4.2]]), items)
    assert nearest.tolist() == [1] and distances[0] == pytest.approx(0.2)
    np.testing.assert_allclose(leave_one_out_nearest(items), [5.0, 1.0, 1.0])
    assert mean_pairwise_distance(items) == pytest.approx((5 + np.hypot(3, 5) + 1) / 3)


def test_pca_keeps_the_directions_of_largest_variance(rng: np.random.Generator) -> None:
    data = rng.standard_normal((300, 5)) * np.array([10.0, 5.0, 0.1, 0.1, 0.1])
    pca = Pca.fit(data, dims=2)
    assert pca.explained > 0.99
    np.testing.assert_allclose(np.abs(pca.components), np.eye(5)[:2], atol=0.02)
    assert pca.transform(data).shape == (300, 2)


def test_classifier_tells_noise_from_smooth_images_but_not_two_halves_of_one_set(rng: np.random.Generator) -> None:
    flat = np.repeat(rng.random((600, 1, 1)), 64, axis=1).reshape(600, 8, 8)  # one grey per image
    noise = rng.random((600, 8, 8))
    assert two_sample_accuracy(flat, noise) > 0.95
    assert abs(two_sample_accuracy(noise[:300], noise[300:]) - 0.5) < 0.1


def test_evaluate_puts_a_copy_of_the_data_at_the_floor_and_flags_memorisation(rng: np.random.Generator) -> None:
    # Smooth random "faces": low-rank images so PCA-64 is well defined on 300 of them.
    basis = rng.standard_normal((20, 16 * 16))
    real = 0.5 + 0.02 * (rng.standard_normal((300, 20)) @ basis).reshape(300, 16, 16)
    report = evaluate(real.copy(), real)
    copies, floor = report["generator"], report["real floor"]
    assert set(copies) == set(COLUMNS) == set(floor)
    assert copies["memorised"] == 1.0  # every "sample" is a training image
    assert floor["memorised"] < 0.05
    noise = rng.random((300, 16, 16))
    assert evaluate(noise, real)["generator"]["frechet"] > 10 * floor["frechet"]
    assert "| real floor |" in format_table({"real floor": floor})
    pairs = nearest_training_pairs(real[:20], real, shown=4)
    assert pairs.shape == (4, 2, 16, 16)
    np.testing.assert_array_equal(pairs[:, 0], pairs[:, 1])


def test_classifier_takes_rgb_grids_and_sees_colour(rng: np.random.Generator) -> None:
    base = rng.random((400, 12, 12, 1))
    reddish = np.concatenate([base, base * 0.5, base * 0.5], axis=3)
    bluish = np.concatenate([base * 0.5, base * 0.5, base], axis=3)
    assert two_sample_accuracy(reddish[:200], bluish[200:]) > 0.95
