"""The request body limit (Settings.api.max_body_bytes; uploads max_upload_bytes plus form framing).

A declared Content-Length over the limit is refused with 413 before anything runs: no parsing, no key
lookup. A body without one (chunked) is counted as it arrives and cut off at the limit; the route
then answers 413 too (FastAPI lets an HTTPException raised while reading the body through).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_FRAMING = 1_000_000  # multipart boundaries and the other form fields of an upload


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


Respond = Callable[[Request, int, str], Awaitable[Response] | Response]


def _declared_length(headers: Headers) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


class BodyLimit:
    """ASGI middleware; `respond` renders the refusal (a page under /ui, JSON elsewhere)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int, respond: Respond):
        self.app = app
        self.max_body = max_body_bytes
        self.max_upload = max_upload_bytes + FORM_FRAMING
        self.respond = respond

    def limit_for(self, headers: Headers) -> int:
        multipart = headers.get("content-type", "").lower().startswith("multipart/form-data")
        return max(self.max_body, self.max_upload) if multipart else self.max_body

    async def refuse(self, scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
        response = self.respond(Request(scope), exc.status_code, exc.detail)
        if not isinstance(response, Response):
            response = await response
        response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(headers)
        declared = _declared_length(headers)
        if declared is not None and declared > limit:
            await self.refuse(scope, receive, send, BodyTooLarge(limit))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:  # raised outside a route's own body reading
            if started:
                raise
            await self.refuse(scope, receive, send, exc)
