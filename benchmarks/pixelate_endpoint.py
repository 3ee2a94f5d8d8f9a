"""/pixelate end to end for 12-megapixel JPEGs, against the post's pipeline and the decode floor.

    python benchmarks/pixelate_endpoint.py [--repeats 10] [--photos DIR]

Photos: synthetic 4032x3024 JPEGs at quality 90 (smooth shapes, gradients and grain, made
here with a fixed seed, so nothing is downloaded). Times, medians of `--repeats` runs:
- post's pipeline: full decode, grayscale, AbsCenterCrop, the post's per-block loop;
- decode floor: Pillow's JPEG `draft` decode at 1/8 scale and nothing else;
- pixelate_photo(fast=True): what /pixelate runs; and the exact path (fast=False);
- POST /pixelate: the same upload through a running server (HTTP, multipart, PNG reply).
Then the grey-level difference between the fast and the exact path, in 0..255 levels,
over the synthetic photos plus every JPEG under `--photos` (for example the celebrity set).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import urllib.request
from pathlib import Path

# One OpenBLAS thread, as `pixelgan serve` runs (model.render.BLAS_THREADS); set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixelgan.model.crop import abs_center_crop
from pixelgan.model.photo import pixelate_photo

from benchmarks.machine import print_header, print_table
from benchmarks.timing import median_ms
from tests.helpers import post_pixelator
from tests.servers import multipart_file, running_server

SIZE = (4032, 3024)
BOXES = 40


def synthetic_photo(seed: int, size: tuple[int, int] = SIZE) -> bytes:
    """A photo-like JPEG (quality 90): blurred gradients and ellipses, plus sensor grain."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)).resize(size, Image.BICUBIC)
    draw = ImageDraw.Draw(small)
    for _ in range(12):
        x, y = rng.integers(0, size[0]), rng.integers(0, size[1])
        rx, ry = rng.integers(100, 900, 2)
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    blurred = np.asarray(small.filter(ImageFilter.GaussianBlur(6)), dtype=np.int16)
    grain = rng.integers(-6, 7, blurred.shape, dtype=np.int16)
    out = io.BytesIO()
    Image.fromarray(np.clip(blurred + grain, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue()


def post_pipeline(data: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(data)).convert("L")
    return post_pixelator(np.asarray(abs_center_crop(image)), BOXES)


def decode_floor(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.draft("L", (image.width // 8, image.height // 8))
    image.load()
    return image


def post_pixelate(base_url: str, data: bytes) -> None:
    body, content_type = multipart_file(data, "image/jpeg")
    request = urllib.request.Request(base_url + "/pixelate", data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200, response.status
        response.read()


def grey_level_differences(photos: list[bytes]) -> tuple[float, float]:
    """(largest, mean) |fast - exact| over all cells of all photos, in grey levels."""
    gaps = [np.abs(pixelate_photo(data, BOXES, fast=True) - pixelate_photo(data, BOXES)) * 255 for data in photos]
    stacked = np.stack(gaps)
    return float(stacked.max()), float(stacked.mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="runs per case; the median is shown")
    parser.add_argument("--synthetic", type=int, default=4, help="synthetic 12 MP photos to make")
    parser.add_argument("--photos", type=Path, default=None, help="folder of JPEGs to add to the difference check")
    args = parser.parse_args()
    photos = [synthetic_photo(seed) for seed in range(args.synthetic)]
    data = photos[0]
    print_header(
        f"/pixelate, {SIZE[0]}x{SIZE[1]} JPEG q90 ({len(data) / 1e6:.1f} MB), boxes={BOXES}, median of {args.repeats}"
    )
    floor = median_ms(lambda: decode_floor(data), args.repeats)
    timings = {
        "post's pipeline (full decode, crop, loop)": median_ms(lambda: post_pipeline(data), max(3, args.repeats // 3)),
        "decode floor (JPEG draft 1/8 only)": floor,
        "pixelate_photo, exact (training's path)": median_ms(lambda: pixelate_photo(data, BOXES), args.repeats),
        "pixelate_photo, fast (/pixelate's path)": median_ms(
            lambda: pixelate_photo(data, BOXES, fast=True), args.repeats
        ),
    }
    with running_server() as (base_url, _):
        post_pixelate(base_url, data)  # warm-up
        timings["POST /pixelate over HTTP (upload + PNG)"] = median_ms(
            lambda: post_pixelate(base_url, data), args.repeats
        )
    rows = [[name, f"{ms:.1f}", f"{ms / floor:.2f}x"] for name, ms in timings.items()]
    print_table(["path", "ms", "vs decode floor"], rows)

    compared = list(photos)
    if args.photos:
        compared += [path.read_bytes() for path in sorted(args.photos.rglob("*.jpg"))]
    largest, mean = grey_level_differences(compared)
    print_table(
        ["photos compared", "largest difference (levels)", "mean difference (levels)"],
        [[len(compared), f"{largest:.2f}", f"{mean:.3f}"]],
    )


if __name__ == "__main__":
    main()
