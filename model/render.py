"""The render version: one number for everything between a grid of grey values and the bytes.

    from pixelgan.model import render; etag = f'"{model_id}-r{render.RENDER_VERSION}-..."'

Seeded images are served as immutable under an ETag, so the same request must give the same
bytes for as long as the ETag is the same. The ETag names the model (its content hash) and
the request's parameters; this number names the code: the PNG writer (`model.png`), levels
and dithers (`model.quantize`), contact sheets (`model.sheet`), morphs and their encoders
(`model.morph`, `model.animation`), pixelation (`model.pixelate`, `model.photo`) and the
numpy forwards (`model.numpy_conv`, `model.numpy_mlp`), whose float sums decide rounding.

The thread count of BLAS is part of it too: `pinned_blas` holds it fixed.

Bump it in any change that alters one output byte of a request that worked before, then run
`python -m tests.golden.regenerate`; the golden-image tests fail until both are done, and
the regenerate command refuses to overwrite changed bytes while the number is unchanged.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from threadpoolctl import threadpool_limits

RENDER_VERSION = 2
# A batched product sums in an order that depends on how many threads BLAS splits it over,
# and the rounding to grey levels then differs in a few pixels of a /grid or /morph. So
# everything that renders (the service, `pixelgan generate`, `pixelate`, `morph`) runs BLAS
# on this many threads: the same bytes whatever the machine's cores or the deployment.
BLAS_THREADS = 1


def pinned_blas() -> AbstractContextManager:
    """Inside the block, BLAS runs on `BLAS_THREADS` threads (process-wide, via threadpoolctl)."""
    return threadpool_limits(limits=BLAS_THREADS, user_api="blas")
