"""A tiny generated photo folder, so tests and `pixelgan train --dry-run` need no dataset.

    make_fake_photos(tmp_path / "photos", count=24)

Each photo is a light background with a dark ellipse "face" of random size and place, saved
as JPEG or PNG in two class folders, in sizes that are and are not multiples of 40.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def make_fake_photos(folder: str | Path, *, count: int = 24, seed: int = 0) -> Path:
    """Write `count` small synthetic photos under `folder` (two class folders) and return it."""
    folder = Path(folder)
    rng = np.random.default_rng(seed)
    for index in range(count):
        width, height = int(rng.integers(60, 130)), int(rng.integers(60, 130))
        image = Image.new("RGB", (width, height), tuple(int(v) for v in rng.integers(150, 255, 3)))
        draw = ImageDraw.Draw(image)
        cx, cy = width / 2 + rng.normal(0, 4), height / 2 + rng.normal(0, 4)
        rx, ry = min(width, height) * rng.uniform(0.2, 0.35), min(width, height) * rng.uniform(0.3, 0.45)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=tuple(int(v) for v in rng.integers(20, 120, 3)))
        person = folder / f"person-{index % 2}"
        person.mkdir(parents=True, exist_ok=True)
        suffix = ".jpg" if index % 3 else ".png"
        image.save(person / f"{index:03d}{suffix}")
    return folder
