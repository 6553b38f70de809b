"""Put the S2P sandbox together: keys, the two apps, and real servers with the right TLS.

::

    sandbox = create_s2p_sandbox("identity/", partner_id=S2P_PARTNER_ID,
                                 partner_notification_url="https://127.0.0.1:8443")
    with sandbox.serve() as running:
        running.api_url           # https://127.0.0.1:P/ext/v1   (mutual TLS, Samsung's CA)
        running.welcome_base_url  # http://127.0.0.1:Q           (welcome UI and wallet app)

The registrations API is served over mutual TLS with the ``s2p-server`` certificate and accepts
client certificates signed by the ``samsung-ca``. The welcome UI and the simulated
wallet app are served over plain HTTP on a second port: browsers in tests load it in an iframe
without trusting a test CA, and it carries no secret beyond its own unguessable URLs.
Notifications leave over mutual TLS with the ``s2p-client`` certificate (signed by the partner's
CA) and trust the ``partner-ca`` for the partner's server certificate.
"""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from flask import Flask

from linkkit._serving import ServerThread
from linkkit.errors import ConfigError
from linkkit.keys import KeySource
from linkkit.s2p.types import Uuid, url_problem
from linkkit.sandbox.s2p.api import API_PREFIX, create_api_app
from linkkit.sandbox.s2p.flow import S2PEngine
from linkkit.sandbox.s2p.notifier import Notifier
from linkkit.sandbox.s2p.state import Faults, SandboxRegistration, WalletAccount
from linkkit.sandbox.s2p.welcome import create_welcome_app
from linkkit.tls import client_context, server_context

#: Default lifetime of a welcome URL: Samsung's default, 24 h.
WELCOME_TTL = 24 * 3600.0
#: Default time a linked wallet has to finish provisioning before the session times out.
SESSION_TIMEOUT = 600.0


@dataclass(frozen=True, kw_only=True)
class S2PSandboxKeys:
    """The key material of the sandbox S2P server (paths or PEM, see :data:`linkkit.keys.KeySource`)."""

    #: TLS server certificate and key of the registrations API (``s2p-server``).
    server_certificate: KeySource
    server_key: KeySource
    #: The CA whose client certificates the API accepts (``samsung-ca``: it signed the partner's).
    client_ca: KeySource
    #: Client certificate and key for notifications (``s2p-client``, signed by the partner's CA).
    notifier_certificate: KeySource
    notifier_key: KeySource
    #: The CA that signed the partner's notification server certificate (``partner-ca``).
    partner_ca: KeySource

    @classmethod
    def from_identity(cls, identity: str | os.PathLike[str] | Mapping[str, bytes]) -> S2PSandboxKeys:
        """From a local identity set (:func:`linkkit.identity.generate_identity`): a directory, or
        the file mapping :func:`linkkit.identity.build_identity` returns."""
        if isinstance(identity, Mapping):

            def get(name: str) -> KeySource:
                if name not in identity:
                    raise ConfigError(f"identity: {name} is missing")
                return identity[name]
        else:
            base = Path(identity)

            def get(name: str) -> KeySource:
                if not (base / name).is_file():
                    raise ConfigError(f"identity: {base / name} is missing (run `linkkit keys generate`)")
                return base / name

        return cls(
            server_certificate=get("s2p-server.crt"),
            server_key=get("s2p-server.key"),
            client_ca=get("samsung-ca.crt"),
            notifier_certificate=get("s2p-client.crt"),
            notifier_key=get("s2p-client.key"),
            partner_ca=get("partner-ca.crt"),
        )


