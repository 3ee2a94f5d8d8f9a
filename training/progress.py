"""A one-line progress bar (training epochs, photos preprocessed): bar, numbers, time left, on stderr.

    progress = Progress(total=300)
    progress.update(epoch, {"loss_d": 1.2, "loss_g": 0.8})
    progress.close()
    progress = Progress(total=1800, unit="photo")    # any count of steps

On a terminal it redraws one line; elsewhere (CI, a log file) it prints a line every tenth
of the run, so logs stay short.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, *, total: int, start: int = 0, enabled: bool = True, unit: str = "epoch") -> None:
        self.total = total
        self.unit = unit
        self.start = start
        self.enabled = enabled
        self.began = time.perf_counter()
        self.interactive = sys.stderr.isatty()

    def update(self, epoch: int, values: dict[str, float]) -> None:
        if not self.enabled:
            return
        done = epoch - self.start
        elapsed = time.perf_counter() - self.began
        left = elapsed / max(done, 1) * (self.total - epoch)
        filled = int(20 * epoch / self.total)
        numbers = " ".join(f"{name} {value:.3f}" for name, value in values.items())
        line = f"{self.unit} {epoch}/{self.total} [{'#' * filled}{'.' * (20 - filled)}] {numbers}  {left:.0f}s left"
        if self.interactive:
            sys.stderr.write("\r" + line)
        elif epoch == self.total or epoch % max(1, self.total // 10) == 0:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.interactive:
            sys.stderr.write("\n")
