"""Flask integration: serve the shipped ``web/`` and ``js/`` files and give templates the helpers.

::

    from flask import Flask
    from linkkit.flask import LinkKit

    app = Flask(__name__)
    LinkKit(app)                      # or: kit = LinkKit(); kit.init_app(app) in a factory

Templates then have, without ``|safe``::

    {{ linkkit_button(link, locale="de") }}
    {{ linkkit_email_button(link, kind="pay") }}          {# absolute image URLs #}
    {{ linkkit_qr_svg(link, size="3cm", title="Scan to add the card") }}
    <link rel="stylesheet" href="{{ linkkit_asset_url('linkkit-buttons.css') }}">
    {{ linkkit_shim_script(nonce=csp_nonce) }}            {# <script src integrity=sha384-...> #}
    {{ linkkit_wallet_button_assets(nonce=csp_nonce) }}   {# <samsung-wallet-button>'s script and CSS #}
    {{ linkkit_wallet_button(mint_url=..., qr=click_link, card=card_id, state="view") }}

Configuration (``app.config``): ``LINKKIT_ASSET_MAX_AGE`` (seconds, default one day) and
``LINKKIT_EMAIL_ASSET_BASE`` (absolute URL of ``web/`` for email). Without it, email images are
placed under ``SERVER_NAME`` (with ``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``), or under the
request's host only when Flask's ``TRUSTED_HOSTS`` vouches for it: never under a bare ``Host``
header, which the sender of a request chooses (a mail rendered for ``Host: evil.example`` would
otherwise load its images from there, the password-reset poisoning pattern).

Per the Flask extension guide, nothing about an app is stored on the extension object: each
app's state lives in ``app.extensions["linkkit"]``.

``use_strict_json(app)`` makes ``request.get_json()`` read with linkkit's JSON limits (size, depth,
duplicate members), as every app linkkit ships does: a hostile body is a 400, never a 500.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from flask import Blueprint, Flask, Response, abort, current_app, has_request_context, send_from_directory, url_for
from markupsafe import Markup

from linkkit._flask_json import StrictJSONProvider as StrictJSONProvider  # re-exported
from linkkit._flask_json import use_strict_json as use_strict_json  # re-exported
from linkkit.assets._html import attrs
from linkkit.assets.buttons import email_button, web_button
from linkkit.assets.element import wallet_element
from linkkit.assets.qr import make_qr
from linkkit.errors import AssetError, ConfigError
from linkkit.qr_capacity import ErrorLevel
from linkkit.resources import Bundle, shipped_dir, shipped_file

#: The browser shim whose SRI hash :func:`linkkit_shim_script` carries.
SHIM_FILE: Final = "spay-s2p.js"
#: The ``<samsung-wallet-button>`` classic script (minified) and stylesheet the helpers load.
BUTTON_SCRIPT: Final = "samsung-wallet-button.min.js"
BUTTON_CSS: Final = "samsung-wallet-button.css"
#: File types the asset routes serve; anything else is a 404 (no source maps of others, no dotfiles).
_SERVED: Final = re.compile(r"[A-Za-z0-9_@./-]+\.(svg|png|css|json|js|mjs|ts)")
_SVG_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@dataclass(frozen=True, kw_only=True)
class _State:
    """What one app's LinkKit knows; kept in ``app.extensions["linkkit"]``."""

    url_prefix: str
    max_age: int
    shim_integrity: str | None  # "sha384-..." of js/spay-s2p.js, None when it is not shipped
    #: "sha384-..." of the button's script and stylesheet, by file name (absent when not shipped)
    button_integrity: dict[str, str]
    email_asset_base: str | None


def _state() -> _State:
    try:
        state = current_app.extensions["linkkit"]
    except KeyError:
        raise RuntimeError("LinkKit is not initialised on this app: call LinkKit(app) or init_app(app)") from None
    assert isinstance(state, _State)
    return state


