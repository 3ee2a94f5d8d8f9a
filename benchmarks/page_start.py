"""The page's start: how soon a link's face is on screen, locally and on an emulated slow 4G link.

python benchmarks/page_start.py [--repeats 7] [--address "/?seed=42"]

Starts `pixelgan serve` on the shipped weights and opens the address in the system Chromium
(scripts/browser.py), each time in a fresh context (a cold cache). Slow 4G is Chromium's
DevTools emulation (`Network.emulateNetworkConditions` over Playwright's CDP session):
150 ms a round trip, 1.6 Mb/s down, 750 kb/s up. "Face visible" is when the face was painted,
from the start of the navigation: its Element Timing `renderTime` (the served <img> carries
`elementtiming`), or, for a page whose face an <img> of the HTML does not hold (the page
before issue 21), the first animation frame after the first paint in which the face's img
has loaded and is shown. "Scripts ready" is when the page's JavaScript has taken the face
over (its `data-src` set), by which time the controls work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, sync_playwright

from benchmarks.machine import print_header, print_table
from scripts.browser import chromium_path, launch_options
from tests.servers import running_server

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
# Checked at every animation frame from the first: the time of the first frame that shows the face.
WATCH_FACE = """(() => {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === "first-face") window.facePaintedMs = entry.renderTime || entry.loadTime;
    }
  }).observe({ type: "element", buffered: true });
  const watch = () => {
    const face = document.querySelector("#face");
    const painted = performance.getEntriesByType("paint").length > 0;
    const shown = painted && face && face.complete && face.naturalWidth > 0 && face.checkVisibility();
    if (shown && window.faceVisibleMs === undefined) window.faceVisibleMs = performance.now();
    if (face && face.dataset.src && window.scriptsReadyMs === undefined) window.scriptsReadyMs = performance.now();
    if (window.scriptsReadyMs === undefined || window.faceVisibleMs === undefined) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();"""

PAINTED_OR_UNTIMED = "() => window.facePaintedMs !== undefined || !document.querySelector('#face[elementtiming]')"


def one_start(browser: Browser, url: str, network: dict | None) -> tuple[float, float]:
    """(face visible ms, scripts ready ms) for one cold load of `url`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        if network:
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", network)
        page.add_init_script(WATCH_FACE)
        page.goto(url)
        page.wait_for_function("() => window.faceVisibleMs !== undefined && window.scriptsReadyMs !== undefined")
        page.wait_for_function(PAINTED_OR_UNTIMED)
        return page.evaluate("[window.facePaintedMs ?? window.faceVisibleMs, window.scriptsReadyMs]")
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="cold loads a network; the median is shown")
    parser.add_argument("--address", default="/?seed=42", help="the page address to open (default /?seed=42)")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        print("page_start: no Chromium: install Debian's chromium package or set PIXELGAN_CHROMIUM", file=sys.stderr)
        return 2
    print_header(f"the page's start, {args.address}, {args.repeats} cold loads a network")
    rows = []
    with running_server(ready_timeout=180) as (base_url, _process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(chromium))
        for name, network in [("local", None), ("slow 4G (150 ms, 1.6 Mb/s)", SLOW_4G)]:
            times = [one_start(browser, base_url + args.address, network) for _ in range(args.repeats)]
            visible = [face for face, _ in times]
            ready = [scripts for _, scripts in times]
            rows.append(
                [
                    name,
                    f"{statistics.median(visible):.0f}",
                    f"{min(visible):.0f}-{max(visible):.0f}",
                    f"{statistics.median(ready):.0f}",
                ]
            )
        browser.close()
    print_table(["network", "face visible ms (median)", "min-max", "scripts ready ms (median)"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
