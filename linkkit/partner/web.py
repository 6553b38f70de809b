"""Mount a :class:`~linkkit.partner.endpoints.PartnerServer` as plain WSGI or as a Flask blueprint
(Django: :mod:`linkkit.django`; ASGI, FastAPI, Starlette: :mod:`linkkit.asgi`).

Both adapters build the :class:`~linkkit.partner.wire.Request` from the WSGI environ themselves,
keeping the path as the client sent it (the AUTH token is bound to it), and let the server route.

The adapters take the server as a :class:`Handler` (anything with ``handle(Request) -> Response``),
not as a ``PartnerServer``: the dependency runs one way, endpoints → web, never back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, Protocol

from linkkit._redact import get_logger
from linkkit.partner.wire import BodyTooLarge, Request, Response, request_from_environ

if TYPE_CHECKING:
    from flask import Blueprint

logger = get_logger("linkkit.partner")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
#: The answer to a body over :data:`~linkkit.partner.wire.MAX_BODY_BYTES`.
TOO_LARGE: Final = Response.json(413, {"code": "body_too_large", "message": "the body is too large"})


class Handler(Protocol):
    """What the adapters serve: :class:`~linkkit.partner.endpoints.PartnerServer`, or a test double of it."""

    def handle(self, request: Request) -> Response: ...


def answer(server: Handler, build: Callable[[], Request]) -> Response:
    """``server``'s answer to the request ``build`` makes: ``413`` when it raises :class:`BodyTooLarge`,
    ``500`` (logged, never a traceback on the wire) when the server fails. Every adapter (WSGI,
    Flask, Django, ASGI) answers through this one function."""
    try:
        request = build()
    except BodyTooLarge:
        return TOO_LARGE
    try:
        return server.handle(request)
    except Exception:
        logger.exception("partner endpoint failed [%s]", request.method)
        return Response.json(500, {"code": "internal_error", "message": "the partner could not answer"})


def _respond(server: Handler, environ: dict[str, Any], mount: str) -> Response:
    return answer(server, lambda: request_from_environ(environ, mount=mount))


def make_wsgi_app(server: Handler, *, mount: str = "") -> WSGIApp:
    """A WSGI callable answering every request with ``server`` (404 outside its routes)."""
    mount = mount.rstrip("/")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        mounted = environ.get("SCRIPT_NAME", "").rstrip("/") + mount
        response = _respond(server, environ, mounted)
        headers = [*response.headers, ("Content-Length", str(len(response.body)))]
        start_response(response.status_line, headers)
        return [response.body] if environ.get("REQUEST_METHOD") != "HEAD" else []

    return app


def make_blueprint(server: Handler, *, name: str = "linkkit_partner", url_prefix: str = "") -> Blueprint:
    """A Flask blueprint with the partner routes (``/cards/...``, ``/w/<token>``, ``/healthz`` and
    ``/readyz``) under ``url_prefix``."""
    from flask import Blueprint, request
    from flask import Response as FlaskResponse

    prefix = url_prefix.rstrip("/")
    blueprint = Blueprint(name, __name__, url_prefix=prefix or None)

    def view(**_: str) -> FlaskResponse:
        mounted = request.environ.get("SCRIPT_NAME", "").rstrip("/") + prefix
        answer = _respond(server, request.environ, mounted)
        return FlaskResponse(answer.body, status=answer.status, headers=list(answer.headers))

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    blueprint.add_url_rule("/cards/<path:rest>", "cards", view, methods=methods)
    blueprint.add_url_rule("/w/<path:token>", "click", view, methods=methods)
    for route in ("/healthz", "/readyz"):
        blueprint.add_url_rule(route, route.strip("/"), view, methods=["GET", "HEAD", "POST"])
    return blueprint
