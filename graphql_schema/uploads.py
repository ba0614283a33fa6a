"""Request body limits, enforced while the body streams in: before authentication, before a
parser reads anything, a body past its limit is refused with 413.

A multipart body (a file upload) may reach IMPORT_MAX_BYTES; any other body (a GraphQL
operation, a vendor's webhook, a form) BRSCALE_MAX_BODY_BYTES: an anonymous 300 MB JSON post
to /graphql used to be read whole into memory (1.1 GB resident) and then answered. A declared
Content-Length over the limit is refused without reading a byte; a chunked body is counted as it
arrives and cut off at the limit, so at most the limit is ever held or spooled.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The `operations` and `map` parts that travel with the file.
MULTIPART_OVERHEAD = 64 * 1024


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, upload_bytes: int, body_bytes: int) -> None:
        self.app = app
        self.upload_bytes = upload_bytes
        self.body_bytes = body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = _is_multipart(scope)
        limit = self.upload_bytes + MULTIPART_OVERHEAD if upload else self.body_bytes
        message = self._upload_refusal() if upload else self._body_refusal()
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, message)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await _refuse(send, message)

    def _upload_refusal(self) -> str:
        return (
            f"The file is larger than the {self.upload_bytes / 1024 / 1024:g} MB limit; "
            "split it in parts"
        )

    def _body_refusal(self) -> str:
        return f"The request body is larger than the {self.body_bytes // 1024} KB limit."


async def _refuse(send: Send, message: str) -> None:
    body = json.dumps(
        {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value)
    return None


def _is_multipart(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or b""
    return content_type.lower().startswith(b"multipart/")


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
