"""Shared fixtures: one local identity per test session (RSA key generation is slow), a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.identity import IdentityIds, build_identity, write_identity
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier

PARTNER_ID = "4030093436155138240"
CERTIFICATE_ID = "YMtt"
CARD_ID = "3glji6d406000"
#: The S2P Partner ID the identity's S2P client certificates name (tests/s2p use it as Partner-Id).
S2P_PARTNER_ID = "3f1c2a9e-8b7d-4c6e-9a0b-1d2e3f4a5b6c"
NOW = 1_795_000_000.0  # a fixed instant (2026-11-18), epoch seconds


@dataclass(frozen=True)
class Identity:
    files: dict[str, bytes]
    partner_key: rsa.RSAPrivateKey
    partner_cert: x509.Certificate
    samsung_key: rsa.RSAPrivateKey
    samsung_cert: x509.Certificate


@pytest.fixture(scope="session")
def identity() -> Identity:
    files = build_identity(
        IdentityIds(
            partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, card_id=CARD_ID, s2p_partner_id=S2P_PARTNER_ID
        )
    )
    return Identity(
        files=files,
        partner_key=load_private_key(files["partner.key"]),
        partner_cert=load_certificate(files["partner.crt"]),
        samsung_key=load_private_key(files["samsung.key"]),
        samsung_cert=load_certificate(files["samsung.crt"]),
    )


@pytest.fixture(scope="session")
def identity_dir(identity: Identity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session identity written to disk, with its linkkit.toml."""
    out = tmp_path_factory.mktemp("identity")
    write_identity(out, identity.files)
    return out


class FrozenClock:
    """A clock tests move by hand: ``clock.now += 31``."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def signer_factory(identity: Identity, clock: FrozenClock) -> Callable[..., TokenSigner]:
    def make(**overrides: object) -> TokenSigner:
        kwargs: dict[str, object] = dict(
            partner_id=PARTNER_ID,
            certificate_id=CERTIFICATE_ID,
            private_key=identity.partner_key,
            samsung_public_key=public_key_of(identity.samsung_cert),
            clock=clock,
        )
        kwargs.update(overrides)
        return TokenSigner(**kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def signer(signer_factory: Callable[..., TokenSigner]) -> TokenSigner:
    return signer_factory()


@pytest.fixture
def verifier_factory(identity: Identity, clock: FrozenClock) -> Callable[..., TokenVerifier]:
    def make(**overrides: object) -> TokenVerifier:
        kwargs: dict[str, object] = dict(
            signer_public_key=public_key_of(identity.partner_cert),
            decryption_key=identity.samsung_key,
            partner_id=PARTNER_ID,
            certificate_id=CERTIFICATE_ID,
            clock=clock,
        )
        kwargs.update(overrides)
        return TokenVerifier(**kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def verifier(verifier_factory: Callable[..., TokenVerifier]) -> TokenVerifier:
    return verifier_factory()


@pytest.fixture
def loyalty_card() -> dict[str, object]:
    """A small valid loyalty card."""
    return {
        "card": {
            "type": "loyalty",
            "subType": "others",
            "data": [
                {
                    "refId": "ref-20261121-0001",
                    "createdAt": 1_795_000_000_000,
                    "updatedAt": 1_795_000_000_000,
                    "language": "en",
                    "attributes": {
                        "title": "Gold Member",
                        "providerName": "Coffee & Co",
                        "appLinkLogo": "https://example.com/logo.png",
                        "appLinkName": "Coffee & Co",
                        "appLinkData": "https://example.com/app",
                        "barcode.value": "1234567890",
                        "barcode.serialType": "QRCODE",
                        "barcode.ptFormat": "QRCODESERIAL",
                    },
                    "localization": [{"language": "ko", "attributes": {"title": "골드 회원"}}],
                }
            ],
        }
    }
