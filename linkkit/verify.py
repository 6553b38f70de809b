"""Open and verify tokens: what Samsung does with a Card Data Token, and what a partner does with
the AUTH tokens Samsung sends (RS256, cty CARD or AUTH). The sandbox and ``linkkit inspect`` use it.

Checks run in a fixed order, and each failure has its own error class (``linkkit.errors``):
shape → algorithm allow-list → ``cty`` → signature → ``ver`` → ``partnerId``/``certificateId`` → age →
decryption (Card Data Token) or method/path binding (AUTH token).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linkkit._b64 import b64url_decode
from linkkit.authorization import compact_token
from linkkit.errors import (
    BadSignatureError,
    ClaimMismatchError,
    ConfigError,
    DecryptionError,
    MalformedTokenError,
    TokenExpiredError,
    TokenFromFutureError,
    UnsupportedAlgorithmError,
    WrongContentTypeError,
)
from linkkit.tokens import (
    ALLOWED_CONTENT_ENCS,
    ALLOWED_KEY_ALGS,
    ALLOWED_SIGNATURE_ALGS,
    AUTH_TOKEN_WINDOW_S,
    CARD_TOKEN_MAX_AGE_S,
    CTY_AUTH,
    CTY_CARD,
    DEFAULT_CLOCK_SKEW_S,
    RSA_OAEP_SHA1,
    RSA_PKCS1V15,
    SHA256,
)

#: Refuse anything longer before parsing: Authorization is String(1024) and cdata a few KB,
#: so 64 KiB leaves room and stops memory abuse.
MAX_TOKEN_LENGTH = 65536

#: utc is Long(13): epoch milliseconds below 10**13 (year 2286).
_MAX_UTC_MS = 10**13


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        # {"alg":"none","alg":"RS256"} must not read as whichever comes last.
        raise ValueError("duplicate member in a JSON object")
    return obj


def loads_strict(data: bytes) -> Any:
    """JSON from UTF-8 bytes, refusing duplicate members, NaN/Infinity and deep nesting."""

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=no_constants)


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


@dataclass(frozen=True, slots=True)
class DecodedJWS:
    """A compact JWS split and decoded, not yet verified."""

    header: dict[str, Any]
    payload: bytes = field(repr=False)
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def decode_jws(token: str) -> DecodedJWS:
    """Split a compact JWS and decode its parts, without verifying anything.

    Accepts an ``Authorization`` value too, exactly as :func:`linkkit.authorization.parse_authorization`
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


#: The ``ver`` values Samsung's pages and samples show: ``"3"`` (current; ``certificateId`` required)
#: and ``"1"`` (the older sample output, without ``certificateId``, with ``/atw/v1/`` links). No
#: public page describes ``"2"``, so it is refused like any other value.
ACCEPTED_TOKEN_VERSIONS: Final = ("3", "1")


def check_token_version(header: dict[str, Any], *, link_version: int | None = None) -> None:
    """The ``ver`` rule, one place for the verifier, the sandbox and ``linkkit inspect``.

    ``ver`` must be ``"3"`` or ``"1"``; a ver 3 token must name its ``certificateId``; a ver 1 token
    belongs on an ``/atw/v1/`` link (``link_version`` 1), or on no link at all (AUTH tokens).

    :raises MalformedTokenError: another ``ver``.
    :raises ClaimMismatchError: a ver 3 token without ``certificateId``, a ver 1 token on a v3 link.
    """
    ver = header.get("ver")
    if ver not in ACCEPTED_TOKEN_VERSIONS or not isinstance(ver, str):
        raise MalformedTokenError(f"JWS header ver must be '3' (or '1' with /atw/v1/ links), not {ver!r}")
    certificate_id = header.get("certificateId")
    if ver == "3" and (not isinstance(certificate_id, str) or not certificate_id):
        raise ClaimMismatchError("a ver '3' token must carry its certificateId header")
    if ver == "1" and link_version == 3:
        raise ClaimMismatchError("a ver '1' token belongs on an /atw/v1/ link, not an /atw/v3/ one")


