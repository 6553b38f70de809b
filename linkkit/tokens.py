"""Build the tokens Samsung Wallet expects: the Card Data Token and the AUTH token
(https://developer.samsung.com/wallet/SecureYourIntegration/CardDataToken.html).

Card Data Token (``cdata``): a compact JWS (RS256, partner key) whose payload is a compact
JWE (``RSA1_5`` + ``A128GCM``, Samsung certificate key) over the compact card JSON::

    JWS header  {"cty":"CARD","ver":"3","partnerId":..,"certificateId":..,"utc":<ms>,"alg":"RS256"}
    JWE header  {"alg":"RSA1_5","enc":"A128GCM"}

AUTH token: the same JWS header with ``cty`` ``AUTH`` and the payload
``{"API":{"method":..,"path":..}}`` (plus ``refId`` when given), sent as
``Authorization: Bearer <token>``.

The JOSE steps are written out with ``cryptography`` instead of a JOSE library: each token costs
one RSA signature, one RSA encryption of a 16-byte key and one AES-GCM pass, and nothing else
(jwcrypto spends ~0.4 ms per token copying header registries).
The tests open every token with jwcrypto and PyJWT as an independent check.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linkkit._b64 import b64url_encode

#: JWS algorithms linkkit signs with and accepts (Samsung's tokens: RS256 only).
ALLOWED_SIGNATURE_ALGS: Final = frozenset({"RS256"})
#: JWE key-management algorithms: Samsung's documented RSA1_5, and RSA-OAEP as an explicit option.
ALLOWED_KEY_ALGS: Final = frozenset({"RSA1_5", "RSA-OAEP"})
#: JWE content encryption: A128GCM only (Samsung's Card Data Token).
ALLOWED_CONTENT_ENCS: Final = frozenset({"A128GCM"})

#: ``cty`` of a Card Data Token and of an AUTH token.
CTY_CARD: Final = "CARD"
CTY_AUTH: Final = "AUTH"
#: ``ver`` written in the JWS header; pairs with ``/atw/v3/`` links (research §1.6).
TOKEN_VERSION: Final = "3"  # noqa: S105 - a version, not a password
#: A Card Data Token must be used within 30 s of its ``utc`` (Samsung's Card Data Token page).
CARD_TOKEN_MAX_AGE_S: Final = 30.0
#: Tolerance for clocks that disagree, both directions (ours; configurable on the verifier).
DEFAULT_CLOCK_SKEW_S: Final = 5.0
#: AUTH tokens are accepted within ±60 s of ``utc`` (our decision; configurable).
AUTH_TOKEN_WINDOW_S: Final = 60.0

KeyAlgorithm = Literal["RSA1_5", "RSA-OAEP"]
Clock = Callable[[], float]

_JSON_COMPACT: Final = {"separators": (",", ":"), "ensure_ascii": False, "allow_nan": False}
#: Padding and hash objects shared by signing, verifying, wrapping and unwrapping.
RSA_PKCS1V15: Final = padding.PKCS1v15()
SHA256: Final = hashes.SHA256()
#: RFC 7518 §4.3: RSA-OAEP uses SHA-1 and MGF1 with SHA-1.
RSA_OAEP_SHA1: Final = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)  # noqa: S303

#: The JWE protected headers, already base64url-encoded: they never change, so encode them once.
#: Key order follows Samsung's sample output (research §1.2); order does not affect validity.
_JWE_HEADER_B64: Final = {
    "RSA1_5": b64url_encode(b'{"alg":"RSA1_5","enc":"A128GCM"}'),
    "RSA-OAEP": b64url_encode(b'{"alg":"RSA-OAEP","enc":"A128GCM"}'),
}


# One encoder for every call: json.dumps with options builds a new one each time (every card served).
_COMPACT_ENCODER: Final = json.JSONEncoder(**_JSON_COMPACT)  # type: ignore[arg-type]


def dumps_compact(obj: Any) -> bytes:
    """Compact UTF-8 JSON, the serialization Samsung's examples use and the one that keeps links short."""
    return _COMPACT_ENCODER.encode(obj).encode("utf-8")


def encrypt_jwe(plaintext: bytes, public_key: rsa.RSAPublicKey, key_alg: KeyAlgorithm = "RSA1_5") -> str:
    """Compact JWE (RFC 7516 §7.1) of ``plaintext`` with a fresh 128-bit CEK and 96-bit IV.

    AAD is the ASCII of the base64url protected header (RFC 7516 §5.1 step 14).
    """
    header_b64 = _JWE_HEADER_B64[key_alg]
    cek = os.urandom(16)
    iv = os.urandom(12)
    wrapped = public_key.encrypt(cek, RSA_PKCS1V15 if key_alg == "RSA1_5" else RSA_OAEP_SHA1)
    sealed = AESGCM(cek).encrypt(iv, plaintext, header_b64.encode("ascii"))
    tag = sealed[-16:]
    parts = (header_b64, b64url_encode(wrapped), b64url_encode(iv), b64url_encode(sealed[:-16]), b64url_encode(tag))
    return ".".join(parts)


