"""Samsung's Wallet server API, emulated: templates, add card, notifications, ref ids.

Samsung documents these calls at https://developer.samsung.com/wallet/api_new/purposes/overview.html
(templates), https://developer.samsung.com/wallet/AdvancedIntegrations/ServerInitiatedCardProvisioning.html
(add card) and https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html (the rest).

Every call is checked as Samsung documents it, in this order, and refused with the first problem:
faults asked for (``x-linkkit-fault`` or queued), then the headers (``Authorization``,
``x-request-id``, ``x-smcs-partner-id`` equal to the partner's), then the AUTH token (RS256, signed
with the *partner* certificate's key, ``partnerId``/``certificateId``, ±60 s, bound to this method
and path), then the body. Errors answer ``{"resultCode": <reason>, "resultMessage": ...}``.

A retry that carries the same ``x-request-id`` within 10 minutes gets the first answer again
without acting twice; a token already used for another request id is refused as a replay (our
decisions: Samsung's handling of duplicates is not public).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Blueprint, Response, request

from linkkit._json import is_json_media_type
from linkkit._wsgi import raw_path
from linkkit.atw.authorization import parse_authorization
from linkkit.atw.replay import signature_key
from linkkit.atw.verify import TokenVerifier
from linkkit.cards import check_update_notification
from linkkit.errors import ConfigError, FieldError, SandboxRefusal, TokenError
from linkkit.sandbox.config import SandboxConfig
from linkkit.sandbox.faults import ANSWER_FAULTS, FAULT_HEADER, parse_fault_header
from linkkit.sandbox.flows import Flows
from linkkit.sandbox.hosts import own_url as sandbox_url
from linkkit.sandbox.partner_calls import check_received_card
from linkkit.sandbox.state import SandboxState, new_card_id
from linkkit.sandbox.validate import check_batch_update, check_cancel, check_reference_query, check_template
from linkkit.sandbox.wallet_ops import WalletOps

_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")
Answer = tuple[int, Any]


def _json(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = b"" if payload is None else json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    response = Response(body, status=status, mimetype="application/json" if body else None)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _fail(status: int, code: str, message: str, errors: list[FieldError] | None = None) -> Answer:
    payload: dict[str, Any] = {"resultCode": code, "resultMessage": message}
    if errors:
        payload["errors"] = [{"path": e.path, "reason": e.reason} for e in errors[:50]]
    return status, payload


def _invalid(errors: list[FieldError]) -> Answer:
    return _fail(400, "invalid_body", str(errors[0]), errors)


def make_server_api(config: SandboxConfig, state: SandboxState, flows: Flows, ops: WalletOps) -> Blueprint:
    """The blueprint of Samsung's server API for one sandbox."""
    bp = Blueprint("linkkit_sandbox_api", __name__)

    def verifier(key: rsa.RSAPublicKey, certificate_id: str | None) -> TokenVerifier:
        # the partner's AUTH tokens, verified with the partner certificate each one names
        return TokenVerifier(
            signer_public_key=key,
            partner_id=config.partner_id,
            certificate_id=certificate_id,
            auth_window=config.auth_window,
            clock_skew=config.clock_skew,
            clock=config.clock,
        )

    def own_url() -> str:
        return sandbox_url(config)  # configuration or the bound address, never the Host header

    def serve(api: str, handler: Callable[[Any], Answer], *, partner_header: bool = True) -> Response:
        path = raw_path(request.environ)
        request_id = request.headers.get("x-request-id", "")

        def done(status: int, payload: Any, headers: Mapping[str, str] | None = None, **note: Any) -> Response:
            state.log("in", api, request.method, path, status, request_id or None, **note)
            return _json(status, payload, headers)

        try:
            faults = [*parse_fault_header(request.headers.get(FAULT_HEADER)), *state.faults.take(ANSWER_FAULTS)]
        except ConfigError as exc:
            return done(*_fail(400, "invalid_fault", exc.message))
        for fault in faults:
            if fault.name == "slow":
                time.sleep(fault.seconds)
        for fault in faults:
            if fault.name == "503":
                return done(
                    *_fail(503, "503.1", "Service Temporarily Unavailable (injected)"),
                    {"Retry-After": str(int(fault.seconds))},
                    faults=["503"],
                )
            if fault.name in ("500", "400", "401"):
                return done(*_fail(int(fault.name), fault.name, "injected fault"), faults=[fault.name])

        authorization = request.headers.get("authorization", "")
        if not authorization:
            return done(*_fail(401, "missing_credentials", "the Authorization header is required"))
        if not _REQUEST_ID.fullmatch(request_id):
            return done(*_fail(400, "invalid_request_id", "x-request-id: required, String(32)"))
        partner = request.headers.get("x-smcs-partner-id")
        if (partner_header or partner is not None) and partner != config.partner_id:
            return done(*_fail(401, "wrong_partner_id", "x-smcs-partner-id: must be the partner id"))
        try:
            token = parse_authorization(authorization)
            verified = flows.caller.keys.partner_verifier(token, verifier).verify_auth_token(
                token, method=request.method, path=path
            )
        except TokenError as exc:
            return done(*_fail(401, exc.code, exc.message))
        # Keyed on the decoded signature bytes: no re-spelling of the header makes a token new.
        if state.token_reused(signature_key(verified.signature), request_id):
            return done(*_fail(401, "replayed", "this token was already used for another request"))
        cached = state.cached_answer(request_id)
        if cached is not None:
            state.log("in", api, request.method, path, cached[0], request_id, retry=True)
            return Response(cached[1], status=cached[0], mimetype="application/json" if cached[1] else None)
        body: Any = None
        if request.method == "POST":
            if request.get_data() and not is_json_media_type(request.headers.get("Content-Type")):
                return done(*_fail(415, "unsupported_media_type", "Content-Type: must be application/json"))
            try:
                body = json.loads(request.get_data() or b"null")
            except (ValueError, RecursionError):
                return done(*_fail(400, "invalid_body", "the body must be JSON"))
        try:
            status, payload = handler(body)
        except SandboxRefusal as exc:
            status, payload = _fail(exc.status, exc.code, exc.message)
        response = done(status, payload)
        if 200 <= status < 300:
            state.remember_answer(request_id, status, response.get_data())
        return response

    def known(card_id: str) -> None:
        if not flows.known_card(card_id):
            raise SandboxRefusal("unknown_card", "cardId: not a registered card", 404)

    # -- templates ("Adding Wallet Card Templates") ---------------------------------------------

    def open_payload(body: Any, member: str) -> Any:
        token = body.get(member) if isinstance(body, dict) else None
        if not isinstance(token, str):
            raise SandboxRefusal("invalid_body", f"{member}: required, a JWT")
        try:
            return flows.caller.open_card(token)
        except TokenError as exc:
            status = 400 if exc.code == "malformed" else 401
            raise SandboxRefusal(exc.code, f"{member} was refused: {exc.message}", status) from exc

    def create_template(body: Any) -> Answer:
        payload = open_payload(body, "ctemplate")
        errors = check_template(payload, update=False, partner_id=config.partner_id)
        if errors:
            return _invalid(errors)
        card_id = new_card_id()
        with state.locked():
            state.templates[card_id] = {
                **payload["cardTemplate"],
                "cardId": card_id,
                "state": payload["cardTemplate"].get("state", "DRAFT"),
                "testingMode": "ON",
            }
        return 200, {"cardId": card_id, "resultCode": "0", "resultMessage": "SUCCESS"}

    def update_template(card_id: str, body: Any) -> Answer:
        payload = open_payload(body, "ctemplate")
        errors = check_template(payload, update=True, partner_id=config.partner_id)
        if errors:
            return _invalid(errors)
        template = payload["cardTemplate"]
        with state.locked():
            current = state.templates.get(card_id)
            if current is None or template.get("cardId") != card_id:
                return _invalid([FieldError("cardTemplate.cardId", "must be the cardId of an existing template")])
            if "state" in template and current["state"] != "DRAFT":
                return _invalid([FieldError("cardTemplate.state", "can only move from DRAFT to VERIFYING")])
            if "testingModeOff" in template and current["state"] != "ACTIVE":
                return _invalid([FieldError("cardTemplate.testingModeOff", "can only be set when the card is ACTIVE")])
            current.update(template)
            if template.get("testingModeOff") == "Y":
                current["testingMode"] = "OFF"
        return 200, {"cardId": card_id, "resultCode": "0", "resultMessage": "SUCCESS"}

    @bp.post("/partner/v1/card/template")
    def templates() -> Response:
        card_id = request.args.get("cardId")  # Samsung's update example uses ?cardId=
        if card_id:
            return serve("update_template", lambda body: update_template(card_id, body))
        return serve("create_template", create_template)

    @bp.post("/partner/v1/card/template/<card_id>")
    def template(card_id: str) -> Response:
        return serve("update_template", lambda body: update_template(card_id, body))

    # -- add a card to an account ("Adding Wallet Cards") ------------------------------------------

    def add_card(card_id: str, body: Any) -> Answer:
        known(card_id)
        payload = open_payload(body, "cdata")
        check_received_card(config, payload)
        account = payload.get("account")
        refs = [entry["refId"] for entry in payload["card"]["data"]]
        if account is None and not all((card_id, r) in state.cards for r in refs):
            return _invalid([FieldError("account", "required: the user account the card is added to")])
        flows.add_to_wallet(card_id, payload, source="server", callback=own_url(), account=account)
        return 200, None

    @bp.post("/atw/v1/cards/<card_id>")
    def add(card_id: str) -> Response:
        return serve("add_card", lambda body: add_card(card_id, body))

    # -- notifications (card lifecycle APIs) ----------------------------------------------------------

    def updates(card_id: str, body: Any) -> Answer:
        known(card_id)
        errors = check_update_notification(body)
        if errors:
            return _invalid(errors)
        return (200, None) if ops.update(card_id, body["card"]["data"]) else (204, None)

    def batch(card_id: str, body: Any) -> Answer:
        known(card_id)
        errors = check_batch_update(body)
        if errors:
            return _invalid(errors)
        return (200, None) if ops.batch_update(card_id, body["card"]["data"]) else (204, None)

    def cancels(card_id: str, body: Any) -> Answer:
        known(card_id)
        errors = check_cancel(body)
        if errors:
            return _invalid(errors)
        return (200, None) if ops.cancel(card_id, body["card"]["type"], body["card"]["data"]) else (204, None)

    def reference_ids(card_id: str, _body: Any) -> Answer:
        known(card_id)
        errors = check_reference_query(request.args)
        if errors:
            return _fail(400, "invalid_query", str(errors[0]), errors)
        ref_ids = ops.reference_ids(card_id, request.args)
        return 200, {"count": str(len(ref_ids)), "refIds": ref_ids}

    routes: dict[str, tuple[str, Callable[[str, Any], Answer], str]] = {
        "/updates": ("update_notification", updates, "POST"),
        "/notification": ("update_notification", updates, "POST"),  # the older page's path
        "/batch/updates": ("batch_update_notification", batch, "POST"),
        "/batch/notification": ("batch_update_notification", batch, "POST"),
        "/cancels": ("cancel_notification", cancels, "POST"),
        "": ("get_reference_ids", reference_ids, "GET"),
    }
    for suffix, (api, handler, method) in routes.items():

        def view(
            card_id: str, cc2: str | None = None, _api: str = api, _handler: Callable[[str, Any], Answer] = handler
        ) -> Response:
            return serve(_api, lambda body: _handler(card_id, body), partner_header=_api != "get_reference_ids")

        # public domain /{cc2}/wltex/..., private domain (the Send Card State callback) /wltex/...
        bp.add_url_rule(
            f"/<string(length=2):cc2>/wltex/cards/<card_id>{suffix}", f"{api}{suffix}_cc2", view, methods=[method]
        )
        bp.add_url_rule(f"/wltex/cards/<card_id>{suffix}", f"{api}{suffix}", view, methods=[method])
    return bp
