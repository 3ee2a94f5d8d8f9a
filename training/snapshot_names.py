"""Where a run keeps its snapshots, and what they are called: one place for the name.

    snapshot_path(run_dir, 210)      # run_dir/snapshots/epoch-0210.safetensors
    run_snapshots(run_dir)           # every snapshot kept, earliest first
    snapshot_epoch(path)             # 210

`training.run_folder` writes the snapshots, and `training.snapshot_means`, `pixelgan select`
and the ablation scripts read them. The module imports no torch, so the readers stay
torch-free.
"""

from __future__ import annotations

from pathlib import Path

SNAPSHOTS_FOLDER = "snapshots"
_PREFIX = "epoch-"
_SUFFIX = ".safetensors"


def snapshot_path(run_dir: Path, epoch: int) -> Path:
    """The snapshot of `epoch` in `run_dir`: snapshots/epoch-NNNN.safetensors."""
    return Path(run_dir) / SNAPSHOTS_FOLDER / f"{_PREFIX}{epoch:04d}{_SUFFIX}"


def snapshot_epoch(path: Path) -> int:
    """The epoch in a snapshot's name."""
    return int(Path(path).name.removeprefix(_PREFIX).removesuffix(_SUFFIX))


def run_snapshots(run_dir: Path) -> list[Path]:
    """The snapshots `pixelgan train` kept in `run_dir`, earliest first."""
    return sorted((Path(run_dir) / SNAPSHOTS_FOLDER).glob(f"{_PREFIX}*{_SUFFIX}"), key=snapshot_epoch)
