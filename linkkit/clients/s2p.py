"""Save to Pay client (partner → S2P server) over mutual TLS: register a session, read it back.

::

    from linkkit.clients.s2p import S2PClient
    from linkkit.s2p import Registration, RegistrationLedger
    from linkkit.tls import client_context

    client = S2PClient(
        partner_id="...",                                    # the S2P Partner ID of this environment
        tls=client_context(certificate="partner-client.crt", private_key="partner-client.key",
                           server_ca="samsung-ca.crt"),
        ledger=RegistrationLedger("s2p.sqlite3"),
    )
    info = client.register(Registration(card_name=..., card_art_url=..., partner_name=...,
                                        partner_logo_url=...), card_ref="card-8841")
    info.welcome_url                                         # show it with window.spay.saveToPayUI

What the client does for you (Samsung's contract: https://developer.samsung.com/pay/save2pay/api-introduction.html):

* validates the body against Save to Pay's data types **before** anything is sent (errors name the member);
* sends ``Request-Id`` (fresh per call, kept across retries) and ``Partner-Id``; checks that a
  ``Response-Id`` the server sends echoes it;
* maps ``400.1`` / ``500.1`` / ``503.1`` / ``503.2`` to :class:`~linkkit.errors.BadRequestError`,
  :class:`~linkkit.errors.ServerError` and :class:`~linkkit.errors.ServiceUnavailableError`
  (with ``retry_after``); retries 503 after ``Retry-After`` (:mod:`linkkit.clients._http`);
* registers **once per card**: :meth:`S2PClient.register` claims the card in a
  :class:`~linkkit.s2p.RegistrationLedger` first. Calling it again for the same card with the same
  registration returns the stored registration (no second ``POST``); with a different registration,
  or while an earlier attempt's outcome is unknown, it raises :class:`RegistrationConflictError`;
* keeps the welcome URL fresh: :meth:`S2PClient.welcome_url` re-fetches the registration
  (``GET /registrations/{regId}``) once the stored URL is older than ``welcome_url_ttl``.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote, urlsplit

import httpx

from linkkit.clients._http import DEFAULT_TIMEOUT, RetryPolicy, new_request_id, purpose_checked, send
from linkkit.config import S2P_API_URL
from linkkit.errors import ApiError, ConfigError, StoreError, TransportError, ValidationError
from linkkit.errors import RegistrationConflictError as RegistrationConflictError
from linkkit.s2p import protocol as p
from linkkit.s2p.ledger import RegistrationLedger
from linkkit.s2p.models import Registration, RegistrationInfo
from linkkit.s2p.schema import check_registration, validate
from linkkit.s2p.types import Uuid

#: How long a stored welcome URL is used before it is fetched again. Samsung's welcome URLs live 24 h by
#: default (https://developer.samsung.com/pay/save2pay/api-introduction.html); an hour of margin keeps a page
#: shown now valid while the user scans.
WELCOME_URL_TTL: Final = 23 * 3600.0
#: Three tries in all; a ``Retry-After`` up to 30 s is waited for (see :class:`~linkkit.clients.RetryPolicy`).
DEFAULT_RETRY: Final = RetryPolicy()
#: Failures where the request certainly did not register anything: it never left.
_UNSENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _digest(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _certainly_unsent(exc: TransportError) -> bool:
    cause: BaseException | None = exc.__cause__
    while cause is not None:
        if isinstance(cause, _UNSENT):
            return True
        if isinstance(cause, ssl.SSLError):
            # The TLS session broke: under TLS 1.3 a refused client certificate (expired, wrong CA)
            # surfaces only at the first write or read, as an alert or an EOF. A server that had
            # processed the request would have answered over a working session.
            return True
        cause = cause.__cause__ or cause.__context__
    return False


class S2PClient:
    """The partner's side of the S2P registrations API (Save to Pay inbound API, "Registration").

    :param partner_id: the S2P Partner ID Samsung issued for this environment (Save to Pay's UUID type).
    :param tls: a client context with the certificate Samsung's CA signed and Samsung's CA as
        trust root (:func:`linkkit.tls.client_context`).
    :param ledger: where registrations are recorded, one per card.
    :param base_url: the API base, ``https://s2p-api.mpay.samsung.com/ext/v1`` by default; staging
        or the sandbox by configuration (``Endpoints.from_env().s2p_api_url``).
    :param retry: when to retry (503 after ``Retry-After``, connections that never opened).
    :param timeout: seconds, or an :class:`httpx.Timeout`.
    :param welcome_url_ttl: seconds a stored welcome URL is trusted before it is fetched again.
    :param clock: epoch seconds (welcome URL age); inject one in tests.
    :param sleep: waits between retries; inject one in tests.
    :param transport: an httpx transport (tests); the default speaks HTTPS with ``tls``.
    :raises ConfigError: a Partner ID or base URL of the wrong shape.
    """

    def __init__(
        self,
        *,
        partner_id: str,
        tls: ssl.SSLContext,
        ledger: RegistrationLedger,
        base_url: str = S2P_API_URL,
        retry: RetryPolicy = DEFAULT_RETRY,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        welcome_url_ttl: float = WELCOME_URL_TTL,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if Uuid().check(partner_id) is not None:
            raise ConfigError("partner_id: must be the S2P Partner ID (26 to 128 characters of a-z, A-Z, 0-9, - and _)")
        if not isinstance(tls, ssl.SSLContext):
            raise TypeError("tls must be an ssl.SSLContext (see linkkit.tls.client_context)")
        if not isinstance(ledger, RegistrationLedger):
            raise TypeError("ledger must be a linkkit.s2p.RegistrationLedger")
        parts = urlsplit(base_url)
        if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError("base_url: must be an https URL without query or fragment (mutual TLS is required)")
        if welcome_url_ttl <= 0:
            raise ValueError("welcome_url_ttl must be positive")
        self.partner_id = partner_id
        self.base_url = base_url.rstrip("/")
        self._ledger = ledger
        self._retry = retry
        self._ttl = welcome_url_ttl
        self._clock = clock
        self._sleep = sleep
        self._http = httpx.Client(
            verify=purpose_checked(tls), timeout=timeout, transport=transport, follow_redirects=False
        )

    # -- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> S2PClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- API ---------------------------------------------------------------------------------------

    def register(self, registration: Registration | Mapping[str, Any], *, card_ref: str) -> RegistrationInfo:
        """``POST /registrations`` once for the card ``card_ref`` (the partner's own card id, never a PAN).

        :param registration: a :class:`~linkkit.s2p.Registration`, or Samsung's JSON body.
        :returns: the registration; ``welcome_url`` is what the welcome modal shows.
        :raises ValidationError: the body breaks a rule of Save to Pay's data types (nothing was sent).
        :raises RegistrationConflictError: the card already has a different registration, one is in
            flight, or an earlier attempt's outcome is unknown.
        :raises ApiError: the server refused (``BadRequestError`` 400.1, ``ServerError`` 500.1,
            ``ServiceUnavailableError`` 503.x after the retries), or :class:`~linkkit.errors.TransportError`.
        """
        if isinstance(registration, Registration):
            body = registration.to_body()
        elif isinstance(registration, Mapping):
            body = dict(registration)
            validate(check_registration(body))
        else:
            raise TypeError("registration must be a Registration or a JSON mapping")
        digest = _digest(body)
        now = self._clock()
        existing = self._ledger.claim(card_ref, digest, now)
        if existing is not None:
            if existing.state == "registered" and existing.body_sha256 == digest and existing.reg_id:
                return self._current(existing.reg_id, existing.status, existing.welcome_url, existing.welcome_url_at)
            raise RegistrationConflictError(_CONFLICT[existing.state], state=existing.state)
        try:
            response = self._call("POST", "/registrations", "S2P register", json_body=body)
            info = self._read(response, "S2P register")
        except TransportError as exc:
            if _certainly_unsent(exc):
                self._ledger.release(card_ref)
            else:
                self._ledger.mark_unknown(card_ref, self._clock())
            raise
        except ApiError as exc:
            # An HTTP error status means the server refused or failed: nothing was registered.
            # A 2xx we cannot read means it probably was: the card stays locked.
            if exc.status and not 200 <= exc.status < 300:
                self._ledger.release(card_ref)
            else:
                self._ledger.mark_unknown(card_ref, self._clock())
            raise
        except BaseException:
            self._ledger.mark_unknown(card_ref, self._clock())
            raise
        self._ledger.record(
            card_ref, reg_id=info.id, status=info.status, welcome_url=info.welcome_url, now=self._clock()
        )
        return info

    def get_registration(self, reg_id: str) -> RegistrationInfo:
        """``GET /registrations/{regId}``: the current status and a valid welcome URL.

        The ledger row of the card is updated with what comes back.

        :raises ValidationError: ``reg_id`` is not a Save to Pay UUID (nothing was sent).
        :raises ApiError: as :meth:`register`.
        """
        if (reason := Uuid().check(reg_id)) is not None:
            raise ValidationError(f"regId: {reason}")
        response = self._call("GET", f"/registrations/{quote(reg_id, safe='')}", "S2P get registration")
        info = self._read(response, "S2P get registration")
        if info.id != reg_id:
            raise ApiError(
                "S2P get registration: the answer is about another registration", status=response.status_code
            )
        self._ledger.refresh(info.id, status=info.status, welcome_url=info.welcome_url, now=self._clock())
        return info

    def welcome_url(self, card_ref: str) -> str:
        """The welcome URL of the card's registration, fetched again when the stored one is stale
        (Samsung: the partner "should check if it's still valid before rendering").

        :raises StoreError: no registration is recorded for ``card_ref``.
        """
        entry = self._ledger.get(card_ref)
        if entry is None or entry.state != "registered" or not entry.reg_id:
            raise StoreError("no S2P registration is recorded for this card_ref")
        return self._current(entry.reg_id, entry.status, entry.welcome_url, entry.welcome_url_at).welcome_url

    # -- internals ---------------------------------------------------------------------------------

    def _current(self, reg_id: str, status: str | None, url: str | None, at: float | None) -> RegistrationInfo:
        if url and status and at is not None and self._clock() - at < self._ttl:
            return RegistrationInfo(id=reg_id, status=status, welcome_url=url)
        return self.get_registration(reg_id)

    def _call(
        self, method: str, path: str, operation: str, *, json_body: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        request_id = new_request_id()
        headers = {
            p.REQUEST_ID_HEADER: request_id,
            p.PARTNER_ID_HEADER: self.partner_id,
            "Accept": "application/json",
        }
        url = self.base_url + path

        def build(_attempt: int) -> httpx.Request:
            return self._http.build_request(method, url, headers=headers, json=json_body)

        response = send(
            self._http, build, operation=operation, request_id=request_id, retry=self._retry, sleep=self._sleep
        )
        echoed = response.headers.get(p.RESPONSE_ID_HEADER)
        if echoed is not None and echoed != request_id:
            raise ApiError(
                f"{operation}: Response-Id does not echo the Request-Id",
                status=response.status_code,
                request_id=request_id,
            )
        return response

    @staticmethod
    def _read(response: httpx.Response, operation: str) -> RegistrationInfo:
        try:
            return RegistrationInfo.from_body(response.json())
        except (ValueError, ValidationError) as exc:
            raise ApiError(f"{operation}: unreadable answer ({exc})", status=response.status_code) from exc


_CONFLICT: Final = {
    "registered": "this card_ref already has an S2P registration with other data; S2P registers a card "
    "once (Samsung asks for one registration per card): reuse it, or forget it in the ledger if the card "
    "really changed",
    "pending": "a registration for this card_ref is being sent right now",
    "unknown": "an earlier registration for this card_ref got no answer and may exist at Samsung; "
    "check, then call RegistrationLedger.forget(card_ref) to allow a new one",
}
