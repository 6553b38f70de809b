"""The sandbox's own JSON API under ``/_sandbox/``, for tests and demos (not part of Samsung's API).

::

    GET    /_sandbox/info                   partner id, certificate id, card ids, partner URL
    GET    /_sandbox/wallet                 the simulated wallet: cards and templates
    GET    /_sandbox/calls                  every call made and received (no tokens); DELETE empties it
    GET    /_sandbox/faults                 queued faults; PUT replaces, POST adds, DELETE clears
    PUT    /_sandbox/settings               {"partnerBaseUrl": "http://127.0.0.1:5001"}
    POST   /_sandbox/templates/<id>/state   {"state": "ACTIVE"}: what Samsung's review would do
    POST   /_sandbox/reset                  forget everything (not the keys)

Certificate rotations, as Samsung and the Partner Portal make them (:mod:`linkkit.sandbox.keys`)::

    GET    /_sandbox/samsung-certificates                     Samsung's certificates: which one signs
    POST   /_sandbox/samsung-certificates                     publish a new one {"certificateId"?}: it
                                                              decrypts at once, signs nothing yet
    GET    /_sandbox/samsung-certificates/<id>/certificate    its PEM (what the partner downloads)
    POST   /_sandbox/samsung-certificates/<id>/activate       sign with it from now on
    DELETE /_sandbox/samsung-certificates/<id>                retire one that no longer signs
    GET    /_sandbox/partner-certificates                     the partner certificate ids registered
    POST   /_sandbox/partner-certificates                     a CSR (PEM body) in, {"certificateId",
                                                              "certificate"} out, as the Partner Portal
    GET    /_sandbox/partner-certificates/<id>/certificate    the PEM it issued
    DELETE /_sandbox/partner-certificates/<id>                retire a partner certificate

It has no authentication: the sandbox is a local test tool and binds to 127.0.0.1 by default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from flask import Blueprint, Response, jsonify, request

from linkkit.errors import ConfigError, KeyLoadError
from linkkit.sandbox.config import SandboxConfig, check_base_url
from linkkit.sandbox.faults import Fault
from linkkit.sandbox.keys import SandboxKeys, certificate_pem
from linkkit.sandbox.state import SandboxState

_TEMPLATE_STATES: Final = ("DRAFT", "VERIFYING", "REJECTED", "ACTIVE", "BLOCKED")


def _bad(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return response


def _missing(what: str) -> Response:
    response = jsonify({"error": f"no such {what}"})
    response.status_code = 404
    return response


def _pem(data: bytes) -> Response:
    return Response(data, mimetype="application/x-pem-file")


def make_control(config: SandboxConfig, state: SandboxState, keys: SandboxKeys | None = None) -> Blueprint:
    bp = Blueprint("linkkit_sandbox_control", __name__, url_prefix="/_sandbox")
    keys = keys or SandboxKeys(config)

    @bp.get("/info")
    def info() -> Response:
        return jsonify(
            {
                "partnerId": config.partner_id,
                "certificateId": config.certificate_id,
                "cardIds": sorted(config.card_ids),
                "partnerBaseUrl": state.partner_base_url,
                "cc2": config.cc2,
                "samsungCertificateId": keys.signing().certificate_id,
            }
        )

    # -- certificate rotations ----------------------------------------------------------------------

    @bp.get("/samsung-certificates")
    def samsung_certificates() -> Response:
        return jsonify({"certificates": [c.to_json() for c in keys.samsung_certificates()]})

    @bp.post("/samsung-certificates")
    def publish_samsung() -> Response:
        # The body is optional; one that is sent must be JSON within the reader's limits.
        body: Any = request.get_json(silent=True) if request.get_data() else {}
        if body is None:
            return _bad("the body must be JSON (an object with an optional certificateId)")
        wanted = body.get("certificateId") if isinstance(body, dict) else None
        try:
            made = keys.publish_samsung_certificate(wanted)
        except ConfigError as exc:
            return _bad(exc.message)
        assert made.certificate is not None
        answer = jsonify({**made.to_json(), "certificate": certificate_pem(made.certificate).decode("ascii")})
        answer.status_code = 201
        return answer

    @bp.get("/samsung-certificates/<certificate_id>/certificate")
    def samsung_pem(certificate_id: str) -> Response:
        found = keys.samsung_certificate(certificate_id)
        if found is None or found.certificate is None:
            return _missing("Samsung certificate (the first one is the identity's samsung.crt)")
        return _pem(certificate_pem(found.certificate))

    @bp.post("/samsung-certificates/<certificate_id>/activate")
    def activate_samsung(certificate_id: str) -> Response:
        try:
            return jsonify(keys.activate_samsung(certificate_id).to_json())
        except KeyError:
            return _missing("Samsung certificate")

    def retired(retire: Callable[[str], None], certificate_id: str, what: str, listing: Callable[[], Any]) -> Response:
        try:
            retire(certificate_id)
        except KeyError:
            return _missing(what)
        except ConfigError as exc:
            return _bad(exc.message)
        return jsonify(listing())

    @bp.delete("/samsung-certificates/<certificate_id>")
    def retire_samsung(certificate_id: str) -> Response:
        return retired(
            keys.retire_samsung,
            certificate_id,
            "Samsung certificate",
            lambda: {"certificates": [c.to_json() for c in keys.samsung_certificates()]},
        )

    @bp.get("/partner-certificates")
    def partner_certificates() -> Response:
        return jsonify({"certificateIds": sorted(keys.partner_ids())})

    @bp.post("/partner-certificates")
    def certify_partner() -> Response:
        wanted = request.args.get("certificateId")
        try:
            certificate_id, certificate = keys.certify_partner_csr(request.get_data()[:65536], wanted)
        except (ConfigError, KeyLoadError) as exc:
            return _bad(exc.message)
        answer = jsonify({"certificateId": certificate_id, "certificate": certificate_pem(certificate).decode("ascii")})
        answer.status_code = 201
        return answer

    @bp.get("/partner-certificates/<certificate_id>/certificate")
    def partner_pem(certificate_id: str) -> Response:
        found = keys.partner_certificate(certificate_id)
        return _pem(certificate_pem(found)) if found is not None else _missing("certificate issued here")

    @bp.delete("/partner-certificates/<certificate_id>")
    def retire_partner(certificate_id: str) -> Response:
        return retired(
            keys.retire_partner,
            certificate_id,
            "partner certificate",
            lambda: {"certificateIds": sorted(keys.partner_ids())},
        )

    @bp.get("/wallet")
    def wallet() -> Response:
        return jsonify(state.wallet_json())

    @bp.get("/calls")
    def calls() -> Response:
        return jsonify({"calls": state.calls_json()})

    @bp.delete("/calls")
    def clear_calls() -> Response:
        with state.locked():
            state.calls.clear()
        return jsonify({"calls": []})

    def faults_json() -> Response:
        return jsonify({"faults": [f.to_json() for f in state.faults.queued()]})

    @bp.get("/faults")
    def faults() -> Response:
        return faults_json()

    @bp.route("/faults", methods=["PUT", "POST"])
    def set_faults() -> Response:
        body: Any = request.get_json(silent=True)
        items = body.get("faults") if isinstance(body, dict) else None
        if not isinstance(items, list):
            return _bad('the body must be {"faults": [{"name": ..., "value"?: seconds, "times"?: n}]}')
        try:
            parsed = [Fault.from_json(item) for item in items]
        except ConfigError as exc:
            return _bad(exc.message)
        if request.method == "PUT":
            state.faults.set(parsed)
        else:
            for fault in parsed:
                state.faults.add(fault)
        return faults_json()

    @bp.delete("/faults")
    def clear_faults() -> Response:
        state.faults.clear()
        return faults_json()

    @bp.put("/settings")
    def settings() -> Response:
        body: Any = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("partnerBaseUrl"), str):
            return _bad('the body must be {"partnerBaseUrl": "http(s)://..."}')
        try:
            url = check_base_url("partnerBaseUrl", body["partnerBaseUrl"])
        except ConfigError as exc:
            return _bad(exc.message)
        with state.locked():
            state.partner_base_url = url
        return jsonify({"partnerBaseUrl": url})

    @bp.post("/templates/<card_id>/state")
    def template_state(card_id: str) -> Response:
        body: Any = request.get_json(silent=True)
        new_state = body.get("state") if isinstance(body, dict) else None
        if new_state not in _TEMPLATE_STATES:
            return _bad("state must be one of " + ", ".join(_TEMPLATE_STATES))
        with state.locked():
            template = state.templates.get(card_id)
            if template is None:
                response = jsonify({"error": "no such template"})
                response.status_code = 404
                return response
            template["state"] = new_state
            return jsonify(dict(template))

    @bp.post("/reset")
    def reset() -> Response:
        state.reset()
        return jsonify({"reset": True})

    return bp
