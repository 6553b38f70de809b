"""The Django views: one per server, answering through the same function as every other adapter
(:func:`linkkit.partner.web.answer`), with the path exactly as the client sent it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from linkkit.partner.endpoints import PartnerServer
from linkkit.partner.web import answer
from linkkit.partner.wire import Response, request_from_environ

_SAFE = "/:@!$&'()*+,;=-._~"


def _environ(request: HttpRequest) -> dict[str, Any]:
    environ = dict(request.META)
    scope = getattr(request, "scope", None)  # Django under ASGI: the raw path is in the scope
    if isinstance(scope, dict) and isinstance(scope.get("raw_path"), bytes) and "RAW_URI" not in environ:
        environ["RAW_URI"] = scope["raw_path"].decode("latin-1")
    environ["wsgi.input"] = request  # reads what is left of the body, or what Django already read
    return environ


def _mount(request: HttpRequest, route: str) -> str:
    # The part of the path before the matched route, as sent: SCRIPT_NAME plus the include() prefix.
    prefix = request.path_info[: len(request.path_info) - len(route)].rstrip("/")
    return str(request.META.get("SCRIPT_NAME", "")).rstrip("/") + quote(prefix, safe=_SAFE)


def _django_response(response: Response) -> HttpResponse:
    out = HttpResponse(response.body, status=response.status)
    if response.header("Content-Type") is None:
        del out["Content-Type"]  # Django's text/html default would be a lie on a 204
    for name, value in response.headers:
        out[name] = value
    return out


def view_for(server: PartnerServer | Callable[[], PartnerServer]) -> Callable[..., HttpResponse]:
    """A view answering ``/cards/...``, ``/w/{token}``, ``/healthz`` and ``/readyz`` (the ``route`` URL
    argument) with ``server`` (or the server a function returns on each call)."""

    @csrf_exempt  # Samsung authenticates with its AUTH token; there is no browser session to protect
    def partner_endpoint(request: HttpRequest, route: str) -> HttpResponse:
        target = server if isinstance(server, PartnerServer) else server()
        mount = _mount(request, route)
        return _django_response(answer(target, lambda: request_from_environ(_environ(request), mount=mount)))

    return partner_endpoint


def partner_urls(server: PartnerServer | Callable[[], PartnerServer]) -> list[URLPattern]:
    """URL patterns for ``server``: ``path("samsung/", include(partner_urls(server)))``."""
    view = view_for(server)
    return [
        re_path(r"^(?P<route>cards/.+)$", view, name="linkkit-partner-cards"),
        re_path(r"^(?P<route>w/[^/]+)$", view, name="linkkit-partner-click"),
        re_path(r"^(?P<route>healthz)$", view, name="linkkit-partner-healthz"),
        re_path(r"^(?P<route>readyz)$", view, name="linkkit-partner-readyz"),
    ]
