"""Each query parameter at most once on the rendering routes: `dependencies=[EachParameterOnce]`.

    app.include_router(faces.router, dependencies=[EachParameterOnce])

`/generate?seed=1&seed=2` names two faces. FastAPI would quietly take the last seed, while
nginx's `$arg_seed` (the deploy files' cache key) reads the first, so a response could be
stored under another request's key; the deploy files' nginx does not cache such queries,
and here they are answered 422 `invalid_parameter` with the name, before any other check
and before the request waits for a render slot (a router's dependencies are solved first).
"""

from __future__ import annotations

from collections import Counter

from fastapi import Depends, Request
from pixelgan.app.errors import ApiError


async def each_parameter_once(request: Request) -> None:
    """ApiError 422 naming the first query parameter given more than once."""
    counts = Counter(name for name, _ in request.query_params.multi_items())
    for name, count in counts.items():
        if count > 1:
            raise ApiError(
                422, "invalid_parameter", f"{name} (query) is given {count} times; give each parameter at most once"
            )


EachParameterOnce = Depends(each_parameter_once)
