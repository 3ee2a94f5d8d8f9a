"""Peak memory and CPU of one worker for each upload that decodes large: the attacks and the largest accepted.

    python benchmarks/upload_memory.py [--only webp]

Starts `pixelgan serve` (one worker, so the server process is the worker), makes each file
here (nothing is downloaded), POSTs it to /pixelate and reads the worker's peak RSS (VmHWM,
reset through /proc/PID/clear_refs before each request; Linux) over its RSS once warmed up,
the figure a replica's memory limit has to hold, and its CPU seconds (/proc/PID/stat).
One worker serves every row in turn, so memory one request left behind counts in the
rows after it too ("kept after"). The first rows are the files that took replicas down before the decode
budget (`model.decode_budget`): small files that declare tens of megapixels of wide pixels,
formats Pillow decodes in Python. The rest are the largest files of each kind that the
default budget accepts, and a 20 MB upload, the body limit's worst.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import print_header, print_table
from tests.crafted_images import encoded, fits_header, rle8_bmp
from tests.servers import multipart_file, running_server

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def gradient(width: int, height: int, mode: str = "L") -> Image.Image:
    """A smooth picture (not a flat field, which some encoders store specially), in `mode`."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    grey = ((x + y) / 2).astype(np.uint8)
    if mode == "I;16":
        return Image.fromarray(grey.astype(np.uint16) * 257)
    if mode == "I":
        return Image.fromarray(grey.astype(np.int32) * 1000)
    image = Image.fromarray(grey)
    return image if mode == "L" else image.convert(mode)


def noise_bmp(side: int) -> bytes:
    """An RGB BMP of random pixels: nothing compresses, so its bytes are all upload."""
    pixels = np.random.default_rng(0).integers(0, 256, (side, side, 3), dtype=np.uint8)
    return encoded(Image.fromarray(pixels), "BMP")


# (name, the file, query string) in table order.
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("lossless WebP 16383x2441 RGBA", lambda: encoded(Image.new("RGBA", (16383, 2441)), "WEBP", lossless=True), ""),
    ("16-bit grey PNG 8000x5000", lambda: encoded(gradient(8000, 5000, "I;16"), "PNG"), ""),
    ("int32 TIFF 8000x5000", lambda: encoded(gradient(8000, 5000, "I"), "TIFF", compression="tiff_deflate"), ""),
    ("RGBA PNG 8000x5000", lambda: encoded(gradient(8000, 5000, "RGBA"), "PNG"), ""),
    ("JPEG 2000 4000x4000", lambda: encoded(gradient(4000, 4000, "RGB"), "JPEG2000"), ""),
    ("FITS 6000x6000 float64", lambda: fits_header(6000, 6000, bitpix=-64), ""),
    ("QOI 4000x4000", lambda: encoded(gradient(4000, 4000, "RGB"), "QOI"), ""),
    ("DDS 2048x2048", lambda: encoded(gradient(2048, 2048, "RGB"), "DDS"), ""),
    ("SPIDER 2048x2048", lambda: encoded(gradient(2048, 2048, "F"), "SPIDER"), ""),
    ("AVIF 2048x2048", lambda: encoded(gradient(2048, 2048, "RGB"), "AVIF"), ""),
    ("RLE8 BMP 8000x5000", lambda: rle8_bmp(8000, 5000), ""),
    ("largest accepted: RGBA PNG 4200x4200", lambda: encoded(gradient(4200, 4200, "RGBA"), "PNG"), ""),
    ("largest accepted: 16-bit PNG 5000x5000", lambda: encoded(gradient(5000, 5000, "I;16"), "PNG"), ""),
    ("largest accepted: grey PNG 5600x5600", lambda: encoded(gradient(5600, 5600), "PNG"), ""),
    ("largest accepted: GIF 5600x5600", lambda: encoded(gradient(5600, 5600, "P"), "GIF"), ""),
    (
        "largest accepted: int32 TIFF 4200x4200",
        lambda: encoded(gradient(4200, 4200, "I"), "TIFF", compression="tiff_deflate"),
        "",
    ),
    (
        "largest accepted: lossless WebP 2700x2700 RGBA",
        lambda: encoded(gradient(2700, 2700, "RGBA"), "WEBP", lossless=True),
        "",
    ),
    ("largest accepted: RGB PNG 3300x3300, color", lambda: encoded(gradient(3300, 3300, "RGB"), "PNG"), "color=true"),
    ("JPEG 7296x5472 (40 MP)", lambda: encoded(gradient(7296, 5472, "RGB"), "JPEG", quality=90), ""),
    ("20 MB upload: noise BMP 2580x2580", lambda: noise_bmp(2580), ""),
]


def proc_status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {key} for process {pid}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def post(url: str, data: bytes) -> tuple[int, str]:
    body, content_type = multipart_file(data, "application/octet-stream")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()).get("code", "")


def measure(base_url: str, pid: int, data: bytes, query: str, baseline: int) -> list[object]:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    status, code = post(f"{base_url}/pixelate?{query}", data)
    wall = time.perf_counter() - started
    peak, after = proc_status(pid, "VmHWM"), proc_status(pid, "VmRSS")
    mib = 2**20
    return [
        f"{status} {code}".strip(),
        f"{cpu_seconds(pid) - cpu_before:.2f}",
        f"{wall:.2f}",
        f"{(peak - baseline) / mib:+.0f}",
        f"{(after - baseline) / mib:+.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this text")
    args = parser.parse_args()
    print_header("POST /pixelate, one worker: peak RSS over the warm worker's, and CPU, per upload")
    rows = []
    with running_server() as (base_url, process):
        warm_up = encoded(gradient(640, 480, "RGB"), "JPEG")
        for _ in range(3):
            post(f"{base_url}/pixelate", warm_up)
        baseline = proc_status(process.pid, "VmRSS")
        for name, make, query in CASES:
            if args.only.lower() not in name.lower():
                continue
            data = make()
            size = f"{len(data) / 1e3:,.1f} KB" if len(data) < 1e6 else f"{len(data) / 1e6:,.1f} MB"
            rows.append([name, size, *measure(base_url, process.pid, data, query, baseline)])
            print(" | ".join(str(cell) for cell in rows[-1]), file=sys.stderr, flush=True)
    headers = ["upload", "file", "status", "worker CPU s", "wall s", "peak RSS growth MiB", "kept after MiB"]
    print_table(headers, rows)


if __name__ == "__main__":
    main()
