"""`pixelgan generate`, `pixelate` and `morph`: the service's images, written to files.

    pixelgan generate --seed 42 -o face.png [--model celebrity-mlp --levels 4 --dither bayer4]
    pixelgan pixelate portrait.jpg -o pixels.png --boxes 40 --scale 8 [--color --crop face]
    pixelgan morph 3 7 -o walk.gif --frames 32 --ms 80

Each calls the function of `model.render` that the matching route calls, so a command and a
request with the same parameters write the same bytes. Neither torch nor anything of
training is imported.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from pixelgan.commands.arguments import (
    add_model,
    add_rendering,
    add_weights,
    bounded,
    positive,
    rendering,
    seed,
    weights_setting,
    write_output,
)
from pixelgan.model.animation import DEFAULT_FRAME_MS, FORMATS, MAX_FRAME_MS, MIN_FRAME_MS
from pixelgan.model.catalog import choose_model
from pixelgan.model.crop import CROPS
from pixelgan.model.inference import SEED_MAX, NumpyGenerator
from pixelgan.model.morph import DEFAULT_FRAMES, MAX_FRAMES, MIN_FRAMES
from pixelgan.model.render import render_faces, render_morph, render_photo
from pixelgan.model.shipped import resolve_weights_list


def add_parsers(commands: argparse._SubParsersAction) -> None:
    generate = commands.add_parser("generate", help="make one face PNG from a seed")
    generate.add_argument("--seed", type=seed, default=None, help=f"0..{SEED_MAX}; random when left out")
    add_weights(generate)
    add_model(generate)
    generate.add_argument("-o", "--output", type=Path, default=Path("face.png"), help="PNG to write")
    add_rendering(generate)
    generate.set_defaults(run=run_generate)

    pixelate = commands.add_parser("pixelate", help="pixelate a photo as the training data was")
    pixelate.add_argument("input", type=Path, help="photo in any format Pillow reads")
    pixelate.add_argument("-o", "--output", type=Path, required=True, help="PNG to write")
    pixelate.add_argument("--boxes", type=positive, default=40, help="pixel grid side (default 40)")
    pixelate.add_argument("--color", action="store_true", help="keep RGB block means instead of grey")
    pixelate.add_argument("--crop", choices=CROPS, default="center", help="square cut: center (default) or face")
    add_rendering(pixelate)
    pixelate.set_defaults(run=run_pixelate)

    morph = commands.add_parser("morph", help="a looping animation from one seed's face to another's and back")
    morph.add_argument("seed_from", type=seed, metavar="A", help=f"seed of the first face, 0..{SEED_MAX}")
    morph.add_argument("seed_to", type=seed, metavar="B", help="seed of the face halfway")
    morph.add_argument(
        "-o", "--output", type=animation_path, required=True, help="animation to write: .gif, .webp or .png"
    )
    add_weights(morph)
    add_model(morph)
    morph.add_argument(
        "--frames",
        type=bounded(MIN_FRAMES, MAX_FRAMES),
        default=DEFAULT_FRAMES,
        help=f"frames in the loop, {MIN_FRAMES}..{MAX_FRAMES} (default {DEFAULT_FRAMES})",
    )
    morph.add_argument(
        "--ms",
        type=bounded(MIN_FRAME_MS, MAX_FRAME_MS),
        default=DEFAULT_FRAME_MS,
        help=f"milliseconds a frame, {MIN_FRAME_MS}..{MAX_FRAME_MS} (default {DEFAULT_FRAME_MS})",
    )
    add_rendering(morph)
    morph.set_defaults(run=run_morph)


def run_generate(args: argparse.Namespace) -> int:
    generator = chosen_generator(args)
    face_seed = random.randint(0, SEED_MAX) if args.seed is None else args.seed
    write_output(args.output, render_faces(generator, face_seed, **rendering(args)).data)
    print(f"seed {face_seed} -> {args.output}")
    return 0


def run_pixelate(args: argparse.Namespace) -> int:
    photo = render_photo(args.input, boxes=args.boxes, color=args.color, crop=args.crop, **rendering(args))
    write_output(args.output, photo.data)
    print(args.output)
    return 0


def run_morph(args: argparse.Namespace) -> int:
    generator = chosen_generator(args)
    fmt = args.output.suffix.lower().removeprefix(".")
    walk = render_morph(
        generator, args.seed_from, args.seed_to, frames=args.frames, ms=args.ms, fmt=fmt, **rendering(args)
    )
    write_output(args.output, walk.data)
    print(f"seeds {args.seed_from} -> {args.seed_to} -> {args.seed_from}, {args.frames} frames -> {args.output}")
    return 0


def chosen_generator(args: argparse.Namespace) -> NumpyGenerator:
    """The generator of `--model` among the files of `--weights` (the first when no --model)."""
    return NumpyGenerator.from_file(choose_model(resolve_weights_list(weights_setting(args)), args.model))


def animation_path(text: str) -> Path:
    """An argparse type for the animation to write: its suffix names the format."""
    path = Path(text)
    if path.suffix.lower().removeprefix(".") not in FORMATS:
        raise argparse.ArgumentTypeError(f"the output must end in .gif, .webp or .png (APNG), got {path.name!r}")
    return path
