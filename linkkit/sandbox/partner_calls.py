"""The calls the sandbox makes to the partner, as Samsung would (each with a Samsung-signed AUTH token).

Each call carries ``Authorization: Bearer <AUTH token>`` signed with Samsung's key (``partnerId`` =
the partner's, bound to the method and the exact path) and a fresh ``x-request-id``. Queued token
faults (:mod:`linkkit.sandbox.faults`) spoil the token on purpose.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._clock import DistinctMillis
from linkkit._redact import get_logger
from linkkit.atw.tokens import TokenSigner
from linkkit.atw.verify import TokenVerifier
from linkkit.cards import validate_card
from linkkit.clients._http import purpose_checked
from linkkit.errors import SandboxRefusal, TokenError, ValidationError
from linkkit.sandbox.config import SandboxConfig
from linkkit.sandbox.faults import TOKEN_FAULTS, Fault
from linkkit.sandbox.keys import SandboxKeys
from linkkit.sandbox.state import SandboxState

logger = get_logger("linkkit.sandbox")

#: The name this module gave :class:`~linkkit.errors.SandboxRefusal` before it joined the one error tree.
Refusal = SandboxRefusal


@dataclass(frozen=True, slots=True)
class PartnerAnswer:
    """What the partner answered: ``status`` 0 when it did not answer at all."""

    status: int
    body: Any = None
    #: The ``Retry-After`` header as sent (seconds or an HTTP date; a 503 carries it), else ``None``.
    retry_after: str | None = None


def card_verifier(
    config: SandboxConfig,
    *,
    version: int = 3,
    partner_key: rsa.RSAPublicKey | None = None,
    certificate_id: str | None = None,
) -> TokenVerifier:
    """Opens Card Data Tokens exactly as Samsung does: the partner's certificate, 30 s, our ids.

    :param partner_key: the key of the partner certificate the token names, with its ``certificate_id``
        (:meth:`linkkit.sandbox.keys.SandboxKeys.open_card_data_token` picks them); default: the first.
    """
    return TokenVerifier(
        signer_public_key=partner_key or config.partner_public_key,
        partner_id=config.partner_id,
        # The token's own ver decides (check_token_version): a ver 1 token may lack certificateId and
        # belongs on an /atw/v1/ link; a certificateId it does carry is checked like any other.
        certificate_id=certificate_id or config.certificate_id,
        link_version=version,
        decryption_key=config.samsung_private_key,
        card_max_age=config.card_max_age,
        clock_skew=config.clock_skew,
        clock=config.clock,
    )


def check_received_card(config: SandboxConfig, card: object, ref_id: str | None = None) -> list[str]:
    """Refuse a card Samsung would refuse (and, with ``strict_cards``, one with warnings); return the warnings."""
    try:
        report = validate_card(card, strict=config.strict_cards)
    except ValidationError as exc:
        raise SandboxRefusal("invalid_card", f"the card is not valid: {exc.errors[0]}") from exc
    assert isinstance(card, dict)
    if ref_id is not None and not any(entry.get("refId") == ref_id for entry in card["card"]["data"]):
        raise SandboxRefusal("invalid_card", "the card has no data[] entry with the refId that was asked for")
    return [str(w) for w in report.warnings]


class PartnerCaller:
    """Samsung's client of the partner server."""

    def __init__(self, config: SandboxConfig, state: SandboxState, keys: SandboxKeys | None = None) -> None:
        self._config = config
        self._state = state
        #: Samsung's certificates and the partner's registered ones (rotations change them).
        self.keys = keys or SandboxKeys(config)
        self._clock = DistinctMillis(config.clock)
        self._signers: dict[str, TokenSigner] = {}
        self._http = httpx.Client(
            timeout=config.partner_timeout, verify=purpose_checked(config.partner_verify), follow_redirects=False
        )
        self._last_request_id: str | None = None

    def close(self) -> None:
        self._http.close()

    def base_url(self, card_id: str, purpose: str = "prtnrCardData") -> str:
        """The partner URL for ``card_id``: its template's ``prtnrCardData``/``prtnrCardState``, else the default."""
        template = self._state.templates.get(card_id, {})
        base = template.get(purpose) or template.get("prtnrCardData") or self._state.partner_base_url
        if not base:
            raise SandboxRefusal(
                "no_partner_url",
                "the sandbox does not know the partner's base URL (partner_base_url, or PUT /_sandbox/settings)",
                502,
            )
        return str(base).rstrip("/")

    def samsung_signer(self) -> TokenSigner:
        """Signs with the active Samsung certificate, its ``certificateId`` in every header."""
        active = self.keys.signing()
        signer = self._signers.get(active.certificate_id)
        if signer is None:
            signer = self._signers[active.certificate_id] = TokenSigner(
                partner_id=self._config.partner_id,
                certificate_id=active.certificate_id,
                private_key=active.private_key,
                clock=self._clock,
            )
        return signer

    def open_card(self, token: str, *, version: int = 3) -> dict[str, Any]:
        """A Card Data Token from the partner, opened as Samsung does (any registered partner certificate,
        any Samsung key not retired); raises :class:`~linkkit.errors.TokenError`."""

        def make(key: rsa.RSAPublicKey, certificate_id: str | None) -> TokenVerifier:
            return card_verifier(self._config, version=version, partner_key=key, certificate_id=certificate_id)

        return self.keys.open_card_data_token(token, make, version=version).card

    def _authorization(self, method: str, path: str, faults: Sequence[Fault]) -> tuple[str, str]:
        names = {f.name for f in faults}
        signer = self.samsung_signer()
        window = self._config.auth_window + self._config.clock_skew + 30
        if "expired_token" in names:
            signer = dataclasses.replace(signer, clock=lambda: self._config.clock() - window)
        if "future_token" in names:
            signer = dataclasses.replace(signer, clock=lambda: self._config.clock() + window)
        if "wrong_certificate_id" in names:
            signer = dataclasses.replace(signer, certificate_id="ZZZZ")
        if "wrong_partner_id" in names:
            signer = dataclasses.replace(signer, partner_id="4" + "0" * 18)
        token_method = ("POST" if method == "GET" else "GET") if "wrong_method" in names else method
        token_path = path + "x" if "wrong_path" in names else path
        token = signer.auth_token(token_method, token_path)
        if "bad_signature" in names:
            token = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
        request_id = uuid.uuid4().hex
        if "replay" in names and self._last_request_id is not None:
            request_id = self._last_request_id
        self._last_request_id = request_id
        return "Bearer " + token, request_id

    def call(
        self,
        api: str,
        method: str,
        card_id: str,
        route: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        faults: Sequence[Fault] = (),
        purpose: str = "prtnrCardData",
    ) -> PartnerAnswer:
        """Call ``{partner}{route}``; never raises for the partner's behaviour (status 0 = no answer)."""
        base = self.base_url(card_id, purpose)
        url = base + route
        faults = [*faults, *self._state.faults.take(TOKEN_FAULTS)]
        authorization, request_id = self._authorization(method, urlsplit(url).path, faults)
        headers = {"Authorization": authorization, "x-request-id": request_id}
        log_path = urlsplit(url).path
        fault_names = [f.name for f in faults] or None
        try:
            response = self._http.request(
                method, url, params=query, headers=headers, json=body if body is not None else None
            )
        except httpx.HTTPError as exc:
            logger.warning("%s: the partner did not answer (%s)", api, type(exc).__name__)
            self._state.log("out", api, method, log_path, 0, request_id, faults=fault_names, error=type(exc).__name__)
            return PartnerAnswer(0)
        try:
            payload = response.json() if response.content else None
        except (ValueError, json.JSONDecodeError):
            payload = None
        self._state.log("out", api, method, log_path, response.status_code, request_id, faults=fault_names)
        retry_after = response.headers.get("retry-after")
        return PartnerAnswer(response.status_code, payload, retry_after[:64] if retry_after else None)

    # -- the three partner APIs -------------------------------------------------------------------

    def get_card_data(
        self, card_id: str, ref_id: str, *, fields: str | None = None, faults: Sequence[Fault] = ()
    ) -> tuple[dict[str, Any], list[str]]:
        """Ask the partner for a card; returns the verified card and lenient-mode warnings."""
        answer = self.call(
            "get_card_data",
            "GET",
            card_id,
            f"/cards/{card_id}/{ref_id}",
            query={"fields": fields} if fields else None,
            faults=faults,
        )
        if answer.status == 204:
            raise SandboxRefusal(
                "card_not_found", "the partner says this card does not exist (Get Card Data: 204)", 404
            )
        if answer.status == 503:
            # Samsung's retry policy towards partners is not documented: the user sees the outage
            # (and when to try again) instead of a silent retry that would hide it from the tests.
            later = f", Retry-After: {answer.retry_after}" if answer.retry_after else ", no Retry-After"
            raise SandboxRefusal("partner_unavailable", f"Get Card Data answered HTTP 503{later}", 503)
        if answer.status != 200 or not isinstance(answer.body, dict):
            raise SandboxRefusal("partner_error", f"Get Card Data answered HTTP {answer.status or 'nothing'}", 502)
        if isinstance(answer.body.get("cdata"), str):
            try:
                card = self.open_card(answer.body["cdata"])
            except TokenError as exc:
                raise SandboxRefusal(exc.code, f"the partner's Card Data Token was refused: {exc.message}") from exc
        elif isinstance(answer.body.get("card"), dict):
            card = {"card": answer.body["card"]}
        else:
            raise SandboxRefusal("partner_error", 'Get Card Data must answer {"cdata": ...} or {"card": ...}', 502)
        return card, check_received_card(self._config, card, ref_id)

    def send_card_state(self, card_id: str, ref_id: str, event: str, callback: str | None) -> int:
        """Tell the partner about a card event; returns the HTTP status (0 = no answer, or no partner URL)."""
        try:
            self.base_url(card_id, "prtnrCardState")
        except SandboxRefusal:
            self._state.log(
                "out", "send_card_state", "POST", f"/cards/{card_id}/{ref_id}", 0, None, error="no_partner_url"
            )
            return 0
        answer = self.call(
            "send_card_state",
            "POST",
            card_id,
            f"/cards/{card_id}/{ref_id}",
            query={"cc2": self._config.cc2, "event": event},
            body={"callback": callback} if callback else None,
            purpose="prtnrCardState",
        )
        return answer.status

    def request_action(
        self, card_id: str, ref_id: str, action_type: str, payload: Mapping[str, Any], faults: Sequence[Fault] = ()
    ) -> PartnerAnswer:
        return self.call(
            "request_action",
            "POST",
            card_id,
            f"/cards/{card_id}/{ref_id}/requestAction",
            body={"actionType": action_type, "actionPayload": dict(payload)},
            faults=faults,
        )
