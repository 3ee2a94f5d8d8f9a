"""The `pixelgan` command: train, evaluate, select, figures, generate, pixelate, morph, serve.

    pixelgan train --data ~/photos/celebrity-faces --out runs/celebrity --epochs 300
    pixelgan evaluate --weights runs/celebrity --data ~/photos/celebrity-faces
    pixelgan select runs/celebrity --copy-to best.safetensors
    pixelgan figures --weights runs/celebrity --data ~/photos/celebrity-faces --out sheet.png
    pixelgan generate --seed 42 -o face.png
    pixelgan pixelate portrait.jpg -o portrait-pixels.png --boxes 40 --scale 8 [--levels 4 --dither bayer4]
    pixelgan morph 3 7 -o walk.gif --frames 32 --ms 80
    pixelgan serve --port 8000

This module only parses arguments and calls the packages; each subcommand imports what it
needs when it runs, so `serve` and `generate` never import torch.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pixelgan.model.animation import DEFAULT_FRAME_MS, FORMATS, MAX_FRAME_MS, MIN_FRAME_MS
from pixelgan.model.architectures import ARCHITECTURES
from pixelgan.model.crop import CROPS
from pixelgan.model.errors import FaceDetectorMissingError, GeneratorFileError, ImageError
from pixelgan.model.inference import SEED_MAX
from pixelgan.model.morph import DEFAULT_FRAMES, MAX_FRAMES, MIN_FRAMES
from pixelgan.model.quantize import DITHERS, MAX_LEVELS, MIN_LEVELS
from pixelgan.model.render import pinned_blas

# Commands whose output bytes must equal the service's: BLAS pinned as the service pins it.
RENDERING_COMMANDS = {"generate", "pixelate", "morph"}
# What the `train` extra installs; a subcommand that meets one missing says which extra to add.
TRAIN_EXTRA_MODULES = {"torch", "dlib", "cv2"}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        if args.command in RENDERING_COMMANDS:
            with pinned_blas():
                return args.run(args)
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
    except (GeneratorFileError, ImageError, FaceDetectorMissingError, ValueError, RuntimeError, OSError) as error:
        print(f"pixelgan {args.command}: error: {error}", file=sys.stderr)
        return 2


def run_train(args: argparse.Namespace) -> int:
    from pixelgan.model.config import GeneratorConfig
    from pixelgan.training.data import DEFAULT_CACHE_DIR, load_dataset
    from pixelgan.training.fake_data import make_fake_photos
    from pixelgan.training.loop import train
    from pixelgan.training.options import TrainOptions

    options = TrainOptions(
        epochs=2 if args.dry_run else args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        device=args.device,
        flip=args.flip,
        sample_every=args.sample_every,
        checkpoint_every=args.checkpoint_every,
        loss=args.loss,
        augment=tuple(args.augment),
        ema=args.ema,
        crop=args.crop,
        d_channels=tuple(args.d_channels),
        minibatch_std=args.minibatch_std,
        r1=args.r1,
        r1_every=args.r1_every,
        d_norm=args.d_norm,
        d_residual=args.d_residual,
        lecam=args.lecam,
        ada_target=args.ada_target,
    )
    config = GeneratorConfig(
        arch=args.arch,
        latent_dim=args.latent_dim,
        grid=args.boxes,
        hidden=args.hidden,
        attention=args.attention,
        channels=3 if args.color else 1,
    )
    with tempfile.TemporaryDirectory() as scratch:
        data = make_fake_photos(Path(scratch) / "photos") if args.dry_run else args.data
        if data is None:
            raise ValueError("--data FOLDER is required (or --dry-run for a generated folder)")
        cache_dir = None if (args.no_cache or args.dry_run) else (args.cache_dir or DEFAULT_CACHE_DIR)
        dataset = load_dataset(
            data, boxes=args.boxes, crop=args.crop, color=args.color, cache_dir=cache_dir, show_progress=True
        )
    print(
        f"{dataset.summary()['images_used']} images from {dataset.root} "
        f"({len(dataset.duplicates)} duplicates dropped, {len(dataset.skipped)} files skipped"
        f"{', from cache' if dataset.from_cache else ''})",
        file=sys.stderr,
    )
    path = train(dataset.grids, config, options, run_dir=args.out, summary=dataset.summary(), resume=args.resume)
    print(path)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from pixelgan.model.shipped import resolve_weights
    from pixelgan.training.data import DEFAULT_CACHE_DIR
    from pixelgan.training.evaluate import evaluate_file, format_morph, format_table, write_report

    weights = resolve_weights(args.weights)
    cache_dir = args.cache_dir or DEFAULT_CACHE_DIR
    report, fakes, real = evaluate_file(weights, args.data, samples=args.n, seed=args.seed, cache_dir=cache_dir)
    written = write_report(args.out or weights.parent, report, fakes, real)
    print(format_table({name: report[name] for name in ("generator", "real floor")}))
    print(format_morph(report["morph"]))
    print(", ".join(str(path) for path in written))
    return 0


def run_figures(args: argparse.Namespace) -> int:
    from pixelgan.model.shipped import resolve_weights
    from pixelgan.training.figures import write_samples_beside_real

    print(write_samples_beside_real(resolve_weights(args.weights), args.data, args.out))
    return 0


def run_select(args: argparse.Namespace) -> int:
    import shutil

    from pixelgan.training.data import DEFAULT_CACHE_DIR
    from pixelgan.training.evaluate import generator_and_real_grids
    from pixelgan.training.select import rank_snapshots

    paths = sorted((args.run_dir / "snapshots").glob("*.safetensors"))
    if not paths:
        raise ValueError(f"{args.run_dir / 'snapshots'} holds no *.safetensors snapshot (written by pixelgan train)")
    cache_dir = args.cache_dir or DEFAULT_CACHE_DIR
    _, real, _ = generator_and_real_grids(paths[-1], args.data, cache_dir=cache_dir)
    ranked = rank_snapshots(paths, real)
    print("| snapshot | dlib (strict) | haar (lenient) | frechet | classifier |\n|---|---:|---:|---:|---:|")
    for item in sorted(ranked, key=lambda item: item.path.name):
        realism = "| |" if item.frechet is None else f"| {item.frechet:.3f} | {item.classifier:.3f} |"
        print(f"| {item.path.name} | {item.rates['dlib']:.3f} | {item.rates['haar']:.3f} {realism}")
    best = ranked[0].path
    print(f"best: {best}")
    if args.copy_to:
        shutil.copyfile(best, args.copy_to)
        print(args.copy_to)
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from pixelgan.model.inference import NumpyGenerator
    from pixelgan.model.png import encode_png
    from pixelgan.model.quantize import quantize
    from pixelgan.model.shipped import resolve_weights

    generator = NumpyGenerator.from_file(resolve_weights(args.weights))
    seed = random.randint(0, SEED_MAX) if args.seed is None else args.seed
    face = quantize(generator.faces_for_seeds([seed])[0], args.levels, args.dither)
    args.output.write_bytes(encode_png(face, args.scale))
    print(f"seed {seed} -> {args.output}")
    return 0


def run_pixelate(args: argparse.Namespace) -> int:
    from pixelgan.model.photo import pixelate_photo
    from pixelgan.model.png import encode_png
    from pixelgan.model.quantize import quantize
    from pixelgan.model.sheet import grid_to_uint8

    grid = pixelate_photo(args.input, args.boxes, color=args.color, crop=args.crop)
    pixels = quantize(grid_to_uint8(grid), args.levels, args.dither, color=args.color)
    args.output.write_bytes(encode_png(pixels, args.scale))
    print(args.output)
    return 0


def run_morph(args: argparse.Namespace) -> int:
    from pixelgan.model.animation import encode_animation
    from pixelgan.model.inference import NumpyGenerator
    from pixelgan.model.morph import morph_faces
    from pixelgan.model.quantize import quantize
    from pixelgan.model.shipped import resolve_weights

    fmt = args.output.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise ValueError(f"the output must end in .gif, .webp or .png (APNG), got {args.output.name!r}")
    generator = NumpyGenerator.from_file(resolve_weights(args.weights))
    faces = quantize(morph_faces(generator, args.seed_from, args.seed_to, args.frames), args.levels, args.dither)
    args.output.write_bytes(encode_animation(faces, scale=args.scale, ms=args.ms, fmt=fmt))
    print(f"seeds {args.seed_from} -> {args.seed_to} -> {args.seed_from}, {args.frames} frames -> {args.output}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from pixelgan.app.server import serve

    return serve(weights=args.weights, host=args.host, port=args.port, workers=args.workers)


def _seed(text: str) -> int:
    seed = int(text)
    if not 0 <= seed <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"seed must be between 0 and {SEED_MAX}")
    return seed


def _bounded(minimum: int, maximum: int) -> Callable[[str], int]:
    """An argparse type for an integer from `minimum` to `maximum`, the limits the service uses."""

    def parse(text: str) -> int:
        value = int(text)
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"must be an integer from {minimum} to {maximum}")
        return value

    return parse


def _add_levels_and_dither(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--levels",
        type=_bounded(MIN_LEVELS, MAX_LEVELS),
        default=MAX_LEVELS,
        help=f"evenly spaced grey levels, {MIN_LEVELS}..{MAX_LEVELS} (default {MAX_LEVELS}: unchanged)",
    )
    parser.add_argument("--dither", choices=DITHERS, default="none", help="how in-between greys are spread over cells")


def _widths(text: str) -> tuple[int, ...]:
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not widths or min(widths) < 1:
        raise argparse.ArgumentTypeError("widths must be positive integers")
    return widths


def _augmentations(text: str) -> tuple[str, ...]:
    # Names are checked by TrainOptions, which knows them without this module importing torch.
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pixelgan", description="Pixel-art faces from a small GAN.")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a generator on a folder of photos")
    train.add_argument("--data", type=Path, help="folder of photos (class folders or flat)")
    train.add_argument("--out", type=Path, required=True, help="run folder for the generator, losses, samples")
    train.add_argument("--epochs", type=_positive, default=300, help="passes over the data (default 300)")
    train.add_argument("--batch-size", type=_positive, default=64, help="images per step (default 64)")
    train.add_argument(
        "--arch",
        choices=ARCHITECTURES,
        default="mlp",
        help="generator: " + "; ".join(f"{name}, {record.summary}" for name, record in ARCHITECTURES.items()),
    )
    default_widths = "; ".join(
        f"{name} {','.join(map(str, record.default_hidden))}" for name, record in ARCHITECTURES.items()
    )
    train.add_argument(
        "--hidden", type=_widths, default=None, help=f"comma-separated widths (default {default_widths})"
    )
    train.add_argument(
        "--attention", type=int, default=0, help="conv: self-attention after the map of this side, e.g. 20 (0: none)"
    )
    train.add_argument("--color", action="store_true", help="conv: RGB faces from colour grids (default: grey)")
    train.add_argument("--loss", choices=["ns", "hinge"], default="ns", help="ns: the post's BCE (default); hinge")
    train.add_argument(
        "--augment",
        type=_augmentations,
        default=(),
        help="DiffAugment operations for real and fake, comma-separated: translation,brightness,contrast,flip,cutout",
    )
    train.add_argument("--ema", type=float, default=0.0, help="EMA decay of the exported generator (0: off, default)")
    train.add_argument("--lr", type=float, default=2e-4, help="Adam learning rate for both nets (default 2e-4)")
    train.add_argument("--latent-dim", type=_positive, default=100, help="length of the latent vector (default 100)")
    train.add_argument("--boxes", type=_positive, default=40, help="pixel grid side (default 40)")
    train.add_argument("--seed", type=int, default=0, help="random seed; same seed and data on CPU, same weights")
    train.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="where to train")
    train.add_argument("--flip", action="store_true", help="flip real images left-right at random")
    train.add_argument(
        "--crop",
        choices=["center", "face"],
        default="center",
        help="square cut from each photo: center (the post's AbsCenterCrop, default) or face (needs dlib-bin)",
    )
    train.add_argument(
        "--d-channels", type=_widths, default=(), help="conv discriminator widths, comma-separated (default 32,64,128)"
    )
    train.add_argument("--minibatch-std", action="store_true", help="conv discriminator: add a minibatch-std channel")
    train.add_argument("--r1", type=float, default=0.0, help="R1 penalty gamma on real images (0: off, default)")
    train.add_argument("--r1-every", type=_positive, default=16, help="steps between lazy R1 penalties (default 16)")
    train.add_argument(
        "--d-norm", choices=["spectral", "none"], default="spectral", help="conv discriminator normalisation"
    )
    train.add_argument("--d-residual", action="store_true", help="conv discriminator: residual blocks")
    train.add_argument("--lecam", type=float, default=0.0, help="LeCam penalty weight in D's loss (0: off, default)")
    train.add_argument(
        "--ada-target", type=float, default=0.0, help="adaptive augmentation target for D's real sign (0: off)"
    )
    train.add_argument("--sample-every", type=int, default=25, help="epochs between sample grids (0: end only)")
    train.add_argument("--checkpoint-every", type=int, default=25, help="epochs between checkpoints (0: end only)")
    train.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    train.add_argument("--dry-run", action="store_true", help="2 epochs on a small generated folder, for checks")
    train.add_argument(
        "--cache-dir", type=Path, default=None, help="where pixelated datasets are cached (default ~/.cache/pixelgan)"
    )
    train.add_argument("--no-cache", action="store_true", help="neither read nor write the dataset cache")
    train.set_defaults(run=run_train)

    evaluate = commands.add_parser("evaluate", help="score a generator against real photos (FD, KID, ...)")
    evaluate.add_argument(
        "--weights", type=Path, help="generator file or run folder (default: $PIXELGAN_WEIGHTS or shipped)"
    )
    evaluate.add_argument("--data", type=Path, required=True, help="folder of real photos (as for train)")
    evaluate.add_argument("--n", type=_positive, default=2000, help="faces to generate, seeds 0..n-1 (default 2000)")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the real split and the classifier")
    evaluate.add_argument("--out", type=Path, default=None, help="folder for evaluation.json (default: the weights')")
    evaluate.add_argument("--cache-dir", type=Path, default=None, help="dataset cache (default ~/.cache/pixelgan)")
    evaluate.set_defaults(run=run_evaluate)

    figures = commands.add_parser("figures", help="draw generated faces beside real grids (the README picture)")
    figures.add_argument("--weights", type=Path, help="generator file or run folder (default: shipped)")
    figures.add_argument("--data", type=Path, required=True, help="the training photo folder")
    figures.add_argument("--out", type=Path, required=True, help="PNG to write")
    figures.set_defaults(run=run_figures)

    select = commands.add_parser(
        "select", help="pick a run's best snapshot: realism among those whose faceness is near the best"
    )
    select.add_argument("run_dir", type=Path, help="run folder of pixelgan train (holds snapshots/)")
    select.add_argument("--data", type=Path, required=True, help="the training photo folder (real grids for realism)")
    select.add_argument("--cache-dir", type=Path, default=None, help="dataset cache (default ~/.cache/pixelgan)")
    select.add_argument("--copy-to", type=Path, default=None, help="copy the best snapshot to this file")
    select.set_defaults(run=run_select)

    generate = commands.add_parser("generate", help="make one face PNG from a seed")
    generate.add_argument("--seed", type=_seed, default=None, help=f"0..{SEED_MAX}; random when left out")
    generate.add_argument(
        "--weights", type=Path, help="generator file or run folder (default: $PIXELGAN_WEIGHTS or shipped)"
    )
    generate.add_argument("--scale", type=_positive, default=8, help="nearest-neighbour upscale (default 8)")
    generate.add_argument("-o", "--output", type=Path, default=Path("face.png"), help="PNG to write")
    _add_levels_and_dither(generate)
    generate.set_defaults(run=run_generate)

    pixelate = commands.add_parser("pixelate", help="pixelate a photo as the training data was")
    pixelate.add_argument("input", type=Path, help="photo in any format Pillow reads")
    pixelate.add_argument("-o", "--output", type=Path, required=True, help="PNG to write")
    pixelate.add_argument("--boxes", type=_positive, default=40, help="pixel grid side (default 40)")
    pixelate.add_argument("--scale", type=_positive, default=8, help="nearest-neighbour upscale (default 8)")
    pixelate.add_argument("--color", action="store_true", help="keep RGB block means instead of grey")
    pixelate.add_argument("--crop", choices=CROPS, default="center", help="square cut: center (default) or face")
    _add_levels_and_dither(pixelate)
    pixelate.set_defaults(run=run_pixelate)

    morph = commands.add_parser("morph", help="a looping animation from one seed's face to another's and back")
    morph.add_argument("seed_from", type=_seed, metavar="A", help=f"seed of the first face, 0..{SEED_MAX}")
    morph.add_argument("seed_to", type=_seed, metavar="B", help="seed of the face halfway")
    morph.add_argument("-o", "--output", type=Path, required=True, help="animation to write: .gif, .webp or .png")
    morph.add_argument("--weights", type=Path, help="generator file (default: $PIXELGAN_WEIGHTS or shipped)")
    morph.add_argument(
        "--frames",
        type=_bounded(MIN_FRAMES, MAX_FRAMES),
        default=DEFAULT_FRAMES,
        help=f"frames in the loop, {MIN_FRAMES}..{MAX_FRAMES} (default {DEFAULT_FRAMES})",
    )
    morph.add_argument(
        "--ms",
        type=_bounded(MIN_FRAME_MS, MAX_FRAME_MS),
        default=DEFAULT_FRAME_MS,
        help=f"milliseconds a frame, {MIN_FRAME_MS}..{MAX_FRAME_MS} (default {DEFAULT_FRAME_MS})",
    )
    morph.add_argument("--scale", type=_positive, default=8, help="nearest-neighbour upscale (default 8)")
    _add_levels_and_dither(morph)
    morph.set_defaults(run=run_morph)

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument(
        "--weights", type=Path, help="generator file or run folder (default: $PIXELGAN_WEIGHTS or shipped)"
    )
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1 or $PIXELGAN_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000 or $PIXELGAN_PORT)")
    serve.add_argument("--workers", type=_positive, default=None, help="worker processes (default 1)")
    serve.set_defaults(run=run_serve)
    return parser


if __name__ == "__main__":
    sys.exit(main())
