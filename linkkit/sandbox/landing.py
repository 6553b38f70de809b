"""The Add to Wallet landing page (``/atw/v3/...``, ``/atw/v1/...``), and its JSON twin for tests.

The link's data is in the URL fragment, which never reaches a server. The page therefore loads one
static script (``/_sandbox/static/landing.js``; no inline script, so a strict CSP holds) that puts
``location.href`` into a form, removes the fragment from the address bar, and posts the form. The
sandbox then runs :mod:`linkkit.sandbox.flows` and answers with a session page: the inputs the
partner asks for, a preview of the card with an "Add to Samsung Wallet" button, or why it failed.

The same steps are served as JSON under ``/_sandbox/api/`` (``open``, ``s/<id>``, ``s/<id>/auth``,
``s/<id>/add``) so that test suites can drive them without a browser. Every HTML value is escaped
by Jinja's autoescape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, cast
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from linkkit.assets.barcode import code128_svg
from linkkit.assets.qr import make_qr
from linkkit.errors import ConfigError, QRCapacityError, SandboxRefusal
from linkkit.qr_capacity import ErrorLevel
from linkkit.sandbox.config import SandboxConfig
from linkkit.sandbox.faults import FAULT_HEADER, TOKEN_FAULTS, Fault, parse_fault_header
from linkkit.sandbox.flows import Flows
from linkkit.sandbox.hosts import own_url as sandbox_url
from linkkit.sandbox.labels import field_spec, human_label
from linkkit.sandbox.state import SandboxState, Session

#: Attributes shown first on the preview, in this order, when the card has them.
_HEADLINE: Final = ("title", "subtitle1", "subtitle", "providerName", "brandName", "holderName", "eventName")
_IMAGES: Final = ("logoImage.lightUrl", "logoImage", "providerLogo.lightUrl", "providerLogo", "appLinkLogo", "mainImg")
_DATES: Final = (
    "startDate",
    "endDate",
    "expiry",
    "issueDate",
    "boardingTime",
    "departTime",
    "arriveTime",
    "estimatedOrActualStartDate",
)
#: Headers of every HTML page: nothing inline may run, nothing leaks in a Referer.
HTML_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' https: http: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _image(url: object) -> str | None:
    return url if isinstance(url, str) and urlsplit(url).scheme in ("https", "http") else None


#: ``barcode.ptSubFormat`` values that name Code 128 (Samsung's pages spell it both ways).
_CODE128: Final = frozenset({"CODE128", "CODE_128"})


def barcode_drawing(attributes: Mapping[str, Any]) -> tuple[str, Markup | None]:
    """How the wallet would draw the card's barcode: ``(symbology, svg)``.

    ``serialType`` QRCODE (or a QR ``ptFormat``/``ptSubFormat``) draws a QR code; BARCODE and
    DUALBARCODE draw Code 128 unless ``ptSubFormat`` names another symbology; SERIAL shows the
    number only. Symbologies the sandbox does not draw (PDF417, Aztec ...) and values a symbol
    cannot hold fall back to ``("text", None)``: the page still shows the value.
    """
    value = attributes.get("barcode.value")
    if not isinstance(value, str) or not value:
        return "none", None
    serial_type = str(attributes.get("barcode.serialType") or "").upper()
    pt_format = str(attributes.get("barcode.ptFormat") or "").upper()
    sub_format = str(attributes.get("barcode.ptSubFormat") or "").upper()
    try:
        if serial_type == "QRCODE" or pt_format.startswith("QRCODE") or sub_format in ("QR_CODE", "QRCODE"):
            level = str(attributes.get("barcode.errorCorrectionLevel") or "M").upper()
            qr = make_qr(value, level=cast("ErrorLevel", level if level in ("L", "M", "Q", "H") else "M"))
            return "qrcode", qr.svg_markup(size="10rem", title=f"QR code: {value}")
        if serial_type in ("BARCODE", "DUALBARCODE") and (not sub_format or sub_format in _CODE128):
            return "code128", Markup(code128_svg(value))  # noqa: S704 - escaped label, digits-only geometry
    except (QRCapacityError, ValueError):
        pass
    return "text", None


def _shown_date(epoch_ms: int) -> str:
    """An epoch-millisecond attribute as the preview shows it; one no calendar holds is shown as is
    (the validator names it; the preview must never fail on it)."""
    try:
        return dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return f"{epoch_ms} (not a date)"


def preview(card: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the preview shows of a card: type, headline, images, barcode, dates, every attribute."""
    if card is None:
        return {}
    body = card["card"]
    entry = body["data"][0]
    attributes: dict[str, Any] = entry.get("attributes", {})
    dates = []
    for name in _DATES:
        value = attributes.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            dates.append((name, _shown_date(value)))
    return {
        "type": body.get("type"),
        "sub_type": body.get("subType"),
        "entries": len(body["data"]),
        "headline": [(n, attributes[n]) for n in _HEADLINE if isinstance(attributes.get(n), (str, int))],
        # the same artwork often fills logoImage and its lightUrl: show each picture once
        "images": list(dict.fromkeys(u for u in (_image(attributes.get(n)) for n in _IMAGES) if u))[:2],
        "barcode": attributes.get("barcode.value"),
        "barcode_type": attributes.get("barcode.serialType"),
        "barcode_drawing": barcode_drawing(attributes),
        "dates": dates,
        "attributes": sorted((k, v) for k, v in attributes.items()),
        "language": entry.get("language"),
    }


