"""The token doctor behind ``linkkit inspect``: decode a link or token and say what is wrong with it.

Each check yields ``ok``, ``fail``, ``warn`` or ``skip`` with a one-line detail. A diagnosis is valid
only when no check failed and the signature was verified: a token we could not verify is not
called valid.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw.links import ATW_BASE_URL, CDATA_DOCUMENTED_LIMIT, MIN_UNGUESSABLE_REF_ID, AtwLink, parse_link
from linkkit.atw.tokens import CARD_TOKEN_MAX_AGE_S, CTY_CARD, DEFAULT_CLOCK_SKEW_S
from linkkit.atw.verify import Check, Status, TokenRun, TokenVerifier
from linkkit.cards import check_card
from linkkit.errors import LinkError
from linkkit.keys import public_key_of

__all__ = ["Check", "Diagnosis", "Status", "diagnose"]


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
    # The verifier's own pipeline, with the limits asked for: every rule is the one the sandbox and
    # verify_* apply, and the doctor only words the skipped steps for the command line.
    verifier = TokenVerifier(
        signer_public_key=public_key_of(partner_certificate) if partner_certificate is not None else None,
        partner_id=expected_partner_id,
        certificate_id=expected_certificate_id,
        decryption_key=samsung_private_key,
        card_max_age=max_age,
        clock_skew=clock_skew,
        clock=clock,
        link_version=diag.link.get("version") if diag.link else None,
    )
    run = TokenRun()
    for check in verifier.checks(token, cty=CTY_CARD if diag.link else None, run=run):
        if check.name == "cty" and check.passed and diag.kind == "token":
            diag.kind = "card_data_token" if run.cty == CTY_CARD else "auth_token"
        diag.checks.append(_worded(check))
        if check.name == "shape" and run.jws is not None:
            diag.header = run.jws.header
    if run.card is None:
        return
    problems = check_card(run.card)
    if problems:
        for problem in problems[:20]:
            diag.add("card", "fail", str(problem))
    else:
        diag.add("card", "ok", "card JSON is valid")
    diag.card_summary = _card_summary(run.card)


_SKIPPED: Final = {
    "signature": "not verified: give --partner-cert",
    "decrypt": "not decrypted: give --samsung-key (a test key) to check the card",
}


def _worded(check: Check) -> Check:
    if check.status == "skip" and check.name in _SKIPPED:
        return Check(check.name, "skip", _SKIPPED[check.name], check.error)
    return check


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
