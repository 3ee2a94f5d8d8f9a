"""A training run's folder: what `pixelgan train` writes there, and where.

    folder = RunFolder(Path("runs/mine"))
    folder.start_losses(fresh=True)                           # losses.csv with its header
    folder.append_losses(epoch, means, seconds)               # one row per epoch
    folder.save_samples(generator, latents, epoch)            # samples/epoch-NNNN.png
    folder.export(generator, epoch, training={...}, crop="face")
    folder.checkpoint                                         # checkpoint.pt, written by training.checkpoint

`export` writes `generator.safetensors` (the latest, what serving loads) and keeps a copy
of every export as `snapshots/epoch-NNNN.safetensors`, so `pixelgan select` can choose one
afterwards.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image
from pixelgan.model.sheet import contact_sheet, signed_unit_to_uint8, upscale
from pixelgan.model.shipped import GENERATOR_FILE_NAME
from pixelgan.training.export import export_generator
from pixelgan.training.snapshot_names import snapshot_path
from torch import nn

LOSS_COLUMNS = ("epoch", "loss_d", "loss_g", "d_real", "d_fake", "real_sign", "augment_p", "seconds")
SAMPLE_COLUMNS = 8
SAMPLE_SCALE = 4


@dataclass(frozen=True)
class RunFolder:
    root: Path

    @property
    def checkpoint(self) -> Path:
        return self.root / "checkpoint.pt"

    @property
    def generator(self) -> Path:
        return self.root / GENERATOR_FILE_NAME

    @property
    def losses(self) -> Path:
        return self.root / "losses.csv"

    def start_losses(self, *, fresh: bool) -> None:
        """Make the folder; start losses.csv with its header when `fresh` or when there is none."""
        self.root.mkdir(parents=True, exist_ok=True)
        if fresh or not self.losses.exists():
            self.losses.write_text(",".join(LOSS_COLUMNS) + "\n")

    def append_losses(self, epoch: int, means: dict[str, float], seconds: float) -> None:
        """One row: the epoch, the mean of each loss column, and the epoch's seconds."""
        with self.losses.open("a", newline="") as out:
            row = [epoch, *(f"{means[name]:.5f}" for name in LOSS_COLUMNS[1:-1])]
            csv.writer(out).writerow([*row, f"{seconds:.3f}"])

    @torch.no_grad()
    def save_samples(self, generator: nn.Module, latents: torch.Tensor, epoch: int) -> Path:
        """An 8-column sheet of the generator's faces for the fixed `latents`, each cell 4x4 pixels."""
        was_training = generator.training
        generator.eval()
        faces = signed_unit_to_uint8(_channels_last(generator(latents)).cpu().numpy())
        generator.train(was_training)
        path = self.root / "samples" / f"epoch-{epoch:04d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(upscale(contact_sheet(faces, columns=SAMPLE_COLUMNS), SAMPLE_SCALE)).save(path)
        return path

    def export(self, generator: nn.Module, epoch: int, *, training: dict, crop: str) -> None:
        """Write the generator file, and keep a copy of it as the epoch's snapshot."""
        export_generator(generator, self.generator, training=training, crop=crop)
        snapshot = snapshot_path(self.root, epoch)
        snapshot.parent.mkdir(exist_ok=True)
        shutil.copyfile(self.generator, snapshot)


def _channels_last(images: torch.Tensor) -> torch.Tensor:
    """The networks' (N, C, H, W) -> (N, H, W) grey or (N, H, W, C) colour, as grids are kept."""
    return images.squeeze(1) if images.shape[1] == 1 else images.permute(0, 2, 3, 1)