def sign_jws(header: Mapping[str, Any], payload: bytes, private_key: rsa.RSAPrivateKey) -> str:
    """Compact JWS (RFC 7515 §7.1) with RS256 over ``header`` and ``payload``."""
    return _sign_compact(b64url_encode(dumps_compact(header)), payload, private_key)


def _sign_compact(header_b64: str, payload: bytes, private_key: rsa.RSAPrivateKey) -> str:
    signing_input = f"{header_b64}.{b64url_encode(payload)}"
    signature = private_key.sign(signing_input.encode("ascii"), RSA_PKCS1V15, SHA256)
    return f"{signing_input}.{b64url_encode(signature)}"


@dataclass(frozen=True, kw_only=True)
class TokenSigner:
    """Signs tokens for one partner identity; load the keys once and keep this object.

    The same class serves Samsung's side in the sandbox (its key signs the AUTH tokens it sends
    to partners), which is why the encryption key is optional.

    :param partner_id: the partner code from the Partner Portal (``partnerId`` header).
    :param certificate_id: the id of the registered partner certificate (``certificateId``).
    :param private_key: the signing key, from :func:`linkkit.keys.load_private_key`.
    :param samsung_public_key: the Samsung certificate's key; needed for Card Data Tokens.
    :param key_alg: ``"RSA1_5"`` (Samsung's documented choice) or ``"RSA-OAEP"``.
    :param clock: returns epoch seconds; inject one in tests.
    """

    partner_id: str
    certificate_id: str
    private_key: rsa.RSAPrivateKey = field(repr=False)
    samsung_public_key: rsa.RSAPublicKey | None = field(default=None, repr=False)
    key_alg: KeyAlgorithm = "RSA1_5"
    clock: Clock = field(default=time.time, repr=False)
    _header_prefixes: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("partner_id", "certificate_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or not value.isascii() or not value.isprintable():
                raise ValueError(f"{name} must be a non-empty ASCII string")
        if self.key_alg not in ALLOWED_KEY_ALGS:
            raise ValueError(f"key_alg must be one of {sorted(ALLOWED_KEY_ALGS)} (got {self.key_alg!r})")
        if not isinstance(self.private_key, rsa.RSAPrivateKey):
            raise TypeError("private_key must be an RSA private key object (see linkkit.keys.load_private_key)")
        if self.samsung_public_key is not None and not isinstance(self.samsung_public_key, rsa.RSAPublicKey):
            raise TypeError("samsung_public_key must be an RSA public key (see linkkit.keys.public_key_of)")
        prefixes = {}
        for cty in (CTY_CARD, CTY_AUTH):
            ids = {"cty": cty, "ver": TOKEN_VERSION, "partnerId": self.partner_id, "certificateId": self.certificate_id}
            prefixes[cty] = dumps_compact(ids).decode()[:-1] + ',"utc":'
        object.__setattr__(self, "_header_prefixes", prefixes)

    def _header_b64(self, cty: str) -> str:
        # Headers differ between tokens only in utc: the ids were JSON-encoded once in
        # __post_init__, the number is spliced in. Same bytes as dumps_compact(self.jws_header(cty)).
        prefix = self._header_prefixes[cty]
        return b64url_encode(f'{prefix}{int(self.clock() * 1000)},"alg":"RS256"}}'.encode())

    def jws_header(self, cty: str) -> dict[str, Any]:
        """The JWS protected header with ``utc`` from the clock, in Samsung's sample key order."""
        return {
            "cty": cty,
            "ver": TOKEN_VERSION,
            "partnerId": self.partner_id,
            "certificateId": self.certificate_id,
            # epoch milliseconds as a JSON number, not a string (research §1.3)
            "utc": int(self.clock() * 1000),
            "alg": "RS256",
        }

    def card_data_token(self, card: Mapping[str, Any] | bytes) -> str:
        """A fresh Card Data Token for ``card`` (a ``{"card": ...}`` mapping, or its JSON bytes).

        Mint it when the user clicks: it is valid for 30 seconds.
        """
        if self.samsung_public_key is None:
            raise ValueError("card_data_token needs samsung_public_key (the Samsung certificate's key)")
        plaintext = card if isinstance(card, bytes) else dumps_compact(card)
        jwe = encrypt_jwe(plaintext, self.samsung_public_key, self.key_alg)
        return _sign_compact(self._header_b64(CTY_CARD), jwe.encode("ascii"), self.private_key)

    def auth_token(self, method: str, path: str, *, ref_id: str | None = None) -> str:
        """An AUTH token bound to ``method`` and ``path`` (path only: no scheme, host or query)."""
        if not method or not method.isascii() or not method.isalpha():
            raise ValueError(f"method must be an HTTP method name (got {method!r})")
        if not path.startswith("/") or "?" in path or "#" in path:
            raise ValueError("path must be the request path only, starting with '/' (no query or fragment)")
        claims: dict[str, Any] = {"API": {"method": method.upper(), "path": path}}
        if ref_id is not None:
            claims["refId"] = ref_id
        return _sign_compact(self._header_b64(CTY_AUTH), dumps_compact(claims), self.private_key)

    def authorization_header(self, method: str, path: str, *, ref_id: str | None = None) -> str:
        """``Bearer <AUTH token>`` for the ``Authorization`` header."""
        return "Bearer " + self.auth_token(method, path, ref_id=ref_id)
