"""Who may talk to the sandbox, and what it calls itself: the Host, Origin and Sec-Fetch-Site rules.

The sandbox has no authentication (it is a local test tool), so two browser attacks would otherwise
reach it from any web page the developer visits:

* **Cross-site requests.** A page can post a form or a ``text/plain`` body to
  ``http://127.0.0.1:8800/_sandbox/reset`` without a preflight. Every state-changing request
  (anything but ``GET``, ``HEAD`` and ``OPTIONS``) is refused with 403 when the browser says it is
  ``Sec-Fetch-Site: cross-site``, or when it carries an ``Origin`` whose host is not one of the
  sandbox's own. Server-to-server calls (the partner's, ``curl``) send neither header and pass.
* **DNS rebinding.** A name the attacker controls can resolve to 127.0.0.1; the browser then sends
  ``Host: evil.example`` and treats the answers as same-origin. Every request whose ``Host`` is not a
  loopback name (``127.0.0.1``, ``localhost``, ``::1``), the host of ``public_url`` or one of
  ``allowed_hosts`` is refused with 400 before it reaches a route.

And the one absolute URL the sandbox hands out, the Send Card State ``callback``, comes from
configuration (``public_url``) or the address the server is bound to, never from the ``Host`` header.
"""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request

from linkkit.sandbox.config import SandboxConfig

#: Host names every sandbox answers to (any port): the loopback interface.
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names of "every interface", to detect it


def _hostname(host_header: str) -> str | None:
    """The host name of a ``Host`` header value (no port, lower case), or ``None`` when malformed."""
    try:
        parts = urlsplit(f"//{host_header}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    return parts.hostname


def allowed_hostnames(config: SandboxConfig) -> frozenset[str]:
    """The host names this sandbox answers to."""
    names = set(LOOPBACK_HOSTS) | {h.lower() for h in config.allowed_hosts}
    if config.public_url:
        public = urlsplit(config.public_url).hostname
        if public:
            names.add(public)
    return frozenset(names)


def own_url(config: SandboxConfig) -> str:
    """The sandbox's base URL as handed to the partner (the Send Card State ``callback``): ``public_url``,
    else the address this server is bound to; the request's host only when bound to every interface
    (it has passed :func:`install_guard` then)."""
    if config.public_url:
        return config.public_url
    bound = str(request.environ.get("SERVER_NAME", ""))
    port = str(request.environ.get("SERVER_PORT", ""))
    scheme = request.scheme
    if bound not in _WILDCARDS and port.isdigit():
        try:
            literal = f"[{bound}]" if ipaddress.ip_address(bound).version == 6 else bound
        except ValueError:
            literal = bound
        default = (scheme == "http" and port == "80") or (scheme == "https" and port == "443")
        return f"{scheme}://{literal}" + ("" if default else f":{port}")
    return request.host_url.rstrip("/")


def _refused(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": message, "code": code})
    response.status_code = status
    return response


def install_guard(app: Flask, config: SandboxConfig) -> None:
    """Refuse foreign ``Host`` names on every request and cross-site state changes (module docstring)."""
    names = allowed_hostnames(config)

    @app.before_request
    def guard() -> Response | None:
        host = _hostname(request.headers.get("Host", ""))
        if host is None or host not in names:
            return _refused(400, "invalid_host", "Host: not a name this sandbox is bound to (see allowed_hosts)")
        if request.method in _SAFE_METHODS:
            return None
        if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
            return _refused(403, "cross_site", "cross-site requests may not change the sandbox")
        origin = request.headers.get("Origin")
        if origin == "null" and request.headers.get("Sec-Fetch-Site", "").lower() in ("same-origin", "none"):
            # The sandbox's own pages are served with Referrer-Policy: no-referrer, so their form posts
            # carry Origin: null; the browser's own Sec-Fetch-Site (no page can set it) vouches for them.
            return None
        if origin is not None and _hostname(urlsplit(origin).netloc or "\x00") not in names:
            return _refused(403, "foreign_origin", "Origin: requests from other sites may not change the sandbox")
        return None
