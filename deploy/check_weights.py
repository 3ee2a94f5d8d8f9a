"""Refuse an image without its model: load and run every generator file a weights folder holds.

    python deploy/check_weights.py              # the installed package's pixelgan.weights
    python deploy/check_weights.py weights/     # or a folder of model folders

The Dockerfile runs it right after `pip install`, so a build whose context lost the weights
(a `.dockerignore` that one builder reads differently from another) fails there, not when a
container starts. Each `*/generator.safetensors` is read by the serving loader (numpy, its
content hash checked) and renders one face, as a replica does when it starts; the model
served by default must be among them. Prints one line per problem and exits 1, or one line
per file checked and exits 0.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.render import render_faces
from pixelgan.model.shipped import GENERATOR_FILE_NAME, SHIPPED_GENERATOR


def weights_problems(folder: Path) -> tuple[list[Path], list[str]]:
    """The generator files under `folder`, and a sentence for each that cannot be served."""
    files = sorted(folder.glob(f"*/{GENERATOR_FILE_NAME}"))
    problems = []
    if not (folder / SHIPPED_GENERATOR).is_file():
        problems.append(f"{folder / SHIPPED_GENERATOR}: missing, and it is the model served by default")
    for path in files:
        try:
            render_faces(NumpyGenerator.from_file(path), 0)
        except GeneratorFileError as error:
            problems.append(str(error))
    return files, problems


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(str(resources.files("pixelgan.weights")))
    files, problems = weights_problems(folder)
    for problem in problems:
        print(f"check_weights: {problem}", file=sys.stderr)
    if problems:
        return 1
    for path in files:
        print(f"check_weights: {path}: loads and renders")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
