"""Sample-quality metrics on feature vectors, in numpy: FD, KID, precision/recall, distances.

    fd = frechet_distance(real_features, fake_features)
    kid = kernel_inception_distance(real_features, fake_features)
    precision, recall = precision_recall(real_features, fake_features, k=3)

All take (N, D) float arrays. The features come from `training.features` (a PCA of the real
grids), not from an Inception net: nothing is downloaded, and 40x40 grey grids are far from
what Inception was trained on anyway. Figures are comparable only within one feature space,
so every report carries its real-vs-real floor.
"""

from __future__ import annotations

import numpy as np


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """|mu_a - mu_b|^2 + tr(C_a + C_b - 2 (C_a C_b)^(1/2)) between Gaussians fitted to a and b.

    tr((C_a C_b)^(1/2)) is the sum of the square roots of the eigenvalues of
    C_a^(1/2) C_b C_a^(1/2), a symmetric matrix, so no complex matrix square root is needed.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _psd_sqrt(cov_a)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0.0, None)).sum()
    mean_gap = a.mean(axis=0) - b.mean(axis=0)
    return float(mean_gap @ mean_gap + np.trace(cov_a) + np.trace(cov_b) - 2.0 * cross)


def kernel_inception_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Unbiased MMD^2 under the cubic kernel k(x, y) = (x.y / D + 1)^3 (Binkowski et al. 2018)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    dims = a.shape[1]
    k_aa = (a @ a.T / dims + 1.0) ** 3
    k_bb = (b @ b.T / dims + 1.0) ** 3
    k_ab = (a @ b.T / dims + 1.0) ** 3
    m, n = len(a), len(b)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2.0 * k_ab.mean())


def precision_recall(real: np.ndarray, fake: np.ndarray, *, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkaanniemi et al. 2019).

    Each set's manifold is the union of balls around its points reaching their k-th nearest
    neighbour. Precision: the share of fakes inside the real manifold (are samples
    realistic?). Recall: the share of reals inside the fake manifold (is the variety covered?).
    """
    real_radii = _kth_neighbour_distance(real, k)
    fake_radii = _kth_neighbour_distance(fake, k)
    between = pairwise_distances(fake, real)  # (F, R)
    precision = (between <= real_radii[None, :]).any(axis=1).mean()
    recall = (between <= fake_radii[:, None]).any(axis=0).mean()
    return float(precision), float(recall)


def pairwise_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(a), len(b)) Euclidean distances, via |a|^2 + |b|^2 - 2 a.b in float64."""
    a, b = np.asarray(a, np.float64).reshape(len(a), -1), np.asarray(b, np.float64).reshape(len(b), -1)
    squared = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.clip(squared, 0.0, None))


def nearest_neighbours(queries: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query, the distance to and index of its nearest reference item."""
    distances = pairwise_distances(queries, reference)
    nearest = distances.argmin(axis=1)
    return distances[np.arange(len(queries)), nearest], nearest


def leave_one_out_nearest(items: np.ndarray) -> np.ndarray:
    """Each item's distance to its nearest other item of the same set."""
    distances = pairwise_distances(items, items)
    np.fill_diagonal(distances, np.inf)
    return distances.min(axis=1)


def mean_pairwise_distance(items: np.ndarray) -> float:
    """Mean distance over all pairs of distinct items: how spread out a set is."""
    distances = pairwise_distances(items, items)
    count = len(items)
    return float(distances.sum() / (count * (count - 1)))


def _kth_neighbour_distance(items: np.ndarray, k: int) -> np.ndarray:
    distances = pairwise_distances(items, items)
    return np.sort(distances, axis=1)[:, k]  # column 0 is the item itself


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix, by eigendecomposition."""
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
