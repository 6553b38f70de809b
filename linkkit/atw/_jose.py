"""The JOSE pieces the Wallet tokens are made of, written once for the signer (:mod:`linkkit.atw.tokens`),
the verifier (:mod:`linkkit.atw.verify`) and the signedAtwLink (:mod:`linkkit.atw.signature`).

Compact JWS (RFC 7515 §7.1) with RS256, compact JWE (RFC 7516 §7.1) with ``RSA1_5`` or ``RSA-OAEP`` and
``A128GCM``, the allow-lists of algorithms, and the strict JSON both sides read headers with. Private: the
public names are re-exported by ``linkkit.atw.tokens`` and ``linkkit.atw.verify``, where users found them.

The steps are written out with ``cryptography`` instead of a JOSE library: each token costs one RSA
signature, one RSA encryption of a 16-byte key and one AES-GCM pass, and nothing else (jwcrypto spends
~0.4 ms per token copying header registries). The tests open every token with jwcrypto and PyJWT as an
independent check.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.atw.authorization import compact_token
from linkkit.errors import DecryptionError, MalformedTokenError, UnsupportedAlgorithmError

#: JWS algorithms linkkit signs with and accepts (Samsung's tokens: RS256 only).
ALLOWED_SIGNATURE_ALGS: Final = frozenset({"RS256"})
#: JWE key-management algorithms: Samsung's documented RSA1_5, and RSA-OAEP as an explicit option.
ALLOWED_KEY_ALGS: Final = frozenset({"RSA1_5", "RSA-OAEP"})
#: JWE content encryption: A128GCM only (Samsung's Card Data Token).
ALLOWED_CONTENT_ENCS: Final = frozenset({"A128GCM"})

KeyAlgorithm = Literal["RSA1_5", "RSA-OAEP"]

#: Refuse anything longer before parsing: Authorization is String(1024) and cdata a few KB,
#: so 64 KiB leaves room and stops memory abuse.
MAX_TOKEN_LENGTH = 65536

_JSON_COMPACT: Final = {"separators": (",", ":"), "ensure_ascii": False, "allow_nan": False}
#: Padding and hash objects shared by signing, verifying, wrapping and unwrapping.
RSA_PKCS1V15: Final = padding.PKCS1v15()
SHA256: Final = hashes.SHA256()
#: RFC 7518 §4.3: RSA-OAEP uses SHA-1 and MGF1 with SHA-1.
RSA_OAEP_SHA1: Final = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)  # noqa: S303

#: The JWE protected headers, already base64url-encoded: they never change, so encode them once.
#: Key order follows the header Samsung's Card Data Token page shows, ``{"alg":"RSA1_5","enc":"A128GCM"}``
#: (https://developer.samsung.com/wallet/SecureYourIntegration/CardDataToken.html); order does not affect validity.
_JWE_HEADER_B64: Final = {
    "RSA1_5": b64url_encode(b'{"alg":"RSA1_5","enc":"A128GCM"}'),
    "RSA-OAEP": b64url_encode(b'{"alg":"RSA-OAEP","enc":"A128GCM"}'),
}


# -- JSON -------------------------------------------------------------------------------------------


# One encoder for every call: json.dumps with options builds a new one each time (every card served).
_COMPACT_ENCODER: Final = json.JSONEncoder(**_JSON_COMPACT)  # type: ignore[arg-type]


def dumps_compact(obj: Any) -> bytes:
    """Compact UTF-8 JSON, the serialization Samsung's examples use and the one that keeps links short."""
    return _COMPACT_ENCODER.encode(obj).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        # {"alg":"none","alg":"RS256"} must not read as whichever comes last.
        raise ValueError("duplicate member in a JSON object")
    return obj


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# One decoder for every call: json.loads with hooks builds a new decoder and scanner each time (twice
# per AUTH token). The stdlib shares its own default decoder across threads the same way.
_STRICT_JSON: Final = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def loads_strict(data: bytes) -> Any:
    """JSON from UTF-8 bytes, refusing duplicate members, NaN/Infinity and deep nesting."""
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)  # as json.loads
    return _STRICT_JSON.decode(text)


def _json_object(segment: str, what: str) -> dict[str, Any]:
    try:
        value = loads_strict(b64url_decode(segment))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedTokenError(f"{what} is not base64url UTF-8 JSON without duplicate members") from exc
    if not isinstance(value, dict):
        raise MalformedTokenError(f"{what} must be a JSON object")
    if "crit" in value:
        # RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
        raise MalformedTokenError(f"{what} has a crit header: no critical extension is supported")
    return value


# -- RS256 ------------------------------------------------------------------------------------------


def rs256_sign(data: bytes, private_key: rsa.RSAPrivateKey) -> bytes:
    """RSASSA-PKCS1-v1_5 with SHA-256 over ``data``: the one signature every Wallet token carries."""
    return private_key.sign(data, RSA_PKCS1V15, SHA256)