class S2PSandbox:
    """The sandbox S2P server: registrations API, welcome UI, simulated wallet app, notifier.

    :param keys: the TLS material.
    :param partner_id: the S2P Partner ID of the onboarded partner (Save to Pay's UUID type).
    :param partner_notification_url: the partner's base URL for notifications (given at onboarding).
    :param clock: epoch seconds (welcome URL expiry, session timeout).
    :param welcome_ttl: seconds a welcome URL stays valid.
    :param session_timeout: seconds a linked wallet has to finish before the session times out.
    :param poll_interval_ms: how often the welcome page asks for its status.
    :param parent_origins: origins allowed to frame the welcome page (empty: any, see
        :func:`~linkkit.sandbox.s2p.welcome.create_welcome_app`).
    :param default_account: the simulated wallet's account and device.
    :param require_client_certificate: the API refuses requests whose environ lacks a verified client
        certificate (keep it on; it guards against serving the API without mutual TLS).
    :param notify_sleep: waits between notification retries.
    """

    def __init__(
        self,
        *,
        keys: S2PSandboxKeys,
        partner_id: str,
        partner_notification_url: str,
        clock: Callable[[], float] = time.time,
        welcome_ttl: float = WELCOME_TTL,
        session_timeout: float = SESSION_TIMEOUT,
        poll_interval_ms: int = 1000,
        parent_origins: Iterable[str] = (),
        default_account: WalletAccount = WalletAccount(),  # noqa: B008 - frozen, immutable default
        require_client_certificate: bool = True,
        notify_sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if Uuid().check(partner_id) is not None:
            raise ConfigError("partner_id: must be an S2P Partner ID (26 to 128 characters of a-z, A-Z, 0-9, - and _)")
        if url_problem(partner_notification_url) is not None:
            raise ConfigError("partner_notification_url: must be an absolute http(s) URL")
        if welcome_ttl <= 0 or session_timeout <= 0:
            raise ValueError("welcome_ttl and session_timeout must be positive")
        self.keys = keys
        self.partner_id = partner_id
        notifier_tls = client_context(
            certificate=keys.notifier_certificate, private_key=keys.notifier_key, server_ca=keys.partner_ca
        )
        #: Outbound notifications; :attr:`Notifier.outbox` lists every delivery.
        self.notifier = Notifier(
            url=partner_notification_url, partner_id=partner_id, tls=notifier_tls, sleep=notify_sleep
        )
        #: The state machine behind both apps.
        self.engine = S2PEngine(
            notifier=self.notifier, clock=clock, welcome_ttl=welcome_ttl, session_timeout=session_timeout
        )
        #: Fault injection for the registrations API.
        self.faults = Faults()
        #: The registrations API (serve it with :meth:`api_ssl_context`).
        self.api_app: Flask = create_api_app(
            self.engine,
            partner_id=partner_id,
            faults=self.faults,
            require_client_certificate=require_client_certificate,
        )
        #: The welcome UI and the simulated wallet app (plain HTTP is fine).
        self.welcome_app: Flask = create_welcome_app(
            self.engine,
            default_account=default_account,
            poll_interval_ms=poll_interval_ms,
            parent_origins=parent_origins,
        )

    @property
    def welcome_base_url(self) -> str:
        return self.engine.welcome_base

    @welcome_base_url.setter
    def welcome_base_url(self, url: str) -> None:
        """Where the welcome app is reachable (welcome URLs and QR codes are built on it)."""
        if url_problem(url) is not None:
            raise ConfigError("welcome_base_url: must be an absolute http(s) URL")
        self.engine.welcome_base = url.rstrip("/")

    def api_ssl_context(self) -> ssl.SSLContext:
        """Mutual TLS for the API: the ``s2p-server`` certificate, client certificates from ``samsung-ca``."""
        return server_context(
            certificate=self.keys.server_certificate, private_key=self.keys.server_key, client_ca=self.keys.client_ca
        )

    @property
    def registrations(self) -> list[SandboxRegistration]:
        """Every registration stored so far."""
        return self.engine.book.all()

    def reset(self) -> None:
        """Forget every registration, queued fault and delivery (between tests of one served sandbox)."""
        self.engine.book.clear()
        self.faults.clear()
        self.notifier.clear()

    def serve(self, *, host: str = "127.0.0.1", api_port: int = 0, welcome_port: int = 0) -> RunningS2PSandbox:
        """Start both servers (free ports by default); use the result as a context manager."""
        welcome = ServerThread(self.welcome_app, host=host, port=welcome_port)
        self.welcome_base_url = welcome.url
        api = ServerThread(self.api_app, host=host, port=api_port, ssl_context=self.api_ssl_context())
        return RunningS2PSandbox(self, api, welcome)

    def close(self) -> None:
        self.notifier.close()


class RunningS2PSandbox:
    """Both servers of an :class:`S2PSandbox`, started; stop them with :meth:`stop` or ``with``."""

    def __init__(self, sandbox: S2PSandbox, api: ServerThread, welcome: ServerThread) -> None:
        self.sandbox = sandbox
        self._api = api.start()
        self._welcome = welcome.start()
        #: Base URL of the registrations API (what :class:`~linkkit.clients.s2p.S2PClient` takes).
        self.api_url = f"{api.url}{API_PREFIX}"
        #: Base URL of the welcome UI and the wallet app.
        self.welcome_base_url = welcome.url

    def stop(self) -> None:
        self._api.stop()
        self._welcome.stop()

    def __enter__(self) -> RunningS2PSandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def create_s2p_sandbox(
    identity: str | os.PathLike[str] | Mapping[str, bytes],
    *,
    partner_id: str,
    partner_notification_url: str,
    **options: object,
) -> S2PSandbox:
    """An :class:`S2PSandbox` with the keys of a local identity set (a directory or the mapping of
    :func:`linkkit.identity.build_identity`); ``options`` are :class:`S2PSandbox`'s other parameters."""
    return S2PSandbox(
        keys=S2PSandboxKeys.from_identity(identity),
        partner_id=partner_id,
        partner_notification_url=partner_notification_url,
        **options,  # type: ignore[arg-type]
    )
