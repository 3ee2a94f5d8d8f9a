"""Rewrite the golden images from the shipped generators and the current code.

    python -m tests.golden.regenerate

Writes `tests/golden/<model id>/` for every shipped model (its cases' bytes and a manifest
with the model's name and the render version) and removes the folders of model ids no
longer shipped. It refuses to overwrite an image whose bytes changed while both the model
id and `model.render.RENDER_VERSION` stayed the same: those bytes were served as
immutable, so the change needs a new render version first.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from pixelgan.model.render import RENDER_VERSION

from tests.golden import GOLDEN_ROOT, MANIFEST, cases_of, read_manifest, render, shipped_client, shipped_model_ids


def main() -> int:
    with shipped_client() as client:
        model_ids = shipped_model_ids(client)
        images = {name: {case.name: render(client, case) for case in cases_of(name)} for name in model_ids}
    refusals = [refusal for name, model_id in model_ids.items() for refusal in changed(model_id, images[name])]
    if refusals:
        print(
            f"refused: {'; '.join(refusals)} changed under render version {RENDER_VERSION}; "
            "bump RENDER_VERSION in model/render.py, then run this again",
            file=sys.stderr,
        )
        return 1
    for old in GOLDEN_ROOT.iterdir():
        if old.is_dir() and (old / MANIFEST).exists() and old.name not in model_ids.values():
            shutil.rmtree(old)
    for name, model_id in model_ids.items():
        write_folder(GOLDEN_ROOT / model_id, name, images[name])
        print(f"{len(images[name])} golden images of {name} ({model_id}), render version {RENDER_VERSION}")
    return 0


def changed(model_id: str, images: dict[str, bytes]) -> list[str]:
    """'<model id>/<file>' for each image whose kept bytes differ under this render version."""
    folder = GOLDEN_ROOT / model_id
    manifest = read_manifest(folder)
    if not manifest or manifest["render_version"] != RENDER_VERSION:
        return []
    return [
        f"{model_id}/{name}"
        for name, data in images.items()
        if (folder / name).exists() and (folder / name).read_bytes() != data
    ]


def write_folder(folder: Path, model: str, images: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for name, data in images.items():
        (folder / name).write_bytes(data)
    manifest = {"model": model, "model_id": folder.name, "render_version": RENDER_VERSION, "files": sorted(images)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
