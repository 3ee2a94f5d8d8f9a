"""The photo a `POST /pixelate` carries: its multipart field `file`, read into memory.

    def pixelate_upload(photo: UploadedPhoto, ...) -> Response:   # photo: the file's bytes

Starlette's form parser spools a file over `MultiPartParser.spool_max_size` (1 MiB) to a
temporary file, and that limit is a class attribute: setting it would change every app in
the process. The parser here is a subclass whose instances keep their files in memory up to
the app's body limit (`BodyLimitMiddleware` stops the body before it can grow past it), so an
upload is never written to disk and no third-party class is changed. One file and a few text
fields are parsed at most; anything else is refused before it is read further.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Annotated, NoReturn

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pixelgan.app.errors import ApiError
from pixelgan.app.model_state import AppSettings
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

FIELD = "file"
MAX_TEXT_FIELDS = 16  # the form needs none; a few are tolerated, as browsers may add some

# How /pixelate's body is described in the OpenAPI schema, since FastAPI no longer parses it.
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {
                        FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "a photo: JPEG, PNG, GIF, WebP, BMP, TIFF or PGM/PPM",
                        }
                    },
                }
            }
        },
    }
}


class InMemoryMultiPartParser(MultiPartParser):
    """Starlette's multipart parser, holding each file in memory up to `in_memory_bytes`."""

    def __init__(self, *args: object, in_memory_bytes: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # An instance attribute: it hides the class's 1 MiB for this parser alone.
        self.spool_max_size = in_memory_bytes


async def read_uploaded_photo(request: Request, settings: AppSettings) -> bytes:
    """The bytes of the form's `file` field; 422 when it is missing or empty, 400 for a broken form."""
    content_type, _ = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data":
        _missing_file("the body is not multipart/form-data")
    try:
        async with aclosing(request.stream()) as body:
            parser = InMemoryMultiPartParser(
                request.headers,
                body,
                max_files=1,
                max_fields=MAX_TEXT_FIELDS,
                in_memory_bytes=settings.max_upload_bytes,
            )
            form = await parser.parse()
    except MultiPartException as error:
        raise ApiError(400, "bad_multipart", f"the multipart body cannot be read: {error.message}") from None
    try:
        upload = form.get(FIELD)
        if upload is None:
            _missing_file("Field required")
        if not isinstance(upload, UploadFile):
            _missing_file("a text field was sent, not a file")
        data = await upload.read()
    finally:
        await form.close()
    if not data:
        raise ApiError(422, "empty_file", "the uploaded file is empty")
    return data


def _missing_file(reason: str) -> NoReturn:
    # Raised as FastAPI's own validation error, so the answer reads as any bad parameter's does.
    raise RequestValidationError([{"loc": ("body", FIELD), "msg": reason, "type": "missing"}])


UploadedPhoto = Annotated[bytes, Depends(read_uploaded_photo)]
