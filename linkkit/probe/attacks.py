"""The probe's named attacks, in one place: tokens, bodies and paths a partner server must refuse.

Valid AUTH tokens come from linkkit's own signer (:class:`~linkkit.atw.tokens.TokenSigner` with Samsung's
key). Everything here is crafted by hand on purpose, so that each attack is exactly one deviation
from a valid call and a refusal can only be for that reason:

* a signature with one bit flipped (still canonical base64url, so only the signature check catches it);
* a token signed RS256 by a key that is not Samsung's;
* ``alg: none`` with an empty signature;
* HS256 with Samsung's *public* key (its PEM text) as the HMAC secret: the key-confusion attack on
  verifiers that take the algorithm from the token;
* ``utc`` far in the past or future (:data:`CLOCK_SHIFT_S`);
* bodies that are not JSON objects, too deep, not UTF-8, or far larger than any Samsung sends;
* ids that try to leave ``/cards/{cardId}/`` (``..``, ``%2F``, ``%00``, backslashes).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.atw.signature import sign_atw_link
from linkkit.atw.tokens import CTY_AUTH, TokenSigner, dumps_compact

#: How far the ``utc`` of the stale and future tokens is from now: five times the ±60 s window
#: linkkit applies (docs/partner.md), and far beyond any honest clock difference.
CLOCK_SHIFT_S: Final = 300.0
#: The oversize body: 1 MiB, where Samsung's Send Card State body is a callback URL (well under 1 KB).
OVERSIZE_BYTES: Final = 1024 * 1024

#: Bodies that are not what the Send Card State endpoint takes: (label, bytes). Each is small, so
#: only the parser (never a size limit) can refuse it.
MALFORMED_BODIES: Final[tuple[tuple[str, bytes], ...]] = (
    ("truncated JSON", b'{"callback":"https://us-tsapi.walletsvc.samsung.com"'),
    ("a JSON array", b'["https://us-tsapi.walletsvc.samsung.com"]'),
    ("JSON nested 5,000 deep", b"[" * 5000 + b"]" * 5000),
    ("bytes that are not UTF-8", b'{"callback":"\xff\xfe\xfd"}'),
)

#: Ids that try to leave ``/cards/{cardId}/{refId}``: (label, cardId segment, refId segment); ``{card}``
#: and ``{ref}`` stand for the real ids. Written as sent: the percent signs reach the server.
TRAVERSAL_IDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("encoded ../ in the refId", "{card}", "..%2F..%2F..%2Fetc%2Fpasswd"),
    ("dot-dot refId", "{card}", "%2e%2e"),
    ("encoded ../ in the cardId", "..%2F{card}", "{ref}"),
    ("NUL after the refId", "{card}", "{ref}%00.json"),
    ("encoded backslashes in the refId", "{card}", "..%5C..%5Cwindows%5Cwin.ini"),
)


def _auth_parts(signer: TokenSigner, method: str, path: str, alg: str) -> tuple[str, str]:
    """The base64url header and payload of an AUTH token for ``method`` and ``path``, with ``alg``."""
    header = {**signer.jws_header(CTY_AUTH), "alg": alg}
    claims = {"API": {"method": method.upper(), "path": path}}
    return b64url_encode(dumps_compact(header)), b64url_encode(dumps_compact(claims))


def unsigned_token(signer: TokenSigner, method: str, path: str) -> str:
    """``alg: none``: the right header and claims, no signature at all."""
    header, payload = _auth_parts(signer, method, path, "none")
    return f"{header}.{payload}."


def hs256_confused_token(signer: TokenSigner, method: str, path: str, samsung_public_key: rsa.RSAPublicKey) -> str:
    """HS256 keyed with the PEM of Samsung's public key: what a verifier that trusts ``alg`` accepts."""
    header, payload = _auth_parts(signer, method, path, "HS256")
    secret = samsung_public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mac = hmac.new(secret, f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url_encode(mac)}"


def tampered_signature(token: str) -> str:
    """``token`` with one bit of its signature flipped, re-encoded canonically."""
    head, _, signature = token.rpartition(".")
    raw = bytearray(b64url_decode(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{head}.{b64url_encode(bytes(raw))}"


@functools.cache
def _foreign_key() -> rsa.RSAPrivateKey:
    # One stranger's key per process: a 2048-bit key costs ~0.1 s to make.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def foreign_signer(signer: TokenSigner) -> TokenSigner:
    """``signer`` with a key that is not Samsung's (same ids, same clock)."""
    return dataclasses.replace(signer, private_key=_foreign_key())


def shifted_signer(signer: TokenSigner, seconds: float) -> TokenSigner:
    """``signer`` whose ``utc`` is ``seconds`` away from its clock (negative: in the past)."""
    clock = signer.clock
    return dataclasses.replace(signer, clock=lambda: clock() + seconds)


def forged_signed_link(atw_link: str) -> str:
    """A signedAtwLink for ``atw_link`` in the right format, signed by a key that is not Samsung's."""
    return sign_atw_link(atw_link, _foreign_key())


def size_text(size: int) -> str:
    """``1 MiB``, ``64 KiB``, ``12 bytes``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size // 1024} KiB" if size >= 1024 else f"{size} bytes"


def oversize_body(callback: str | None) -> bytes:
    """A JSON object of :data:`OVERSIZE_BYTES` bytes: a callback and padding."""
    head = dumps_compact({"callback": callback or "https://us-tsapi.walletsvc.samsung.com"})[:-1] + b',"pad":"'
    tail = b'"}'
    return head + b"x" * (OVERSIZE_BYTES - len(head) - len(tail)) + tail


def traversal_paths(card_id: str, ref_id: str) -> tuple[tuple[str, str, str], ...]:
    """:data:`TRAVERSAL_IDS` with the real ids filled in: (label, cardId segment, refId segment)."""
    return tuple(
        (label, card.replace("{card}", card_id), ref.replace("{ref}", ref_id)) for label, card, ref in TRAVERSAL_IDS
    )
