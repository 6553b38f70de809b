"""One verdict from three readers: TokenVerifier, `linkkit inspect` (the command, run) and the sandbox.

Tokens come from independent JOSE implementations (jwcrypto builds the JWE, PyJWT signs the JWS) with
the deviations other implementations produce: ``zip``, ``crit``, padding, a string ``utc``, key
confusion, and each ``ver``. Whatever one reader says, the other two must say too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwcrypto import jwe, jwk

from linkkit.cli.main import main
from linkkit.errors import TokenError
from linkkit.identity import cert_pem, key_pem
from linkkit.testing import SandboxHandle
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.conftest import card_for


def _jwe(identity: Identity, plaintext: bytes, **extra: Any) -> str:
    key = jwk.JWK.from_pyca(identity.samsung_cert.public_key())
    token = jwe.JWE(plaintext, json.dumps({"alg": "RSA-OAEP", "enc": "A128GCM", **extra}))
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def _signed(identity: Identity, payload: str, **header: Any) -> str:
    """A JWS over ``payload`` with exactly ``header`` (PyJWT's api_jws signs arbitrary bytes)."""
    base: dict[str, Any] = {
        "alg": "RS256",
        "cty": "CARD",
        "ver": "3",
        "partnerId": PARTNER_ID,
        "certificateId": CERTIFICATE_ID,
        "utc": int(time.time() * 1000),
    }
    base.update(header)
    fields = {k: v for k, v in base.items() if v is not None}
    return jwt.api_jws.encode(payload.encode(), identity.partner_key, algorithm=fields.pop("alg"), headers=fields)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _handmade_jwe(identity: Identity, plaintext: bytes, header: dict[str, Any], *, pad: bool = False) -> str:
    """A JWE written out by hand, for headers no library writes: ``zip`` over a body left uncompressed,
    ``crit``, padded segments."""
    protected = b64(json.dumps(header).encode())
    cek, iv = os.urandom(16), os.urandom(12)
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    wrapped = identity.samsung_cert.public_key().encrypt(cek, oaep)
    sealed = AESGCM(cek).encrypt(iv, plaintext, protected.encode())
    parts = [protected, b64(wrapped), b64(iv), b64(sealed[:-16]), b64(sealed[-16:])]
    return _padded(".".join(parts)) if pad else ".".join(parts)


_OAEP_GCM: dict[str, Any] = {"alg": "RSA-OAEP", "enc": "A128GCM"}


def _padded(token: str) -> str:
    return ".".join(part + "=" * (-len(part) % 4) for part in token.split("."))


def _alg_none(payload: str) -> str:
    header = {"alg": "none", "cty": "CARD", "ver": "3", "partnerId": PARTNER_ID, "certificateId": CERTIFICATE_ID}
    header["utc"] = int(time.time() * 1000)
    return f"{b64(json.dumps(header).encode())}.{b64(payload.encode())}."


def _key_confusion(identity: Identity, payload: str) -> str:
    # HS256 keyed with the partner certificate's public key: the classic confusion attack.
    header = {"alg": "HS256", "cty": "CARD", "ver": "3", "partnerId": PARTNER_ID, "certificateId": CERTIFICATE_ID}
    header["utc"] = int(time.time() * 1000)
    pem = identity.partner_cert.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(payload.encode())}"
    return f"{signing_input}.{b64(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())}"


Case = Callable[[Identity, bytes], tuple[str, int]]
CASES: dict[str, tuple[Case, bool]] = {
    "ver 3": (lambda i, p: (_signed(i, _jwe(i, p)), 3), True),
    "ver 1 without certificateId on a v1 link": (
        lambda i, p: (_signed(i, _jwe(i, p), ver="1", certificateId=None), 1),
        True,
    ),
    "ver 1 on a v3 link": (lambda i, p: (_signed(i, _jwe(i, p), ver="1", certificateId=None), 3), False),
    "ver 3 without certificateId": (lambda i, p: (_signed(i, _jwe(i, p), certificateId=None), 1), False),
    "ver 2": (lambda i, p: (_signed(i, _jwe(i, p), ver="2"), 3), False),
    "ver as a number": (lambda i, p: (_signed(i, _jwe(i, p), ver=3), 3), False),
    "JWE zip DEF": (lambda i, p: (_signed(i, _jwe(i, p, zip="DEF")), 3), False),
    "JWS crit": (lambda i, p: (_signed(i, _jwe(i, p), crit=["exp"], exp=1), 3), False),
    "string utc": (lambda i, p: (_signed(i, _jwe(i, p), utc=str(int(time.time() * 1000))), 3), False),
    "padded segments": (lambda i, p: (_padded(_signed(i, _jwe(i, p))), 3), False),
    "HS256 key confusion": (lambda i, p: (_key_confusion(i, _jwe(i, p)), 3), False),
    "hand-made JWE, as linkkit reads it": (lambda i, p: (_signed(i, _handmade_jwe(i, p, _OAEP_GCM)), 3), True),
    "JWE zip over an uncompressed body": (
        lambda i, p: (_signed(i, _handmade_jwe(i, p, _OAEP_GCM | {"zip": "DEF"})), 3),
        False,
    ),
    "JWE crit": (lambda i, p: (_signed(i, _handmade_jwe(i, p, _OAEP_GCM | {"crit": ["x"], "x": 1})), 3), False),
    "padded JWE inside": (lambda i, p: (_signed(i, _handmade_jwe(i, p, _OAEP_GCM, pad=True)), 3), False),
    "utc as a float": (lambda i, p: (_signed(i, _jwe(i, p), utc=time.time() * 1000), 3), False),
    "alg none": (lambda i, p: (_alg_none(_jwe(i, p)), 3), False),
    "cty AUTH on a link": (lambda i, p: (_signed(i, _jwe(i, p), cty="AUTH"), 3), False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_verifier_inspect_and_sandbox_agree(
    name: str,
    identity: Identity,
    linkkit_sandbox: SandboxHandle,
    loyalty_card: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, expected = CASES[name]
    plaintext = json.dumps(card_for(loyalty_card, "ref-verdict")).encode()
    token, version = make(identity, plaintext)

    verifier = TokenVerifier(
        signer_public_key=identity.partner_cert.public_key(),
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        decryption_key=identity.samsung_key,
        link_version=version,
    )
    try:
        verifier.open_card_data_token(token)
        by_verifier = True
    except TokenError:
        by_verifier = False

    # Written out rather than built: transmit_link itself refuses a padded token.
    link = f"{linkkit_sandbox.url}/atw/v{version}/{CARD_ID}#Clip?cdata={token}"
    (tmp_path / "partner.crt").write_bytes(cert_pem(identity.partner_cert))
    (tmp_path / "samsung.key").write_bytes(key_pem(identity.samsung_key))
    argv = ["inspect", link, "--json", "--partner-cert", str(tmp_path / "partner.crt")]
    code = main([*argv, "--samsung-key", str(tmp_path / "samsung.key")])
    report = json.loads(capsys.readouterr().out)
    by_inspect = code == 0
    assert by_inspect == report["valid"]
    session = linkkit_sandbox.open_link(link)
    by_sandbox = session["step"] == "preview"

    assert (by_verifier, by_inspect, by_sandbox) == (expected, expected, expected), (
        name,
        [c for c in report["checks"] if c["status"] == "fail"],
        session.get("error"),
    )
