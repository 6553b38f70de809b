"""The sandbox S2P server's outbound calls: ``POST {partner}/notifications`` over mutual TLS (Samsung's
"Outbound to Partner" and "Event Notification",
https://developer.samsung.com/pay/save2pay/api-introduction.html), presenting the client certificate the
partner's CA signed.

Every delivery, good or bad, is kept in :attr:`Notifier.outbox` so that tests and the sandbox UI
can see what the partner was told.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from linkkit.clients._http import RetryPolicy, new_request_id, purpose_checked, send
from linkkit.errors import ApiError, ValidationError
from linkkit.s2p import protocol as p
from linkkit.s2p.models import Notification, encrypted_data_of

#: Two tries, a Retry-After of up to 5 s honoured: a wallet user is waiting on the other end.
NOTIFY_RETRY: Final = RetryPolicy(attempts=2, backoff=0.2, max_retry_after=5.0)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notification and what came of it."""

    request_id: str
    notification: Notification
    #: HTTP status of the partner's answer (0 when none came).
    status: int
    #: ``card.data.encryptedData`` of the answer, when there was one.
    encrypted_data: str | None = field(default=None, repr=False)
    #: Why the delivery failed (None when the partner answered 2xx with a readable body).
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Notifier:
    """Sends notifications to one partner.

    :param url: the partner's base URL (given at onboarding); ``/notifications`` is appended.
    :param partner_id: sent as ``Partner-Id``.
    :param tls: client context with the S2P client certificate and the partner's CA as trust root.
    """

    def __init__(
        self,
        *,
        url: str,
        partner_id: str,
        tls: ssl.SSLContext | None,
        timeout: float = 5.0,
        retry: RetryPolicy = NOTIFY_RETRY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/") + "/notifications"
        self.partner_id = partner_id
        self._retry = retry
        self._sleep = sleep
        self._http = httpx.Client(
            verify=purpose_checked(tls) if tls is not None else True, timeout=timeout, follow_redirects=False
        )
        self._lock = threading.Lock()
        #: Every delivery, oldest first.
        self.outbox: list[Delivery] = []

    def close(self) -> None:
        self._http.close()

    def send(self, notification: Notification) -> Delivery:
        """Deliver ``notification``; never raises for the partner's failures (see :attr:`Delivery.error`)."""
        request_id = new_request_id()
        body = notification.to_body()
        headers = {p.REQUEST_ID_HEADER: request_id, p.PARTNER_ID_HEADER: self.partner_id}

        def build(_attempt: int) -> httpx.Request:
            return self._http.build_request("POST", self.url, headers=headers, json=body)

        delivery: Delivery
        try:
            response = send(
                self._http,
                build,
                operation="S2P notify partner",
                request_id=request_id,
                retry=self._retry,
                sleep=self._sleep,
            )
            delivery = self._read(request_id, notification, response)
        except ApiError as exc:
            delivery = Delivery(request_id, notification, exc.status, error=str(exc))
        with self._lock:
            self.outbox.append(delivery)
        return delivery

    @staticmethod
    def _read(request_id: str, notification: Notification, response: httpx.Response) -> Delivery:
        status = response.status_code
        if response.headers.get(p.RESPONSE_ID_HEADER) != request_id:
            return Delivery(request_id, notification, status, error="Response-Id does not echo the Request-Id")
        try:
            answer: Any = response.json() if response.content else {}
            blob = encrypted_data_of(answer)
        except (ValueError, ValidationError) as exc:
            return Delivery(request_id, notification, status, error=f"unreadable answer ({exc})")
        return Delivery(request_id, notification, status, encrypted_data=blob)

    def clear(self) -> None:
        """Forget the outbox."""
        with self._lock:
            self.outbox.clear()

    def deliveries(self, reg_id: str) -> list[Delivery]:
        """The deliveries about registration ``reg_id``, oldest first."""
        with self._lock:
            return [d for d in self.outbox if d.notification.reg_id == reg_id]
