"""Resumable training checkpoints: both networks, both optimizers, the epoch and RNG state.

    save_checkpoint(run_dir / "checkpoint.pt", state)
    state = load_checkpoint(run_dir / "checkpoint.pt")

These are torch files for resuming our own runs, loaded with `weights_only=True` so even they
cannot run code. What serving reads is the generator file, written by `training.export`.
"""

from __future__ import annotations

from pathlib import Path

import torch


def save_checkpoint(path: Path, state: dict) -> None:
    """Write `state` (tensors, state dicts, numbers, strings) atomically."""
    partial = path.with_name(path.name + ".partial")
    torch.save(state, partial)
    partial.replace(path)


def load_checkpoint(path: Path) -> dict:
    """Read a checkpoint written by `save_checkpoint`."""
    return torch.load(path, map_location="cpu", weights_only=True)
