"""Training data: messy folders, duplicates, bad files, the cache."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from pixelgan.training import data
from pixelgan.training.data import DatasetError, load_dataset, save_grids
from pixelgan.training.fake_data import make_fake_photos

from tests.conftest import photo_bytes


def test_messy_folder_counts_duplicates_and_skips(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_fake_photos(tmp_path / "photos", count=6)
    first = sorted(root.rglob("*.jpg"))[0]
    (root / "person-0" / "copy.jpg").write_bytes(first.read_bytes())
    (root / "person-1" / "copy2.jpg").write_bytes(first.read_bytes())
    (root / "notes.txt").write_text("not an image, and not an image suffix")
    (root / "fake.png").write_text("not an image but named like one")
    (root / "tiny.png").write_bytes(photo_bytes((20, 20)))
    truncated = photo_bytes((200, 200))
    (root / "truncated.png").write_bytes(truncated[: len(truncated) // 2])
    with caplog.at_level(logging.WARNING):
        dataset = load_dataset(root, boxes=40, cache_dir=None)
    assert dataset.grids.shape == (6, 40, 40)
    assert dataset.files_seen == 11
    assert sorted(dataset.duplicates) == ["person-0/copy.jpg", "person-1/copy2.jpg"]
    assert sorted(dataset.skipped) == ["fake.png", "tiny.png", "truncated.png"]
    assert "skipped 3 of 11 files" in caplog.text
    assert dataset.summary()["duplicates_dropped"] == 2


def test_flat_folder_works(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"{index}.png").write_bytes(photo_bytes((50 + index, 60)))
    assert load_dataset(tmp_path, boxes=40, cache_dir=None).grids.shape == (3, 40, 40)


def test_folder_without_usable_images_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_text("nope")
    with pytest.raises(DatasetError, match="holds no usable image"):
        load_dataset(tmp_path, cache_dir=None)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="is not a folder"):
        load_dataset(tmp_path / "absent", cache_dir=None)


def test_second_run_reuses_the_cache_and_a_change_invalidates_it(tmp_path: Path) -> None:
    root = make_fake_photos(tmp_path / "photos", count=5)
    cache = tmp_path / "cache"
    first = load_dataset(root, boxes=40, cache_dir=cache)
    second = load_dataset(root, boxes=40, cache_dir=cache)
    assert not first.from_cache and second.from_cache
    np.testing.assert_array_equal(first.grids, second.grids)
    assert second.files_seen == first.files_seen
    assert not load_dataset(root, boxes=20, cache_dir=cache).from_cache  # other settings
    (root / "new.png").write_bytes(photo_bytes((80, 80)))
    changed = load_dataset(root, boxes=40, cache_dir=cache)
    assert not changed.from_cache and len(changed.grids) == 6


def test_a_grid_file_stands_in_for_its_folder(tmp_path: Path) -> None:
    root = make_fake_photos(tmp_path / "photos", count=5)
    (root / "broken.jpg").write_text("nope")
    photos = load_dataset(root, boxes=20, cache_dir=None)
    save_grids(photos, tmp_path / "grids.npz")
    grids = load_dataset(tmp_path / "grids.npz", boxes=20, cache_dir=None)
    np.testing.assert_array_equal(grids.grids, photos.grids)
    assert grids.summary() == photos.summary()  # the folder's name and counts travel with the grids
    assert grids.skipped == {"broken.jpg": photos.skipped["broken.jpg"]}


def test_a_grid_file_made_otherwise_or_not_a_grid_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_grids(
        load_dataset(make_fake_photos(tmp_path / "photos", count=3), boxes=20, cache_dir=None), tmp_path / "g.npz"
    )
    with pytest.raises(DatasetError, match=r"made with \{'boxes': 20.*this run needs \{'boxes': 40"):
        load_dataset(tmp_path / "g.npz", boxes=40, cache_dir=None)
    np.savez(tmp_path / "other.npz", grids=np.zeros((2, 20, 20)))
    with pytest.raises(DatasetError, match="not a grid file"):
        load_dataset(tmp_path / "other.npz", boxes=20, cache_dir=None)
    monkeypatch.setattr(data, "PREPROCESSING_VERSION", data.PREPROCESSING_VERSION + 1)
    with pytest.raises(DatasetError, match="cut by an older version of the preprocessing"):
        load_dataset(tmp_path / "g.npz", boxes=20, cache_dir=None)
    (tmp_path / "text.npz").write_text("nope")
    with pytest.raises(DatasetError, match="not a grid file"):
        load_dataset(tmp_path / "text.npz", boxes=20, cache_dir=None)
