"""The sandbox's welcome UI and simulated wallet app (steps 3-18 of Samsung's Save to Pay
integration workflow, https://developer.samsung.com/pay/save2pay/api-introduction.html), one Flask app.

=====================================  ========================================================
``GET  /v1/welcome/<token>``           the welcome page: card, partner, terms, email/phone
                                       fields, the QR code; speaks the welcome protocol to the shim
``GET  /v1/welcome/<token>/status``    JSON the page polls; it posts each new status upwards
``POST /v1/welcome/<token>/contact``   "send me a link" (only with allowOfflineCommunication)
``GET  /v1/wallet/<scan>``             the simulated wallet app the QR code opens
``POST /v1/wallet/<scan>/initiate``    link this wallet (steps 5-10)
``POST /v1/wallet/<scan>/complete``    report how provisioning ended (steps 17-18)
=====================================  ========================================================

The welcome URL and the scan link are bearer capabilities (256-bit tokens), so every page is
served with ``Referrer-Policy: no-referrer`` (the partner's card art and logo must not learn
them) and ``Cache-Control: no-store``. Served over plain HTTP on its own port in the sandbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from flask import Flask, Response, abort, jsonify, render_template, request, url_for
from markupsafe import Markup

from linkkit._flask_json import use_strict_json
from linkkit._redact import get_logger
from linkkit.assets.qr import make_qr
from linkkit.s2p.types import PhoneNumber, String
from linkkit.sandbox.s2p.flow import WALLET_OUTCOMES, S2PEngine, WalletRefusal
from linkkit.sandbox.s2p.state import SandboxRegistration, WalletAccount

logger = get_logger("linkkit.sandbox.s2p")

HERE: Final = Path(__file__).resolve().parent
#: Wallet account members the wallet app may send, and their JSON names.
_ACCOUNT_FIELDS: Final = {
    "userId": "user_id",
    "email": "email",
    "phone": "phone",
    "deviceId": "device_id",
    "walletId": "wallet_id",
}
#: Labels of the wallet app's outcome buttons.
_OUTCOME_LABELS: Final = {
    "success": "Card added",
    "failure": "Tokenization failed",
    "card_already_present": "Card already present",
    "device_not_supported": "Device not supported",
    "timeout": "Let the session time out",
    "cancel": "Cancel",
}


def _csp(parent_origins: Iterable[str]) -> str:
    origins = " ".join(parent_origins)
    # Card art and logos come from the partner's hosts; everything else is this server's.
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src http: https: data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'" + (f"; frame-ancestors {origins}" if origins else "")
    )


def _secure(resp: Response, csp: str | None = None) -> Response:
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        resp.headers["Content-Security-Policy"] = csp
    return resp


def _state(reg: SandboxRegistration) -> dict[str, Any]:
    return {
        "registration": reg.status,
        "phase": reg.phase,
        "final": reg.phase == "final",
        "seq": reg.seq,
        "text": reg.text,
        "message": reg.message,
    }


def _refusal(exc: WalletRefusal) -> Response:
    return _secure(
        Response(jsonify({"error": exc.message}).get_data(), status=exc.status, content_type="application/json")
    )


def create_welcome_app(
    engine: S2PEngine,
    *,
    default_account: WalletAccount = WalletAccount(),  # noqa: B008 - frozen, immutable default
    poll_interval_ms: int = 1000,
    parent_origins: Iterable[str] = (),
) -> Flask:
    """The welcome UI and the simulated wallet app.

    :param default_account: what the wallet app's form is filled with.
    :param poll_interval_ms: how often the welcome page asks for the status.
    :param parent_origins: origins allowed to frame the welcome page and receive its messages
        (``frame-ancestors``); empty allows any, and the page then answers the origin of the first
        valid ``s2p:hello`` only (``docs/welcome-protocol.md``).
    """
    if not isinstance(poll_interval_ms, int) or poll_interval_ms < 50:
        raise ValueError("poll_interval_ms must be an int of at least 50")
    origins = tuple(parent_origins)
    app = Flask(
        "linkkit_sandbox_s2p_welcome",
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/v1/static",
    )
    use_strict_json(app)
    csp = _csp(origins)

    def welcome_reg(token: str) -> SandboxRegistration:
        reg = engine.book.by_welcome_token(token)
        if reg is None or engine.clock() >= reg.welcome_expires_at:
            abort(410)
        engine.refresh(reg)
        return reg

    def scan_reg(scan: str) -> SandboxRegistration:
        reg = engine.book.by_scan_token(scan)
        if reg is None:
            abort(404)
        engine.refresh(reg)
        return reg

    @app.get("/v1/welcome/<token>")
    def welcome(token: str) -> Response:
        reg = welcome_reg(token)
        link = engine.wallet_link(reg)
        qr = Markup(make_qr(link).svg(title="QR code: scan it with Samsung Wallet"))  # noqa: S704 - escaped SVG
        html = render_template(
            "welcome.html",
            reg=reg,
            wallet_link=link,
            qr=qr,
            status_url=url_for("status", token=token),
            contact_url=url_for("contact", token=token),
            poll_ms=poll_interval_ms,
            parent_origins=" ".join(origins),
        )
        return _secure(Response(html, content_type="text/html; charset=utf-8"), csp)

    @app.get("/v1/welcome/<token>/status")
    def status(token: str) -> Response:
        return _secure(jsonify(_state(welcome_reg(token))))

    @app.post("/v1/welcome/<token>/contact")
    def contact(token: str) -> Response:
        reg = welcome_reg(token)
        if not reg.body.get("allowOfflineCommunication"):
            return _refusal(WalletRefusal("offline communication is not allowed for this registration", status=403))
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return _refusal(WalletRefusal("a JSON object is required", status=400))
        sent: dict[str, str] = {}
        for name, kind in (("email", String()), ("phone", PhoneNumber())):
            value = data.get(name)
            if value not in (None, "") and kind.check(value) is None and not reg.body.get(f"hide{name.title()}"):
                sent[name] = str(value)
        if not sent:
            return _refusal(WalletRefusal("give an email address or a phone number", status=400))
        with engine.book.lock:
            reg.offline_contacts.append({**sent, "link": engine.wallet_link(reg)})
        return _secure(
            Response(jsonify({"sent": sorted(sent)}).get_data(), status=202, content_type="application/json")
        )

    @app.get("/v1/wallet/<scan>")
    def wallet(scan: str) -> Response:
        reg = scan_reg(scan)
        html = render_template(
            "wallet.html",
            reg=reg,
            account=default_account,
            outcomes=[(name, _OUTCOME_LABELS[name]) for name in WALLET_OUTCOMES],
            initiate_url=url_for("initiate", scan=scan),
            complete_url=url_for("complete", scan=scan),
        )
        return _secure(Response(html, content_type="text/html; charset=utf-8"), _csp(()))

    @app.post("/v1/wallet/<scan>/initiate")
    def initiate(scan: str) -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            data = {}
        changes = {attr: data[key] for key, attr in _ACCOUNT_FIELDS.items() if isinstance(data.get(key), str)}
        account = replace(default_account, **changes)
        try:
            result = engine.initiate(scan, account)
        except WalletRefusal as exc:
            return _refusal(exc)
        return _secure(
            jsonify(
                {
                    "regId": result.reg_id,
                    "issuerBlob": result.issuer_blob,
                    "data": result.data,
                    "emailMatches": result.email_matches,
                    "phoneMatches": result.phone_matches,
                }
            )
        )

    @app.post("/v1/wallet/<scan>/complete")
    def complete(scan: str) -> Response:
        data = request.get_json(silent=True)
        outcome = data.get("outcome") if isinstance(data, dict) else None
        try:
            reg = engine.complete(scan, str(outcome))
        except WalletRefusal as exc:
            return _refusal(exc)
        return _secure(jsonify(_state(reg)))

    @app.errorhandler(410)
    def gone(_exc: Exception) -> Response:
        html = render_template("expired.html")
        return _secure(Response(html, status=410, content_type="text/html; charset=utf-8"), csp)

    return app
