"""`pixelgan evaluate`, `select` and `figures`: how good a generator is, which snapshot to keep.

    pixelgan evaluate --weights runs/mine --data ~/photos          # table, evaluation.json, nearest.png
    pixelgan select runs/mine --data ~/photos --copy-to best.safetensors
    pixelgan figures --weights runs/mine --data ~/photos --out sheet.png

The measuring and the tables are `training.evaluate`, `training.select` and
`training.figures`; these functions only find the files and print what they return.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from pixelgan.commands.arguments import add_cache_dir, add_weights, positive, weights_setting
from pixelgan.model.errors import DataError

# Off: on the shipped runs the chosen mean of five measured within noise of the chosen
# snapshot (README, "What was tried"), and select takes twice as long with the means.
DEFAULT_MEAN_OF = 1


def add_parsers(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser("evaluate", help="score a generator against real photos (FD, KID, ...)")
    add_weights(evaluate)
    evaluate.add_argument(
        "--data", type=Path, required=True, help="folder of real photos or a grid file (as for train)"
    )
    evaluate.add_argument("--n", type=positive, default=2000, help="faces to generate, seeds 0..n-1 (default 2000)")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the real split and the classifier")
    evaluate.add_argument("--out", type=Path, default=None, help="folder for evaluation.json (default: the weights')")
    add_cache_dir(evaluate)
    evaluate.set_defaults(run=run_evaluate)

    select = commands.add_parser(
        "select", help="pick a run's best snapshot or mean of snapshots: realism among those that draw faces"
    )
    select.add_argument("run_dir", type=Path, help="run folder of pixelgan train (holds snapshots/)")
    select.add_argument("--data", type=Path, required=True, help="the training photo folder (real grids for realism)")
    add_cache_dir(select)
    select.add_argument(
        "--mean-of",
        type=positive,
        default=DEFAULT_MEAN_OF,
        help="also rank the mean of every this many consecutive snapshots, written to RUN/means/, e.g. 5 "
        f"(default {DEFAULT_MEAN_OF}: the snapshots alone)",
    )
    select.add_argument("--copy-to", type=Path, default=None, help="copy the best snapshot to this file")
    select.set_defaults(run=run_select)

    figures = commands.add_parser("figures", help="draw generated faces beside real grids (the README picture)")
    add_weights(figures)
    figures.add_argument("--data", type=Path, required=True, help="the training photo folder")
    figures.add_argument("--out", type=Path, required=True, help="PNG to write")
    figures.set_defaults(run=run_figures)


def run_evaluate(args: argparse.Namespace) -> int:
    from pixelgan.model.shipped import resolve_weights
    from pixelgan.training.data import DEFAULT_CACHE_DIR
    from pixelgan.training.evaluate import evaluate_file, format_morph, format_table, write_report

    weights = resolve_weights(weights_setting(args))
    cache_dir = args.cache_dir or DEFAULT_CACHE_DIR
    report, fakes, real = evaluate_file(weights, args.data, samples=args.n, seed=args.seed, cache_dir=cache_dir)
    written = write_report(args.out or weights.parent, report, fakes, real)
    print(format_table({name: report[name] for name in ("generator", "real floor")}))
    print(format_morph(report["morph"]))
    print(", ".join(str(path) for path in written))
    return 0


def run_select(args: argparse.Namespace) -> int:
    from pixelgan.training.data import DEFAULT_CACHE_DIR
    from pixelgan.training.evaluate import generator_and_real_grids
    from pixelgan.training.select import faceness_bar, format_ranking, rank_snapshots, real_strict_rate
    from pixelgan.training.snapshot_means import write_snapshot_means
    from pixelgan.training.snapshot_names import SNAPSHOTS_FOLDER, run_snapshots

    paths = run_snapshots(args.run_dir)
    if not paths:
        folder = args.run_dir / SNAPSHOTS_FOLDER
        raise DataError(f"{folder} holds no epoch-NNNN.safetensors snapshot (from pixelgan train)")
    _, real, _ = generator_and_real_grids(paths[-1], args.data, cache_dir=args.cache_dir or DEFAULT_CACHE_DIR)
    real_strict = real_strict_rate(real)
    print(f"real grids: strict faceness {real_strict:.3f}; in the running from {faceness_bar(real_strict):.3f}")
    candidates = paths + write_snapshot_means(args.run_dir, width=args.mean_of)
    ranked = rank_snapshots(candidates, real, real_strict=real_strict)
    print(format_ranking(ranked))
    best = ranked[0].path
    print(f"best: {best}")
    if args.copy_to:
        shutil.copyfile(best, args.copy_to)
        print(args.copy_to)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    from pixelgan.model.shipped import resolve_weights
    from pixelgan.training.figures import write_samples_beside_real

    print(write_samples_beside_real(resolve_weights(weights_setting(args)), args.data, args.out))
    return 0
