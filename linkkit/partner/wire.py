"""Framework-free request and response objects for the partner endpoints, and their WSGI glue.

The handlers in :mod:`linkkit.partner.endpoints` take a :class:`Request` and return a
:class:`Response`; any web framework can call them. :func:`request_from_environ` builds a
:class:`Request` from a WSGI environ, keeping the path exactly as the client sent it: Samsung binds
its AUTH token to that path (``API.path``), and routing on the raw path means a percent-encoded
``..%2F`` stays a malformed segment instead of becoming a traversal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl

from linkkit._json import read_json
from linkkit._wsgi import raw_path
from linkkit.errors import BodyTooLarge as BodyTooLarge

#: Bodies larger than this are refused before they are read (a Request Action body is a few KB).
MAX_BODY_BYTES: Final = 64 * 1024

#: Headers every answer carries: API answers are never cached, and never leak a Referer.
BASE_HEADERS: Final = (
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
)

_REASONS: Final = {
    200: "OK",
    204: "No Content",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive headers."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items = {name.lower(): value for name, value in pairs}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Any:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        # Header names only: values hold the Authorization token.
        return f"Headers({sorted(self)})"


class _EnvironHeaders(Headers):
    """The headers of a WSGI environ, looked up where they are asked for.

    A production server's environ also holds the whole process environment (granian copies some 50
    variables into every request), and the handlers read two or three headers: scanning every key
    per request cost more than the lookups. ``x-request-id`` is ``HTTP_X_REQUEST_ID`` (CGI names
    are upper case, ``-`` written ``_``: RFC 3875 §4.1.18, PEP 3333), and ``content-type`` is
    ``CONTENT_TYPE``. Iterating (rare: the Save to Pay handler takes them all) reads every header
    once, as :class:`Headers` would have.
    """

    __slots__ = ("_environ", "_scanned")

    def __init__(self, environ: Mapping[str, Any]) -> None:
        self._environ = environ
        self._scanned: dict[str, str] | None = None  # every header, built on first iteration

    def _all(self) -> dict[str, str]:
        if self._scanned is None:
            environ = self._environ
            pairs = [(key[5:].replace("_", "-").lower(), value) for key, value in environ.items() if key[:5] == "HTTP_"]
            if environ.get("CONTENT_TYPE"):
                pairs.append(("content-type", environ["CONTENT_TYPE"]))
            self._scanned = dict(pairs)
        return self._scanned

    def get(self, name: str, default: Any = None) -> Any:
        lower = name.lower()
        if "_" in lower or not lower.isascii():
            # "x_request_id" names no header ("_" is how CGI spells "-"); non-ASCII upper-cases oddly
            return self._all().get(lower, default)
        if lower == "content-type":
            value = self._environ.get("CONTENT_TYPE")
            if value:
                return value
        return self._environ.get("HTTP_" + lower.upper().replace("-", "_"), default)

    def __getitem__(self, name: str) -> str:
        value = self.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(name)
        return value  # type: ignore[no-any-return]  # an environ value: text (PEP 3333)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name, _MISSING) is not _MISSING

    def __iter__(self) -> Any:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


_MISSING: Final[Any] = object()


@dataclass(frozen=True, slots=True)
class Request:
    """One inbound HTTP request.

    :param method: upper-case HTTP method.
    :param path: the path as the client sent it (percent-encoding kept, no query); AUTH tokens are
        checked against it.
    :param route: the part of ``path`` after the mount point, used to route (``/cards/..``).
    :param headers: case-insensitive headers.
    :param query: the query parameters (the last value wins for repeated names).
    :param body: the raw body.
    """

    method: str
    path: str
    route: str
    headers: Headers = field(default_factory=Headers, repr=False)
    query: Mapping[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)

    def json(self) -> Any:
        """The body parsed as JSON (``None`` when empty) by linkkit's one reader; raises
        :class:`~linkkit.errors.JSONInputError` (a ``ValueError``) when it is not JSON, too large or
        nested too deeply."""
        return read_json(self.body, what="the request body") if self.body else None


@dataclass(frozen=True, slots=True)
class Response:
    """One answer: status, headers, body bytes, and the machine-readable ``code`` of a refusal (what
    metrics and the access log report; ``None`` for an answer)."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    code: str | None = field(default=None, compare=False)

    @classmethod
    def json(
        cls, status: int, payload: object, *, headers: Iterable[tuple[str, str]] = (), code: str | None = None
    ) -> Response:
        """A JSON answer; ``code`` defaults to the payload's ``"code"`` member."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if code is None and status >= 400 and isinstance(payload, dict) and isinstance(payload.get("code"), str):
            code = payload["code"]
        return cls(status, (("Content-Type", "application/json"), *BASE_HEADERS, *headers), body, code)

    @classmethod
    def empty(cls, status: int, *, headers: Iterable[tuple[str, str]] = ()) -> Response:
        return cls(status, (*BASE_HEADERS, *headers))

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS.get(self.status, 'Unknown')}"


def request_from_environ(environ: Mapping[str, Any], *, mount: str = "") -> Request:
    """A :class:`Request` from a WSGI environ; ``mount`` is the path prefix the endpoints live under.

    :raises BodyTooLarge: when ``Content-Length`` announces more than :data:`MAX_BODY_BYTES`.
    """
    path = raw_path(environ)
    mount = mount.rstrip("/")
    route = path[len(mount) :] if mount and path.startswith(mount + "/") else path
    headers = _EnvironHeaders(environ)
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise BodyTooLarge
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    return Request(environ.get("REQUEST_METHOD", "GET").upper(), path, route, headers, query, body)
