"""Where linkkit talks to: production Samsung endpoints by default, the sandbox by configuration.

Selecting the sandbox is a configuration change, never a code change (the same code talks to
Samsung and to the sandbox)::

    Endpoints()                                   # production
    Endpoints.sandbox("http://127.0.0.1:8800")    # everything on a local sandbox
    Endpoints.from_env()                          # LINKKIT_ATW_BASE_URL, LINKKIT_WALLET_API_URL, ...
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from linkkit.atw.links import ATW_BASE_URL
from linkkit.errors import ConfigError

#: Samsung server API (partner → Samsung), public domain
#: (https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html).
WALLET_API_URL: Final = "https://tsapi-card.walletsvc.samsung.com"
#: Save to Pay REST API (mutual TLS), production (https://developer.samsung.com/pay/save2pay/api-introduction.html).
S2P_API_URL: Final = "https://s2p-api.mpay.samsung.com/ext/v1"
#: Save to Pay REST API, staging.
S2P_STAGING_API_URL: Final = "https://s2p-api.stg.mpay.samsung.com/ext/v1"


def _check_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{name}: must be an http(s) URL without query or fragment (got {value!r})")


@dataclass(frozen=True, kw_only=True)
class Endpoints:
    """Base URLs of Samsung's services.

    :param atw_base_url: Add to Wallet links (``https://a.swallet.link``).
    :param wallet_api_url: Samsung server API; the ``callback`` of Send Card State overrides it per card.
    :param s2p_api_url: Save to Pay registrations API.
    """

    atw_base_url: str = ATW_BASE_URL
    wallet_api_url: str = WALLET_API_URL
    s2p_api_url: str = S2P_API_URL

    def __post_init__(self) -> None:
        for name in ("atw_base_url", "wallet_api_url", "s2p_api_url"):
            value = getattr(self, name)
            _check_url(name, value)
            object.__setattr__(self, name, value.rstrip("/"))

    @classmethod
    def sandbox(cls, base_url: str, *, s2p_api_url: str | None = None) -> Endpoints:
        """Every endpoint on a local sandbox at ``base_url`` (S2P on its own TLS port when given)."""
        base = base_url.rstrip("/")
        return cls(atw_base_url=base, wallet_api_url=base, s2p_api_url=s2p_api_url or f"{base}/s2p/ext/v1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Endpoints:
        """Read ``LINKKIT_ATW_BASE_URL``, ``LINKKIT_WALLET_API_URL`` and ``LINKKIT_S2P_API_URL``."""
        env = os.environ if environ is None else environ
        return cls(
            atw_base_url=env.get("LINKKIT_ATW_BASE_URL", ATW_BASE_URL),
            wallet_api_url=env.get("LINKKIT_WALLET_API_URL", WALLET_API_URL),
            s2p_api_url=env.get("LINKKIT_S2P_API_URL", S2P_API_URL),
        )

    @property
    def is_production(self) -> bool:
        return self.atw_base_url == ATW_BASE_URL
