"""The sandbox's S2P registrations API, served over mutual TLS.

``POST /ext/v1/registrations`` and ``GET /ext/v1/registrations/{regId}``, with Samsung's
validation (https://developer.samsung.com/pay/save2pay/api-introduction.html): headers
``Request-Id`` and ``Partner-Id`` (UUIDs, the Partner ID must be the one onboarded), the body's
data types, and the error codes 400.1, 500.1, 503.1, 503.2 (503 always with
``Retry-After``). Every answer echoes ``Response-Id``. An invalid registration stores nothing.

Faults are injected per request (header ``x-linkkit-fault: 503.1=2``) or through
:class:`~linkkit.sandbox.s2p.state.Faults` (next N requests, or an outage for the whole run).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from linkkit._flask_json import use_strict_json
from linkkit._json import is_json_media_type
from linkkit._redact import get_logger
from linkkit.errors import FieldError, ValidationError
from linkkit.s2p import protocol as p
from linkkit.s2p.peer import check_certificate_partner
from linkkit.s2p.schema import check_registration
from linkkit.s2p.types import Uuid
from linkkit.s2p.wire import (
    MAX_BODY_BYTES,
    check_headers,
    dump_json,
    error_body,
    error_status,
    parse_json_body,
    request_id_of,
)
from linkkit.sandbox.s2p.flow import S2PEngine
from linkkit.sandbox.s2p.state import FAULT_HEADER, Faults, SandboxRegistration

logger = get_logger("linkkit.sandbox.s2p")

#: Where the API lives on its server, as in Samsung's base URL ``https://s2p-api.mpay.samsung.com/ext/v1``.
API_PREFIX: Final = "/ext/v1"


def _headers() -> dict[str, str]:
    return dict(request.headers.items())


def _answer(status: int, body: Mapping[str, Any], *, retry_after: int | None = None) -> Response:
    resp = Response(dump_json(body), status=status, content_type="application/json")
    request_id = request_id_of(_headers())
    if request_id is not None:
        resp.headers[p.RESPONSE_ID_HEADER] = request_id
    if retry_after is not None:
        resp.headers["Retry-After"] = str(retry_after)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _invalid(errors: list[FieldError]) -> Response:
    return _answer(400, error_body(p.INVALID_DATA, errors))


def _registration(engine: S2PEngine, reg: SandboxRegistration) -> dict[str, Any]:
    return {"registration": {"id": reg.id, "status": reg.status, "welcomeUrl": engine.welcome_url(reg)}}


def create_api_app(
    engine: S2PEngine,
    *,
    partner_id: str,
    faults: Faults,
    require_client_certificate: bool = True,
) -> Flask:
    """The registrations API as a Flask app.

    :param partner_id: the S2P Partner ID of the onboarded partner; other ids get 400.1.
    :param require_client_certificate: answer 400.1 when the WSGI environ carries no verified client
        certificate (``SSL_CLIENT_CERT``, set by werkzeug under mutual TLS): a guard against serving
        this app without the mutual TLS context by mistake. A certificate that is there must name
        the request's ``Partner-Id`` (:mod:`linkkit.s2p.peer`), else 400.1 naming ``Partner-Id``.
    """
    app = use_strict_json(Flask("linkkit_sandbox_s2p_api"))

    @app.before_request
    def guard() -> Response | None:
        fault = faults.take(request.headers.get(FAULT_HEADER))
        if fault is not None:
            status = error_status(fault.code)
            return _answer(status, error_body(fault.code), retry_after=fault.retry_after if status == 503 else None)
        if require_client_certificate and not request.environ.get("SSL_CLIENT_CERT"):
            return _answer(400, error_body(p.INVALID_DATA, detail="a client certificate is required"))
        errors = check_headers(_headers(), partner_id=partner_id)
        certificate = request.environ.get("SSL_CLIENT_CERT")
        if not errors and certificate:
            # Mutual TLS says the CA signed it; this says it is this partner's (linkkit.s2p.peer).
            errors = check_certificate_partner(certificate, _headers())
            if errors:
                logger.warning("S2P sandbox: refused a client certificate: %s", errors[0])
        return _invalid(errors) if errors else None

    @app.post(f"{API_PREFIX}/registrations")
    def register() -> Response:
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return _invalid([FieldError("", f"the body is larger than {MAX_BODY_BYTES} bytes")])
        if not is_json_media_type(request.headers.get("Content-Type")):
            return _answer(415, error_body(p.INVALID_DATA, detail="Content-Type: must be application/json"))
        try:
            body = parse_json_body(request.stream.read(MAX_BODY_BYTES + 1))
        except ValidationError as exc:
            return _invalid(exc.errors)
        errors = check_registration(body)
        if errors:
            return _invalid(errors)
        assert isinstance(body, dict)
        reg = engine.register(partner_id, body["registration"])
        logger.info("S2P sandbox: registration created")
        return _answer(201, _registration(engine, reg))

    @app.get(f"{API_PREFIX}/registrations/<reg_id>")
    def get_registration(reg_id: str) -> Response:
        if (reason := Uuid().check(reg_id)) is not None:
            return _invalid([FieldError("regId", reason)])
        reg = engine.lookup(partner_id, reg_id)
        if reg is None:
            # Samsung lists no 404 for S2P: an id that is not this partner's is Invalid Data.
            return _invalid([FieldError("regId", "no such registration")])
        return _answer(200, _registration(engine, reg))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return _answer(exc.code or 500, {"message": exc.name})

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> Response:
        logger.exception("S2P sandbox: internal error")
        return _answer(500, error_body(p.INTERNAL_ERROR))

    return app
