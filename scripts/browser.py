"""The system Chromium, found and launched the same way by the browser tests and scripts/screenshot.py.

    path = chromium_path()          # None when no Chromium is installed
    browser = playwright.chromium.launch(**launch_options(path))

Playwright's own browser download is not used: it needs a host this project cannot reach, so
the tests drive Debian's `chromium` package (`apt-get install chromium`), or the binary named
by PIXELGAN_CHROMIUM.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Headless, and nothing that would reach outside the machine (updates, sync, safe-browsing lists).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> Path | None:
    """PIXELGAN_CHROMIUM if set (None if no such file), else chromium / chromium-browser on PATH, else None."""
    if named := os.environ.get("PIXELGAN_CHROMIUM"):
        return Path(named) if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return Path(found)
    return None


def launch_options(path: Path) -> dict:
    """Keyword arguments for `playwright.chromium.launch` (and pytest-playwright's launch args)."""
    return {"executable_path": str(path), "args": CHROMIUM_ARGS, "headless": True}
