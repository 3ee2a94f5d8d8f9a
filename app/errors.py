"""Every error the service returns: JSON `{"code": ..., "detail": "<a sentence>"}`.

    raise ApiError(415, "unsupported_media_type", "the file is not an image ...")

`code` is stable and machine-readable; `detail` says what was wrong. `install_error_handlers`
maps the model's user errors (`model.errors.UserError`: a photo that cannot be used, a
missing face detector) to their status and code by `USER_ERRORS`, so routes raise them
through; it also turns FastAPI's validation errors into one sentence naming each bad
parameter and its allowed range, and keeps 404/405 in the same shape.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pixelgan.app.parameters import RULES
from pixelgan.model.catalog import UnknownModelError
from pixelgan.model.errors import (
    DamagedImageError,
    FaceDetectorMissingError,
    ImageError,
    ImageTooLargeError,
    ImageTooSmallError,
    NoFaceError,
    NotAnImageError,
    UserError,
)
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """An error response with a status, a stable code and a sentence for the client."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


def error_response(status: int, code: str, detail: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "detail": detail}, status_code=status, headers=headers)


def api_error_response(error: ApiError) -> JSONResponse:
    return error_response(error.status, error.code, error.detail, error.headers)


# What a 503 for a full or short-of-memory worker asks the client to wait.
RETRY_AFTER_SECONDS = 1


def overloaded(detail: str) -> ApiError:
    """503 `overloaded` with Retry-After: the worker is full or short of memory, not the request
    wrong, so the same request may pass in a moment."""
    return ApiError(503, "overloaded", detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


# Each kind of user error's status and code, the first class that matches winning.
USER_ERRORS: tuple[tuple[type[UserError], int, str], ...] = (
    (NotAnImageError, 415, "unsupported_media_type"),
    (ImageTooLargeError, 413, "image_too_large"),
    (ImageTooSmallError, 422, "image_too_small"),
    (DamagedImageError, 422, "damaged_image"),
    (NoFaceError, 422, "no_face"),
    (UnknownModelError, 422, "unknown_model"),
    (ImageError, 422, "bad_image"),
    (FaceDetectorMissingError, 501, "face_detector_missing"),
    (UserError, 422, "invalid_input"),
)


def api_error_for(error: UserError) -> ApiError:
    """The response for a user error: its class's status and code, and its sentence."""
    status, code = next((status, code) for kind, status, code in USER_ERRORS if isinstance(error, kind))
    return ApiError(status, code, str(error))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, error: ApiError) -> JSONResponse:
        return api_error_response(error)

    @app.exception_handler(UserError)
    async def on_user_error(request: Request, error: UserError) -> JSONResponse:
        api_error = api_error_for(error)
        return error_response(api_error.status, api_error.code, api_error.detail)

    @app.exception_handler(MemoryError)
    async def on_memory_error(request: Request, error: MemoryError) -> JSONResponse:
        return api_error_response(
            overloaded("the server is short of memory for this request right now; try again in a moment")
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_parameter", validation_sentence(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail), getattr(error, "headers", None))


def validation_sentence(errors: list[dict]) -> str:
    """'seed (query) must be an integer from 0 to 4294967295 ...: Input should be ...; ...'"""
    parts = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        name = location[-1] if location else "request"
        where = f"{name} ({location[0]})" if len(location) >= 2 else name
        rule = f" must be {RULES[name]}" if name in RULES else ""
        parts.append(f"{where}{rule}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) + "."
