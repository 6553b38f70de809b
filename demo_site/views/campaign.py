"""The coupon campaign email, previewed as a mail client would show it (Data Fetch or click-time links only).

The email carries a **Data Fetch** link in linkkit's email button (a PNG at an absolute URL, inline
styles, no script): never a Data Transmit link, whose token would be dead before the mail is read.
The preview page frames ``/email/message`` in a sandboxed iframe (no scripts, no same-origin), and
the message itself is served with a CSP that forbids scripts, as webmail clients do.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, render_template

from demo_site.views.visitor import data_fetch_link, visitor_card

bp = Blueprint("campaign", __name__, url_prefix="/email")

#: Mail clients render messages without scripts; links may open a new window (the button's target).
IFRAME_SANDBOX: Final = "allow-popups allow-popups-to-escape-sandbox"
_MESSAGE_CSP: Final = (
    "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; "
    f"frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox {IFRAME_SANDBOX}"
)


def _message() -> str:
    card = visitor_card("coupon")
    return render_template("email_message.html", card=card, link=data_fetch_link(card))


@bp.get("/")
def preview() -> str:
    return render_template("email.html", source=_message(), sandbox=IFRAME_SANDBOX)


@bp.get("/message")
def message() -> Response:
    response = Response(_message(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = _MESSAGE_CSP
    return response
