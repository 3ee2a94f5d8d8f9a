"""`pixelgan train`: a generator from a folder of photos.

    pixelgan train --data ~/photos --out runs/mine                  # the shipped face recipe
    pixelgan train --data ~/photos --out runs/post --recipe post    # the post's MLP
    pixelgan train --data ~/photos --out runs/mine --epochs 100 --lecam 0   # a recipe, one setting changed
    pixelgan prepare --data ~/photos --out grids.npz                # the grids alone, to train elsewhere
    pixelgan train --data grids.npz --out runs/mine --device cuda    # ... without the photos

Two groups of flags map one to one onto two frozen dataclasses: "generator" onto
`GeneratorConfig` (what is saved in the generator file) and "training" onto `TrainOptions`
(how the run goes). Each flag's destination is its field's name and it has no default of
its own, so the namespace holds only what was typed; the recipe (`training.recipes`,
`--recipe`, default the shipped face recipe) fills in its settings, and the dataclass's
defaults the rest: adding a setting is one field and one flag here. The rest of the flags (data, run
folder, resume, cache) say where things are.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from pixelgan.commands.arguments import add_cache_dir, names, positive, widths
from pixelgan.model.architectures import ARCHITECTURES
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.conv_layout import DISCRIMINATOR_NORMS
from pixelgan.model.crop import CROPS
from pixelgan.model.errors import ConfigError
from pixelgan.training.options import DEVICES, LOSSES, OPERATIONS, TrainOptions
from pixelgan.training.recipes import DEFAULT_RECIPE, RECIPES

if TYPE_CHECKING:
    from pixelgan.training.data import Dataset

DRY_RUN_EPOCHS = 2
_CONFIG = GeneratorConfig()
_OPTIONS = TrainOptions()


def add_parsers(commands: argparse._SubParsersAction) -> None:
    train = commands.add_parser("train", help="train a generator on a folder of photos")
    train.add_argument(
        "--data", type=Path, help="folder of photos (class folders or flat), or a grid file from pixelgan prepare"
    )
    train.add_argument("--out", type=Path, required=True, help="run folder for the generator, losses, samples")
    recipes = "; ".join(f"{name}: {recipe.summary}" for name, recipe in RECIPES.items())
    train.add_argument(
        "--recipe",
        choices=RECIPES,
        default=DEFAULT_RECIPE,
        help=f"the settings flags start from (default {DEFAULT_RECIPE}): {recipes}",
    )
    _add_generator_flags(train.add_argument_group("generator", "the architecture, saved in the generator file"))
    _add_training_flags(train.add_argument_group("training", "how the run goes, saved in its checkpoint"))
    train.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    train.add_argument(
        "--dry-run", action="store_true", help=f"{DRY_RUN_EPOCHS} epochs on a small generated folder, for checks"
    )
    add_cache_dir(train)
    train.add_argument("--no-cache", action="store_true", help="neither read nor write the dataset cache")
    train.set_defaults(run=run_train)

    prepare = commands.add_parser(
        "prepare", help="pixelate a folder of photos once into a grid file that train and evaluate read as --data"
    )
    prepare.add_argument("--data", type=Path, required=True, help="folder of photos (class folders or flat)")
    prepare.add_argument("--out", type=Path, required=True, help="the grid file to write (.npz)")
    prepare.add_argument(
        "--recipe", choices=RECIPES, default=DEFAULT_RECIPE, help=f"whose crop and grid (default {DEFAULT_RECIPE})"
    )
    _setting(prepare, "--crop", choices=CROPS, help="square cut from each photo (default: the recipe's)")
    _setting(prepare, "--boxes", dest="grid", type=positive, help="pixel grid side (default: the recipe's)")
    _setting(prepare, "--color", dest="channels", action="store_const", const=3, help="colour grids")
    add_cache_dir(prepare)
    prepare.add_argument("--no-cache", action="store_true", help="neither read nor write the dataset cache")
    prepare.set_defaults(run=run_prepare, dry_run=False)


def run_train(args: argparse.Namespace) -> int:
    from pixelgan.training.loop import train

    config, options = settings(args)
    dataset = photos_as_grids(args, config, options)
    summary = dataset.summary() | {"recipe": args.recipe}
    path = train(dataset.grids, config, options, run_dir=args.out, summary=summary, resume=args.resume)
    print(path)
    return 0


def run_prepare(args: argparse.Namespace) -> int:
    from pixelgan.training.data import save_grids

    config, options = settings(args)
    save_grids(photos_as_grids(args, config, options), args.out)
    print(args.out)
    return 0


def settings(args: argparse.Namespace) -> tuple[GeneratorConfig, TrainOptions]:
    """The recipe's generator config and training options with the flags typed over them."""
    recipe = RECIPES[args.recipe]
    config = GeneratorConfig(**recipe.config | given(args, GeneratorConfig))
    # A dry run's generated photos hold ellipses, not faces: it cuts their centre squares.
    dry_run = {"epochs": DRY_RUN_EPOCHS, "crop": "center"} if args.dry_run else {}
    return config, TrainOptions(**recipe.options | given(args, TrainOptions) | dry_run)