def utc_ms(header: dict[str, Any]) -> int:
    """The ``utc`` header as an int of epoch milliseconds; a string or float is malformed."""
    utc = header.get("utc")
    if not isinstance(utc, int) or isinstance(utc, bool) or not 0 <= utc < _MAX_UTC_MS:
        raise MalformedTokenError("JWS header utc must be epoch milliseconds (Long(13)) as a JSON number")
    return utc


@dataclass(frozen=True, slots=True)
class OpenedCardToken:
    """A verified and decrypted Card Data Token."""

    header: dict[str, Any]
    encryption_header: dict[str, Any]
    plaintext: bytes = field(repr=False)
    card: dict[str, Any] = field(repr=False)

    @property
    def issued_at_ms(self) -> int:
        return int(self.header["utc"])


@dataclass(frozen=True, slots=True)
class VerifiedAuthToken:
    """A verified AUTH token.

    ``signature`` is the decoded signature: the one spelling-proof identity of the token, which replay
    stores remember (:func:`linkkit.replay.replay_keys`).
    """

    header: dict[str, Any]
    claims: dict[str, Any]
    signature: bytes = field(default=b"", repr=False, compare=False)

    @property
    def method(self) -> str:
        return str(self.claims["API"]["method"])

    @property
    def path(self) -> str:
        return str(self.claims["API"]["path"])

    @property
    def ref_id(self) -> str | None:
        """The ``refId`` claim; the verifier refuses a token whose refId is not a string."""
        value = self.claims.get("refId")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, kw_only=True)
