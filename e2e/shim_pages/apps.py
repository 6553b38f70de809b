"""The partner page app and the fake welcome page app used by ``e2e/test_shim_*.py``.

The partner app serves the shipped shim straight from ``linkkit.resources`` (what a wheel
carries), a test harness script, and fixture pages in four flavours: the classic script, the
minified build, the ES module, and both at once. ``?csp=1`` serves a page under a strict
Content-Security-Policy (no inline script or style, frames only from the welcome origin).

The fake welcome page is driven by the test: buttons that post final statuses, a ``send()``
function for arbitrary (also malformed) messages, and query parameters that choose when it says
``s2p:ready`` (``early``, ``late``, ``never``).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, abort, render_template, request, send_file

from linkkit.resources import shipped_file

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
JS_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".ts": "text/plain"}

#: Flavours of the partner page: which way the shim is loaded.
FLAVOURS = ("classic", "min", "module", "both", "twice")


def _static(name: str) -> Response:
    path = STATIC / name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=JS_TYPES[path.suffix], max_age=0)


def create_partner_app(welcome_origin: str) -> Flask:
    """The partner shop: ``/page/<flavour>``, ``/js/<file>``, ``/h/<file>``, ``/done``."""
    app = Flask("shim_partner", template_folder=str(HERE / "templates"))

    @app.get("/js/<name>")
    def shipped(name: str) -> Response:
        try:
            path = shipped_file("js", name)
        except FileNotFoundError:
            abort(404)
        return send_file(path, mimetype=JS_TYPES.get(path.suffix, "application/octet-stream"), max_age=0)

    @app.get("/h/<name>")
    def harness(name: str) -> Response:
        return _static(name)

    @app.get("/page/<flavour>")
    def page(flavour: str) -> Response:
        if flavour not in FLAVOURS:
            abort(404)
        early = request.args.get("early") == "1"  # a call from <head>, before <body> exists
        resp = Response(render_template("partner.html", flavour=flavour, early=early))
        if request.args.get("csp") == "1":
            # The strictest policy a partner could run: the shim must need nothing inline.
            resp.headers["Content-Security-Policy"] = (
                "default-src 'none'; script-src 'self'; style-src 'self'; "
                f"frame-src {welcome_origin}; base-uri 'none'; form-action 'none'; "
                "require-trusted-types-for 'script'"
            )
        return resp

    @app.get("/done")
    def done() -> str:
        return render_template("done.html", query=request.query_string.decode())

    return app


def create_welcome_app() -> Flask:
    """The fake welcome page: ``/welcome``, ``/blocked`` (refuses framing), ``/forge``, ``/w/<file>``."""
    app = Flask("shim_welcome", template_folder=str(HERE / "templates"))

    @app.get("/w/<name>")
    def assets(name: str) -> Response:
        return _static(name)

    @app.get("/welcome")
    def welcome() -> str:
        return render_template("welcome.html")

    @app.get("/blocked")
    def blocked() -> Response:
        # What a welcome page that forbids framing sends; the shim then never hears "ready".
        resp = Response(render_template("welcome.html"))
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return resp

    @app.get("/forge")
    def forge() -> str:
        return render_template("forge.html")

    return app
