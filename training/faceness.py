"""Faceness: the share of grids in which a pretrained face detector finds a face.

    rates = faceness(grids_uint8)        # {"haar": 0.93, "dlib": 0.88}

PCA-space distances cannot tell a face from a face-shaped blob; a face detector can. Each
40x40 grid is upscaled to `UPSCALE_SIDE` px with bicubic interpolation (which smooths the
cell edges the detectors were never trained on) and given to two detectors whose weights
install with their packages, nothing downloaded:

- haar (lenient): OpenCV's `haarcascade_frontalface_default.xml` (opencv-python-headless 4.x),
  `detectMultiScale(scaleFactor=1.1, minNeighbors=HAAR_NEIGHBOURS, minSize=HAAR_MIN_SIDE px)`.
  Easily pleased by face-shaped blobs.
- dlib (strict): dlib's HOG + linear SVM frontal detector (dlib-bin), upsampled
  `DLIB_UPSAMPLE` time(s), any detection with score above `DLIB_THRESHOLD`. It needs eyes,
  nose and mouth in their places, with their gradients.

A rate is only meaningful beside the same rate on real grids made the same way (the same
crop, the same grid): `pixelgan evaluate` prints both.
"""

from __future__ import annotations

import cv2
import dlib
import numpy as np
from PIL import Image
from pixelgan.model.errors import MissingPackageError

UPSCALE_SIDE = 160
HAAR_NEIGHBOURS = 5
HAAR_MIN_SIDE = 48
DLIB_UPSAMPLE = 1
DLIB_THRESHOLD = 0.0
DETECTORS = ("haar", "dlib")


def upscaled(grid: np.ndarray) -> np.ndarray:
    """A (g, g) grey or (g, g, 3) RGB uint8 grid as an image of side UPSCALE_SIDE, bicubic."""
    image = Image.fromarray(grid).resize((UPSCALE_SIDE, UPSCALE_SIDE), Image.Resampling.BICUBIC)
    return np.ascontiguousarray(np.asarray(image))


def haar_finds_face(image: np.ndarray, cascade: object) -> bool:
    """OpenCV's frontal-face cascade finds at least one face in a uint8 image."""
    faces = cascade.detectMultiScale(
        image, scaleFactor=1.1, minNeighbors=HAAR_NEIGHBOURS, minSize=(HAAR_MIN_SIDE, HAAR_MIN_SIDE)
    )
    return len(faces) > 0


def dlib_finds_face(image: np.ndarray, detector: object) -> bool:
    """dlib's HOG frontal detector finds at least one face above `DLIB_THRESHOLD`."""
    boxes, _, _ = detector.run(image, DLIB_UPSAMPLE, DLIB_THRESHOLD)
    return len(boxes) > 0


def faceness(grids: np.ndarray, *, detectors: tuple[str, ...] = DETECTORS) -> dict[str, float]:
    """{detector: share of the (N, g, g) grey or (N, g, g, 3) RGB uint8 grids in which it finds a
    face}, for each of `detectors`. dlib takes the RGB image as it is (its HOG features use the
    strongest channel's gradient); the Haar cascade works on grey, made with ITU-R 601 luma."""
    finders = {}
    if "haar" in detectors:
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
        if cascade.empty():
            raise MissingPackageError(
                "OpenCV's frontal-face cascade did not load: pip install 'opencv-python-headless<5'"
            )
        finders["haar"] = lambda image: haar_finds_face(image if image.ndim == 2 else _luma(image), cascade)
    if "dlib" in detectors:
        detector = dlib.get_frontal_face_detector()
        finders["dlib"] = lambda image: dlib_finds_face(image, detector)
    found = dict.fromkeys(finders, 0)
    for grid in grids:
        image = upscaled(grid)
        for name, finds in finders.items():
            found[name] += finds(image)
    return {name: count / max(len(grids), 1) for name, count in found.items()}


def _luma(image: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma of an RGB uint8 image, as Pillow's "L" conversion computes it."""
    return np.asarray(Image.fromarray(image).convert("L"))