def rs256_verifies(signature: bytes, data: bytes, public_key: rsa.RSAPublicKey) -> bool:
    """True when ``signature`` is an RS256 signature of ``data`` by ``public_key``'s private key."""
    try:
        public_key.verify(signature, data, RSA_PKCS1V15, SHA256)
    except InvalidSignature:
        return False
    return True


# -- JWS --------------------------------------------------------------------------------------------


def sign_jws(header: Mapping[str, Any], payload: bytes, private_key: rsa.RSAPrivateKey) -> str:
    """Compact JWS (RFC 7515 §7.1) with RS256 over ``header`` and ``payload``."""
    return sign_compact(b64url_encode(dumps_compact(header)), payload, private_key)


def sign_compact(header_b64: str, payload: bytes, private_key: rsa.RSAPrivateKey) -> str:
    """Compact JWS over an already encoded protected header (the signer splices its ``utc`` in)."""
    signing_input = f"{header_b64}.{b64url_encode(payload)}"
    signature = rs256_sign(signing_input.encode("ascii"), private_key)
    return f"{signing_input}.{b64url_encode(signature)}"


@dataclass(frozen=True, slots=True)
class DecodedJWS:
    """A compact JWS split and decoded, not yet verified."""

    header: dict[str, Any]
    payload: bytes = field(repr=False)
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def decode_jws(token: str) -> DecodedJWS:
    """Split a compact JWS and decode its parts, without verifying anything.

    Accepts an ``Authorization`` value too, exactly as :func:`linkkit.atw.authorization.parse_authorization`
    reads it (``Bearer <token>``).
    """
    if not isinstance(token, str):
        raise MalformedTokenError("token must be text")
    if len(token) > MAX_TOKEN_LENGTH + len("Bearer "):
        raise MalformedTokenError(f"token is longer than {MAX_TOKEN_LENGTH} characters")
    token = compact_token(token)
    if len(token) > MAX_TOKEN_LENGTH:
        raise MalformedTokenError(f"token is longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedTokenError(f"a compact JWS has 3 segments (got {len(parts)})")
    header = _json_object(parts[0], "JWS header")
    try:
        payload = b64url_decode(parts[1])
        signature = b64url_decode(parts[2])
    except ValueError as exc:
        raise MalformedTokenError("JWS payload or signature is not base64url") from exc
    return DecodedJWS(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


# -- JWE --------------------------------------------------------------------------------------------


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


def decrypt_jwe(token: str, private_key: rsa.RSAPrivateKey) -> tuple[dict[str, Any], bytes]:
    """Decrypt a compact JWE (``RSA1_5`` or ``RSA-OAEP`` with ``A128GCM``): (header, plaintext)."""
    if not isinstance(token, str):
        # A refusal, like every other shape problem: not an AttributeError from .split.
        raise MalformedTokenError("a compact JWE must be text")
    parts = token.split(".")
    if len(parts) != 5:
        raise MalformedTokenError(f"a compact JWE has 5 segments (got {len(parts)})")
    header = _json_object(parts[0], "JWE header")
    alg, enc = header.get("alg"), header.get("enc")
    if alg not in ALLOWED_KEY_ALGS or enc not in ALLOWED_CONTENT_ENCS:
        raise UnsupportedAlgorithmError(f"JWE alg/enc {alg!r}/{enc!r} is not allowed")
    if "zip" in header:
        # Samsung's card data is never compressed; a zip header (any value) is refused by name rather
        # than read as a deflated body that fails as "not JSON", or an uncompressed one labelled zip.
        raise UnsupportedAlgorithmError(f"JWE zip {header['zip']!r} is not supported: card data is not compressed")
    try:
        wrapped, iv, ciphertext, tag = (b64url_decode(p) for p in parts[1:])
    except ValueError as exc:
        raise MalformedTokenError("JWE segments are not base64url") from exc
    if len(iv) != 12 or len(tag) != 16:
        raise MalformedTokenError("JWE IV must be 96 bits and tag 128 bits for A128GCM")
    try:
        cek = private_key.decrypt(wrapped, RSA_PKCS1V15 if alg == "RSA1_5" else RSA_OAEP_SHA1)
        if len(cek) != 16:
            raise ValueError("wrong CEK length")
        # AAD = ASCII(BASE64URL(protected header)), RFC 7516 §5.2 step 14
        plaintext = AESGCM(cek).decrypt(iv, ciphertext + tag, parts[0].encode("ascii"))
    except (ValueError, InvalidTag) as exc:
        # One message for every cause: a decrypting side must not tell them apart (Bleichenbacher).
        raise DecryptionError("JWE does not decrypt with this key") from exc
    return header, plaintext
