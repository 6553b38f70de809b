"""Everything ``make demo`` runs, in one process: the demo, the sandbox, and the S2P servers.

=====================  ==========================  ============================================
server                 default address             what it is
=====================  ==========================  ============================================
demo                   http://127.0.0.1:5000       the merchant site + the partner endpoints
wallet sandbox         http://127.0.0.1:5001       Samsung Wallet: ATW landing, server API
S2P welcome            http://127.0.0.1:5002       welcome UI and the simulated wallet app
S2P API                https://127.0.0.1:5003      registrations (mutual TLS, Samsung's CA)
S2P notifications      https://127.0.0.1:5004      the partner's endpoint (mutual TLS, partner CA)
=====================  ==========================  ============================================

With ``port=0`` every server takes a free port (tests). The servers are bound first, each with
a placeholder application, so that every app can be built knowing every URL; then they start.
:class:`DemoStack` is what the end-to-end tests start too, so they exercise what ``make demo`` runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from demo_site.app import create_app
from demo_site.identity import ensure_identity
from demo_site.logs import install_redaction
from demo_site.notifications import create_notifications_app
from demo_site.services import services_of
from demo_site.settings import PORT_OFFSETS
from linkkit._serving import ServerThread
from linkkit.config import S2P_API_URL
from linkkit.partner.s2p import notifications_tls_context
from linkkit.sandbox import SandboxConfig, sandbox_of
from linkkit.sandbox import create_app as create_sandbox_app
from linkkit.sandbox.s2p import RunningS2PSandbox, S2PSandbox, create_s2p_sandbox
from linkkit.tls import server_context

HOST = "127.0.0.1"
#: The S2P API's path prefix, the same on Samsung's servers and the sandbox's (``/ext/v1``).
S2P_API_PATH = urlsplit(S2P_API_URL).path


class _Placeholder:
    """A WSGI app that forwards to ``target`` once it is set (503 until then)."""

    def __init__(self) -> None:
        self.target: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.target is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "1")])
            return [b"starting\n"]
        result: Iterable[bytes] = self.target(environ, start_response)
        return result


@dataclass(frozen=True, kw_only=True)
class StackUrls:
    """Where each server of a running stack is."""

    demo: str
    sandbox: str
    s2p_welcome: str
    s2p_api: str
    notifications: str

    @property
    def sandbox_wallet(self) -> str:
        """The sandbox wallet's JSON view."""
        return f"{self.sandbox}/_sandbox/wallet"


def ports_for(port: int) -> dict[str, int]:
    """Each server's port: ``port`` plus its offset, or all 0 (free ports) when ``port`` is 0."""
    if not isinstance(port, int) or not 0 <= port <= 65535 - max(PORT_OFFSETS.values()):
        raise ValueError(f"port must be 0 or 1-{65535 - max(PORT_OFFSETS.values())} (got {port!r})")
    return {name: (port + offset if port else 0) for name, offset in PORT_OFFSETS.items()}


class DemoStack:
    """The demo and everything it talks to, on 127.0.0.1.

    :param instance_path: keys, secrets and databases (made on first start, reused after).
    :param port: the demo's port; the others follow it (see the module docstring). 0: free ports.
    :param config: extra demo settings (``create_app``'s ``test_config``), applied before the URLs.
    :param poll_interval_ms: how often the S2P welcome page asks for its status.
    """

    def __init__(
        self,
        *,
        instance_path: str | os.PathLike[str],
        port: int = 5000,
        config: Mapping[str, Any] | None = None,
        poll_interval_ms: int = 1000,
    ) -> None:
        install_redaction()  # no refId, token or capability URL in any request log line
        self.instance_path = Path(instance_path).resolve()
        ports = ports_for(port)
        identity = ensure_identity(self.instance_path / "identity")
        slots = {name: _Placeholder() for name in PORT_OFFSETS}
        self._threads: list[ServerThread] = []
        try:
            demo = self._bind(slots["demo"], ports["demo"])
            sandbox = self._bind(slots["sandbox"], ports["sandbox"])
            self._welcome = self._bind(slots["s2p_welcome"], ports["s2p_welcome"])
            # S2P's API takes client certificates from Samsung's CA; the partner's
            # notification endpoint takes them from the partner's own CA.
            self._api = self._bind(
                slots["s2p_api"],
                ports["s2p_api"],
                server_context(
                    certificate=identity.path("s2p-server.crt"),
                    private_key=identity.path("s2p-server.key"),
                    client_ca=identity.path("samsung-ca.crt"),
                ),
            )
            notifications = self._bind(
                slots["notifications"],
                ports["notifications"],
                notifications_tls_context(
                    certificate=identity.path("partner-server.crt"),
                    private_key=identity.path("partner-server.key"),
                    s2p_client_ca=identity.path("partner-ca.crt"),
                ),
            )
            self.urls = StackUrls(
                demo=demo.url,
                sandbox=sandbox.url,
                s2p_welcome=self._welcome.url,
                s2p_api=self._api.url + S2P_API_PATH,
                notifications=notifications.url,
            )
            overrides = {
                **(config or {}),
                "PUBLIC_URL": demo.url,
                "SANDBOX_URL": sandbox.url,
                "S2P_API_URL": self.urls.s2p_api,
                "IDENTITY_DIR": str(identity.folder),
            }
            self.app: Flask = create_app(overrides, instance_path=str(self.instance_path))
            services = services_of(self.app)
            settings = services.settings
            self.sandbox_app: Flask = create_sandbox_app(
                SandboxConfig.from_identity(
                    identity.folder,
                    card_ids=frozenset(settings.card_ids.values()),
                    partner_base_url=settings.partner_base_url,
                    public_url=sandbox.url,
                )
            )
            self.s2p: S2PSandbox = create_s2p_sandbox(
                identity.folder,
                partner_id=services.s2p_partner_id,
                partner_notification_url=notifications.url,
                poll_interval_ms=poll_interval_ms,
                parent_origins=(demo.url,),
            )
            self.s2p.welcome_base_url = self._welcome.url
            slots["demo"].target = self.app
            slots["sandbox"].target = self.sandbox_app
            slots["s2p_welcome"].target = self.s2p.welcome_app
            slots["s2p_api"].target = self.s2p.api_app
            slots["notifications"].target = create_notifications_app(services)
        except BaseException:
            for thread in self._threads:
                thread.stop()
            raise
        self._running: RunningS2PSandbox | None = None
        self._started = False

    def _bind(self, app: Any, port: int, ssl_context: Any = None) -> ServerThread:
        thread = ServerThread(app, host=HOST, port=port, ssl_context=ssl_context)
        self._threads.append(thread)
        return thread

    def start(self) -> DemoStack:
        """Start serving (every socket is already bound)."""
        if self._started:
            raise RuntimeError("the stack is already started")
        self._started = True
        for thread in self._threads:
            if thread not in (self._welcome, self._api):
                thread.start()
        # RunningS2PSandbox starts the S2P API and welcome servers and stops them with the stack.
        self._running = RunningS2PSandbox(self.s2p, self._api, self._welcome)
        return self

    def stop(self) -> None:
        """Stop every server, close every client and database; the ports are free afterwards."""
        if self._running is not None:
            self._running.stop()
            self._running = None
        for thread in self._threads:
            thread.stop()  # idempotent: a stopped server only closes its socket again
        sandbox_of(self.sandbox_app).caller.close()
        self.s2p.close()
        services_of(self.app).close()

    def __enter__(self) -> DemoStack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
