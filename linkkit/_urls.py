"""The one rule for URLs that linkkit will send something to, or hand to a browser.

Two questions, answered once for every caller (Send Card State callbacks, notifier targets, redirect
URLs, configured base URLs):

1. Is it a well-formed absolute http(s) URL? :func:`parse_http_url` refuses anything a browser and a
   parser could read differently: whitespace and control characters (CR/LF header injection), non-ASCII
   (write IDNs in punycode), backslashes, ``user@host`` userinfo, brackets that do not close
   (``http://[::1``), a bad port, an empty host. Errors are :class:`~linkkit.errors.UnsafeURLError` with
   a ``code`` and a message that names the field, never the value (a URL may carry a secret).
2. May we send to it? :class:`URLAllowList` allows ``https`` hosts by pattern (``api.example.com``
   exactly, or ``*.walletsvc.samsung.com`` for any subdomain) and exact origins
   (``http://127.0.0.1:8800``, for a local sandbox).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import SplitResult, urlsplit

from linkkit.errors import UnsafeURLError

#: Longer URLs are refused before they are parsed.
MAX_URL_LENGTH: Final = 2048

_VISIBLE_ASCII: Final = re.compile(r"[\x21-\x7e]+")
_LABEL: Final = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class HttpURL:
    """A parsed, well-formed absolute http(s) URL."""

    scheme: str
    host: str
    port: int
    path: str
    query: str
    fragment: str

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``, the port only when it is not the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port == _DEFAULT_PORTS[self.scheme] else f":{self.port}"
        return f"{self.scheme}://{host}{port}"

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        fragment = f"#{self.fragment}" if self.fragment else ""
        return f"{self.origin}{self.path}{query}{fragment}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _valid_host(host: str) -> bool:
    if _is_ip(host):
        return True
    labels = host.split(".")
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def parse_http_url(
    value: object,
    *,
    what: str = "url",
    schemes: Iterable[str] = ("https", "http"),
    allow_query: bool = True,
    allow_fragment: bool = False,
    max_length: int = MAX_URL_LENGTH,
) -> HttpURL:
    """Parse ``value`` as an absolute http(s) URL, or raise :class:`~linkkit.errors.UnsafeURLError`.

    :param what: the field's name, used in error messages (``"callback"``).
    :param schemes: the schemes allowed (lower case).
    """
    if not isinstance(value, str) or not value:
        raise UnsafeURLError(f"{what}: must be a URL string", code="malformed")
    if len(value) > max_length:
        raise UnsafeURLError(f"{what}: longer than {max_length} characters", code="too_long")
    if not _VISIBLE_ASCII.fullmatch(value) or "\\" in value:
        raise UnsafeURLError(
            f"{what}: only visible ASCII without spaces or backslashes (punycode for IDNs)", code="malformed"
        )
    try:
        parts: SplitResult = urlsplit(value)
        port = parts.port
    except ValueError as exc:  # an unclosed IPv6 bracket, a port that is not a number
        raise UnsafeURLError(f"{what}: not a well-formed URL", code="malformed") from exc
    allowed = tuple(schemes)
    if parts.scheme not in allowed:
        raise UnsafeURLError(f"{what}: the scheme must be {' or '.join(allowed)}", code="scheme")
    if "@" in parts.netloc:
        raise UnsafeURLError(f"{what}: user names and passwords are not allowed in the URL", code="userinfo")
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        raise UnsafeURLError(f"{what}: the host is missing or not a DNS name or IP address", code="host")
    if parts.query and not allow_query:
        raise UnsafeURLError(f"{what}: a query string is not allowed", code="query")
    if parts.fragment and not allow_fragment:
        raise UnsafeURLError(f"{what}: a fragment is not allowed", code="fragment")
    return HttpURL(parts.scheme, host, port or _DEFAULT_PORTS[parts.scheme], parts.path, parts.query, parts.fragment)


def _check_pattern(pattern: str) -> str:
    pattern = pattern.strip().lower()
    bare = pattern[2:] if pattern.startswith("*.") else pattern
    if not bare or "*" in bare or not _valid_host(bare) or (pattern.startswith("*.") and _is_ip(bare)):
        raise ValueError(f"not a host name or *.domain pattern: {pattern!r}")
    return pattern


@dataclass(frozen=True, slots=True)
class URLAllowList:
    """Where linkkit may send: ``https`` hosts by pattern, and exact origins (any scheme).

    :param hosts: ``api.example.com`` matches that host only; ``*.example.com`` matches every subdomain
        (not ``example.com`` itself). Only ``https`` on the default port matches a host pattern.
    :param origins: exact origins such as ``http://127.0.0.1:8800`` (a local sandbox).
    """

    hosts: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "hosts", tuple(_check_pattern(p) for p in self.hosts))
        origins = []
        for origin in self.origins:
            url = parse_http_url(origin, what="allowed origin", allow_query=False)
            if url.path not in ("", "/"):
                raise ValueError(f"an allowed origin has no path: {origin!r}")
            origins.append(url.origin)
        object.__setattr__(self, "origins", tuple(origins))

    def allows(self, url: HttpURL) -> bool:
        """Whether ``url`` (already parsed) may be sent to."""
        if url.origin in self.origins:
            return True
        if url.scheme != "https" or url.port != 443 or _is_ip(url.host):
            return False
        for pattern in self.hosts:
            if pattern.startswith("*.") and url.host.endswith(pattern[1:]):
                return True
            if url.host == pattern:
                return True
        return False

    def check(self, value: object, *, what: str = "url", allow_query: bool = False) -> HttpURL:
        """Parse ``value`` and refuse it unless this list allows it.

        :raises linkkit.errors.UnsafeURLError: ``code`` ``"not_allowed"`` for a well-formed URL outside
            the list, or the parse error's code.
        """
        url = parse_http_url(value, what=what, allow_query=allow_query)
        if not self.allows(url):
            raise UnsafeURLError(f"{what}: the host is not on the allow-list of this server", code="not_allowed")
        return url