def sri_hash(data: bytes) -> str:
    """A Subresource Integrity value (W3C SRI §3.5): ``sha384-`` and the base64 digest."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


class LinkKit:
    """The Flask extension. ``url_prefix`` is where the assets are served (``/_linkkit/web/...``)."""

    def __init__(self, app: Flask | None = None, *, url_prefix: str = "/_linkkit") -> None:
        if not re.fullmatch(r"(/[A-Za-z0-9._-]+)+", url_prefix):
            raise ConfigError(f"url_prefix must be a path such as /_linkkit (got {url_prefix!r})")
        self._url_prefix = url_prefix  # a constructor option, shared by every app it is given
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register the asset routes and template helpers on ``app``."""
        if "linkkit" in app.extensions:
            raise RuntimeError("LinkKit is already initialised on this app")
        max_age = app.config.get("LINKKIT_ASSET_MAX_AGE", 86_400)
        if not isinstance(max_age, int) or max_age < 0:
            raise ConfigError(f"LINKKIT_ASSET_MAX_AGE must be a non-negative int (got {max_age!r})")
        try:
            integrity: str | None = sri_hash(shipped_file("js", SHIM_FILE).read_bytes())
        except FileNotFoundError:
            integrity = None
        button_integrity = {}
        for name in (BUTTON_SCRIPT, BUTTON_CSS):
            try:
                button_integrity[name] = sri_hash(shipped_file("js", name).read_bytes())
            except FileNotFoundError:
                pass
        app.extensions["linkkit"] = _State(
            url_prefix=self._url_prefix,
            max_age=max_age,
            shim_integrity=integrity,
            button_integrity=button_integrity,
            email_asset_base=app.config.get("LINKKIT_EMAIL_ASSET_BASE"),
        )
        bp = Blueprint("linkkit", __name__, url_prefix=self._url_prefix)
        bp.add_url_rule("/web/<path:filename>", "web", _serve_web)
        bp.add_url_rule("/js/<path:filename>", "js", _serve_js)
        app.register_blueprint(bp)
        app.add_template_global(linkkit_button)
        app.add_template_global(linkkit_email_button)
        app.add_template_global(linkkit_qr_svg)
        app.add_template_global(linkkit_asset_url)
        app.add_template_global(linkkit_shim_script)
        app.add_template_global(linkkit_wallet_button)
        app.add_template_global(linkkit_wallet_button_assets)


