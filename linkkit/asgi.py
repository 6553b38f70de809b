"""Serve the partner endpoints from an ASGI server, FastAPI or Starlette.

A thin layer over :meth:`linkkit.partner.PartnerServer.handle`: it turns the ASGI scope into a
:class:`~linkkit.partner.wire.Request` (the path exactly as the client sent it, from ``raw_path``:
Samsung's AUTH token is bound to it), reads the body up to
:data:`~linkkit.partner.wire.MAX_BODY_BYTES` (a larger one is answered 413 without reading it all),
and runs the handler in a worker thread, since it signs with RSA and waits on the database::

    from fastapi import FastAPI
    from linkkit.asgi import PartnerASGI

    app = FastAPI()
    app.mount("/samsung", PartnerASGI(server))        # Samsung calls /samsung/cards/...

    # Starlette: Mount("/samsung", app=PartnerASGI(server)), or Starlette(routes=partner_routes(server))
    # alone: uvicorn shop:partner_app, with partner_app = PartnerASGI(server, mount="/samsung")
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, quote

from linkkit.errors import MissingDependencyError
from linkkit.partner.endpoints import PartnerServer
from linkkit.partner.web import TOO_LARGE, answer
from linkkit.partner.wire import MAX_BODY_BYTES, Headers, Request, Response

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

__all__ = ["PartnerASGI", "partner_routes"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_SAFE: Final = "/:@!$&'()*+,;=-._~"


# Private control flow, outside the LinkKitError tree on purpose: it ends the ASGI call quietly (nobody is
# left to answer), so no caller ever sees it.
class _Disconnected(Exception):
    """The client went away before its body arrived."""


def _raw_path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return raw.split(b"?", 1)[0].decode("latin-1")
    # a server without raw_path: the decoded path, quoted back (as linkkit._wsgi does for WSGI)
    return quote(str(scope.get("path") or "/"), safe=_SAFE)


async def _read_body(scope: Scope, receive: Receive, headers: Headers) -> bytes | None:
    """The body, or ``None`` when it is larger than :data:`MAX_BODY_BYTES` (announced or sent)."""
    try:
        if int(headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return None
    except ValueError:
        pass
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class PartnerASGI:
    """An ASGI 3 application answering with ``server`` (404 outside its routes).

    :param server: the partner endpoints.
    :param mount: a path prefix of its own, when the app is served alone (``"/samsung"``); under
        FastAPI's or Starlette's ``mount`` the framework's ``root_path`` is used as well.
    :param executor: where the handler runs (default: the event loop's thread pool).
    """

    def __init__(self, server: PartnerServer, *, mount: str = "", executor: Executor | None = None) -> None:
        if not isinstance(server, PartnerServer):
            raise TypeError("server must be a linkkit.partner.PartnerServer")
        self.server = server
        self._mount = mount.rstrip("/")
        self._executor = executor

    def __repr__(self) -> str:
        return f"PartnerASGI(mount={self._mount!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # websockets: not ours (the server closes the connection)
        headers = Headers((name.decode("latin-1"), value.decode("latin-1")) for name, value in scope.get("headers", ()))
        try:
            body = await _read_body(scope, receive, headers)
        except _Disconnected:
            return
        if body is None:
            response = TOO_LARGE
        else:
            request = self._request(scope, headers, body)
            loop = asyncio.get_running_loop()
            response = await loop.run_in_executor(self._executor, answer, self.server, lambda: request)
        await self._send(scope, send, response)

    def _request(self, scope: Scope, headers: Headers, body: bytes) -> Request:
        path = _raw_path(scope)
        mount = quote(str(scope.get("root_path") or ""), safe=_SAFE).rstrip("/") + self._mount
        route = path[len(mount) :] if mount and path.startswith(mount + "/") else path
        query = dict(parse_qsl(bytes(scope.get("query_string") or b"").decode("latin-1"), keep_blank_values=True))
        return Request(str(scope.get("method", "GET")).upper(), path, route, headers, query, body)

    @staticmethod
    async def _send(scope: Scope, send: Send, response: Response) -> None:
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        body = b"" if scope.get("method") == "HEAD" else response.body
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def partner_routes(server: PartnerServer, *, executor: Executor | None = None) -> list[BaseRoute]:
    """Starlette routes for the partner endpoints (``/cards/...``, ``/w/{token}``, ``/healthz``, ``/readyz``),
    to list in ``Starlette(routes=...)`` or under ``Mount("/samsung", routes=...)``. Every method reaches the
    handler, which answers 405 with ``Allow`` itself."""
    try:
        from starlette.routing import Route
    except ImportError as exc:
        raise MissingDependencyError("linkkit.asgi.partner_routes", package="Starlette", extra="asgi") from exc

    app = PartnerASGI(server, executor=executor)
    paths = ("/cards/{rest:path}", "/w/{token}", "/healthz", "/readyz")
    return [Route(path, endpoint=app) for path in paths]
