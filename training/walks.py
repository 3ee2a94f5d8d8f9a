"""Do morphs stay faces? The strict detector's rate on the middle frames of latent walks.

    rates = walk_faceness(generator, pairs=500)
    # {"pairs": 500, "ends": 0.98, "middle": 0.95, "middle_over_ends": 0.97}

A walk (`GET /morph`, `model.morph`) passes through latents between two seeds' latents; its
middle frame (t = 0.5 on the great-circle arc) is the latent furthest from both ends. If
the generator has only learned islands around its training faces, the middle frame is a
blend of two faces, which a strict detector does not find. Pairs are seeds (2k, 2k + 1),
so the end faces are seeds 0 .. 2 x pairs - 1, as `pixelgan evaluate` makes them.
"""

from __future__ import annotations

import numpy as np
from pixelgan.model.inference import NumpyGenerator, latents_from_seeds
from pixelgan.model.morph import slerp
from pixelgan.model.sheet import signed_unit_to_uint8
from pixelgan.training.faceness import faceness

STRICT = "dlib"


def walk_faceness(generator: NumpyGenerator, *, pairs: int = 500) -> dict[str, float]:
    """The strict faceness of the walks' end faces and of their middle frames, and the ratio."""
    latents = latents_from_seeds(range(2 * pairs), generator.config.latent_dim)
    starts, ends = latents[0::2], latents[1::2]
    middles = np.stack([slerp(start, end, np.array([0.5]))[0] for start, end in zip(starts, ends, strict=True)])
    end_faces = signed_unit_to_uint8(generator.forward(latents))
    middle_faces = signed_unit_to_uint8(generator.forward(middles.astype(np.float32)))
    end_rate = faceness(end_faces, detectors=(STRICT,))[STRICT]
    middle_rate = faceness(middle_faces, detectors=(STRICT,))[STRICT]
    return {
        "pairs": pairs,
        "ends": end_rate,
        "middle": middle_rate,
        "middle_over_ends": middle_rate / end_rate if end_rate else 0.0,
    }
