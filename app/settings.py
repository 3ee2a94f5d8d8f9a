"""Service settings, from `PIXELGAN_*` environment variables (pydantic-settings).

    settings = Settings()      # once, in create_app (or pixelgan serve); kept on app.state

| variable                   | default    | meaning                                            |
|----------------------------|------------|----------------------------------------------------|
| PIXELGAN_WEIGHTS           | shipped    | generator files or run folders, comma-separated    |
| PIXELGAN_HOST              | 127.0.0.1  | address `pixelgan serve` binds                     |
| PIXELGAN_PORT              | 8000       | port `pixelgan serve` binds                        |
| PIXELGAN_WORKERS           | 1          | worker processes                                   |
| PIXELGAN_MAX_UPLOAD_BYTES  | 20971520   | largest accepted request body (20 MiB)             |
| PIXELGAN_MAX_PIXELS        | 40000000   | largest accepted image, width x height             |
| PIXELGAN_MAX_DECODE_BYTES  | 134217728  | memory one upload's decode may hold (128 MiB)      |
| PIXELGAN_RENDER_SLOTS     | CPU cores  | renders at once per worker                         |
| PIXELGAN_RENDER_QUEUE     | 8          | requests waiting for a slot before 503 overloaded  |
| PIXELGAN_MAX_BODIES       | slots+queue | request bodies held at once; past it 503 overloaded |
| PIXELGAN_HEADER_TIMEOUT_SECONDS | 10    | a request's head must arrive within this, else closed |
| PIXELGAN_BODY_TIMEOUT_SECONDS | 60      | its body within this after the head, else 408      |
| PIXELGAN_MAX_HEADER_BYTES  | 65536      | longest request head, else 431 header_too_large    |
| PIXELGAN_MAX_URL_BYTES     | 8192       | longest request line, else 414 uri_too_long        |
| PIXELGAN_KEEP_ALIVE_SECONDS | 5         | idle keep-alive connections closed after this      |
| PIXELGAN_MAX_CONNECTIONS   | 1000       | connections at once per worker; past it 503        |
| PIXELGAN_GRACEFUL_SHUTDOWN_SECONDS | 30 | on stop, longest wait for requests in flight       |
| PIXELGAN_DRAIN_SECONDS     | 0          | on SIGTERM, seconds of /readyz 503 before stopping |
| PIXELGAN_PUBLIC_URL        | (request)  | public address named in link previews (og:image)   |
"""

from __future__ import annotations

import os
from os import PathLike

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PIXELGAN_", frozen=True)

    # One string, split by model.shipped.resolve_weights_list: the first is the default model.
    weights: str | None = Field(
        default=None, description="generator files or run folders, comma-separated; every shipped one when unset"
    )

    @field_validator("weights", mode="before")
    @classmethod
    def _path_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, PathLike) else value

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_pixels: int = Field(default=40_000_000, ge=1)
    # Decided from the header before decoding (model.decode_budget): a 1.6 KB WebP can
    # declare a gigabyte of pixels.
    max_decode_bytes: int = Field(default=128 * 2**20, ge=16 * 2**20)
    # Renders at once, one per core: more would not finish sooner (the forward takes turns on
    # its buffers anyway) and would each hold their memory (app.admission).
    render_slots: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=256)
    # A queued request waits about (queue / slots + 1) renders: short enough that accepted
    # requests stay quick, long enough for the page's own burst of images (a grid view).
    # The deploy files set 2 per replica, with more replicas behind nginx's cache.
    render_queue: int = Field(default=8, ge=0, le=10_000)
    # Request bodies held at once (being received, waiting or rendering): each may be
    # max_upload_bytes. Unset: one for each render slot and queue place (`bodies_at_once`).
    max_bodies: int | None = Field(default=None, ge=1, le=10_000)
    # Connections (app.guarded_protocol, app.server): what one may cost before the app sees it.
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    body_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    max_header_bytes: int = Field(default=64 * 1024, ge=1024)
    max_url_bytes: int = Field(default=8 * 1024, ge=256)
    keep_alive_seconds: int = Field(default=5, ge=1, le=600)
    max_connections: int = Field(default=1000, ge=1)
    graceful_shutdown_seconds: int = Field(default=30, ge=1, le=3600)
    drain_seconds: float = Field(default=0.0, ge=0, le=300)
    # Behind a proxy the request's own Host may be an internal name; previews need the public one.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

    def bodies_at_once(self) -> int:
        """`max_bodies`, else one body for each render slot and queue place."""
        return self.max_bodies or self.render_slots + self.render_queue
