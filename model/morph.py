"""Latent walks: from seed A's face to seed B's and back, by spherical interpolation.

    faces = morph_faces(generator, 3, 7, frames=32)    # (32, grid, grid) uint8, one batch forward

The walk is a loop: frame k of N sits at t = (1 - cos(2 pi k / N)) / 2 between A (t = 0) and
B (t = 1), so it eases out of A, reaches B at frame N/2 and eases back, and frame N would be
frame 0 again: the animation loops without a seam or a repeated frame. Frames k and N - k
are the same face, so only the first half is rendered.

Why slerp: a latent of D standard normals lies near the shell of radius sqrt(D), where the
Gaussian's mass is and where the generator learned. The straight line between two such
latents dips inside it (the midpoint of two orthogonal ones has radius sqrt(D / 2)) and its
faces come out washed out; the great-circle arc keeps the radius.
"""

from __future__ import annotations

import numpy as np
from pixelgan.model.inference import NumpyGenerator, latent_from_seed
from pixelgan.model.sheet import signed_unit_to_uint8

MIN_FRAMES = 2
MAX_FRAMES = 120
DEFAULT_FRAMES = 32
PARALLEL_ANGLE = 1e-6  # radians; below this the arc is a line and slerp's division is unstable


def slerp(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points at fractions `t` (shape (T,)) along the great-circle arc from `start` to `end`: (T, D)."""
    start64, end64 = start.astype(np.float64), end.astype(np.float64)
    cosine = np.dot(start64, end64) / (np.linalg.norm(start64) * np.linalg.norm(end64))
    angle = float(np.arccos(np.clip(cosine, -1.0, 1.0)))
    t = np.asarray(t, dtype=np.float64)[:, None]  # (T, 1)
    if angle < PARALLEL_ANGLE:
        return (1.0 - t) * start64 + t * end64
    return (np.sin((1.0 - t) * angle) * start64 + np.sin(t * angle) * end64) / np.sin(angle)


def walk_positions(frames: int) -> np.ndarray:
    """t of frames 0..frames//2 of the loop: 0 at A, 1 at B (reached at frame frames/2)."""
    _check_frames(frames)
    k = np.arange(frames // 2 + 1)
    return (1.0 - np.cos(2.0 * np.pi * k / frames)) / 2.0


def morph_faces(generator: NumpyGenerator, seed_from: int, seed_to: int, frames: int = DEFAULT_FRAMES) -> np.ndarray:
    """(frames, grid, grid) uint8 faces of the loop A -> B -> A, the half to B in one batch."""
    latent_dim = generator.config.latent_dim
    latents = slerp(
        latent_from_seed(seed_from, latent_dim), latent_from_seed(seed_to, latent_dim), walk_positions(frames)
    )
    half = signed_unit_to_uint8(generator.forward(latents.astype(np.float32)))  # frames 0..frames//2
    k = np.arange(frames)
    return half[np.minimum(k, frames - k)]  # frame k and frame frames - k are the same point


def _check_frames(frames: int) -> None:
    if not MIN_FRAMES <= frames <= MAX_FRAMES:
        raise ValueError(f"frames must be from {MIN_FRAMES} to {MAX_FRAMES}, got {frames}")
