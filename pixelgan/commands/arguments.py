"""Flags and argument types that several subcommands share, each declared once.

    add_weights(parser)             # --weights FILE_OR_RUN_FOLDER[,...]
    weights_setting(args)           # --weights, else $PIXELGAN_WEIGHTS (through app.settings)
    add_model(parser)               # --model NAME_OR_ID, one of the weights setting's
    add_rendering(parser)           # --scale, --levels, --dither, --palette, with the service's ranges
    render_faces(generator, 42, **rendering(args))
    parser.add_argument("--seed", type=seed)

Ranges come from the modules that enforce them (`model.quantize`, `model.inference`), so the
command and the service accept the same values.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from pixelgan.model.errors import ConfigError, UserError
from pixelgan.model.inference import SEED_MAX
from pixelgan.model.palettes import GREY, PALETTES, check_palette_levels
from pixelgan.model.quantize import DITHERS, MAX_LEVELS, MIN_LEVELS


def add_weights(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weights",
        help="generator files or run folders, comma-separated, the first the default "
        "(default: $PIXELGAN_WEIGHTS, else every shipped generator)",
    )


def weights_setting(args: argparse.Namespace) -> str | None:
    """The weights a command uses: `--weights`, else `PIXELGAN_WEIGHTS` as the service reads it."""
    if args.weights:
        return args.weights
    from pydantic import ValidationError

    from pixelgan.app.settings import Settings  # the one reader of the PIXELGAN_* variables

    try:
        return Settings().weights
    except ValidationError as error:
        raise ConfigError(f"a PIXELGAN_* environment variable is not valid: {error}") from None


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default=None,
        help="which of the weights setting's models draws: a name or model id (default: the first)",
    )


def add_cache_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="where pixelated datasets are cached (default ~/.cache/pixelgan)"
    )


def add_rendering(parser: argparse.ArgumentParser) -> None:
    """--scale, --levels, --dither and --palette: how a grid becomes the picture written."""
    parser.add_argument("--scale", type=positive, default=8, help="nearest-neighbour upscale (default 8)")
    parser.add_argument(
        "--levels",
        type=bounded(MIN_LEVELS, MAX_LEVELS),
        default=MAX_LEVELS,
        help=f"evenly spaced grey levels, {MIN_LEVELS}..{MAX_LEVELS} (default {MAX_LEVELS}: unchanged)",
    )
    parser.add_argument("--dither", choices=DITHERS, default="none", help="how in-between greys are spread over cells")
    parser.add_argument(
        "--palette", choices=PALETTES, default=GREY, help="grey (--levels greys, the default) or a named palette"
    )


def rendering(args: argparse.Namespace) -> dict:
    """The values of `add_rendering`'s flags, as the keyword arguments of `model.render`'s functions."""
    check_palette_levels(args.palette, args.levels)
    return {"scale": args.scale, "levels": args.levels, "dither": args.dither, "palette": args.palette}


def seed(text: str) -> int:
    """An argparse type for a seed, 0..2**32 - 1."""
    value = int(text)
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"seed must be between 0 and {SEED_MAX}")
    return value


def bounded(minimum: int, maximum: int) -> Callable[[str], int]:
    """An argparse type for an integer from `minimum` to `maximum`, the limits the service uses."""

    def parse(text: str) -> int:
        value = int(text)
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"must be an integer from {minimum} to {maximum}")
        return value

    return parse


def positive(text: str) -> int:
    """An argparse type for an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def widths(text: str) -> tuple[int, ...]:
    """An argparse type for comma-separated positive widths, e.g. 256,128,64,32."""
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("widths must be positive integers")
    return values


def names(text: str) -> tuple[str, ...]:
    """An argparse type for comma-separated names; whoever takes them checks them."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def write_output(path: Path, data: bytes) -> None:
    """Write a command's output file; a path that cannot be written is a UserError naming it."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise UserError(f"cannot write {path} ({error.strerror})") from None
