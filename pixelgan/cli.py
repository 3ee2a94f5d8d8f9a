"""The `pixelgan` command: train, prepare, evaluate, select, figures, generate, pixelate, morph, serve, models.

    pixelgan train --data ~/photos/celebrity-faces --out runs/celebrity --epochs 300
    pixelgan prepare --data ~/photos/celebrity-faces --out grids.npz
    pixelgan evaluate --weights runs/celebrity --data ~/photos/celebrity-faces
    pixelgan select runs/celebrity --data ~/photos/celebrity-faces --copy-to best.safetensors
    pixelgan figures --weights runs/celebrity --data ~/photos/celebrity-faces --out sheet.png
    pixelgan generate --seed 42 -o face.png
    pixelgan pixelate portrait.jpg -o portrait-pixels.png --boxes 40 --scale 8 [--levels 4 --dither bayer4]
    pixelgan morph 3 7 -o walk.gif --frames 32 --ms 80
    pixelgan serve --port 8000
    pixelgan models

This module assembles the subcommands of `pixelgan.commands` and runs the one asked for. A
`model.errors.UserError` is printed on one line (exit 2), and so is a missing package of
the `train` extra; anything else is a bug and keeps its traceback. Subcommands import
torch only when they run, so `serve` and `generate` never do.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pixelgan.commands import render, reports, serve, train
from pixelgan.model.errors import UserError

SUBCOMMANDS = (train, reports, render, serve)
# What the `train` extra installs; a subcommand that meets one missing says which extra to add.
TRAIN_EXTRA_MODULES = {"torch", "dlib", "cv2"}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        return args.run(args)
    except ModuleNotFoundError as error:
        if error.name not in TRAIN_EXTRA_MODULES:
            raise
        print(
            f"pixelgan {args.command}: needs the train extra ({error.name} is not installed): "
            "pip install 'pixelgan[train]'",
            file=sys.stderr,
        )
        return 2
    except UserError as error:
        print(f"pixelgan {args.command}: error: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pixelgan", description="Pixel-art faces from a small GAN.")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS:
        module.add_parsers(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
