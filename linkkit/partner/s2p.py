"""The partner's Save to Pay notification endpoint (S2P → partner, Samsung's "Outbound to Partner" and
"Event Notification": https://developer.samsung.com/pay/save2pay/api-introduction.html).

S2P calls ``POST {partner base URL}/notifications`` over mutual TLS with a client certificate the
partner's CA signed (serve it with :func:`notifications_tls_context`), whose subject commonName is the
partner's S2P Partner ID (:mod:`linkkit.s2p.peer`). Events:

==========================  ================================================================
``WA_READY``                a wallet linked: the partner pre-provisions the card with its
                            issuer and answers with ``card.data.encryptedData`` (steps 7-9)
``WA_PROVISIONED``          the card was added (step 18)
``WA_PROVISION_FAILURE``    it was not; ``event.error`` ``CARD_ALREADY_PRESENT`` when the card
                            was already in the wallet
==========================  ================================================================

:class:`NotificationHandler` is framework-free (headers and bytes in, a :class:`Reply` out);
:func:`notifications_blueprint` puts it on Flask. Every notification is stored
(a :class:`~linkkit.partner.stores.NotificationLog`: SQLite or PostgreSQL) and answered with ``Response-Id``.

::

    def issuer(n: Notification) -> str | None:          # called for WA_READY
        card = my_cards.by_reg_id(n.reg_id)             # raise UnknownRegistrationError if none
        return my_issuer.pre_provision(card, device_id=n.device.id, wallet_id=n.wallet_id)

    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=issuer,
                                  store=NotificationStore("s2p-events.sqlite3"))
    app.register_blueprint(notifications_blueprint(handler))
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from flask import Blueprint, Flask, Response, request

from linkkit._flask_json import use_strict_json
from linkkit._json import is_json_media_type
from linkkit._redact import get_logger
from linkkit.errors import UnknownRegistrationError as UnknownRegistrationError
from linkkit.errors import ValidationError
from linkkit.keys import KeySource
from linkkit.partner.stores.contract import NotificationLog
from linkkit.s2p import protocol as p
from linkkit.s2p.models import Notification, notification_response
from linkkit.s2p.peer import check_certificate_partner
from linkkit.s2p.types import Uuid
from linkkit.s2p.wire import MAX_BODY_BYTES, check_headers, dump_json, error_body, parse_json_body, request_id_of
from linkkit.tls import server_context

logger = get_logger("linkkit.partner.s2p")

#: Called for ``WA_READY``: the issuer blob (``card.data.encryptedData``) for the device, or None
#: when the registration carried the card data in ``registration.data``. Called again if S2P
#: retries a delivery, so make it idempotent per ``reg_id``.
IssuerHook = Callable[[Notification], str | None]
#: Called once for each new notification (any type), after it is stored.
EventHook = Callable[[Notification], None]

_JSON: Final = "application/json"


def _content_type(headers: Mapping[str, str]) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: an HTTP status, headers and a JSON body."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def body_bytes(self) -> bytes:
        return dump_json(self.body)


class NotificationHandler:
    """Handles ``POST /notifications`` (Save to Pay "Event Notification").

    :param partner_id: the S2P Partner ID; a request with another ``Partner-Id`` is refused (400.1).
    :param issuer: :data:`IssuerHook`, the source of ``card.data.encryptedData``.
    :param store: where notifications are kept (``NotificationStore(path)`` or
        ``PostgreSQLNotificationStore(url)``, see :func:`linkkit.partner.stores.open_notification_store`).
    :param on_event: :data:`EventHook`, e.g. to mark the card provisioned in the partner's database.
    :param clock: epoch seconds.
    """

    def __init__(
        self,
        *,
        partner_id: str,
        issuer: IssuerHook,
        store: NotificationLog,
        on_event: EventHook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if Uuid().check(partner_id) is not None:
            raise ValueError("partner_id: must be the S2P Partner ID (26 to 128 characters of a-z, A-Z, 0-9, - and _)")
        if not callable(issuer):
            raise TypeError("issuer must be callable")
        self.partner_id = partner_id
        self._issuer = issuer
        #: Where notifications are kept.
        self.store = store
        self._on_event = on_event
        self._clock = clock

    def handle(
        self, headers: Mapping[str, str], body: bytes, *, client_certificate: str | bytes | None = None
    ) -> Reply:
        """Answer one notification; never raises for bad input (400.1) or a failing hook (500.1).

        :param client_certificate: the verified TLS client certificate (PEM or DER), when the server
            hands it on: it must name this endpoint's Partner ID (:mod:`linkkit.s2p.peer`), else 400.1
            naming ``Partner-Id``. :func:`notifications_blueprint` passes ``SSL_CLIENT_CERT``.
        """
        request_id = request_id_of(headers)
        out_headers = {"Content-Type": _JSON}
        if request_id is not None:
            out_headers[p.RESPONSE_ID_HEADER] = request_id
        try:
            errors = check_headers(headers, partner_id=self.partner_id)
            if not errors and client_certificate:
                errors = check_certificate_partner(client_certificate, headers)
            if errors:
                raise ValidationError(errors)
            if not is_json_media_type(_content_type(headers)):
                logger.info("S2P notification refused: not JSON by its Content-Type (request id %s)", request_id)
                return Reply(
                    415, error_body(p.INVALID_DATA, detail="Content-Type: must be application/json"), out_headers
                )
            notification = Notification.from_body(parse_json_body(body))
        except ValidationError as exc:
            logger.info("S2P notification refused: %s (request id %s)", exc.errors[0], request_id)
            return Reply(400, error_body(p.INVALID_DATA, exc.errors), out_headers)
        assert request_id is not None  # check_headers passed
        if self.store.add(request_id, notification, self._clock()) and self._on_event is not None:
            try:
                self._on_event(notification)
            except Exception:  # the event is stored; S2P should not retry because of our hook
                logger.exception("S2P on_event hook failed (request id %s)", request_id)
        logger.info(
            "S2P notification %s%s (request id %s)",
            notification.type,
            f"/{notification.error}" if notification.error else "",
            request_id,
        )
        if notification.type != p.WA_READY:
            return Reply(200, {}, out_headers)
        try:
            blob = self._issuer(notification)
            answer = notification_response(blob)
        except UnknownRegistrationError as exc:
            return Reply(400, error_body(p.INVALID_DATA, exc.errors), out_headers)
        except ValidationError:
            logger.error("S2P issuer hook returned an unusable blob (request id %s)", request_id)
            return Reply(500, error_body(p.INTERNAL_ERROR), out_headers)
        except Exception:
            logger.exception("S2P issuer hook failed (request id %s)", request_id)
            return Reply(500, error_body(p.INTERNAL_ERROR), out_headers)
        return Reply(200, answer, out_headers)


def notifications_blueprint(
    handler: NotificationHandler,
    *,
    name: str = "linkkit_s2p",
    url_prefix: str | None = None,
    require_client_certificate: bool = False,
) -> Blueprint:
    """A Flask blueprint with ``POST /notifications`` over ``handler``.

    :param require_client_certificate: refuse (400.1) a request whose WSGI environ has no
        ``SSL_CLIENT_CERT``: a second guard for servers (werkzeug) that put the verified client
        certificate there. Leave it off behind a proxy that terminates TLS.
    """
    bp = Blueprint(name, __name__, url_prefix=url_prefix)

    @bp.post("/notifications")
    def notifications() -> Response:
        if require_client_certificate and not request.environ.get("SSL_CLIENT_CERT"):
            reply = Reply(
                400, error_body(p.INVALID_DATA, detail="a client certificate is required"), {"Content-Type": _JSON}
            )
        else:
            raw = request.stream.read(MAX_BODY_BYTES + 1)
            reply = handler.handle(
                dict(request.headers.items()), raw, client_certificate=request.environ.get("SSL_CLIENT_CERT")
            )
        return Response(reply.body_bytes(), status=reply.status, headers=reply.headers)

    return bp


def create_notifications_app(handler: NotificationHandler, *, require_client_certificate: bool = True) -> Flask:
    """A Flask app serving only the notification endpoint (serve it with :func:`notifications_tls_context`)."""
    app = use_strict_json(Flask("linkkit_s2p_notifications"))
    app.register_blueprint(notifications_blueprint(handler, require_client_certificate=require_client_certificate))
    return app


def notifications_tls_context(
    *, certificate: KeySource, private_key: KeySource, s2p_client_ca: KeySource
) -> ssl.SSLContext:
    """The server context of the endpoint: the partner's server certificate, and mutual TLS that
    accepts only client certificates signed by ``s2p_client_ca`` (the partner's own CA, which signed
    Samsung's client certificate at onboarding, as Save to Pay's outbound direction requires)."""
    return server_context(certificate=certificate, private_key=private_key, client_ca=s2p_client_ca)


class ClientCertificateFromSocket:
    """WSGI middleware for servers that verify the client certificate but do not hand it to the app
    (gunicorn: its environ has no ``SSL_CLIENT_CERT``): it reads the verified certificate from the TLS
    socket (``environ["gunicorn.socket"]``) and sets ``SSL_CLIENT_CERT`` (PEM), so that the Partner-Id
    binding (:mod:`linkkit.s2p.peer`) and ``require_client_certificate`` work there too.

    A value already in the environ is dropped first: only the socket is believed (a client cannot set
    an environ key, but a misconfigured front server could pass one on).
    """

    def __init__(self, app: Any, *, socket_key: str = "gunicorn.socket") -> None:
        self._app, self._socket_key = app, socket_key

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ.pop("SSL_CLIENT_CERT", None)
        getpeercert = getattr(environ.get(self._socket_key), "getpeercert", None)
        if getpeercert is not None:
            der = getpeercert(binary_form=True)
            if der:
                environ["SSL_CLIENT_CERT"] = ssl.DER_cert_to_PEM_cert(der)
        return self._app(environ, start_response)
