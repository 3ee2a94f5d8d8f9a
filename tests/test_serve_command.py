"""`pixelgan serve` as a real process: its flags reach every uvicorn worker, through the
environment of the program it becomes, and the command's PID is the server's."""

from __future__ import annotations

from pathlib import Path

import httpx
from pixelgan.model.shipped import model_name

from tests.servers import running_server


def test_flags_reach_every_worker(generator_path: Path) -> None:
    with (
        running_server(weights=generator_path, workers=2) as (base_url, process),
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        # Fresh connections spread over both workers; each must serve the flag's model alone.
        for _ in range(8):
            models = client.get("/models", headers={"Connection": "close"}).json()
            assert [model["name"] for model in models["models"]] == [model_name(generator_path)]
        assert client.get("/generate?seed=3").headers["content-type"] == "image/png"
        assert process.poll() is None  # the PID that was started is the server itself
