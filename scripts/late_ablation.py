"""The README's late-stage ablation: changes to the face run's last epochs, each alone.

    python -m scripts.late_ablation --data ../shared/data/celebrity-faces \
        --start runs/celebrity-face --runs runs/late --train
    python -m scripts.late_ablation --data ../shared/data/celebrity-faces \
        --start runs/celebrity-face --runs runs/late        # table only

Every arm continues the same state, `START/checkpoint.pt` (the face recipe's run after
`--from` epochs): it copies the checkpoint into `RUNS/<arm>` and trains on to `--to` with
`pixelgan train --resume`, the recipe as it was (`BEFORE`: constant rate, all four
augmentations) plus the arm's own flags. The late epochs are where the strict detector
starts to lose the faces, so that is where each change is tried. Each arm's snapshots every
`--every` epochs are scored by `pixelgan evaluate` (2,000 faces, seeds 0..1999; reports kept
beside the run and reused), one markdown row per arm and epoch.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from pixelgan.training.snapshot_names import snapshot_path

from scripts.ablation import COLUMNS, evaluation, row, run

# The face recipe as its run reached the starting checkpoint (face-v2, the recipe of the run
# that made 377b68eadb6f9351); each arm changes one thing.
BEFORE = ["--recipe", "face-v2", "--lr-decay", "0", "--augment", "translation,brightness,contrast,cutout"]
# Each arm: (what it is, its flags given the number of epochs it trains).
ARMS = {
    "constant": ("the recipe as it was", lambda epochs: []),
    "decay": ("learning rate falling linearly to 0", lambda epochs: ["--lr-decay", str(epochs)]),
    "no-cutout": (
        "no cutout in the adaptive augmentation",
        lambda epochs: ["--augment", "translation,brightness,contrast"],
    ),
}


def train(arm: str, args: argparse.Namespace) -> None:
    """Copy the starting checkpoint into the arm's folder (once) and train it on to `--to`."""
    out = args.runs / arm
    if not (out / "checkpoint.pt").exists():
        out.mkdir(parents=True, exist_ok=True)
        for name in ("checkpoint.pt", "losses.csv"):
            shutil.copy2(args.start / name, out / name)
    flags = [*BEFORE, *ARMS[arm][1](args.to - args.start_epoch)]  # the last of a repeated flag wins
    run(["train", "--data", str(args.data), "--out", str(out), "--resume", "--epochs", str(args.to), *flags])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the training photo folder")
    parser.add_argument("--start", type=Path, required=True, help="run folder whose checkpoint.pt both arms continue")
    parser.add_argument("--runs", type=Path, default=Path("runs/late"), help="folder of the arms' run folders")
    parser.add_argument("--from", dest="start_epoch", type=int, default=300, help="epoch of the checkpoint (300)")
    parser.add_argument("--to", type=int, default=360, help="last epoch of both arms (default 360)")
    parser.add_argument("--every", type=int, default=20, help="epochs between the rows of each arm (default 20)")
    parser.add_argument("--train", action="store_true", help="train the arms that lack their last snapshot")
    args = parser.parse_args()
    for arm in ARMS:
        if args.train and not snapshot_path(args.runs / arm, args.to).exists():
            train(arm, args)
    header = ["arm", "epoch", *COLUMNS, "morph middle / ends"]
    print(f"from epoch {args.start_epoch} of {args.start}\n")
    print("| " + " | ".join(header) + " |\n|---|---:|" + "---:|" * (len(header) - 2))
    if snapshot_path(args.start, args.start_epoch).exists():
        start = evaluation(args.start, args.start_epoch, args.data)
        print(row(f"where every arm starts | {args.start_epoch}", start), flush=True)
    for arm in ARMS:
        for epoch in range(args.start_epoch + args.every, args.to + 1, args.every):
            if not snapshot_path(args.runs / arm, epoch).exists():
                print(f"| {ARMS[arm][0]} | {epoch} | (no snapshot in {args.runs / arm}) |")
                continue
            report = evaluation(args.runs / arm, epoch, args.data)
            print(row(f"{ARMS[arm][0]} | {epoch}", report), flush=True)


if __name__ == "__main__":
    main()
