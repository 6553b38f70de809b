"""The partner endpoints Samsung calls (Get Card Data, Send Card State, Request Action), as plain functions.

::

    GET  {base}/cards/{cardId}/{refId}?fields=        Get Card Data       → 200 {"cdata"} | {"card"}, 204
    POST {base}/cards/{cardId}/{refId}?cc2=&event=    Send Card State     → 200
    POST {base}/cards/{cardId}/{refId}/requestAction  Request Action      → 200 | 204 | 400 | 401 | 404
    GET  {base}/w/{token}                             click-time link     → 302 to a fresh Data Transmit link

Every Samsung call is checked first (:mod:`linkkit.partner.auth`); a refused call answers 401 with
``{"code": <reason>, "message": ...}`` and is logged without token, path or refId. Malformed ids are
answered 404 (card id) or 400 (refId) before the store is touched.

:class:`PartnerServer` is framework-free: :meth:`~PartnerServer.handle` takes a
:class:`~linkkit.partner.wire.Request` and returns a :class:`~linkkit.partner.wire.Response`.
:meth:`~PartnerServer.wsgi_app` and :meth:`~PartnerServer.blueprint` mount it in WSGI or Flask.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

from linkkit._json import is_json_media_type
from linkkit._redact import get_logger
from linkkit.atw.links import is_valid_card_id, is_valid_ref_id, transmit_link
from linkkit.atw.tokens import dumps_compact
from linkkit.cards import CardEvent, check_card
from linkkit.errors import ServiceUnavailableError, StoreError, TokenError, UnsafeURLError
from linkkit.observability.telemetry import Telemetry
from linkkit.partner.actions import ActionRegistry
from linkkit.partner.auth import InboundAuth
from linkkit.partner.callbacks import check_callback
from linkkit.partner.clicklinks import ClickLinks
from linkkit.partner.config import PartnerConfig, warn_if_samsung_certificate_id_unset
from linkkit.partner.health import HEALTH_ROUTES, ExpiryWatch, Health
from linkkit.partner.observe import (
    CLICK_LINK,
    GET_CARD_DATA,
    OTHER,
    REQUEST_ACTION,
    SEND_CARD_STATE,
    RequestObserver,
    TracedStore,
)
from linkkit.partner.records import CardEventRecord, ClickLinkRecord, ClickOutcome
from linkkit.partner.request_action import RequestActionProcessor, action_error
from linkkit.partner.stores.contract import Store
from linkkit.partner.web import WSGIApp, make_blueprint, make_wsgi_app
from linkkit.partner.wire import BASE_HEADERS, Request, Response

if TYPE_CHECKING:
    from flask import Blueprint

logger = get_logger("linkkit.partner")

#: Distinct valid cards remembered so that an unchanged card is not validated on every request.
_VALIDATED_CARDS_KEPT: Final = 4096
#: The ``fields`` query of Get Card Data: String(128) in Samsung's Partner API, comma-separated names.
_FIELDS: Final = re.compile(r"[A-Za-z0-9_.{}]+(?:,[A-Za-z0-9_.{}]+)*")
_CC2: Final = re.compile(r"[A-Za-z]{2}")
_EVENTS: Final = frozenset(CardEvent)
_CLICK_PAGE: Final = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">'
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title></head>'
    "<body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
)
_CLICK_ANSWERS: Final = {
    ClickOutcome.UNKNOWN: (404, "Link not found", "This link is not valid. Check that it was copied in full."),
    ClickOutcome.EXPIRED: (410, "Link expired", "This link has expired. Ask the sender for a new one."),
    ClickOutcome.EXHAUSTED: (410, "Link already used", "This link was used as many times as it allows."),
    ClickOutcome.REVOKED: (410, "Link withdrawn", "The sender has withdrawn this link."),
}


class CardSource(Protocol):
    """Where the merchant's card content comes from: the one interface a merchant implements."""

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        """The ``{"card": {...}}`` JSON of one card instance, or ``None`` when there is no such card.

        Raise :class:`linkkit.errors.ServiceUnavailableError` (with ``retry_after``) when the card
        cannot be had right now: Samsung is answered 503 with ``Retry-After``.

        :param fields: the attributes Samsung asked for (``?fields=balance,barcode.value``), or ``None``
            for all; returning the whole card is always correct.
        """


