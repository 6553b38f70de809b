"""The application factory (Flask tutorial pattern): config, services, blueprints.

::

    from demo_site import create_app

    app = create_app()                                    # instance/ next to the package
    app = create_app({"SANDBOX_URL": "http://127.0.0.1:9001"}, instance_path="/tmp/demo")

``python -m demo_site`` runs it together with the sandbox (:mod:`demo_site.runner`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from demo_site import security
from demo_site.services import EXTENSION, build_services
from demo_site.settings import DEFAULTS, DemoSettings, load_or_create_secrets
from demo_site.views import campaign, join, operator, pay, shop
from linkkit.flask import LinkKit, use_strict_json
from linkkit.partner.buttons import ButtonEndpoints


def create_app(test_config: Mapping[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """Make the demo app.

    :param test_config: applied last, over the instance files and ``LINKKIT_*`` variables (tests use
        it; so does the runner, for the URLs of the servers it started).
    :param instance_path: the instance folder (keys, secrets, databases); Flask's default otherwise.
    :raises linkkit.errors.ConfigError: a setting is wrong (the message names it).
    """
    if instance_path is not None:
        instance_path = os.path.abspath(instance_path)  # Flask wants it absolute
    app = Flask(__name__.rsplit(".", 1)[0], instance_path=instance_path, instance_relative_config=True)
    use_strict_json(app)
    app.config.from_mapping(DEFAULTS)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_or_create_secrets(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("LINKKIT")
    if test_config is not None:
        app.config.update(test_config)
    settings = DemoSettings.from_config(app.config, app.instance_path)
    # Email buttons need absolute image URLs, on the address the recipients can reach.
    app.config.setdefault("LINKKIT_EMAIL_ASSET_BASE", f"{settings.public_url}/_linkkit/web")
    services = build_services(settings)
    app.extensions[EXTENSION] = services
    # Asset routes (/_linkkit/web, /_linkkit/js) and the button, QR and shim template helpers.
    LinkKit(app)
    security.init_app(app)
    # What Samsung calls: Get Card Data, Send Card State, Request Action, click-time links.
    app.register_blueprint(services.partner.blueprint(url_prefix=settings.partner_prefix))
    # What <samsung-wallet-button> calls from the browser: mint at click time, funnel beacons.
    buttons = ButtonEndpoints(services.partner)
    app.register_blueprint(buttons.blueprint(url_prefix=f"{settings.partner_prefix}/buttons"))
    for module in (shop, campaign, join, pay, operator):
        app.register_blueprint(module.bp)

    @app.context_processor
    def brand() -> dict[str, Any]:
        return {"brand": settings.brand, "sandbox_url": settings.sandbox_url, "public_url": settings.public_url}

    return app
