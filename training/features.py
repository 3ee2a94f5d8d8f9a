"""A feature space the project owns: the principal components of the real grids.

    pca = Pca.fit(real_grids, dims=64)
    features = pca.transform(fake_grids)             # (N, 64)

The top 64 components of 40x40 face grids hold most of their variance (the explained share
is reported) and describe what the eye sees at this size: overall light, pose, hair, the
placement of eyes and mouth. Fitting on real images only means a generator cannot move the
axes it is measured on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pixelgan.model.errors import DataError


@dataclass(frozen=True)
class Pca:
    """mean (P,), components (dims, P) with orthonormal rows, explained (share of variance)."""

    mean: np.ndarray
    components: np.ndarray
    explained: float

    @classmethod
    def fit(cls, grids: np.ndarray, *, dims: int = 64) -> Pca:
        """Fit on (N, H, W) or (N, P) real images, keeping the top `dims` components."""
        flat = np.asarray(grids, np.float64).reshape(len(grids), -1)
        if dims > min(flat.shape):
            raise DataError(f"PCA-{dims} needs at least {dims} images of at least {dims} pixels, got {flat.shape}")
        mean = flat.mean(axis=0)
        _, singular, rows = np.linalg.svd(flat - mean, full_matrices=False)
        variance = singular**2
        return cls(mean=mean, components=rows[:dims], explained=float(variance[:dims].sum() / variance.sum()))

    def transform(self, grids: np.ndarray) -> np.ndarray:
        """(N, H, W) or (N, P) images -> (N, dims) coordinates."""
        flat = np.asarray(grids, np.float64).reshape(len(grids), -1)
        return (flat - self.mean) @ self.components.T
