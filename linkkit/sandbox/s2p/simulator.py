"""The simulated wallet app driven from Python over HTTP, as the wallet app page drives it from a
browser: read the welcome page, follow its wallet link, link, finish (steps 4-17 of Samsung's Save to Pay
integration workflow, https://developer.samsung.com/pay/save2pay/api-introduction.html).

::

    wallet = SimulatedWallet()
    link = wallet.scan(info.welcome_url)          # what the QR code holds
    answer = wallet.link(link)                    # WA_READY reaches the partner; its blob comes back
    wallet.finish(link, "success")                # WA_PROVISIONED reaches the partner
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import httpx

from linkkit.errors import ApiError
from linkkit.sandbox.s2p.state import WalletAccount

_ACCOUNT_JSON = {
    "user_id": "userId",
    "email": "email",
    "phone": "phone",
    "device_id": "deviceId",
    "wallet_id": "walletId",
}


class _WalletLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("id") == "open-wallet":
            self.href = found.get("href")


class SimulatedWallet:
    """A wallet app that talks to the sandbox's welcome/wallet server over HTTP.

    :param client: an :class:`httpx.Client` (one is made when None).
    """

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._http = client or httpx.Client(timeout=10.0)

    def close(self) -> None:
        self._http.close()

    def scan(self, welcome_url: str) -> str:
        """The wallet link of a welcome page (the link its QR code encodes)."""
        page = self._http.get(welcome_url)
        if page.status_code != 200:
            raise ApiError(f"welcome page: HTTP {page.status_code}", status=page.status_code)
        finder = _WalletLinkFinder()
        finder.feed(page.text)
        if not finder.href:
            raise ApiError("welcome page: no wallet link", status=page.status_code)
        return str(httpx.URL(welcome_url).join(finder.href))

    def link(self, wallet_link: str, account: WalletAccount | None = None) -> dict[str, Any]:
        """Link this wallet (steps 5-10); returns the sandbox's answer (``issuerBlob`` and friends).

        :raises ApiError: the sandbox refused (``status`` 403 for a matching rule, 409, 502 ...).
        """
        payload = {}
        if account is not None:
            payload = {
                key: getattr(account, attr) for attr, key in _ACCOUNT_JSON.items() if getattr(account, attr) is not None
            }
        return self._post(f"{wallet_link}/initiate", payload)

    def finish(self, wallet_link: str, outcome: str) -> dict[str, Any]:
        """Report how provisioning ended: ``success``, ``failure``, ``card_already_present``,
        ``device_not_supported``, ``timeout`` or ``cancel`` (steps 17-18)."""
        return self._post(f"{wallet_link}/complete", {"outcome": outcome})

    def _post(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self._http.post(url, json=payload)
        body = response.json()
        if response.status_code != 200:
            message = body.get("error") if isinstance(body, dict) else None
            raise ApiError(f"wallet app: HTTP {response.status_code}: {message}", status=response.status_code)
        return body if isinstance(body, dict) else {}