def photos_as_grids(args: argparse.Namespace, config: GeneratorConfig, options: TrainOptions) -> Dataset:
    """`--data` (a photo folder or a grid file; a generated folder for `--dry-run`) as the
    grids `config` and `options` ask for, with what happened to its files on stderr."""
    from pixelgan.training.data import DEFAULT_CACHE_DIR, load_dataset
    from pixelgan.training.fake_data import make_fake_photos

    with tempfile.TemporaryDirectory() as scratch:
        data = make_fake_photos(Path(scratch) / "photos") if args.dry_run else args.data
        if data is None:
            raise ConfigError("--data FOLDER is required (or --dry-run for a generated folder)")
        cache_dir = None if (args.no_cache or args.dry_run) else (args.cache_dir or DEFAULT_CACHE_DIR)
        dataset = load_dataset(
            data,
            boxes=config.grid,
            crop=options.crop,
            color=config.channels == 3,
            cache_dir=cache_dir,
            show_progress=True,
        )
    print(
        f"{dataset.summary()['images_used']} images from {dataset.root} "
        f"({len(dataset.duplicates)} duplicates dropped, {len(dataset.skipped)} files skipped"
        f"{', from cache' if dataset.from_cache else ''})",
        file=sys.stderr,
    )
    return dataset


def given(args: argparse.Namespace, settings: type) -> dict:
    """The fields of the dataclass `settings` that the command line set, by name."""
    return {field.name: getattr(args, field.name) for field in fields(settings) if hasattr(args, field.name)}


def _setting(group: argparse._ArgumentGroup, *flags: str, **kwargs: object) -> None:
    """A flag for a dataclass field (its `dest`), absent from the namespace unless typed."""
    group.add_argument(*flags, default=argparse.SUPPRESS, **kwargs)


def _add_generator_flags(group: argparse._ArgumentGroup) -> None:
    summaries = "; ".join(f"{name}: {record.summary}" for name, record in ARCHITECTURES.items())
    _setting(group, "--arch", choices=ARCHITECTURES, help=f"{summaries} (default {_CONFIG.arch})")
    default_widths = "; ".join(f"{name} {_commas(record.default_hidden)}" for name, record in ARCHITECTURES.items())
    _setting(group, "--hidden", type=widths, help=f"comma-separated widths (default {default_widths})")
    _setting(group, "--attention", type=int, help="conv: self-attention after the map of this side, e.g. 20 (0: none)")
    _setting(
        group,
        "--color",
        dest="channels",
        action="store_const",
        const=3,
        help="conv: RGB faces from colour grids (default: grey)",
    )
    _setting(group, "--latent-dim", type=positive, help=f"length of the latent vector (default {_CONFIG.latent_dim})")
    _setting(
        group, "--boxes", dest="grid", metavar="BOXES", type=positive, help=f"pixel grid side (default {_CONFIG.grid})"
    )


def _add_training_flags(group: argparse._ArgumentGroup) -> None:
    _setting(group, "--epochs", type=positive, help=f"passes over the data (default {_OPTIONS.epochs})")
    _setting(group, "--batch-size", type=positive, help=f"images per step (default {_OPTIONS.batch_size})")
    _setting(group, "--lr", type=float, help=f"Adam learning rate for both nets (default {_OPTIONS.lr})")
    _setting(
        group,
        "--lr-decay",
        type=int,
        metavar="EPOCHS",
        help="the last EPOCHS epochs' learning rate falls linearly toward 0 (default 0: constant)",
    )
    _setting(group, "--beta1", type=float, help=f"Adam's first moment decay (default {_OPTIONS.beta1}, DCGAN's)")
    _setting(group, "--seed", type=int, help="random seed; same seed and data on CPU, same weights (default 0)")
    _setting(group, "--device", choices=DEVICES, help="where to train; auto: CUDA when there is one (default auto)")
    _setting(group, "--loss", choices=LOSSES, help="ns: the post's BCE; hinge (default ns)")
    _setting(
        group,
        "--augment",
        type=names,
        help=f"DiffAugment operations for real and fake, comma-separated: {_commas(OPERATIONS)} (default none)",
    )
    _setting(
        group,
        "--translation-ratio",
        type=float,
        help="farthest translation shift as a share of the grid side "
        f"(default {_OPTIONS.translation_ratio}: 5 cells of 40)",
    )
    _setting(group, "--flip", action=argparse.BooleanOptionalAction, help="flip real images left-right at random")
    _setting(
        group,
        "--crop",
        choices=CROPS,
        help="square cut from each photo: center (the post's AbsCenterCrop) or face (needs dlib-bin) (default center)",
    )
    _setting(group, "--ema", type=float, help="EMA decay of the exported generator (default 0: off)")
    _setting(group, "--d-channels", type=widths, help="conv discriminator widths, comma-separated (default 32,64,128)")
    _setting(
        group,
        "--minibatch-std",
        action=argparse.BooleanOptionalAction,
        help="conv discriminator: add a minibatch-std channel",
    )
    _setting(group, "--d-norm", choices=DISCRIMINATOR_NORMS, help="conv discriminator normalisation (default spectral)")
    _setting(group, "--d-residual", action=argparse.BooleanOptionalAction, help="conv discriminator: residual blocks")
    _setting(group, "--r1", type=float, help="R1 penalty gamma on real images (default 0: off)")
    _setting(group, "--r1-every", type=positive, help=f"steps between lazy R1 penalties (default {_OPTIONS.r1_every})")
    _setting(group, "--lecam", type=float, help="LeCam penalty weight in D's loss (default 0: off)")
    _setting(group, "--ada-target", type=float, help="adaptive augmentation target for D's real sign (default 0: off)")
    _setting(
        group,
        "--sample-every",
        type=int,
        help=f"epochs between sample grids, 0: end only (default {_OPTIONS.sample_every})",
    )
    _setting(
        group,
        "--checkpoint-every",
        type=int,
        help=f"epochs between checkpoints, 0: end only (default {_OPTIONS.checkpoint_every})",
    )


def _commas(values: tuple) -> str:
    return ",".join(str(value) for value in values)