class TokenVerifier:
    """Verifies tokens signed by one party and, for Card Data Tokens, decrypts them.

    :param signer_public_key: the public key of whoever signs (the partner certificate's key for
        Card Data Tokens and partner AUTH tokens; the Samsung certificate's key for the AUTH
        tokens Samsung sends).
    :param partner_id: when given, the ``partnerId`` header must equal it.
    :param certificate_id: when given, the ``certificateId`` header must equal it.
    :param decryption_key: the private key for the JWE (Samsung's; the sandbox has a test one).
    :param card_max_age: seconds a Card Data Token lives after ``utc`` (30, as Samsung documents).
    :param auth_window: seconds an AUTH token's ``utc`` may differ from now, either way (60).
    :param clock_skew: seconds a Card Data Token's ``utc`` may lie in the future, for a signing
        server whose clock runs ahead; the age limit itself is never extended.
    :param link_version: the version of the ``/atw/v{n}/`` link a Card Data Token came in, when
        there is one: a ver ``"1"`` token is refused on a v3 link (:func:`check_token_version`).
    :param clock: returns epoch seconds.
    """

    signer_public_key: rsa.RSAPublicKey = field(repr=False)
    partner_id: str | None = None
    certificate_id: str | None = None
    decryption_key: rsa.RSAPrivateKey | None = field(default=None, repr=False)
    card_max_age: float = CARD_TOKEN_MAX_AGE_S
    auth_window: float = AUTH_TOKEN_WINDOW_S
    clock_skew: float = DEFAULT_CLOCK_SKEW_S
    clock: Callable[[], float] = field(default=time.time, repr=False)
    link_version: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.signer_public_key, rsa.RSAPublicKey):
            raise TypeError("signer_public_key must be an RSA public key object")
        for name in ("card_max_age", "auth_window", "clock_skew"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ConfigError(f"{name} must be a finite number of seconds >= 0 (got {value!r})")

    # -- shared steps -------------------------------------------------------------------------

    def verify_jws(self, token: str, cty: str) -> DecodedJWS:
        """Shape, algorithm, ``cty``, signature and id checks only (no age, no decryption)."""
        jws = decode_jws(token)
        alg = jws.header.get("alg")
        if alg not in ALLOWED_SIGNATURE_ALGS:
            raise UnsupportedAlgorithmError(f"JWS alg {alg!r} is not allowed (allowed: RS256)")
        if jws.header.get("cty") != cty:
            raise WrongContentTypeError(f"JWS cty must be {cty!r} (got {jws.header.get('cty')!r})")
        self.check_signature(jws)
        check_token_version(jws.header, link_version=self.link_version)
        for name, expected in (("partnerId", self.partner_id), ("certificateId", self.certificate_id)):
            if expected is None:
                continue
            got = jws.header.get(name)
            # A ver 1 token has no certificateId (the rule above allows that); one it carries must match.
            if got != expected and not (name == "certificateId" and got is None and jws.header.get("ver") == "1"):
                raise ClaimMismatchError(f"JWS header {name} does not match the expected value")
        return jws

    def check_signature(self, jws: DecodedJWS) -> None:
        """The RS256 signature step alone (the doctor reports it on its own line).

        :raises BadSignatureError: it does not verify with ``signer_public_key``.
        """
        try:
            self.signer_public_key.verify(jws.signature, jws.signing_input, RSA_PKCS1V15, SHA256)
        except InvalidSignature as exc:
            raise BadSignatureError("JWS signature does not verify with the signer's certificate") from exc

    def _check_time(self, issued_ms: int, *, max_age: float, ahead: float) -> None:
        age_s = self.clock() - issued_ms / 1000
        if age_s < -ahead:
            raise TokenFromFutureError(f"token utc is {-age_s:.1f} s in the future (clock skew?)")
        if age_s > max_age:
            raise TokenExpiredError(f"token is {age_s:.1f} s old; the limit is {max_age:g} s")

    # -- Card Data Token ----------------------------------------------------------------------

    def open_card_data_token(self, token: str) -> OpenedCardToken:
        """Verify and decrypt a Card Data Token the way Samsung does.

        :raises TokenError: a subclass naming the first check that failed.
        """
        jws = self.verify_jws(token, CTY_CARD)
        self._check_time(utc_ms(jws.header), max_age=self.card_max_age, ahead=self.clock_skew)
        if self.decryption_key is None:
            raise ConfigError("open_card_data_token needs the verifier's decryption_key")
        try:
            jwe = jws.payload.decode("ascii")
        except UnicodeDecodeError as exc:
            raise MalformedTokenError("JWS payload is not a compact JWE") from exc
        enc_header, plaintext = decrypt_jwe(jwe, self.decryption_key)
        try:
            card = loads_strict(plaintext)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise MalformedTokenError("decrypted card data is not JSON") from exc
        if not isinstance(card, dict):
            raise MalformedTokenError("decrypted card data must be a JSON object")
        return OpenedCardToken(jws.header, enc_header, plaintext, card)

    # -- AUTH token ---------------------------------------------------------------------------

    def verify_auth_token(self, token: str, *, method: str, path: str) -> VerifiedAuthToken:
        """Verify an AUTH token and its binding to the actual request ``method`` and ``path``.

        ``token`` may carry the ``Bearer `` prefix. ``path`` is the request path without query.
        The verifier must name the partner (``partner_id``): a token whose partnerId is not ours is refused.
        """
        if self.partner_id is None:
            # The token's partnerId must be ours, or any partner's token would pass.
            raise ConfigError("verify_auth_token needs the verifier's partner_id")
        if not isinstance(method, str) or not method.isascii() or not method.isalpha():
            raise ConfigError(f"method must be an ASCII HTTP method name (got {method!r})")
        jws = self.verify_jws(token, CTY_AUTH)
        self._check_time(utc_ms(jws.header), max_age=self.auth_window, ahead=self.auth_window)
        try:
            claims = loads_strict(jws.payload)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise MalformedTokenError("AUTH payload is not JSON") from exc
        api = claims.get("API") if isinstance(claims, dict) else None
        if not isinstance(api, dict) or not isinstance(api.get("method"), str) or not isinstance(api.get("path"), str):
            raise MalformedTokenError("AUTH payload needs API.method and API.path")
        if not api["method"].isascii() or api["method"].upper() != method.upper():
            raise ClaimMismatchError(f"AUTH token is bound to {api['method']}, the request is {method.upper()}")
        if api["path"] != path:
            raise ClaimMismatchError("AUTH token is bound to another path than the request's")
        if "refId" in claims and not isinstance(claims["refId"], str):
            # A number or an object would skip the comparison with the path's refId.
            raise MalformedTokenError("AUTH payload refId must be a string")
        return VerifiedAuthToken(jws.header, claims, jws.signature)


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
