"""Screenshots of the page for the README: docs/page.png (desktop) and docs/page-phone.png (phone).

    python scripts/screenshot.py [--seed 4] [--out docs]

Starts `pixelgan serve` on the shipped weights, opens the page in the system Chromium (see
scripts/browser.py) and saves what a visitor sees at a desktop and a phone width.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from scripts.browser import chromium_path, launch_options
from tests.servers import running_server

# (file name, browser context options): a laptop window, and a touch phone at 2x.
SHOTS = [
    ("page.png", {"viewport": {"width": 1100, "height": 990}}),
    (
        "page-phone.png",
        {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4, help="the seed the page shows (default 4)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder for the PNGs (default docs)")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        print("screenshot: no Chromium: install Debian's chromium package or set PIXELGAN_CHROMIUM", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with running_server(ready_timeout=180) as (base_url, _process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(chromium))
        for name, options in SHOTS:
            page = browser.new_page(**options)
            page.goto(f"{base_url}/?seed={args.seed}")
            page.wait_for_function("() => document.querySelector('#face').dataset.src !== undefined")
            page.wait_for_function("() => document.querySelector('#model-id') !== null")
            page.screenshot(path=args.out / name)
            print(f"wrote {args.out / name}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