def back_to_partner(card: Mapping[str, Any] | None, partner_base_url: str | None) -> tuple[str, str] | None:
    """Where "back to the merchant" goes after Add: the card's app link (what the wallet shows on the
    card), else the site of the partner's server; ``(url, name)``, or None when neither is http(s)."""
    attributes = preview(card).get("attributes") if card else None
    found = dict(attributes or [])
    app = _image(found.get("appLinkData"))  # the same rule as images: http(s) only, never javascript:
    if app:
        name = found.get("appLinkName") or found.get("providerName")
        return app, str(name) if isinstance(name, str) and name else "the merchant"
    base = urlsplit(partner_base_url or "")
    if base.scheme in ("http", "https") and base.netloc:
        return f"{base.scheme}://{base.netloc}/", "the merchant's site"
    return None


#: Attributes a wallet list shows under a card's title (dates come from the preview).
_FACTS: Final = ("balance", "amount", "seatNumber", "entrance", "gate")


def wallet_entries(state: SandboxState, session: Session) -> list[dict[str, Any]]:
    """The simulated wallet as a phone lists it, the session's own cards first, then the most
    recently changed: each ``{"card", "shown" (its preview), "facts", "added"}``."""
    mine = {(session.card_id, str(e.get("refId"))) for e in (session.card or {"card": {"data": []}})["card"]["data"]}
    with state.locked():
        cards = sorted(state.cards.values(), key=lambda c: ((c.card_id, c.ref_id) not in mine, -c.updated_at))
        return [
            {
                "card": card,
                "shown": preview({"card": {"type": card.card_type, "subType": card.sub_type, "data": [card.entry]}}),
                "facts": [(n, card.attribute(n)) for n in _FACTS if isinstance(card.attribute(n), str | int)],
                "added": (card.card_id, card.ref_id) in mine,
            }
            for card in cards
        ]


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, headers=HTML_HEADERS, mimetype="text/html")


