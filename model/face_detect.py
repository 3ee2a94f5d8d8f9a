"""Find the most confident frontal face in a photo, with dlib's HOG detector. No torch.

    box = detect_face(gray)      # (left, top, right, bottom) in `gray`'s pixels, or None

dlib's HOG + linear SVM frontal detector ships inside the `dlib-bin` wheel (11 MB, no model
download), which is the optional `face` extra of the service (`pip install 'pixelgan[face]'`)
and part of the `train` extra. Its box is trained on consistently placed boxes (brows to
chin, ear to ear), so the box alone fixes where the eyes and mouth sit; it gives no
landmarks, and the crop in `model.crop` relies on that consistency.

The detector runs on a copy whose long side is at most `DETECT_SIDE` pixels, upsampled once
inside dlib (faces down to about 40 px in that copy are found), so its cost does not grow
with the upload: about 40 ms a photo on one core.
"""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image
from pixelgan.model.errors import FaceDetectorMissingError

DETECT_SIDE = 640
UPSAMPLE = 1

FaceBox = tuple[float, float, float, float]

_per_thread = threading.local()


def _detector() -> object:
    """This thread's detector: dlib does not promise that one detector may run in two threads."""
    detector = getattr(_per_thread, "detector", None)
    if detector is None:
        try:
            import dlib
        except ImportError:
            raise FaceDetectorMissingError(
                "the face crop needs the optional face detector: pip install 'pixelgan[face]' (dlib-bin)"
            ) from None
        detector = _per_thread.detector = dlib.get_frontal_face_detector()
    return detector


def detector_available() -> bool:
    """True when the optional dlib detector can be loaded."""
    try:
        _detector()
    except FaceDetectorMissingError:
        return False
    return True


def detect_face(image: Image.Image) -> FaceBox | None:
    """The (left, top, right, bottom) box of the most confident face in an "L" image, or None.

    Raises FaceDetectorMissingError when dlib is not installed.
    """
    detector = _detector()
    scale = min(1.0, DETECT_SIDE / max(image.size))
    small = (
        image
        if scale == 1.0
        else image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.BILINEAR
        )
    )
    pixels = np.ascontiguousarray(np.asarray(small.convert("L"), dtype=np.uint8))
    boxes, scores, _ = detector.run(pixels, UPSAMPLE, 0.0)
    if not boxes:
        return None
    best = boxes[int(np.argmax(scores))]
    return tuple(coordinate / scale for coordinate in (best.left(), best.top(), best.right(), best.bottom()))
