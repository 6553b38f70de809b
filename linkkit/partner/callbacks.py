"""Where Samsung may tell the partner to send Update and Cancel Notifications: the callback allow-list.

Send Card State carries ``{"callback": "https://us-tsapi.walletsvc.samsung.com"}``, and the partner
sends every later notification for that card there, each with a fresh partner-signed AUTH token.
Samsung's AUTH token binds only the method and the path, not the body
(https://developer.samsung.com/wallet/api/server-interaction.html), so whoever replays or races a
token chooses the body. The one thing that keeps the notifications (and the partner's tokens) going
to Samsung is a list of the hosts a callback may name, checked when the callback is received and
again when it is used (rows stored before the check existed):

* ``https`` on the default port, host ``*.walletsvc.samsung.com`` (Samsung's server API), and
* the server API of the configured environment (``Endpoints.wallet_api_url``: a local sandbox on
  ``http://127.0.0.1:8800`` is allowed as that exact origin).

``PartnerConfig(callback_allow_list=URLAllowList(...))`` replaces the default, e.g. for a staging
host Samsung names.
"""

from __future__ import annotations

import ipaddress
from typing import Final

from linkkit._urls import URLAllowList, parse_http_url
from linkkit.config import Endpoints
from linkkit.errors import UnsafeURLError

#: Samsung's server API hosts (production ``tsapi-card.walletsvc.samsung.com``, regional
#: ``us-tsapi.walletsvc.samsung.com`` ...).
SAMSUNG_CALLBACK_HOSTS: Final = ("*.walletsvc.samsung.com",)
#: ``callback`` is String(1024) in Samsung's Send Card State.
MAX_CALLBACK_LENGTH: Final = 1024


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def default_callback_allow_list(endpoints: Endpoints) -> URLAllowList:
    """Samsung's hosts plus the server API of ``endpoints`` (its host when it is plain ``https``,
    else its exact origin)."""
    api = parse_http_url(endpoints.wallet_api_url, what="wallet_api_url")
    if api.scheme == "https" and api.port == 443 and not _is_ip(api.host):
        return URLAllowList(hosts=(*SAMSUNG_CALLBACK_HOSTS, api.host))
    return URLAllowList(hosts=SAMSUNG_CALLBACK_HOSTS, origins=(api.origin,))


def check_callback(allow: URLAllowList, value: object) -> str:
    """``value`` as the base URL to store and send to (no trailing ``/``).

    :raises linkkit.errors.UnsafeURLError: malformed (``code`` ``"malformed"``, ``"scheme"``,
        ``"userinfo"``, ``"host"``, ``"query"``, ``"too_long"`` ...) or not on ``allow``
        (``"not_allowed"``); the message names the field, never the value.
    """
    if isinstance(value, str) and len(value) > MAX_CALLBACK_LENGTH:
        raise UnsafeURLError(f"callback: longer than {MAX_CALLBACK_LENGTH} characters", code="too_long")
    url = allow.check(value, what="callback")
    return str(url).rstrip("/")
