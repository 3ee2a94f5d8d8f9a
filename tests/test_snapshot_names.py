"""Snapshot names: the path of an epoch's snapshot, its epoch back, and a run's snapshots in order."""

from __future__ import annotations

from pathlib import Path

from pixelgan.training.snapshot_names import run_snapshots, snapshot_epoch, snapshot_path


def test_an_epochs_path_gives_the_epoch_back(tmp_path: Path) -> None:
    path = snapshot_path(tmp_path, 210)
    assert path == tmp_path / "snapshots" / "epoch-0210.safetensors"
    assert snapshot_epoch(path) == 210
    assert snapshot_epoch(snapshot_path(tmp_path, 12345)) == 12345  # past four digits too


def test_a_runs_snapshots_come_in_epoch_order_and_nothing_else_counts(tmp_path: Path) -> None:
    for epoch in (10000, 20, 9990, 100):
        snapshot_path(tmp_path, epoch).parent.mkdir(exist_ok=True)
        snapshot_path(tmp_path, epoch).write_bytes(b"")
    (tmp_path / "snapshots" / "epoch-0030.png").write_bytes(b"")  # not a snapshot
    (tmp_path / "means").mkdir()
    (tmp_path / "means" / "epoch-0040.safetensors").write_bytes(b"")  # not in the snapshots folder
    assert [snapshot_epoch(path) for path in run_snapshots(tmp_path)] == [20, 100, 9990, 10000]


def test_a_run_without_snapshots_has_none(tmp_path: Path) -> None:
    assert run_snapshots(tmp_path) == []
