"""Response headers and CSRF protection for the demo's own pages.

Every page gets a strict Content-Security-Policy (no inline script or style; the Save to Pay page
adds the welcome page's origin to ``frame-src``) and a CSRF token on each form. The partner
endpoints Samsung calls are not touched: they authenticate with AUTH tokens, not cookies.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Final

from flask import Flask, Response, abort, g, request, session
from markupsafe import Markup, escape

CSRF_FIELD: Final = "csrf_token"
#: Blueprints whose POST forms need the CSRF token (the partner blueprint is not one of them).
_PROTECTED: Final = frozenset({"shop", "campaign", "join", "pay", "operator"})
_BASE_CSP: Final = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(24)
    return token


def csrf_field() -> Markup:
    """``<input type="hidden" name="csrf_token" value=...>`` for a form."""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token())}">')  # noqa: S704


def allow_frame(origin: str) -> None:
    """Let this response's page frame ``origin`` (the S2P welcome page)."""
    g.frame_src = origin


def init_app(app: Flask) -> None:
    app.add_template_global(csrf_field)

    @app.before_request
    def check_csrf() -> None:
        if request.method == "POST" and request.blueprint in _PROTECTED:
            sent = request.form.get(CSRF_FIELD, "")
            expected = session.get(CSRF_FIELD)
            if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
                abort(400, "the form expired: reload the page and try again")

    @app.after_request
    def headers(response: Response) -> Response:
        if request.blueprint not in _PROTECTED or response.mimetype != "text/html":
            return response
        policy = dict(_BASE_CSP)
        extra = g.get("frame_src")
        if extra:
            policy["frame-src"] += f" {extra}"
        response.headers.setdefault("Content-Security-Policy", "; ".join(f"{k} {v}" for k, v in policy.items()))
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response
