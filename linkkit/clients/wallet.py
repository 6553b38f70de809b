"""Client of Samsung's Wallet server API, partner → Samsung (templates, adding cards, notifications).

Samsung documents the notifications at
https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html, adding a card at
https://developer.samsung.com/wallet/AdvancedIntegrations/ServerInitiatedCardProvisioning.html and the
templates at https://developer.samsung.com/wallet/api_new/purposes/overview.html.

::

    POST /partner/v1/card/template                     create a card template  → {"cardId", "resultCode"}
    POST /partner/v1/card/template/{cardId}            update a card template
    POST /atw/v1/cards/{cardId}                        add a card to a user's account ({"cdata"})
    POST /{cc2}/wltex/cards/{cardId}/updates           Update Notification      (200, 204 card unknown)
    POST /{cc2}/wltex/cards/{cardId}/batch/updates     Batch Update Notification
    POST /{cc2}/wltex/cards/{cardId}/cancels           Cancel Notification
    GET  /{cc2}/wltex/cards/{cardId}?eventId=&type=    Get Reference Ids        → {"count", "refIds"}

Every call carries ``Authorization: Bearer <AUTH token>`` bound to its method and path,
``x-smcs-partner-id`` and ``x-request-id``, plus a country header where Samsung's examples show one
(``x-request-cc2`` on templates and adding a card, ``x-smcs-cc2`` on Get Reference Ids).

**Where the notifications go.** The public domain needs the user's country in the path
(``/{cc2}/wltex/...``). When Send Card State gave a ``callback`` for the card (the private domain,
e.g. ``https://us-tsapi.walletsvc.samsung.com``), pass it as ``callback=``: it replaces the base URL
and the region is already in it, so the path is ``/wltex/...``.

**ctemplate** (linkkit's choice where Samsung only says "secure JWT"): the template travels like a
card, as a Card Data Token over ``{"cardTemplate": {...}}`` (JWS RS256 with the partner key around a
JWE for the Samsung certificate).
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import quote, urlsplit

import httpx

from linkkit._urls import parse_http_url
from linkkit.atw.links import is_valid_card_id
from linkkit.atw.tokens import TokenSigner
from linkkit.cards import check_update_notification
from linkkit.clients._http import DEFAULT_TIMEOUT, RetryPolicy, new_request_id, purpose_checked, send
from linkkit.config import Endpoints
from linkkit.errors import ApiError, ValidationError

_CC2: Final = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True, slots=True)
class TemplateResult:
    """The answer to a template create or update."""

    card_id: str
    result_code: str
    result_message: str
    request_id: str


@dataclass(frozen=True, slots=True)
class Accepted:
    """The answer to an add-card call or a notification: ``200``, or ``204`` when the card is unknown."""

    status: int
    request_id: str

    @property
    def card_exists(self) -> bool:
        """``False`` when Samsung answered 204 ("card doesn't exist" in Samsung's Update Notification)."""
        return self.status != 204


@dataclass(frozen=True, slots=True)
class ReferenceIds:
    """The answer to Get Reference Ids."""

    count: int
    ref_ids: tuple[str, ...]
    request_id: str


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """One Update Notification entry: ``{"refId", "state", "fields"?, "oldRefId"?, "atwLink"?}``."""

    ref_id: str
    state: str
    fields: str | None = None
    old_ref_id: str | None = None
    atw_link: str | None = None

    def to_json(self) -> dict[str, str]:
        entry = {
            "refId": self.ref_id,
            "state": self.state,
            "fields": self.fields,
            "oldRefId": self.old_ref_id,
            "atwLink": self.atw_link,
        }
        return {k: v for k, v in entry.items() if v is not None}


@dataclass(frozen=True, slots=True)
class BatchUpdate:
    """One Batch Update entry: every card of the event ``event_id`` (Batch Update Notification)."""

    event_id: str
    state: str | None = None

    def to_json(self) -> dict[str, str]:
        return {"eventId": self.event_id} | ({"state": self.state} if self.state is not None else {})


@dataclass(frozen=True, slots=True)
class Cancellation:
    """One Cancel Notification entry: a ticket's ``eventId``, a boarding pass's
    ``vehicleNumber`` and ``estimatedOrActualStartDate``, or a ``refId``; ``state`` is ``CANCELED``."""

    state: str = "CANCELED"
    ref_id: str | None = None
    event_id: str | None = None
    vehicle_number: str | None = None
    estimated_or_actual_start_date: int | None = None

    def to_json(self) -> dict[str, Any]:
        entry = {
            "refId": self.ref_id,
            "eventId": self.event_id,
            "vehicleNumber": self.vehicle_number,
            "estimatedOrActualStartDate": self.estimated_or_actual_start_date,
            "state": self.state,
        }
        return {k: v for k, v in entry.items() if v is not None}


def _entries(items: Iterable[Any]) -> list[Any]:
    return [item.to_json() if hasattr(item, "to_json") else dict(item) for item in items]


def _check_card_id(card_id: str) -> str:
    if not is_valid_card_id(card_id):
        raise ValueError("card_id: must be 1-32 letters, digits, '-' or '_'")
    return card_id


class WalletClient:
    """Calls Samsung's Wallet server API as one partner (see the module docstring).

    :param signer: the partner's :class:`~linkkit.atw.tokens.TokenSigner` (partner key, Samsung certificate key).
    :param endpoints: base URLs; production by default, ``Endpoints.sandbox(url)`` for the sandbox.
    :param timeout: seconds, or an :class:`httpx.Timeout`.
    :param retry: when to retry (503 and connection failures; never 4xx).
    :param verify: TLS verification for httpx: ``True``, a CA bundle path or an :class:`ssl.SSLContext`.
    :param http: an :class:`httpx.Client` to use instead of making one (its settings win).
    :param sleep: waits between retries; inject one in tests.
    """

    def __init__(
        self,
        signer: TokenSigner,
        endpoints: Endpoints | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        verify: bool | str | ssl.SSLContext = True,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(signer, TokenSigner):
            raise TypeError("signer must be a linkkit.atw.tokens.TokenSigner")
        self.signer = signer
        self.endpoints = endpoints or Endpoints()
        self.retry = retry or RetryPolicy()
        self._own_http = http is None
        self._http = http or httpx.Client(timeout=timeout, verify=purpose_checked(verify), follow_redirects=False)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"WalletClient(partner_id={self.signer.partner_id!r}, base={self.endpoints.wallet_api_url!r})"

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> WalletClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------------

    def _call(
        self,
        method: Literal["GET", "POST"],
        url: str,
        operation: str,
        *,
        body: Callable[[], dict[str, Any]] | None = None,
        params: Mapping[str, str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[httpx.Response, str]:
        request_id = new_request_id()
        path = urlsplit(url).path

        def build(attempt: int) -> httpx.Request:
            # A fresh AUTH token (and Card Data Token) on every attempt: a retry may come 30 s later.
            headers = {
                "Authorization": self.signer.authorization_header(method, path),
                "x-smcs-partner-id": self.signer.partner_id,
                "x-request-id": request_id,
                **(extra_headers or {}),
            }
            return self._http.build_request(
                method, url, headers=headers, params=params, json=body() if body is not None else None
            )

        response = send(
            self._http, build, operation=operation, request_id=request_id, retry=self.retry, sleep=self._sleep
        )
        return response, request_id

    def _notification_url(self, card_id: str, suffix: str, cc2: str | None, callback: str | None) -> str:
        _check_card_id(card_id)
        if callback is not None:
            # One URL rule: a malformed callback (CR/LF, userinfo, an unclosed bracket) is an
            # UnsafeURLError here, never an httpx.InvalidURL from inside the send.
            base = parse_http_url(callback, what="callback", allow_query=False)
            return f"{str(base).rstrip('/')}/wltex/cards/{card_id}{suffix}"
        if cc2 is None or not _CC2.fullmatch(cc2):
            raise ValueError("cc2: the public domain needs the user's 2-letter country (or pass callback=)")
        return f"{self.endpoints.wallet_api_url}/{cc2.upper()}/wltex/cards/{card_id}{suffix}"

    @staticmethod
    def _cc2_header(name: str, cc2: str | None) -> dict[str, str]:
        if cc2 is None:
            return {}
        if not _CC2.fullmatch(cc2):
            raise ValueError("cc2: must be a 2-letter country code")
        return {name: cc2.upper()}

    # -- templates (Samsung's "Adding Wallet Card Templates") -----------------------------------

    def _template(self, url: str, template: Mapping[str, Any], operation: str, cc2: str | None) -> TemplateResult:
        payload = {"cardTemplate": dict(template)}
        response, request_id = self._call(
            "POST",
            url,
            operation,
            body=lambda: {"ctemplate": self.signer.card_data_token(payload)},
            extra_headers=self._cc2_header("x-request-cc2", cc2),
        )
        try:
            data = response.json()
            return TemplateResult(
                card_id=str(data["cardId"]),
                result_code=str(data.get("resultCode", "")),
                result_message=str(data.get("resultMessage", "")),
                request_id=request_id,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(
                f"{operation}: the answer has no cardId", status=response.status_code, request_id=request_id
            ) from exc

    def create_template(self, template: Mapping[str, Any], *, cc2: str | None = None) -> TemplateResult:
        """Create a card template (Samsung's ``cardTemplate`` object); returns the new ``cardId``.

        ``prtnrId`` defaults to the signer's partner id.
        """
        template = {"prtnrId": self.signer.partner_id, **template}
        return self._template(
            f"{self.endpoints.wallet_api_url}/partner/v1/card/template", template, "create template", cc2
        )

    def update_template(self, card_id: str, template: Mapping[str, Any], *, cc2: str | None = None) -> TemplateResult:
        """Update the template ``card_id``; ``cardTemplate.cardId`` and ``prtnrId`` are filled in."""
        _check_card_id(card_id)
        if template.get("cardId", card_id) != card_id:
            raise ValueError("template cardId differs from card_id")
        template = {"prtnrId": self.signer.partner_id, **template, "cardId": card_id}
        url = f"{self.endpoints.wallet_api_url}/partner/v1/card/template/{quote(card_id)}"
        return self._template(url, template, "update template", cc2)

    # -- add a card to an account (Samsung's "Adding Wallet Cards") -------------------------------

    def add_card(
        self,
        card_id: str,
        card: Mapping[str, Any],
        *,
        account: Mapping[str, str] | None = None,
        cc2: str | None = None,
    ) -> Accepted:
        """Add ``card`` (``{"card": {...}}``) to the user ``account`` (``{"type": "email", "value": ...}``).

        Samsung confirms with a Send Card State ``ADDED`` once the user's device has it: only that
        event means the card was registered.
        """
        _check_card_id(card_id)
        payload = dict(card)
        if account is not None:
            payload["account"] = dict(account)
        response, request_id = self._call(
            "POST",
            f"{self.endpoints.wallet_api_url}/atw/v1/cards/{card_id}",
            "add card",
            body=lambda: {"cdata": self.signer.card_data_token(payload)},
            extra_headers=self._cc2_header("x-request-cc2", cc2),
        )
        return Accepted(response.status_code, request_id)

    # -- notifications (Samsung's card lifecycle APIs) --------------------------------------------

    def _notify(
        self,
        suffix: str,
        operation: str,
        card_id: str,
        card_type: str,
        entries: list[Any],
        cc2: str | None,
        callback: str | None,
    ) -> Accepted:
        if not entries:
            raise ValueError("entries: give at least one")
        url = self._notification_url(card_id, suffix, cc2, callback)
        body = {"card": {"type": card_type, "data": entries}}
        response, request_id = self._call("POST", url, operation, body=lambda: body)
        return Accepted(response.status_code, request_id)

    def update_notification(
        self,
        card_id: str,
        card_type: str,
        entries: Iterable[CardUpdate | Mapping[str, Any]],
        *,
        cc2: str | None = None,
        callback: str | None = None,
    ) -> Accepted:
        """Tell Samsung that cards changed; Samsung then calls Get Card Data for them.

        :raises linkkit.errors.ValidationError: an entry breaks a rule of Samsung's notification
            entries (checked before sending).
        """
        data = _entries(entries)
        errors = check_update_notification({"card": {"type": card_type, "data": data}})
        if errors:
            raise ValidationError(errors)
        return self._notify("/updates", "update notification", card_id, card_type, data, cc2, callback)

    def batch_update_notification(
        self,
        card_id: str,
        card_type: str,
        entries: Iterable[BatchUpdate | Mapping[str, Any]],
        *,
        cc2: str | None = None,
        callback: str | None = None,
    ) -> Accepted:
        """Tell Samsung that every card of the events in ``entries`` changed."""
        return self._notify(
            "/batch/updates", "batch update notification", card_id, card_type, _entries(entries), cc2, callback
        )

    def cancel_notification(
        self,
        card_id: str,
        card_type: str,
        entries: Iterable[Cancellation | Mapping[str, Any]],
        *,
        cc2: str | None = None,
        callback: str | None = None,
    ) -> Accepted:
        """Tell Samsung that an event (show, match, flight ...) was cancelled: its cards expire."""
        return self._notify("/cancels", "cancel notification", card_id, card_type, _entries(entries), cc2, callback)

    def get_reference_ids(
        self,
        card_id: str,
        *,
        event_id: str,
        card_type: str,
        cc2: str | None = None,
        callback: str | None = None,
    ) -> ReferenceIds:
        """The refIds of the cards issued for ``event_id`` (Samsung needs the filter option enabled for
        the eventId attribute)."""
        url = self._notification_url(card_id, "", cc2, callback)
        response, request_id = self._call(
            "GET",
            url,
            "get reference ids",
            params={"eventId": event_id, "type": card_type},
            extra_headers=self._cc2_header("x-smcs-cc2", cc2),
        )
        try:
            data = response.json()
            ref_ids = tuple(str(r) for r in data["refIds"])
            return ReferenceIds(count=int(data["count"]), ref_ids=ref_ids, request_id=request_id)
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(
                "get reference ids: the answer has no count and refIds",
                status=response.status_code,
                request_id=request_id,
            ) from exc
