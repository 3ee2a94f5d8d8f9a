"""Rewrite the golden images from the shipped generator and the current code.

    python -m tests.golden.regenerate

Writes `tests/golden/<model id>/` (every case's bytes and a manifest with the render
version) and removes the folders of other model ids. It refuses to overwrite an image whose
bytes changed while both the model id and `model.render.RENDER_VERSION` stayed the same:
those bytes were served as immutable, so the change needs a new render version first.
"""

from __future__ import annotations

import json
import shutil
import sys

from pixelgan.model.render import RENDER_VERSION

from tests.golden import CASES, GOLDEN_ROOT, MANIFEST, read_manifest, render, shipped_client, shipped_model_id


def main() -> int:
    with shipped_client() as client:
        model_id = shipped_model_id(client)
        images = {case.name: render(client, case) for case in CASES}
    folder = GOLDEN_ROOT / model_id
    manifest = read_manifest(folder)
    if manifest and manifest["render_version"] == RENDER_VERSION:
        changed = [
            name for name, data in images.items() if (folder / name).exists() and (folder / name).read_bytes() != data
        ]
        if changed:
            print(
                f"refused: {', '.join(changed)} changed under render version {RENDER_VERSION} of model {model_id}; "
                "bump RENDER_VERSION in model/render.py, then run this again",
                file=sys.stderr,
            )
            return 1
    for old in GOLDEN_ROOT.iterdir():
        if old.is_dir() and (old / MANIFEST).exists() and old.name != model_id:
            shutil.rmtree(old)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for name, data in images.items():
        (folder / name).write_bytes(data)
    manifest = {"model_id": model_id, "render_version": RENDER_VERSION, "files": sorted(images)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(images)} golden images of model {model_id}, render version {RENDER_VERSION}, in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
