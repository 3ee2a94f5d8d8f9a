"""Seconds per training epoch of the post's MLP: cached grids vs decoding every image each epoch.

    python benchmarks/training.py [--data ../shared/data/celebrity-faces] [--epochs 3]

- one-off preprocessing: `load_dataset` with an empty cache (decode, dedupe, pixelate all
  files on a thread pool, write the cache), and then a load from that cache;
- cached epoch: one pass of the GAN step over the cached grids (median of `--epochs`
  epochs after a first, warm-up epoch);
- post's way: what the post's DataLoader did each epoch: open, grayscale, Resize to 400
  (a multiple of 40, so its loop gives 40x40), AbsCenterCrop and its per-block Pixelator
  for every image, in one process, then the same GAN step.
Without `--data` (or if the folder is missing) it uses 1,800 generated photos instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.config import GeneratorConfig
from pixelgan.model.crop import abs_center_crop
from pixelgan.model.networks import torch_architecture
from pixelgan.training.data import find_images, load_dataset
from pixelgan.training.fake_data import make_fake_photos
from pixelgan.training.step import train_step

from benchmarks.machine import print_header, print_table
from tests.helpers import post_pixelator

BOXES = 40
BATCH_SIZE = 64
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "celebrity-faces"


def post_grid(path: Path) -> np.ndarray:
    image = Image.open(path).convert("L").resize((10 * BOXES, 10 * BOXES))
    return post_pixelator(np.asarray(abs_center_crop(image)), BOXES)


class Gan:
    """The post's MLP pair and optimizers, stepping over batches of grids in [0, 1]."""

    def __init__(self) -> None:
        torch.manual_seed(0)
        networks = torch_architecture("mlp")
        self.generator = networks.generator(GeneratorConfig())
        self.discriminator = networks.discriminator(grid=BOXES)
        self.optimizer_g = torch.optim.Adam(self.generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.optimizer_d = torch.optim.Adam(self.discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.rng = torch.Generator().manual_seed(1)

    def step(self, grids: np.ndarray) -> None:
        real = torch.from_numpy(np.asarray(grids, np.float32)).unsqueeze(1) * 2 - 1
        train_step(self.generator, self.discriminator, self.optimizer_g, self.optimizer_d, real, self.rng)


def cached_epoch(gan: Gan, grids: np.ndarray) -> float:
    started = time.perf_counter()
    order = np.random.default_rng(0).permutation(len(grids))
    for begin in range(0, len(order), BATCH_SIZE):
        gan.step(grids[order[begin : begin + BATCH_SIZE]])
    return time.perf_counter() - started


def post_epoch(gan: Gan, paths: list[Path]) -> float:
    started = time.perf_counter()
    for begin in range(0, len(paths), BATCH_SIZE):
        gan.step(np.stack([post_grid(path) for path in paths[begin : begin + BATCH_SIZE]]))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="photo folder (default: the celebrity set)")
    parser.add_argument("--epochs", type=int, default=3, help="cached epochs timed after a warm-up epoch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data if args.data.is_dir() else make_fake_photos(Path(scratch) / "photos", count=1800)
        paths = find_images(data)
        print_header(f"training epoch, post's MLP, batch {BATCH_SIZE}, {len(paths)} files in {data.name}")
        started = time.perf_counter()
        dataset = load_dataset(data, boxes=BOXES, cache_dir=Path(scratch) / "cache")
        preprocessing = time.perf_counter() - started
        started = time.perf_counter()
        load_dataset(data, boxes=BOXES, cache_dir=Path(scratch) / "cache")
        cache_load = time.perf_counter() - started

        gan = Gan()
        cached_epoch(gan, dataset.grids)  # warm-up: first-call costs in torch
        cached = statistics.median(cached_epoch(gan, dataset.grids) for _ in range(args.epochs))
        post = post_epoch(gan, paths)  # inside the scratch folder: generated photos live there
    rows = [
        ["one-off: decode, dedupe, pixelate, write cache", f"{preprocessing:.2f}", ""],
        ["one-off: load from cache", f"{cache_load:.3f}", ""],
        [f"epoch, cached grids ({len(dataset.grids)} images)", f"{cached:.3f}", "1x"],
        [f"epoch, post's way ({len(paths)} images decoded)", f"{post:.2f}", f"{post / cached:.0f}x slower"],
    ]
    print_table(["step", "seconds", "vs cached"], rows)


if __name__ == "__main__":
    main()
