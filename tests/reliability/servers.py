"""The five server faces the hostile-client tests attack, each on its own real socket, and a raw client.

Every server runs linkkit's own serving module with short deadlines (the same code as the defaults,
so that a stall test takes a second instead of thirty): the partner endpoints with click-time links,
the sandbox, the sandbox's S2P API (mutual TLS) and the partner's S2P notification endpoint
(mutual TLS).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkkit._serving import ServerLimits, ServerThread
from linkkit.config import Endpoints
from linkkit.keys import public_key_of
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore
from linkkit.partner.s2p import NotificationHandler, create_notifications_app, notifications_tls_context
from linkkit.partner.s2p_store import NotificationStore
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.sandbox.s2p import create_s2p_sandbox
from linkkit.tls import client_context
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.conftest import DictCards, card_for

#: Short deadlines, so that each stall case costs about a second.
LIMITS: Final = ServerLimits(handshake_timeout=0.5, read_timeout=1.0, request_timeout=1.0)
S2P_PARTNER_ID: Final = "3f1c2a9e-8b7d-4c6e-9a0b-1d2e3f4a5b6c"
CLICK_SECRET: Final = b"hostile-click-secret-0123456789abc"


@dataclass(frozen=True)
class Target:
    """One server face: where it listens, the client TLS it wants, a path any client may ask for."""

    name: str
    port: int
    tls: ssl.SSLContext | None
    probe: str

    def tcp(self, timeout: float = 5.0) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def open(self, timeout: float = 5.0) -> socket.socket:
        """A connection ready for HTTP: TCP, and the TLS handshake with a valid client certificate."""
        sock = self.tcp(timeout)
        if self.tls is None:
            return sock
        return self.tls.wrap_socket(sock, server_hostname="127.0.0.1")

    def exchange(self, data: bytes, timeout: float = 5.0) -> int:
        """Send ``data`` on a new connection; the status of the answer, 0 when the server closed it."""
        with contextlib.closing(self.open(timeout)) as sock:
            with contextlib.suppress(OSError):
                sock.sendall(data)
            return read_status(sock)

    def probe_status(self) -> tuple[int, float]:
        """A plain request for :attr:`probe`: its status and how long the answer took."""
        started = time.monotonic()
        status = self.exchange(f"GET {self.probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        return status, time.monotonic() - started


def read_status(sock: socket.socket) -> int:
    """The status code of the answer on ``sock`` (read to its end), 0 when it closed without one."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (OSError, ssl.SSLError):
        pass
    if not data.startswith(b"HTTP/1."):
        return 0
    return int(data.split(b" ", 2)[1])


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closes ``sock`` (EOF or reset), ``None`` when it stays open longer."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return None
    except (OSError, ssl.SSLError):
        pass
    return time.monotonic() - started


@dataclass
class Servers:
    partner: Target
    sandbox: Target
    s2p_api: Target
    s2p_notifications: Target
    click_links: ClickLinks
    partner_signer: TokenSigner

    @property
    def all(self) -> list[Target]:
        return [self.partner, self.sandbox, self.s2p_api, self.s2p_notifications]


@contextlib.contextmanager
def running_servers(identity: Identity, folder: Path, loyalty_card: dict[str, Any]) -> Iterator[Servers]:
    files = identity.files
    store = SQLiteStore(folder / "partner.sqlite3")
    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=identity.partner_key,
        samsung_public_key=public_key_of(identity.samsung_cert),
    )
    links = ClickLinks(store=store, secrets=CLICK_SECRET, base_url="http://127.0.0.1/w")
    partner = PartnerServer(
        PartnerConfig(signer=signer, card_ids={CARD_ID}, endpoints=Endpoints.sandbox("http://127.0.0.1:9")),
        DictCards({(CARD_ID, f"ref-{i}"): card_for(loyalty_card, f"ref-{i}") for i in range(3)}),
        store=store,
        click_links=links,
    )
    notifications = NotificationStore(":memory:")
    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=lambda _n: "blob", store=notifications)
    box = create_s2p_sandbox(
        files, partner_id=S2P_PARTNER_ID, partner_notification_url="https://127.0.0.1:9", notify_sleep=lambda _s: None
    )
    sandbox_app = create_app(SandboxConfig.from_identity(dict(files), card_ids=frozenset()))
    notifications_tls = notifications_tls_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        s2p_client_ca=files["partner-ca.crt"],
    )
    with (
        ServerThread(partner.wsgi_app(), limits=LIMITS) as partner_server,
        ServerThread(sandbox_app, limits=LIMITS) as sandbox_server,
        ServerThread(box.api_app, ssl_context=box.api_ssl_context(), limits=LIMITS) as api_server,
        ServerThread(create_notifications_app(handler), ssl_context=notifications_tls, limits=LIMITS) as notify_server,
    ):
        yield Servers(
            partner=Target("partner endpoints", partner_server.port, None, "/healthz"),
            sandbox=Target("sandbox", sandbox_server.port, None, "/_sandbox/wallet"),
            s2p_api=Target(
                "sandbox S2P API (mTLS)",
                api_server.port,
                client_context(
                    certificate=files["partner-client.crt"],
                    private_key=files["partner-client.key"],
                    server_ca=files["samsung-ca.crt"],
                ),
                "/",
            ),
            s2p_notifications=Target(
                "partner S2P notifications (mTLS)",
                notify_server.port,
                client_context(
                    certificate=files["s2p-client.crt"],
                    private_key=files["s2p-client.key"],
                    server_ca=files["partner-ca.crt"],
                ),
                "/notifications",
            ),
            click_links=links,
            partner_signer=signer,
        )
    box.close()
    notifications.close()
    store.close()
