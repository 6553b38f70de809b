"""Open and verify tokens: what Samsung does with a Card Data Token, and what a partner does with
the AUTH tokens Samsung sends (RS256, cty CARD or AUTH). The sandbox and ``linkkit inspect`` use it.

Checks run in a fixed order, and each failure has its own error class (``linkkit.errors``):
shape → algorithm allow-list → ``cty`` → signature → ``ver`` → ``partnerId``/``certificateId`` → age →
decryption (Card Data Token) or method/path binding (AUTH token). They are one pipeline,
:meth:`TokenVerifier.checks`, yielding a named :class:`Check` each: ``verify_*`` raise the first
failure, and the doctor behind ``linkkit inspect`` shows them all, so no rule exists twice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw._jose import ALLOWED_SIGNATURE_ALGS, rs256_verifies
from linkkit.atw._jose import MAX_TOKEN_LENGTH as MAX_TOKEN_LENGTH
from linkkit.atw._jose import DecodedJWS as DecodedJWS
from linkkit.atw._jose import decode_jws as decode_jws
from linkkit.atw._jose import decrypt_jwe as decrypt_jwe
from linkkit.atw._jose import loads_strict as loads_strict
from linkkit.atw.tokens import (
    AUTH_TOKEN_WINDOW_S,
    CARD_TOKEN_MAX_AGE_S,
    CTY_AUTH,
    CTY_CARD,
    DEFAULT_CLOCK_SKEW_S,
    TOKEN_VERSION,
)
from linkkit.errors import (
    BadSignatureError,
    ClaimMismatchError,
    ConfigError,
    LinkKitError,
    MalformedTokenError,
    TokenError,
    TokenExpiredError,
    TokenFromFutureError,
    UnsupportedAlgorithmError,
    WrongContentTypeError,
)

#: utc is Long(13): epoch milliseconds below 10**13 (year 2286).
_MAX_UTC_MS = 10**13


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
    stores remember (:func:`linkkit.atw.replay.replay_keys`).
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


#: A check's outcome: ``warn`` passes with advice, ``skip`` could not run (a key was not given).
Status = Literal["ok", "fail", "warn", "skip"]


@dataclass(frozen=True, slots=True)
class Check:
    """One named step of the token pipeline (:meth:`TokenVerifier.checks`).

    ``error`` is what ``verify_*`` raise for a ``fail`` (or a ``skip`` they cannot do without); the
    doctor shows ``detail`` instead, which for a failure is the error's own message.
    """

    name: str
    status: Status
    detail: str
    error: LinkKitError | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.status in ("ok", "warn")


def _ok(name: str, detail: str, *args: object) -> Check:
    """A passing check; ``detail`` is a ``str.format`` template of ``args``."""
    return Check(name, "ok", detail.format(*args) if args else detail)


_CHECK_NAMES: Final = ("shape", "alg", "cty", "signature", "ver", "typ", "partnerId", "certificateId", "utc", "age")
_PASSED: Final = {name: Check(name, "ok", "") for name in (*_CHECK_NAMES, "decrypt", "API")}


def _passed(name: str, detail: str, *args: object) -> Check:
    """A passing check without its detail: what ``verify_*`` see (they read failures only), so no
    text is formatted and nothing is allocated for the ten checks that pass on every request."""
    return _PASSED[name]


#: How a run reports a check that passed: with its detail (:meth:`TokenVerifier.checks`) or without.
_Ok = Callable[..., Check]


def _fail(name: str, error: LinkKitError) -> Check:
    return Check(name, "fail", str(error), error)


@dataclass(slots=True)
class TokenRun:
    """What the pipeline found on its way, for whoever drives it (the verifier returns it, the doctor shows it)."""

    jws: DecodedJWS | None = None
    cty: str | None = None
    encryption_header: dict[str, Any] | None = None
    plaintext: bytes = field(default=b"", repr=False)
    card: Any = field(default=None, repr=False)
    claims: dict[str, Any] | None = field(default=None, repr=False)


@dataclass(frozen=True, kw_only=True)
class TokenVerifier:
    """Verifies tokens signed by one party and, for Card Data Tokens, decrypts them.

    Every rule is one named step of :meth:`checks`; ``verify_*`` raise the first failure, ``linkkit
    inspect`` shows them all.

    :param signer_public_key: the public key of whoever signs (the partner certificate's key for
        Card Data Tokens and partner AUTH tokens; the Samsung certificate's key for the AUTH
        tokens Samsung sends). ``None`` only to diagnose a token without its certificate: the
        signature check is then skipped, and the ``verify_*`` methods refuse (``ConfigError``).
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

    signer_public_key: rsa.RSAPublicKey | None = field(repr=False)
    partner_id: str | None = None
    certificate_id: str | None = None
    decryption_key: rsa.RSAPrivateKey | None = field(default=None, repr=False)
    card_max_age: float = CARD_TOKEN_MAX_AGE_S
    auth_window: float = AUTH_TOKEN_WINDOW_S
    clock_skew: float = DEFAULT_CLOCK_SKEW_S
    clock: Callable[[], float] = field(default=time.time, repr=False)
    link_version: int | None = None

    def __post_init__(self) -> None:
        if self.signer_public_key is not None and not isinstance(self.signer_public_key, rsa.RSAPublicKey):
            raise TypeError("signer_public_key must be an RSA public key object")
        for name in ("card_max_age", "auth_window", "clock_skew"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ConfigError(f"{name} must be a finite number of seconds >= 0 (got {value!r})")

    # -- the pipeline ---------------------------------------------------------------------------

    def checks(
        self,
        token: str,
        *,
        cty: str | None = None,
        method: str | None = None,
        path: str | None = None,
        run: TokenRun | None = None,
    ) -> Iterator[Check]:
        """Every check on ``token``, in order: the one place the token rules live.

        ``shape``, ``alg``, ``cty``, ``signature``, ``ver``, ``typ`` (advice only), ``partnerId``,
        ``certificateId``, ``utc``, ``age``, then ``decrypt`` (Card Data Token) or ``API`` (AUTH
        token: its method/path binding, compared when ``method`` and ``path`` are given).

        ``cty`` is the kind expected (``None``: whichever of ``CARD``/``AUTH`` the header says).
        A failure that leaves nothing to check after it (a token that does not decode, an unknown
        ``cty``) ends the run; other failures let the later checks run, so that a diagnosis shows
        them all. ``run``, when given, collects what the checks decoded.
        """
        return self._checks(token, cty, method, path, run if run is not None else TokenRun(), _ok)

    def _checks(
        self, token: str, cty: str | None, method: str | None, path: str | None, run: TokenRun, ok: _Ok
    ) -> Iterator[Check]:
        try:
            jws = decode_jws(token)
        except TokenError as exc:
            yield _fail("shape", exc)
            return
        run.jws, header = jws, jws.header
        yield ok("shape", "compact JWS")

        alg = header.get("alg")
        if alg not in ALLOWED_SIGNATURE_ALGS:
            yield _fail("alg", UnsupportedAlgorithmError(f"JWS alg {alg!r} is not allowed (allowed: RS256)"))
        else:
            yield ok("alg", "alg {!r}", alg)

        got = header.get("cty")
        expected = cty if cty is not None else (got if got in (CTY_CARD, CTY_AUTH) else None)
        if expected is None or got != expected:
            allowed = repr(expected) if expected is not None else f"{CTY_CARD!r} or {CTY_AUTH!r}"
            yield _fail("cty", WrongContentTypeError(f"JWS cty must be {allowed} (got {got!r})"))
            return
        run.cty = expected
        yield ok("cty", "cty {!r}", got)

        yield self._signature(jws, ok)
        yield self._version(header, ok)
        if "typ" in header:
            yield Check("typ", "warn", "Samsung's tokens carry no typ header")
        yield from self._ids(header, ok)
        yield from self._age(header, ok, card=expected == CTY_CARD)
        if expected == CTY_CARD:
            yield self._decrypt(jws, run, ok)
        else:
            yield self._binding(jws, run, method, path, ok)

    def _signature(self, jws: DecodedJWS, ok: _Ok = _ok) -> Check:
        if self.signer_public_key is None:
            return Check(
                "signature",
                "skip",
                "not verified: no signer certificate given",
                ConfigError("verifying a token needs the verifier's signer_public_key"),
            )
        if not rs256_verifies(jws.signature, jws.signing_input, self.signer_public_key):
            return _fail("signature", BadSignatureError("JWS signature does not verify with the signer's certificate"))
        return ok("signature", "RS256 signature verifies with the signer's certificate")

    def _version(self, header: dict[str, Any], ok: _Ok) -> Check:
        try:
            check_token_version(header, link_version=self.link_version)
        except TokenError as exc:
            return _fail("ver", exc)
        ver = header["ver"]
        if ver == TOKEN_VERSION:
            return ok("ver", "ver {!r} (current: {!r})", ver, TOKEN_VERSION)
        return Check("ver", "warn", f"ver {ver!r} (current: {TOKEN_VERSION!r})")

    def _ids(self, header: dict[str, Any], ok: _Ok) -> Iterator[Check]:
        for name, expected in (("partnerId", self.partner_id), ("certificateId", self.certificate_id)):
            got = header.get(name)
            if name == "certificateId" and got is None and header.get("ver") == "1":
                # A ver 1 token has no certificateId (check_token_version allows that); one it carries must match.
                yield ok(name, "none: a ver '1' token predates certificateId")
            elif not isinstance(got, str) or not got:
                yield _fail(name, MalformedTokenError(f"JWS header {name} is missing"))
            elif expected is not None and got != expected:
                yield _fail(name, ClaimMismatchError(f"JWS header {name} does not match the expected value"))
            else:
                yield ok(name, "{} {!r}", name, got)

    def _age(self, header: dict[str, Any], ok: _Ok, *, card: bool) -> Iterator[Check]:
        try:
            issued_ms = utc_ms(header)
        except TokenError as exc:
            yield _fail("utc", exc)
            return
        yield ok("utc", "utc {}", issued_ms)
        max_age = self.card_max_age if card else self.auth_window
        ahead = self.clock_skew if card else self.auth_window
        age_s = self.clock() - issued_ms / 1000
        if age_s < -ahead:
            yield _fail("age", TokenFromFutureError(f"token utc is {-age_s:.1f} s in the future (clock skew?)"))
        elif age_s > max_age:
            yield _fail("age", TokenExpiredError(f"token is {age_s:.1f} s old; the limit is {max_age:g} s"))
        else:
            yield ok("age", "made {:.1f} s ago (limit {:g} s)", max(age_s, 0), max_age)

    def _decrypt(self, jws: DecodedJWS, run: TokenRun, ok: _Ok) -> Check:
        if self.decryption_key is None:
            return Check(
                "decrypt",
                "skip",
                "not decrypted: no decryption key given",
                ConfigError("open_card_data_token needs the verifier's decryption_key"),
            )
        try:
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
        except TokenError as exc:
            return _fail("decrypt", exc)
        run.encryption_header, run.plaintext, run.card = enc_header, plaintext, card
        return ok(
            "decrypt", "JWE {}/{}, {} bytes of card JSON", enc_header.get("alg"), enc_header.get("enc"), len(plaintext)
        )

    def _binding(self, jws: DecodedJWS, run: TokenRun, method: str | None, path: str | None, ok: _Ok) -> Check:
        try:
            claims = loads_strict(jws.payload)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _fail("API", MalformedTokenError("AUTH payload is not JSON"))
        api = claims.get("API") if isinstance(claims, dict) else None
        if not isinstance(api, dict) or not isinstance(api.get("method"), str) or not isinstance(api.get("path"), str):
            return _fail("API", MalformedTokenError("AUTH payload needs API.method and API.path"))
        if method is not None and (not api["method"].isascii() or api["method"].upper() != method.upper()):
            return _fail(
                "API", ClaimMismatchError(f"AUTH token is bound to {api['method']}, the request is {method.upper()}")
            )
        if path is not None and api["path"] != path:
            return _fail("API", ClaimMismatchError("AUTH token is bound to another path than the request's"))
        if "refId" in claims and not isinstance(claims["refId"], str):
            # A number or an object would skip the comparison with the path's refId.
            return _fail("API", MalformedTokenError("AUTH payload refId must be a string"))
        run.claims = claims
        return ok("API", "bound to {} {}", api["method"], api["path"])

    def _first_failure(self, checks: Iterator[Check]) -> None:
        """Run ``checks`` up to the first one that did not pass, and raise its error."""
        for check in checks:
            if not check.passed and check.error is not None:
                raise check.error

    # -- what callers use -----------------------------------------------------------------------

    def verify_jws(self, token: str, cty: str) -> DecodedJWS:
        """Shape, algorithm, ``cty``, signature and id checks only (no age, no decryption)."""
        run = TokenRun()
        for check in self._checks(token, cty, None, None, run, _passed):
            if check.name == "utc":
                break
            if not check.passed and check.error is not None:
                raise check.error
        assert run.jws is not None
        return run.jws

    def check_signature(self, jws: DecodedJWS) -> None:
        """The RS256 signature step alone.

        :raises BadSignatureError: it does not verify with ``signer_public_key``.
        """
        check = self._signature(jws)
        if check.error is not None:
            raise check.error

    def open_card_data_token(self, token: str) -> OpenedCardToken:
        """Verify and decrypt a Card Data Token the way Samsung does.

        :raises TokenError: a subclass naming the first check that failed.
        """
        run = TokenRun()
        self._first_failure(self._checks(token, CTY_CARD, None, None, run, _passed))
        assert run.jws is not None and run.encryption_header is not None
        return OpenedCardToken(run.jws.header, run.encryption_header, run.plaintext, run.card)

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
        if not isinstance(path, str):
            raise ConfigError("path must be the request path as text")
        run = TokenRun()
        self._first_failure(self._checks(token, CTY_AUTH, method, path, run, _passed))
        assert run.jws is not None and run.claims is not None
        return VerifiedAuthToken(run.jws.header, run.claims, run.jws.signature)