def _error(status: int, code: str, message: str) -> Response:
    return Response.json(status, {"code": code, "message": message})


_JSON_HEADERS: Final = (("Content-Type", "application/json"), *BASE_HEADERS)


def _cdata_answer(token: str) -> Response:
    """``200 {"cdata": token}``, written directly: a compact JWE is base64url and dots, nothing in it
    needs JSON escaping, and encoding its 2-3 KB with ``json.dumps`` on every request costs more than
    everything else in the answer."""
    return Response(200, _JSON_HEADERS, b'{"cdata":"' + token.encode("ascii") + b'"}')


def _unavailable(exc: ServiceUnavailableError) -> Response:
    # Samsung's Partner API lists 503 as "Server is not ready to handle the request"; Retry-After is sent
    # when the card source said how long.
    headers = (("Retry-After", str(round(exc.retry_after))),) if exc.retry_after is not None else ()
    return Response.json(503, {"code": "unavailable", "message": "try again later"}, headers=headers)


#: Seconds a client is told to wait when the store cannot be written (a full disk, a read-only file,
#: a database that does not answer): long enough for an operator's alert, short enough for a retry.
STORE_RETRY_AFTER: Final = 5


def _store_unavailable() -> Response:
    # Nothing was acknowledged: the answer says "not stored, try again", never 200 or a 500 that a
    # client could read as "the request itself is wrong".
    return Response.json(
        503,
        {"code": "store_unavailable", "message": "the partner cannot store this right now; try again later"},
        headers=(("Retry-After", str(STORE_RETRY_AFTER)),),
    )


def _page(
    status: int, title: str, text: str, headers: tuple[tuple[str, str], ...] = (), *, code: str | None = None
) -> Response:
    body = _CLICK_PAGE.format(title=html.escape(title), text=html.escape(text)).encode("utf-8")
    return Response(
        status,
        (("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", "default-src 'none'"), *headers),
        body,
        code,
    )


