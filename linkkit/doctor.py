"""The token doctor behind ``linkkit inspect``: decode a link or token and say what is wrong with it.

Each check yields ``ok``, ``fail``, ``warn`` or ``skip`` with a one-line detail. A diagnosis is valid
only when no check failed and the signature was verified: a token we could not verify is not
called valid.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.cards import check_card
from linkkit.errors import LinkError, LinkKitError, TokenError
from linkkit.keys import public_key_of
from linkkit.links import ATW_BASE_URL, CDATA_DOCUMENTED_LIMIT, MIN_UNGUESSABLE_REF_ID, AtwLink, parse_link
from linkkit.tokens import (
    ALLOWED_SIGNATURE_ALGS,
    AUTH_TOKEN_WINDOW_S,
    CARD_TOKEN_MAX_AGE_S,
    CTY_AUTH,
    CTY_CARD,
    DEFAULT_CLOCK_SKEW_S,
    TOKEN_VERSION,
)
from linkkit.verify import TokenVerifier, check_token_version, decode_jws, decrypt_jwe, loads_strict, utc_ms

Status = Literal["ok", "fail", "warn", "skip"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str


@dataclass(slots=True)
class Diagnosis:
    """The result of :func:`diagnose`."""

    kind: str
    checks: list[Check] = field(default_factory=list)
    header: dict[str, Any] | None = None
    link: dict[str, Any] | None = None
    card_summary: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        statuses = {c.name: c.status for c in self.checks}
        if any(c.status == "fail" for c in self.checks):
            return False
        # A token is only valid once its signature is verified; a Fetch/Action link has none.
        return self.kind in ("fetch", "action") or statuses.get("signature") == "ok"

    def add(self, name: str, status: Status, detail: str) -> None:
        self.checks.append(Check(name, status, detail))

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "kind": self.kind,
            "checks": [{"name": c.name, "status": c.status, "detail": c.detail} for c in self.checks],
            "header": self.header,
            "link": self.link,
            "card": self.card_summary,
        }


def diagnose(
    value: str,
    *,
    partner_certificate: x509.Certificate | None = None,
    samsung_private_key: rsa.RSAPrivateKey | None = None,
    expected_partner_id: str | None = None,
    expected_certificate_id: str | None = None,
    max_age: float = CARD_TOKEN_MAX_AGE_S,
    clock_skew: float = DEFAULT_CLOCK_SKEW_S,
    clock: Callable[[], float] = time.time,
) -> Diagnosis:
    """Diagnose an Add to Wallet link or a bare token (Card Data Token or AUTH token)."""
    value = value.strip()
    token = value
    diag = Diagnosis(kind="token")
    if value.startswith(("http://", "https://")):
        try:
            parsed = parse_link(value)
        except LinkError as exc:
            diag.kind = "link"
            diag.add("link", "fail", str(exc))
            return diag
        diag.kind = parsed.kind
        diag.link = _link_dict(parsed)
        diag.add("link", "ok", f"{parsed.kind} link, card {parsed.card_id}")
        if parsed.base != ATW_BASE_URL:
            diag.add("base", "warn", f"base {parsed.base} is not Samsung's {ATW_BASE_URL} (a sandbox?)")
        if parsed.kind == "transmit":
            token = parsed.cdata
            if len(token) > CDATA_DOCUMENTED_LIMIT:
                diag.add(
                    "cdata length",
                    "warn",
                    f"{len(token)} characters, over the documented String({CDATA_DOCUMENTED_LIMIT})",
                )
        else:
            if (
                parsed.kind == "fetch"
                and parsed.version == 3
                and expected_certificate_id is not None
                and parsed.certificate_id != expected_certificate_id
            ):
                diag.add("certificateId", "fail", "the link's certificateId is not the expected one")
            if parsed.kind == "fetch":
                n = len(parsed.ref_id)
                if n < MIN_UNGUESSABLE_REF_ID:
                    diag.add(
                        "refId",
                        "warn",
                        f"only {n} characters: a refId needs at least 128 random bits "
                        f"({MIN_UNGUESSABLE_REF_ID} base64url characters) to be unguessable",
                    )
                else:
                    diag.add(
                        "refId",
                        "ok",
                        f"{n} URL-safe characters; Samsung will call "
                        f"GET /cards/{parsed.card_id}/{{refId}} on your server",
                    )
            return diag
    _diagnose_token(
        diag,
        token,
        partner_certificate,
        samsung_private_key,
        expected_partner_id,
        expected_certificate_id,
        max_age,
        clock_skew,
        clock,
    )
    return diag


def _link_dict(link: AtwLink) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": link.kind, "base": link.base, "card_id": link.card_id}
    if link.kind == "transmit":
        out["version"] = link.version
        out["cdata_length"] = len(link.cdata)
    elif link.kind == "fetch":
        out.update(version=link.version, certificate_id=link.certificate_id, ref_id_length=len(link.ref_id))
    else:
        out.update(certificate_id=link.certificate_id, action=link.action)
    return out


def _diagnose_token(
    diag: Diagnosis,
    token: str,
    partner_certificate: x509.Certificate | None,
    samsung_private_key: rsa.RSAPrivateKey | None,
    expected_partner_id: str | None,
    expected_certificate_id: str | None,
    max_age: float,
    clock_skew: float,
    clock: Callable[[], float],
) -> None:
    try:
        jws = decode_jws(token)
    except TokenError as exc:
        diag.add("format", "fail", str(exc))
        return
    header = jws.header
    diag.header = header
    diag.add("format", "ok", "compact JWS")
    alg, cty = header.get("alg"), header.get("cty")
    diag.add("alg", "ok" if alg in ALLOWED_SIGNATURE_ALGS else "fail", f"alg {alg!r} (allowed: RS256)")
    if cty not in (CTY_CARD, CTY_AUTH):
        diag.add("cty", "fail", f"cty {cty!r}: expected 'CARD' (Card Data Token) or 'AUTH'")
        return
    if diag.kind == "token":
        diag.kind = "card_data_token" if cty == CTY_CARD else "auth_token"
    elif cty != CTY_CARD:
        diag.add("cty", "fail", f"a link carries a Card Data Token (cty 'CARD'), not {cty!r}")
        return
    diag.add("cty", "ok", f"cty {cty!r}")
    ver = header.get("ver")
    link_version = diag.link.get("version") if diag.link else None
    try:
        # The verifier's and the sandbox's own rule, so all three give one verdict.
        check_token_version(header, link_version=link_version)
    except TokenError as exc:
        diag.add("ver", "fail", str(exc))
    else:
        diag.add("ver", "ok" if ver == TOKEN_VERSION else "warn", f"ver {ver!r} (current: {TOKEN_VERSION!r})")
    if "typ" in header:
        diag.add("typ", "warn", "Samsung's tokens carry no typ header")
    for name, expected in (("partnerId", expected_partner_id), ("certificateId", expected_certificate_id)):
        got = header.get(name)
        if name == "certificateId" and got is None and ver == "1":
            diag.add(name, "ok", "none: a ver '1' token predates certificateId")
        elif not isinstance(got, str) or not got:
            diag.add(name, "fail", f"{name} header is missing")
        elif expected is not None and got != expected:
            diag.add(name, "fail", f"{name} {got!r} is not the expected {expected!r}")
        else:
            diag.add(name, "ok", f"{name} {got!r}")
    try:
        issued = utc_ms(header)
    except TokenError as exc:
        diag.add("utc", "fail", str(exc))
    else:
        age = clock() - issued / 1000
        limit = max_age if cty == CTY_CARD else AUTH_TOKEN_WINDOW_S
        if age > limit:
            diag.add("age", "fail", f"made {age:.0f} s ago; Samsung refuses tokens older than {limit:g} s")
        elif age < -(clock_skew if cty == CTY_CARD else limit):
            diag.add("age", "fail", f"utc is {-age:.1f} s in the future: the signing server's clock is ahead")
        else:
            diag.add("age", "ok", f"made {max(age, 0):.1f} s ago (limit {limit:g} s)")
    if partner_certificate is None:
        diag.add("signature", "skip", "not verified: give --partner-cert")
    else:
        verifier = TokenVerifier(
            signer_public_key=public_key_of(partner_certificate), card_max_age=10**12, auth_window=10**12, clock=clock
        )
        try:
            verifier.check_signature(jws)
        except TokenError as exc:
            diag.add("signature", "fail", str(exc))
        else:
            diag.add("signature", "ok", "RS256 signature verifies with the partner certificate")
    if cty == CTY_AUTH:
        _auth_payload(diag, jws.payload)
        return
    if samsung_private_key is None:
        diag.add("decrypt", "skip", "not decrypted: give --samsung-key (a test key) to check the card")
        return
    try:
        enc_header, plaintext = decrypt_jwe(jws.payload.decode("ascii", "replace"), samsung_private_key)
        card = loads_strict(plaintext)
    except (LinkKitError, ValueError, RecursionError) as exc:
        diag.add("decrypt", "fail", str(exc) if isinstance(exc, LinkKitError) else "card data is not JSON")
        return
    algs = f"{enc_header.get('alg')}/{enc_header.get('enc')}"
    diag.add("decrypt", "ok", f"JWE {algs}, {len(plaintext)} bytes of card JSON")
    problems = check_card(card)
    if problems:
        for problem in problems[:20]:
            diag.add("card", "fail", str(problem))
    else:
        diag.add("card", "ok", "card JSON is valid")
    diag.card_summary = _card_summary(card)


def _auth_payload(diag: Diagnosis, payload: bytes) -> None:
    try:
        claims = loads_strict(payload)
        api = claims["API"]
        diag.add("API", "ok", f"bound to {api['method']} {api['path']}")
    except (ValueError, KeyError, TypeError, RecursionError):
        diag.add("API", "fail", "payload needs API.method and API.path")


def _card_summary(card: Any) -> dict[str, Any] | None:
    inner = card.get("card") if isinstance(card, dict) else None
    if not isinstance(inner, dict):
        return None
    data = inner.get("data")
    return {
        "type": inner.get("type"),
        "subType": inner.get("subType"),
        "entries": len(data) if isinstance(data, list) else 0,
    }
