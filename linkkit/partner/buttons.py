"""The endpoints ``<samsung-wallet-button>`` calls from the browser: mint at click time, and beacons.

::

    POST {base}/buttons/mint/{token}   → 200 {"href": <fresh Data Transmit link>} | 404 | 410 | 429 | 503
    POST {base}/buttons/beacon         {"event", "card"} → 204 | 400 | 429

A button's ``mint-url`` names a click-time link (:class:`~linkkit.partner.clicklinks.ClickLinks`)
made for this visitor's card when the page was rendered; the mint opens it exactly as
``GET /w/{token}`` does (uses, expiry and revocation count the same, the card is fetched from the
merchant's :class:`~linkkit.partner.endpoints.CardSource` and signed), and answers the link as JSON
for the script to navigate to, instead of a redirect. The same click-time link is the QR code a
desktop shows, so a scan and a click spend the same limits. A Data Transmit link's token lives
30 seconds (`Samsung: Card Data Token
<https://developer.samsung.com/wallet/SecureYourIntegration/CardDataToken.html>`_): minting it at
the click, never at page render, is the point.

Both endpoints are rate-limited per client (:mod:`~linkkit.partner.ratelimit`), refuse
``Sec-Fetch-Site: cross-site`` requests (another site's page cannot spend a visitor's link or
inflate the funnel), and never log a token or a refId.

Beacons are what the script sends (``impression``, ``click``, ``mint``, ``mint-error``) for one of
the partner's card ids; they go into the store's funnel (:class:`~linkkit.partner.stores.contract.FunnelLog`)
next to the adds and removes Samsung reports through Send Card State: ``linkkit stats`` reads both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

from linkkit._json import read_json
from linkkit._redact import get_logger
from linkkit.errors import ConfigError, JSONInputError
from linkkit.partner.ratelimit import RateLimit, RateLimiter
from linkkit.partner.stores.contract import BEACON_EVENTS, FunnelLog
from linkkit.partner.wire import BodyTooLarge, Request, Response, request_from_environ

if TYPE_CHECKING:
    from flask import Blueprint

    from linkkit.partner.endpoints import PartnerServer
    from linkkit.partner.stores.contract import Store
    from linkkit.partner.web import StartResponse

logger = get_logger("linkkit.partner.buttons")

#: A beacon body is a few dozen bytes; anything above this is refused unread.
MAX_BEACON_BYTES: Final = 1024
#: Per client: 10 mints at once, then one every 2 s (a person clicks a few times; a script is cut off).
DEFAULT_MINT_LIMIT: Final = RateLimit(rate=0.5, burst=10)
#: Per client: 60 beacons at once, then 2 a second (a page with many buttons sends many impressions).
DEFAULT_BEACON_LIMIT: Final = RateLimit(rate=2.0, burst=60)
#: The card states after which the button says "View in Samsung Wallet".
_IN_WALLET: Final = frozenset({"ADDED", "UPDATED", "PROVISIONED"})
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")

ClientKey = Callable[[Mapping[str, Any]], str]


def remote_address(environ: Mapping[str, Any]) -> str:
    """The default client key: the peer address (behind a proxy, pass a ``client_key`` that reads
    the header your proxy sets, and only that proxy's)."""
    return str(environ.get("REMOTE_ADDR") or "-")


def button_state(store: Store, card_id: str, ref_id: str) -> Literal["add", "view"]:
    """``"view"`` when Samsung last reported the card in the wallet (ADDED, UPDATED, PROVISIONED),
    else ``"add"`` (never added, or DELETED)."""
    status = store.card_status(card_id, ref_id)
    return "view" if status is not None and status.event in _IN_WALLET else "add"


def _error(status: int, code: str, message: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response.json(status, {"code": code, "message": message}, headers=headers)


class ButtonEndpoints:
    """Mint and beacon endpoints for ``<samsung-wallet-button>`` (see the module docstring).

    :param server: the :class:`~linkkit.partner.endpoints.PartnerServer` whose click-time links,
        card source and signer mint the links; it must have ``click_links``.
    :param funnel: where beacons go; default the server's store (both engines are a ``FunnelLog``).
    :param mint_limit: per-client rate of mints.
    :param beacon_limit: per-client rate of beacons.
    :param client_key: names the client of a WSGI environ (default :func:`remote_address`).
    """

    def __init__(
        self,
        server: PartnerServer,
        *,
        funnel: FunnelLog | None = None,
        mint_limit: RateLimit = DEFAULT_MINT_LIMIT,
        beacon_limit: RateLimit = DEFAULT_BEACON_LIMIT,
        client_key: ClientKey = remote_address,
    ) -> None:
        if server.click_links is None:
            raise ConfigError("server: the PartnerServer needs click_links to mint at click time")
        store = funnel if funnel is not None else server.store
        if not isinstance(store, FunnelLog):
            raise ConfigError("funnel: the store does not record beacons (give a FunnelLog)")
        self.server = server
        self.funnel: FunnelLog = store
        self._mints = RateLimiter(mint_limit)
        self._beacons = RateLimiter(beacon_limit)
        self._client_key = client_key

    # -- routing ----------------------------------------------------------------------------------

    def handle(self, request: Request, client: str) -> Response:
        """Answer one request whose route is ``/mint/{token}`` or ``/beacon`` (404 otherwise)."""
        parts = request.route.split("/")
        call: Callable[[], Response]
        if len(parts) == 3 and parts[:2] == ["", "mint"]:
            endpoint, call = "mint", lambda: self.mint(request, parts[2])
        elif request.route == "/beacon":
            endpoint, call = "beacon", lambda: self.beacon(request)
        else:
            return _error(404, "not_found", "no such endpoint")
        if request.method != "POST":
            return Response.empty(405, headers=(("Allow", "POST"),))
        if request.headers.get("sec-fetch-site") == "cross-site":
            return _error(403, "cross_site", "Sec-Fetch-Site: requests from other sites are refused")
        limiter = self._mints if endpoint == "mint" else self._beacons
        wait = limiter.allow(client)
        if wait is not None:
            logger.info("button %s: client over its rate limit", endpoint)
            return _error(
                429, "rate_limited", "too many requests: slow down", (("Retry-After", str(max(1, round(wait)))),)
            )
        return call()

    # -- mint -------------------------------------------------------------------------------------

    def mint(self, request: Request, token: str) -> Response:
        """A fresh Data Transmit link for the click-time link ``token``, as ``{"href": ...}``."""
        if not _TOKEN.fullmatch(token):
            return _error(404, "unknown", "mint: no such click-time link")
        opened = self.server.open_click_link(Request("GET", request.path, "/w/" + token, request.headers), token)
        location = opened.header("Location")
        if opened.status == 302 and location:
            return Response.json(200, {"href": location})
        code = opened.code or "unavailable"
        retry = opened.header("Retry-After")
        return _error(
            opened.status, code, f"mint: the link cannot be minted ({code})", (("Retry-After", retry),) if retry else ()
        )

    # -- beacons ----------------------------------------------------------------------------------

    def beacon(self, request: Request) -> Response:
        """Record one funnel beacon ``{"event": ..., "card": ...}`` (``navigator.sendBeacon`` sends it
        as ``text/plain``, which needs no CORS preflight)."""
        if len(request.body) > MAX_BEACON_BYTES:
            return _error(413, "body_too_large", f"beacon: at most {MAX_BEACON_BYTES} bytes")
        try:
            body = read_json(request.body, what="the beacon", max_bytes=MAX_BEACON_BYTES, max_depth=2)
        except JSONInputError:
            return _error(400, "invalid_body", "beacon: the body must be a JSON object")
        if not isinstance(body, dict):
            return _error(400, "invalid_body", "beacon: the body must be a JSON object")
        event, card = body.get("event"), body.get("card")
        if event not in BEACON_EVENTS:
            return _error(400, "invalid_event", "event: one of " + ", ".join(BEACON_EVENTS))
        if not isinstance(card, str) or card not in self.server.config.card_ids:
            return _error(400, "unknown_card", "card: not one of this partner's card ids")
        self.funnel.record_beacon(card, event, self.server.config.clock())
        return Response.empty(204)

    # -- mounting ---------------------------------------------------------------------------------

    def _respond(self, environ: Mapping[str, Any], mount: str) -> Response:
        try:
            request = request_from_environ(environ, mount=mount)
        except BodyTooLarge:
            return _error(413, "body_too_large", "the body is too large")
        try:
            return self.handle(request, self._client_key(environ))
        except Exception:
            logger.exception("button endpoint failed [%s]", request.method)
            return _error(500, "internal_error", "the partner could not answer")

    def wsgi_app(self, *, mount: str = "") -> Callable[[dict[str, Any], StartResponse], list[bytes]]:
        """A WSGI application answering ``{mount}/mint/{token}`` and ``{mount}/beacon``."""
        mount = mount.rstrip("/")

        def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
            response = self._respond(environ, environ.get("SCRIPT_NAME", "").rstrip("/") + mount)
            start_response(response.status_line, [*response.headers, ("Content-Length", str(len(response.body)))])
            return [response.body]

        return app

    def blueprint(self, name: str = "linkkit_buttons", *, url_prefix: str = "/buttons") -> Blueprint:
        """A Flask blueprint with ``{url_prefix}/mint/<token>`` and ``{url_prefix}/beacon``."""
        from flask import Blueprint, request
        from flask import Response as FlaskResponse

        prefix = url_prefix.rstrip("/")
        blueprint = Blueprint(name, __name__, url_prefix=prefix or None)

        def view(**_: str) -> FlaskResponse:
            mounted = request.environ.get("SCRIPT_NAME", "").rstrip("/") + prefix
            answer = self._respond(request.environ, mounted)
            return FlaskResponse(answer.body, status=answer.status, headers=list(answer.headers))

        blueprint.add_url_rule("/mint/<token>", "mint", view, methods=["GET", "POST"])
        blueprint.add_url_rule("/beacon", "beacon", view, methods=["GET", "POST"])
        return blueprint


__all__ = ["ButtonEndpoints", "button_state", "remote_address"]
