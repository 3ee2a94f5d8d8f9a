"""The render version: one number for everything between a grid of grey values and the bytes.

    from model import render; etag = f'"{model_id}-r{render.RENDER_VERSION}-..."'

Seeded images are served as immutable under an ETag, so the same request must give the same
bytes for as long as the ETag is the same. The ETag names the model (its content hash) and
the request's parameters; this number names the code: the PNG writer (`model.png`), levels
and dithers (`model.quantize`), contact sheets (`model.sheet`), morphs and their encoders
(`model.morph`, `model.animation`), pixelation (`model.pixelate`, `model.photo`) and the
numpy forwards (`model.numpy_conv`, `model.numpy_mlp`), whose float sums decide rounding.

Bump it in any change that alters one output byte of a request that worked before, then run
`python -m tests.golden.regenerate`; the golden-image tests fail until both are done, and
the regenerate command refuses to overwrite changed bytes while the number is unchanged.
"""

from __future__ import annotations

RENDER_VERSION = 2
