"""The README's ablation table: each training change alone against the previous recipe, then together.

    python scripts/ablation.py --data ../shared/data/celebrity-faces --runs runs/ablation --train
    python scripts/ablation.py --data ../shared/data/celebrity-faces --runs runs/ablation   # table only

Every arm trains the previous face recipe (`--recipe face-v1`, which made generator
879554d796fb093b) plus its own flags, for the same `--epochs` from the same `--seed`, into
`RUNS/<arm>`; `--train` trains the arms whose folder lacks that epoch's snapshot (one after
another; run several copies with `--arms` to use more cores). Each arm's snapshot of that
epoch is then scored by `pixelgan evaluate` (2,000 faces, seeds 0..1999; the report is kept
as `RUNS/<arm>/evaluation-EEEE.json` and reused) and one markdown row is printed per arm.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pixelgan.training.snapshot_names import snapshot_path

from pixelgan.cli import main as pixelgan

# The recipe of the previous shipped generator (879554d796fb093b).
PREVIOUS = ["--recipe", "face-v1"]
# Each arm: (what changes, the flags added to PREVIOUS).
ARMS: dict[str, tuple[str, list[str]]] = {
    "previous": ("previous recipe", []),
    "no-spectral-norm": ("D without spectral norm (R1 alone regularises it)", ["--d-norm", "none"]),
    "lecam": ("LeCam penalty 0.1", ["--lecam", "0.1"]),
    "ada": ("adaptive augmentation probability (ADA, target 0.6)", ["--ada-target", "0.6"]),
    "attention": ("self-attention in G at 20x20", ["--attention", "20"]),
}
# The four changes together: the face-v2 recipe (`--recipe face-v2`), from two seeds.
COMBINED = [flag for arm in ("no-spectral-norm", "lecam", "ada", "attention") for flag in ARMS[arm][1]]
ARMS["combined"] = ("all four (face-v2)", COMBINED)
ARMS["combined-seed-1"] = ("all four, training seed 1", [*COMBINED, "--seed", "1"])
COLUMNS = ("frechet", "kid", "recall", "classifier", "diversity", "memorised", "dlib", "haar")


def run(argv: list[str]) -> None:
    """`pixelgan ARGV` in this process (the installed package, whatever the working folder holds)."""
    status = pixelgan(argv)
    if status:
        raise SystemExit(f"pixelgan {' '.join(argv)}: exit status {status}")


def train_or_resume(out: Path, data: Path, flags: list[str]) -> None:
    """`pixelgan train --data DATA --out OUT FLAGS`, resuming when OUT already holds a checkpoint."""
    command = ["train", "--data", str(data), "--out", str(out), *flags]
    if (out / "checkpoint.pt").exists():
        command.append("--resume")
    run(command)


def train(arm: str, args: argparse.Namespace) -> None:
    """Train `arm` up to `args.epochs` (resuming a run folder that has a checkpoint)."""
    flags = [*PREVIOUS, "--epochs", str(args.epochs), "--seed", str(args.seed), *ARMS[arm][1]]
    flags += ["--checkpoint-every", str(args.checkpoint_every), "--sample-every", str(args.checkpoint_every)]
    train_or_resume(args.runs / arm, args.data, flags)


def evaluation(run_dir: Path, epoch: int, data: Path) -> dict:
    """The `pixelgan evaluate` report of `run_dir`'s snapshot of `epoch` against the photos in
    `data`, computed once and kept beside the run as evaluation-EEEE.json."""
    report_path = run_dir / f"evaluation-{epoch:04d}.json"
    if not report_path.exists():
        scratch = run_dir / f"evaluate-{epoch:04d}"
        weights = snapshot_path(run_dir, epoch)
        run(["evaluate", "--data", str(data), "--out", str(scratch), "--weights", str(weights)])
        (scratch / "evaluation.json").replace(report_path)
    return json.loads(report_path.read_text())


def row(name: str, report: dict) -> str:
    values = report["generator"]
    cells = [f"{values[column]:.4f}" if column == "kid" else f"{values[column]:.3f}" for column in COLUMNS]
    cells.append(f"{report['morph']['middle_over_ends']:.3f}" if "morph" in report else "")
    return f"| {name} | " + " | ".join(cells) + " |"


def chosen_arms(parser: argparse.ArgumentParser, names: str, known: dict) -> list[str]:
    """The arms named in the comma-separated `names`; an unknown name ends the script with a usage error."""
    arms = [arm.strip() for arm in names.split(",") if arm.strip()]
    unknown = set(arms) - set(known)
    if unknown:
        parser.error(f"unknown arms {sorted(unknown)}; choose from {', '.join(known)}")
    return arms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the training photo folder")
    parser.add_argument("--runs", type=Path, default=Path("runs/ablation"), help="folder of the arms' run folders")
    parser.add_argument("--epochs", type=int, default=60, help="epochs every arm trains (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="training seed of every arm (default 0)")
    parser.add_argument("--checkpoint-every", type=int, default=20, help="epochs between snapshots (default 20)")
    parser.add_argument("--arms", default=",".join(ARMS), help="comma-separated arms (default: all)")
    parser.add_argument("--train", action="store_true", help="train the arms that lack the snapshot")
    args = parser.parse_args()
    arms = chosen_arms(parser, args.arms, ARMS)
    for arm in arms:
        if args.train and not snapshot_path(args.runs / arm, args.epochs).exists():
            train(arm, args)
    header = ["arm", *COLUMNS, "morph middle / ends"]
    print(f"epochs {args.epochs}, seed {args.seed}\n")
    print("| " + " | ".join(header) + " |\n|---|" + "---:|" * (len(header) - 1))
    for arm in arms:
        if snapshot_path(args.runs / arm, args.epochs).exists():
            print(row(ARMS[arm][0], evaluation(args.runs / arm, args.epochs, args.data)), flush=True)
        else:
            print(f"| {ARMS[arm][0]} | (no snapshot of epoch {args.epochs} in {args.runs / arm}) |")


if __name__ == "__main__":
    main()
