"""The sandbox's own JSON API under ``/_sandbox/``, for tests and demos (not part of Samsung's API).

::

    GET    /_sandbox/info                   partner id, certificate id, card ids, partner URL
    GET    /_sandbox/wallet                 the simulated wallet: cards and templates
    GET    /_sandbox/calls                  every call made and received (no tokens); DELETE empties it
    GET    /_sandbox/faults                 queued faults; PUT replaces, POST adds, DELETE clears
    PUT    /_sandbox/settings               {"partnerBaseUrl": "http://127.0.0.1:5001"}
    POST   /_sandbox/templates/<id>/state   {"state": "ACTIVE"}: what Samsung's review would do
    POST   /_sandbox/reset                  forget everything

It has no authentication: the sandbox is a local test tool and binds to 127.0.0.1 by default.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, Response, jsonify, request

from linkkit.errors import ConfigError
from linkkit.sandbox.config import SandboxConfig, check_base_url
from linkkit.sandbox.faults import Fault
from linkkit.sandbox.state import SandboxState

_TEMPLATE_STATES: Final = ("DRAFT", "VERIFYING", "REJECTED", "ACTIVE", "BLOCKED")


def _bad(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return response


def make_control(config: SandboxConfig, state: SandboxState) -> Blueprint:
    bp = Blueprint("linkkit_sandbox_control", __name__, url_prefix="/_sandbox")

    @bp.get("/info")
    def info() -> Response:
        return jsonify(
            {
                "partnerId": config.partner_id,
                "certificateId": config.certificate_id,
                "cardIds": sorted(config.card_ids),
                "partnerBaseUrl": state.partner_base_url,
                "cc2": config.cc2,
            }
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
