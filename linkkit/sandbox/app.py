"""The sandbox as one WSGI application: Samsung's side of every Wallet server interaction,
emulated.

::

    from linkkit.sandbox import SandboxConfig, create_app

    app = create_app(SandboxConfig.from_identity("keys/", partner_base_url="http://127.0.0.1:5001"))

Serve it with any WSGI server (``linkkit sandbox`` does), or use the ``linkkit_sandbox`` pytest
fixture (:mod:`linkkit.testing`). Point the partner at it with ``Endpoints.sandbox(url)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from linkkit._flask_json import use_strict_json
from linkkit.sandbox.config import SandboxConfig
from linkkit.sandbox.control import make_control
from linkkit.sandbox.flows import Flows
from linkkit.sandbox.hosts import install_guard
from linkkit.sandbox.landing import make_landing
from linkkit.sandbox.partner_calls import PartnerCaller
from linkkit.sandbox.server_api import make_server_api
from linkkit.sandbox.state import SandboxState
from linkkit.sandbox.wallet_ops import WalletOps

EXTENSION_KEY = "linkkit_sandbox"


@dataclass(frozen=True)
class Sandbox:
    """The parts of one sandbox app (``app.extensions["linkkit_sandbox"]``), for in-process use."""

    config: SandboxConfig
    state: SandboxState
    caller: PartnerCaller
    flows: Flows
    ops: WalletOps


def create_app(config: SandboxConfig) -> Flask:
    """A new sandbox application with its own, empty, in-memory wallet."""
    if not isinstance(config, SandboxConfig):
        raise TypeError("config must be a linkkit.sandbox.SandboxConfig")
    app = Flask(
        "linkkit.sandbox", template_folder="templates", static_folder="static", static_url_path="/_sandbox/static"
    )
    use_strict_json(app)
    install_guard(app, config)  # foreign Host names and cross-site state changes are refused first
    state = SandboxState(partner_base_url=config.partner_base_url, clock=config.clock)
    caller = PartnerCaller(config, state)
    flows = Flows(config, state, caller)
    ops = WalletOps(state, caller)
    app.register_blueprint(make_landing(config, state, flows))
    app.register_blueprint(make_server_api(config, state, flows, ops))
    app.register_blueprint(make_control(config, state, caller.keys))
    app.extensions[EXTENSION_KEY] = Sandbox(config, state, caller, flows, ops)
    return app


def sandbox_of(app: Flask) -> Sandbox:
    """The :class:`Sandbox` behind an app made by :func:`create_app`."""
    sandbox = app.extensions.get(EXTENSION_KEY)
    if not isinstance(sandbox, Sandbox):
        raise TypeError("this app was not made by linkkit.sandbox.create_app")
    return sandbox
