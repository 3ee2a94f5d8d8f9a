"""GET /healthz (the process answers), /readyz (the models are loaded), /model (the default), /models (all)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pixelgan.app.model_state import DefaultModel, ServedModels

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
    """Alive: answers without touching the model."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "The model is not loaded yet, or the process is stopping."}})
async def readyz(request: Request) -> JSONResponse:
    """200 once the generator is loaded and warmed up; 503 before, and from SIGTERM on (app.shutdown)."""
    if getattr(request.app.state, "draining", False):
        return JSONResponse({"status": "draining"}, status_code=503)
    if getattr(request.app.state, "models", None) is None:
        return JSONResponse({"status": "loading"}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/model")
def model_info(model: DefaultModel) -> dict:
    """The default generator: id, architecture, latent size, grid, and its training summary."""
    metadata = model.file.metadata
    return {
        "model_id": model.file.model_id,
        "architecture": metadata["config"],
        "latent_dim": model.generator.config.latent_dim,
        "grid": model.generator.config.grid,
        "preprocessing": metadata["preprocessing"],
        "training": metadata["training"],
    }


@router.get("/models")
def models_info(models: ServedModels) -> dict:
    """Every served generator, the default first: id, name, architecture, grid, colour, training summary."""
    return {"default": models.default.name, "models": [state.describe() for state in models.all]}
