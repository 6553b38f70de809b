"""/healthz and /readyz over a real socket, in the WSGI app and the Flask blueprint: never behind AUTH, 503
when the store does not answer or a certificate in use has expired; expiry warnings at start and daily, and
no start with an expired certificate."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.config import Endpoints
from linkkit.errors import CertificateExpiredError
from linkkit.keyring import Keyring, PartnerKey, SamsungCertificate
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from tests.conftest import CARD_ID, CERTIFICATE_ID, NOW, PARTNER_ID, FrozenClock, Identity
from tests.ops.conftest import LATER, Spare
from tests.partner.conftest import DictCards


def keyring(identity: Identity, spare: Spare, *, partner_expires: float = LATER) -> Keyring:
    return Keyring(
        partner_id=PARTNER_ID,
        partner_keys=[
            PartnerKey(
                certificate_id=CERTIFICATE_ID,
                private_key=identity.partner_key,
                certificate=spare.certificate(identity.partner_key, expires=partner_expires),
            )
        ],
        samsung_certificates=[SamsungCertificate(certificate_id="SAMS", certificate=identity.samsung_cert)],
    )


def config(keys: Keyring, clock: FrozenClock, **kwargs: Any) -> PartnerConfig:
    return PartnerConfig(
        keyring=keys, card_ids={CARD_ID}, clock=clock, endpoints=Endpoints.sandbox("http://127.0.0.1:9"), **kwargs
    )


@pytest.fixture
def http() -> Any:
    with httpx.Client(timeout=5.0) as client:
        yield client


@pytest.mark.parametrize("adapter", ["wsgi", "flask"])
def test_health_routes_answer_without_credentials_under_the_mount(
    adapter: str, identity: Identity, spare: Spare, clock: FrozenClock, http: httpx.Client
) -> None:
    store = SQLiteStore(":memory:", clock=clock)
    partner = PartnerServer(config(keyring(identity, spare), clock), DictCards(), store=store)
    if adapter == "wsgi":
        app: Any = partner.wsgi_app(mount="/samsung")
    else:
        app = Flask("health-test")
        app.register_blueprint(partner.blueprint(url_prefix="/samsung"))
    with ServerThread(app) as server:
        alive = http.get(f"{server.url}/samsung/healthz")
        assert alive.status_code == 200 and alive.json() == {"status": "alive"}
        ready = http.get(f"{server.url}/samsung/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "checks": {"store": "ok", "keys": "ok"},
            "keys": {
                "partner": {"current": CERTIFICATE_ID, "ids": [CERTIFICATE_ID]},
                "samsung": {"current": "SAMS", "ids": ["SAMS"]},
            },
        }
        assert ready.headers["cache-control"] == "no-store"
        head = http.head(f"{server.url}/samsung/readyz")
        assert head.status_code == 200 and head.content == b""
        assert http.post(f"{server.url}/samsung/readyz").status_code == 405
        # the card endpoints stay behind AUTH
        assert http.get(f"{server.url}/samsung/cards/{CARD_ID}/ref-1").json()["code"] == "missing_credentials"
    store.close()


def test_readyz_is_503_when_the_store_does_not_answer(
    identity: Identity, spare: Spare, clock: FrozenClock, http: httpx.Client, tmp_path: Path
) -> None:
    path = tmp_path / "partner.db"
    store = SQLiteStore(path, clock=clock)
    partner = PartnerServer(config(keyring(identity, spare), clock), DictCards(), store=store)
    with ServerThread(partner.wsgi_app()) as server:
        assert http.get(f"{server.url}/readyz").json()["checks"]["store"] == "ok"
        # the database goes away: its files are replaced by something SQLite cannot open
        store.close()
        for suffix in ("", "-wal", "-shm", "-replay", "-replay-wal", "-replay-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.mkdir()
        answer = http.get(f"{server.url}/readyz")
        assert answer.status_code == 503
        assert answer.json()["status"] == "not_ready" and answer.json()["checks"]["store"] == "unreachable"
        assert http.get(f"{server.url}/healthz").status_code == 200  # alive all the same


def test_expiry_is_warned_at_start_and_daily_and_readyz_fails_once_the_key_in_use_expires(
    identity: Identity, spare: Spare, clock: FrozenClock, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    keys = keyring(identity, spare, partner_expires=NOW + 3 * 86400)
    store = SQLiteStore(":memory:", clock=clock)
    with caplog.at_level(logging.WARNING, logger="linkkit.partner"):
        partner = PartnerServer(config(keys, clock), DictCards(), store=store)
    assert [r.getMessage() for r in caplog.records] == [
        f"partner certificate {CERTIFICATE_ID}: expires soon, renew it: on "
        f"{keys.partner_keys[0].certificate.not_valid_after_utc:%Y-%m-%d} (3 days left)"  # type: ignore[union-attr]
    ]

    def expiring() -> list[str]:
        return [r.getMessage() for r in caplog.records if "expires soon" in r.getMessage()]

    with ServerThread(partner.wsgi_app()) as server:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="linkkit.partner"):
            http.get(f"{server.url}/cards/{CARD_ID}/ref-1")
            assert not expiring()  # said once a day, not per request
            clock.now += 86400
            http.get(f"{server.url}/cards/{CARD_ID}/ref-1")
            assert len(expiring()) == 1 and "2 days left" in expiring()[0]
        assert http.get(f"{server.url}/readyz").status_code == 200
        clock.now = NOW + 3 * 86400 + 1
        answer = http.get(f"{server.url}/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"]["keys"] == f"the partner certificate in use ({CERTIFICATE_ID}) has expired"
    store.close()


def test_the_server_does_not_start_with_an_expired_certificate_unless_told_to(
    identity: Identity, spare: Spare, clock: FrozenClock
) -> None:
    keys = keyring(identity, spare, partner_expires=NOW - 60)
    store = SQLiteStore(":memory:", clock=clock)
    with pytest.raises(CertificateExpiredError, match=f"partner certificate {CERTIFICATE_ID}: EXPIRED on"):
        PartnerServer(config(keys, clock), DictCards(), store=store)
    partner = PartnerServer(config(keys, clock, allow_expired=True), DictCards(), store=store)
    ready, body = partner._health.readiness()
    assert not ready and "has expired" in body["checks"]["keys"]
    store.close()
