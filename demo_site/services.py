"""Everything the demo app talks to, made once per app and kept in ``app.extensions["demo_site"]``.

This is the integration a merchant copies: load the keys once into a
:class:`~linkkit.atw.tokens.TokenSigner`, give the partner endpoints a card source, a store and the
Request Action handlers, and point the clients at Samsung (here: the sandbox) by configuration.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import httpx
from flask import Flask, current_app

from demo_site.catalogue import Catalogue
from demo_site.identity import IdentityInfo, ensure_identity
from demo_site.merchant_db import MerchantDB
from demo_site.partner import MerchantCards, signup_actions
from demo_site.settings import DemoSettings
from linkkit.atw.tokens import TokenSigner
from linkkit.clients import RetryPolicy
from linkkit.clients.s2p import S2PClient
from linkkit.clients.wallet import WalletClient
from linkkit.config import Endpoints
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore, WalletNotifier
from linkkit.partner.s2p_store import NotificationStore
from linkkit.s2p import RegistrationLedger
from linkkit.tls import client_context

EXTENSION: Final = "demo_site"
FALLBACK_S2P_PARTNER_ID: Final = "northwind-demo-s2p-partner-0001"
#: One quick retry: the demo's pages wait on these calls, and the sandbox is local.
DEMO_RETRY: Final = RetryPolicy(attempts=2, backoff=0.2, jitter=0.0, max_retry_after=2.0)


@dataclass(frozen=True, kw_only=True)
class Services:
    """The demo's connections and linkkit objects (one set per app)."""

    settings: DemoSettings
    identity: IdentityInfo
    #: The S2P Partner-Id in use: the setting, else the identity's.
    s2p_partner_id: str
    signer: TokenSigner
    db: MerchantDB
    catalogue: Catalogue
    partner_store: SQLiteStore
    click_links: ClickLinks
    partner: PartnerServer
    wallet: WalletClient
    #: Update Notifications routed by each card's Send Card State callback and country.
    notifier: WalletNotifier
    s2p: S2PClient
    s2p_ledger: RegistrationLedger
    notifications: NotificationStore
    #: Reads the sandbox's own JSON views (``/_sandbox/wallet``); not a Samsung API.
    http: httpx.Client
    #: Epoch seconds; every part of the demo reads time here.
    clock: Callable[[], float]

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def close(self) -> None:
        """Close every client and database this object opened."""
        self.wallet.close()
        self.s2p.close()
        self.http.close()
        self.s2p_ledger.close()
        self.notifications.close()
        self.partner_store.close()
        self.db.close()


def build_services(settings: DemoSettings, *, clock: Callable[[], float] = time.time) -> Services:
    """Load the identity (made on first use) and open the stores in ``settings.data_dir``."""
    identity = ensure_identity(settings.identity_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    signer = TokenSigner(
        partner_id=identity.partner_id,
        certificate_id=identity.certificate_id,
        private_key=load_private_key(identity.path("partner.key")),
        samsung_public_key=public_key_of(load_certificate(identity.path("samsung.crt"))),
        clock=clock,
    )
    # Selecting the sandbox is configuration only: the same code talks to Samsung.
    endpoints = Endpoints.sandbox(settings.sandbox_url, s2p_api_url=settings.s2p_api_url)
    db = MerchantDB(settings.data_dir / "merchant.sqlite3", clock=clock)
    catalogue = Catalogue(settings.public_url, settings.brand)
    store = SQLiteStore(settings.data_dir / "partner.sqlite3", clock=clock)
    click_links = ClickLinks(
        store=store, secrets=[settings.click_link_secret], base_url=f"{settings.partner_base_url}/w", clock=clock
    )
    partner = PartnerServer(
        PartnerConfig(signer=signer, card_ids=settings.card_ids.values(), endpoints=endpoints, clock=clock),
        MerchantCards(db, catalogue, settings.card_ids),
        store=store,
        actions=signup_actions(
            db, catalogue, otp=settings.otp, attempt_key=settings.click_link_secret + b"|sign-up", clock=clock
        ),
        click_links=click_links,
    )
    wallet = WalletClient(signer, endpoints, timeout=settings.http_timeout, retry=DEMO_RETRY)
    ledger = RegistrationLedger(settings.data_dir / "s2p-ledger.sqlite3")
    # Mutual TLS to S2P: our client certificate (signed by Samsung's CA from our CSR), Samsung's CA as root.
    tls = client_context(
        certificate=identity.path("partner-client.crt"),
        private_key=identity.path("partner-client.key"),
        server_ca=identity.path("samsung-ca.crt"),
    )
    # Identity sets made before linkkit wrote s2p_partner_id fall back to a fixed demo id.
    s2p_partner_id = settings.s2p_partner_id or identity.s2p_partner_id or FALLBACK_S2P_PARTNER_ID
    s2p = S2PClient(
        partner_id=s2p_partner_id,
        tls=tls,
        ledger=ledger,
        base_url=settings.s2p_api_url,
        retry=DEMO_RETRY,
        timeout=settings.http_timeout,
        clock=clock,
    )
    return Services(
        settings=settings,
        identity=identity,
        s2p_partner_id=s2p_partner_id,
        signer=signer,
        db=db,
        catalogue=catalogue,
        partner_store=store,
        click_links=click_links,
        partner=partner,
        wallet=wallet,
        notifier=WalletNotifier(wallet, store),
        s2p=s2p,
        s2p_ledger=ledger,
        notifications=NotificationStore(settings.data_dir / "s2p-notifications.sqlite3"),
        http=httpx.Client(timeout=settings.http_timeout, follow_redirects=False),
        clock=clock,
    )


def services_of(app: Flask | None = None) -> Services:
    """The :class:`Services` of ``app`` (the current app by default)."""
    found = (app or current_app).extensions.get(EXTENSION)
    if not isinstance(found, Services):
        raise RuntimeError("this app was not made by demo_site.create_app")
    return found