class PartnerServer:
    """The partner endpoints (see the module docstring).

    :param config: who we are and how strict to be.
    :param cards: the merchant's :class:`CardSource`.
    :param store: where events, sessions, replay ids and click-time links live.
    :param actions: the Request Action handlers; without it Request Action answers 404.
    :param click_links: enables ``/w/{token}``.
    :param on_event: called with each new Send Card State record (after it is stored); errors in it
        are logged and do not change the answer.
    :param telemetry: where metrics and spans go (:class:`~linkkit.observability.Telemetry`); default:
        OpenTelemetry's global providers when it is installed, else nothing.
    :raises linkkit.errors.CertificateExpiredError: a certificate of the keyring has expired (unless
        ``config.allow_expired``); one that expires within 30 days is logged as a warning, now and daily.
    """

    def __init__(
        self,
        config: PartnerConfig,
        cards: CardSource,
        *,
        store: Store,
        actions: ActionRegistry | None = None,
        click_links: ClickLinks | None = None,
        on_event: Callable[[CardEventRecord], None] | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        from linkkit.observability.logs import configure_logging

        configure_logging()  # LINKKIT_LOG_FORMAT=json
        warn_if_samsung_certificate_id_unset(config)
        self.config = config
        self.cards = cards
        self.store = store
        self.actions = actions
        self.click_links = click_links
        self._on_event = on_event
        self._telemetry = telemetry = telemetry or Telemetry.default()
        self._span = telemetry.span
        self._observer = RequestObserver(telemetry)
        self._expiry = ExpiryWatch(config.keys, config.clock, logger, allow_expired=config.allow_expired)
        self._health = Health(store, config.keys, config.clock, logger)
        # Spans around every store call, only when spans are recorded.
        self._store: Store = TracedStore(store, telemetry) if telemetry.tracing else store
        self._auth = InboundAuth(config, self._store)
        self._actions = (
            RequestActionProcessor(config, self._store, actions, self._mint) if actions is not None else None
        )
        self._validated: OrderedDict[bytes, None] = OrderedDict()
        self._validated_lock = threading.Lock()

    # -- routing ----------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Route one request to its endpoint and answer it."""
        if request.route in HEALTH_ROUTES:
            return self._health.answer(request)  # never behind AUTH, never counted
        self._expiry.tick()
        endpoint, resolved = self._resolve(request)

        def respond() -> Response:
            try:
                return resolved()
            except StoreError as exc:
                logger.error("%s: the store failed: %s", endpoint, exc)
                return _store_unavailable()

        if self._observer.active():
            return self._observer.observe(request, endpoint, respond)
        return respond()

    def _resolve(self, request: Request) -> tuple[str, Callable[[], Response]]:
        """The endpoint ``request`` is for, and the call that answers it."""
        parts = request.route.split("/")
        if len(parts) in (4, 5) and parts[0] == "" and parts[1] == "cards":
            card_id, ref_id = parts[2], parts[3]
            if len(parts) == 5:
                endpoint = REQUEST_ACTION if parts[4] == "requestAction" else OTHER
            else:
                endpoint = {"GET": GET_CARD_DATA, "POST": SEND_CARD_STATE}.get(request.method, OTHER)
            if not is_valid_card_id(card_id) or card_id not in self.config.card_ids:
                return endpoint, lambda: _error(404, "unknown_card", "no such card id")
            if not is_valid_ref_id(ref_id):
                return endpoint, lambda: _error(400, "invalid_ref_id", "refId: must be 1-128 URL-safe characters")
            if len(parts) == 5:
                if parts[4] != "requestAction":
                    return endpoint, lambda: _error(404, "not_found", "no such endpoint")
                if request.method != "POST":
                    return endpoint, lambda: Response.empty(405, headers=(("Allow", "POST"),))
                return endpoint, lambda: self.request_action(request, card_id, ref_id)
            if request.method == "GET":
                return endpoint, lambda: self.get_card_data(request, card_id, ref_id)
            if request.method == "POST":
                return endpoint, lambda: self.send_card_state(request, card_id, ref_id)
            return endpoint, lambda: Response.empty(405, headers=(("Allow", "GET, POST"),))
        if len(parts) == 3 and parts[0] == "" and parts[1] == "w" and self.click_links is not None:
            if request.method not in ("GET", "HEAD"):
                return CLICK_LINK, lambda: Response.empty(405, headers=(("Allow", "GET, HEAD"),))
            return CLICK_LINK, lambda: self.open_click_link(request, parts[2])
        return OTHER, lambda: _error(404, "not_found", "no such endpoint")

    def _check(self, request: Request, ref_id: str) -> None:
        with self._span("linkkit.verify"):
            self._auth.check(request, ref_id=ref_id)

    def _refused(self, api: str, card_id: str, request: Request, exc: TokenError) -> Response:
        # Log the reason code, never the token, the path or the refId.
        logger.warning(
            "%s: refused (%s): %s [card %s, request id %s]",
            api,
            exc.code,
            exc.message,
            card_id,
            request.headers.get("x-request-id", "-")[:64],
        )
        return _error(401, exc.code, exc.message)

    # -- Get Card Data ----------------------------------------------------------------------------

    def _checked_plaintext(self, card: Mapping[str, Any], ref_id: str | None, where: str) -> bytes | None:
        """The card's compact JSON (what the token encrypts) when it is valid, else ``None``.

        Merchants answer the same card again and again (every Get Card Data, every click): a card
        whose exact bytes validated before is not validated again. The memory is bounded.
        """
        try:
            plaintext = dumps_compact(card)
        except (TypeError, ValueError):
            logger.error("%s: the card source returned a card that is not JSON", where)
            return None
        if not self.config.validate_cards:
            return plaintext
        digest = hashlib.blake2b(plaintext, digest_size=16)
        digest.update(b"\x00" + (ref_id or "").encode())  # the refId check depends on the id asked
        key = digest.digest()
        with self._validated_lock:
            if key in self._validated:
                self._validated.move_to_end(key)
                return plaintext
        if not self._valid_card(card, ref_id, where):
            return None
        with self._validated_lock:
            self._validated[key] = None
            if len(self._validated) > _VALIDATED_CARDS_KEPT:
                self._validated.popitem(last=False)
        return plaintext

    def _valid_card(self, card: Mapping[str, Any], ref_id: str | None, where: str) -> bool:
        if not self.config.validate_cards:
            return True
        errors = check_card(card, strict=False)
        if errors:
            logger.error("%s: the card source returned an invalid card: %s", where, errors[0])
            return False
        data = card.get("card", {}).get("data", [])
        if ref_id is not None and not any(isinstance(e, dict) and e.get("refId") == ref_id for e in data):
            logger.error("%s: the card source returned a card whose data[].refId differs from the one asked", where)
            return False
        return True

    def _mint(self, card: Mapping[str, Any], request_id: str) -> str | None:
        plaintext = self._checked_plaintext(card, None, f"request_action (request id {request_id})")
        return None if plaintext is None else self.config.current_signer().card_data_token(plaintext)

    def get_card_data(self, request: Request, card_id: str, ref_id: str) -> Response:
        """``GET /cards/{cardId}/{refId}?fields=``: the card as ``{"cdata"}`` or ``{"card"}``; 204 when unknown."""
        try:
            self._check(request, ref_id)
        except TokenError as exc:
            return self._refused("get_card_data", card_id, request, exc)
        raw_fields = request.query.get("fields", request.query.get("select"))  # "select" in older pages
        fields: tuple[str, ...] | None = None
        if raw_fields:
            if len(raw_fields) > 128 or not _FIELDS.fullmatch(raw_fields):
                return _error(400, "invalid_fields", "fields: comma-separated attribute names, String(128)")
            fields = tuple(raw_fields.split(","))
        with self._span("linkkit.card.build"):
            try:
                card = self.cards.get_card(card_id, ref_id, fields)
            except ServiceUnavailableError as exc:
                return _unavailable(exc)
            if card is None:
                return Response.empty(204)
            plaintext = self._checked_plaintext(card, ref_id, f"get_card_data [card {card_id}]")
            if plaintext is None:
                return _error(500, "invalid_card", "the partner's card is not valid")
            if self.config.card_data_format == "card":
                return Response.json(200, {"card": card["card"]})
            return _cdata_answer(self.config.current_signer().card_data_token(plaintext))

    # -- Send Card State --------------------------------------------------------------------------

    def send_card_state(self, request: Request, card_id: str, ref_id: str) -> Response:
        """``POST /cards/{cardId}/{refId}?cc2=&event=`` with ``{"callback"}``: stored once, answered 200."""
        try:
            self._check(request, ref_id)
        except TokenError as exc:
            return self._refused("send_card_state", card_id, request, exc)
        cc2 = request.query.get("cc2", "")
        event = request.query.get("event", "")
        if not _CC2.fullmatch(cc2):
            return _error(400, "invalid_cc2", "cc2: required, a 2-letter country code")
        if event not in _EVENTS:
            return _error(400, "invalid_event", "event: required, one of " + ", ".join(CardEvent))
        if request.body and not is_json_media_type(request.headers.get("content-type")):
            return _error(415, "unsupported_media_type", "Content-Type: must be application/json")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "invalid_body", "the body must be JSON")
        if body is not None and not isinstance(body, dict):
            return _error(400, "invalid_body", "the body must be a JSON object")
        callback = (body or {}).get("callback")
        if callback is not None:
            try:
                callback = check_callback(self.config.callbacks, callback)
            except UnsafeURLError as exc:
                # The body is not signed by Samsung: a callback off the list would send the partner's
                # notifications (and fresh AUTH tokens) elsewhere. Logged by rule, never by value.
                logger.warning(
                    "send_card_state: callback refused (%s) [card %s, request id %s]",
                    exc.code,
                    card_id,
                    request.headers.get("x-request-id", "-")[:64],
                )
                code = "callback_not_allowed" if exc.code == "not_allowed" else "invalid_callback"
                return _error(400, code, exc.message)
        record = CardEventRecord(
            card_id=card_id,
            ref_id=ref_id,
            event=event,
            cc2=cc2.upper(),
            callback=callback,
            request_id=request.headers.get("x-request-id", ""),
            received_at=self.config.clock(),
        )
        if self._store.record_event(record) and self._on_event is not None:
            try:
                self._on_event(record)
            except Exception:
                logger.exception("send_card_state: the on_event hook failed [card %s]", card_id)
        return Response.empty(200)

    # -- Request Action ---------------------------------------------------------------------------

    def request_action(self, request: Request, card_id: str, ref_id: str) -> Response:
        """``POST /cards/{cardId}/{refId}/requestAction``."""
        if self._actions is None:
            return action_error(404, "NOT_FOUND", "this partner has no Request Action handlers")
        try:
            self._check(request, ref_id)
        except TokenError as exc:
            self._refused("request_action", card_id, request, exc)
            return action_error(401, exc.code, exc.message)
        if request.body and not is_json_media_type(request.headers.get("content-type")):
            return action_error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type: must be application/json")
        try:
            body = request.json()
        except ValueError:
            return action_error(400, "INVALID_REQUEST", "the body must be JSON")
        return self._actions.process(body, card_id, ref_id, request.headers.get("x-request-id", ""))

    # -- click-time links -------------------------------------------------------------------------

    def open_click_link(self, request: Request, token: str) -> Response:
        """``GET /w/{token}``: 302 to a freshly minted Data Transmit link.

        A use is spent only when the answer is that 302: a card source that is busy (503) or has no
        card (410) leaves the link as it was, and ``HEAD`` (link checkers, previews, mail scanners)
        answers what ``GET`` would, 200, 404 or 410, without spending anything.
        """
        assert self.click_links is not None
        private = (("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"), ("X-Robots-Tag", "noindex"))
        if request.method == "HEAD":
            outcome, _ = self.click_links.check(token)
            if outcome is ClickOutcome.OK:
                return Response(200, private)
            return Response(_CLICK_ANSWERS[outcome][0], private, code=outcome.value)
        failed: list[Response] = []

        def mint(record: ClickLinkRecord) -> str | None:
            with self._span("linkkit.card.build"):
                try:
                    card = self.cards.get_card(record.card_id, record.ref_id, None)
                except ServiceUnavailableError as exc:
                    retry = (("Retry-After", str(round(exc.retry_after))),) if exc.retry_after is not None else ()
                    failed.append(
                        _page(
                            503,
                            "Try again soon",
                            "The card cannot be fetched right now.",
                            (*private, *retry),
                            code="unavailable",
                        )
                    )
                    return None
                plaintext = (
                    None
                    if card is None
                    else self._checked_plaintext(card, record.ref_id, f"click link [card {record.card_id}]")
                )
                if plaintext is None:
                    failed.append(
                        _page(410, "Card not available", "This card is no longer available.", private, code="no_card")
                    )
                    return None
                card_token = self.config.current_signer().card_data_token(plaintext)
            return transmit_link(record.card_id, card_token, base=self.config.endpoints.atw_base_url)

        outcome, _, url = self.click_links.redeem(token, mint)
        if failed:
            return failed[0]
        if outcome is not ClickOutcome.OK or url is None:
            status, title, text = _CLICK_ANSWERS[outcome if outcome is not ClickOutcome.OK else ClickOutcome.UNKNOWN]
            logger.info("click link refused: %s", outcome.value)
            return _page(status, title, text, private, code=outcome.value)
        return Response(302, (("Location", url), *private))

    # -- mounting ---------------------------------------------------------------------------------

    def wsgi_app(self, *, mount: str = "") -> WSGIApp:
        """A plain WSGI application serving the endpoints under ``mount`` (e.g. ``"/samsung"``)."""
        return make_wsgi_app(self, mount=mount)

    def blueprint(self, name: str = "linkkit_partner", *, url_prefix: str = "") -> Blueprint:
        """A Flask blueprint serving the endpoints under ``url_prefix``."""
        return make_blueprint(self, name=name, url_prefix=url_prefix)