def _serve(bundle: Bundle, filename: str) -> Response:
    # send_from_directory joins safely (werkzeug.security.safe_join): no "..", no absolute paths
    if not _SERVED.fullmatch(filename) or any(part.startswith(".") for part in filename.split("/")):
        abort(404)
    response = send_from_directory(shipped_dir(bundle), filename, max_age=_state().max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if filename.endswith(".svg"):
        # our SVGs hold no script; this keeps any SVG opened directly from running one
        response.headers["Content-Security-Policy"] = _SVG_CSP
    return response


def _serve_web(filename: str) -> Response:
    return _serve("web", filename)


def _serve_js(filename: str) -> Response:
    return _serve("js", filename)


def linkkit_asset_url(filename: str, bundle: Literal["web", "js"] = "web", *, external: bool = False) -> str:
    """URL of a shipped file, e.g. ``linkkit_asset_url("linkkit-buttons.css")``."""
    if bundle not in ("web", "js"):
        raise ValueError(f"bundle must be 'web' or 'js' (got {bundle!r})")
    _state()
    return url_for(f"linkkit.{bundle}", filename=filename, _external=external)


def _web_base(*, external: bool) -> str:
    return linkkit_asset_url("x", external=external)[:-2]


def linkkit_button(link: str, **options: Any) -> Markup:
    """:func:`linkkit.assets.buttons.web_button` with the assets served by this app."""
    options.setdefault("asset_base", _web_base(external=False))
    return web_button(link, **options)


def linkkit_email_button(link: str, **options: Any) -> Markup:
    """:func:`linkkit.assets.buttons.email_button` with absolute image URLs.

    The base is ``asset_base=`` if given, else ``LINKKIT_EMAIL_ASSET_BASE``, else ``SERVER_NAME``,
    else the request's host when ``TRUSTED_HOSTS`` is set (Werkzeug then refuses any other ``Host``).

    :raises linkkit.errors.ConfigError: none of these is configured: an absolute URL is never built
        from the ``Host`` header alone.
    """
    if "asset_base" not in options:
        options["asset_base"] = _email_asset_base()
    return email_button(link, **options)


def _email_asset_base() -> str:
    configured = _state().email_asset_base
    if configured:
        return str(configured)
    config = current_app.config
    server_name = config.get("SERVER_NAME")
    if server_name:
        # built from configuration, not from the request (Flask 3.1 no longer restricts requests to
        # SERVER_NAME, so a request's own URL adapter would carry whatever Host it came with)
        adapter = current_app.url_map.bind(
            server_name,
            script_name=config.get("APPLICATION_ROOT") or "/",
            url_scheme=config.get("PREFERRED_URL_SCHEME") or "http",
        )
        return adapter.build("linkkit.web", {"filename": "x"}, force_external=True)[:-2]
    if has_request_context() and config.get("TRUSTED_HOSTS"):
        return _web_base(external=True)  # request.host was checked against TRUSTED_HOSTS
    raise ConfigError(
        "email buttons need absolute image URLs: set LINKKIT_EMAIL_ASSET_BASE, SERVER_NAME or TRUSTED_HOSTS"
        " (the Host header alone is chosen by whoever sends the request)"
    )


def linkkit_qr_svg(
    data: str,
    *,
    level: ErrorLevel = "M",
    max_version: int = 40,
    **svg_options: Any,
) -> Markup:
    """An inline SVG QR code (see :meth:`linkkit.assets.qr.QRCode.svg` for the options)."""
    return make_qr(data, level=level, max_version=max_version).svg_markup(**svg_options)


def linkkit_shim_script(*, nonce: str | None = None, defer: bool = True) -> Markup:
    """``<script src=... integrity="sha384-..." crossorigin="anonymous">`` for the Save to Pay shim.

    The hash is computed from the shipped file when the app starts, so a tampered or stale copy
    on a CDN or proxy is refused by the browser (W3C Subresource Integrity).
    """
    state = _state()
    if state.shim_integrity is None:
        raise AssetError(f"js/{SHIM_FILE} is not shipped with this linkkit")
    pairs: list[tuple[str, str | int | None]] = [
        ("src", linkkit_asset_url(SHIM_FILE, "js")),
        ("integrity", state.shim_integrity),
        ("crossorigin", "anonymous"),
        ("nonce", nonce),
    ]
    flag = " defer" if defer else ""
    return Markup(f"<script{attrs(pairs)}{flag}></script>")  # noqa: S704 - attrs() escapes every value


def linkkit_wallet_button(href: str | None = None, **options: Any) -> Markup:
    """``<samsung-wallet-button>`` (:func:`linkkit.assets.element.wallet_element`) with the artwork
    served by this app; load its script once with :func:`linkkit_wallet_button_assets`."""
    options.setdefault("asset_base", _web_base(external=False))
    return wallet_element(href, **options)


def linkkit_wallet_button_assets(*, nonce: str | None = None, defer: bool = True) -> Markup:
    """The element's stylesheet and classic script, each with its SRI hash (computed from the shipped
    files when the app starts), ``crossorigin="anonymous"`` and the CSP ``nonce`` when given: a page
    under ``script-src 'self'`` (or ``'nonce-...'``) and ``style-src 'self'`` runs it unchanged."""
    state = _state()
    missing = [name for name in (BUTTON_SCRIPT, BUTTON_CSS) if name not in state.button_integrity]
    if missing:
        raise AssetError(f"js/{missing[0]} is not shipped with this linkkit")
    css: list[tuple[str, str | int | None]] = [
        ("rel", "stylesheet"),
        ("href", linkkit_asset_url(BUTTON_CSS, "js")),
        ("integrity", state.button_integrity[BUTTON_CSS]),
        ("crossorigin", "anonymous"),
        ("nonce", nonce),
    ]
    script: list[tuple[str, str | int | None]] = [
        ("src", linkkit_asset_url(BUTTON_SCRIPT, "js")),
        ("integrity", state.button_integrity[BUTTON_SCRIPT]),
        ("crossorigin", "anonymous"),
        ("nonce", nonce),
    ]
    flag = " defer" if defer else ""
    return Markup(f"<link{attrs(css)}><script{attrs(script)}{flag}></script>")  # noqa: S704 - attrs() escapes