def make_landing(config: SandboxConfig, state: SandboxState, flows: Flows) -> Blueprint:
    """The landing page, the session pages and their JSON twins."""
    bp = Blueprint("linkkit_sandbox_landing", __name__)
    bp.add_app_template_filter(human_label, "human_label")
    bp.add_app_template_filter(field_spec, "field_spec")

    def own_url() -> str:
        return sandbox_url(config)  # configuration or the bound address, never the Host header

    def request_faults() -> list[Fault]:
        try:
            return [f for f in parse_fault_header(request.headers.get(FAULT_HEADER)) if f.name in TOKEN_FAULTS]
        except ConfigError as exc:
            raise SandboxRefusal("invalid_fault", exc.message) from exc

    def session_or_404(sid: str) -> Session:
        session = state.session(sid)
        if session is None:
            abort(404)
        return session

    # -- the landing page ---------------------------------------------------------------------------

    def landing(version: int, card_id: str, certificate_id: str | None = None) -> Response:
        if version not in (1, 3):
            abort(404)
        return _html(render_template("linkkit_sandbox/landing.html"))

    bp.add_url_rule("/atw/v<int:version>/<card_id>", "landing", landing, methods=["GET"])
    bp.add_url_rule("/atw/v<int:version>/<certificate_id>/<card_id>", "landing_fetch", landing, methods=["GET"])

    @bp.post("/_sandbox/open")
    def open_form() -> Response:
        try:
            session = flows.open(request.form.get("link", ""))
        except SandboxRefusal as exc:
            return _html(render_template("linkkit_sandbox/error.html", error=exc.to_json()), 400)
        return redirect(url_for(".show", sid=session.sid), 303)  # type: ignore[return-value]

    @bp.get("/_sandbox/s/<sid>")
    def show(sid: str) -> Response:
        session = session_or_404(sid)
        status = 200 if session.step != "error" else 400
        back = back_to_partner(session.card, state.partner_base_url) if session.step == "added" else None
        page = render_template("linkkit_sandbox/session.html", s=session, card=preview(session.card), back=back)
        return _html(page, status)

    @bp.get("/_sandbox/s/<sid>/wallet")
    def wallet_page(sid: str) -> Response:
        """The simulated wallet after adding: the card as it is now (operator updates show on reload)."""
        session = session_or_404(sid)
        back = back_to_partner(session.card, state.partner_base_url)
        page = render_template(
            "linkkit_sandbox/wallet.html", s=session, entries=wallet_entries(state, session), back=back
        )
        return _html(page)

    @bp.post("/_sandbox/s/<sid>/auth")
    def auth_form(sid: str) -> Response:
        session = session_or_404(sid)
        try:
            flows.user_auth(session, request.form)
        except SandboxRefusal as exc:
            return _html(render_template("linkkit_sandbox/error.html", error=exc.to_json()), exc.status)
        return redirect(url_for(".show", sid=sid), 303)  # type: ignore[return-value]

    @bp.post("/_sandbox/s/<sid>/add")
    def add_form(sid: str) -> Response:
        session = session_or_404(sid)
        try:
            flows.add(session, callback=own_url())
        except SandboxRefusal as exc:
            return _html(render_template("linkkit_sandbox/error.html", error=exc.to_json()), exc.status)
        return redirect(url_for(".show", sid=sid), 303)  # type: ignore[return-value]

    # -- the JSON twin ------------------------------------------------------------------------------

    def json_error(exc: SandboxRefusal) -> Response:
        response = jsonify({"step": "error", "error": exc.to_json()})
        response.status_code = exc.status
        return response

    @bp.post("/_sandbox/api/open")
    def open_json() -> Response:
        body = request.get_json(silent=True)
        link = body.get("link") if isinstance(body, dict) else None
        try:
            if not isinstance(link, str):
                raise SandboxRefusal("invalid_link", "link: required")
            return jsonify(flows.open(link, faults=request_faults()).to_json())
        except SandboxRefusal as exc:
            return json_error(exc)

    @bp.get("/_sandbox/api/s/<sid>")
    def show_json(sid: str) -> Response:
        return jsonify(session_or_404(sid).to_json())

    @bp.post("/_sandbox/api/s/<sid>/auth")
    def auth_json(sid: str) -> Response:
        session = session_or_404(sid)
        body = request.get_json(silent=True)
        inputs = body.get("inputs") if isinstance(body, dict) else None
        try:
            if not isinstance(inputs, dict):
                raise SandboxRefusal("invalid_body", "inputs: required, an object")
            return jsonify(flows.user_auth(session, inputs, faults=request_faults()).to_json())
        except SandboxRefusal as exc:
            return json_error(exc)

    @bp.post("/_sandbox/api/s/<sid>/add")
    def add_json(sid: str) -> Response:
        session = session_or_404(sid)
        try:
            return jsonify(flows.add(session, callback=own_url()).to_json())
        except SandboxRefusal as exc:
            return json_error(exc)

    return bp
