"""The Request Action endpoint's protocol work (steps, signedAtwLink checks); the decisions stay in handlers.

Checks, in order: the body shape; a handler exists for ``actionType``; for ``CHECK_ELIGIBILITY`` a
``signedAtwLink`` signed by Samsung, fresh (5 minutes), for a Data Action link of this very card and
certificate, and not spent by an earlier call (each signedAtwLink buys one CHECK_ELIGIBILITY);
for ``USER_AUTH`` a CHECK_ELIGIBILITY of the same sequence asked for it, and every input it
asked for is present. Then the handler runs, and its answer is shaped and remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from linkkit._redact import get_logger
from linkkit.atw.action_types import CHECK_ELIGIBILITY, REGISTER, USER_AUTH
from linkkit.atw.links import ActionLink, parse_link
from linkkit.atw.replay import signed_link_key
from linkkit.atw.signature import SignedAtwLink
from linkkit.errors import LinkError, ReplayError, TokenError
from linkkit.keyring_verify import verify_signed_link
from linkkit.partner.actions import (
    ACTION_TYPE_PATTERN,
    CODE_BAD_REQUEST,
    CODE_INTERNAL,
    CODE_MISSING_FIELDS,
    CODE_OUT_OF_SEQUENCE,
    CODE_SIGNED_LINK,
    CODE_UNKNOWN_ACTION,
    ActionContext,
    ActionRegistry,
    ActionResult,
)
from linkkit.partner.config import PartnerConfig
from linkkit.partner.records import ActionSession
from linkkit.partner.stores.contract import Store
from linkkit.partner.wire import Response

logger = get_logger("linkkit.partner")

#: Mints the Card Data Token for ``register(card=...)``; returns ``None`` when the card is invalid.
CardMinter = Callable[[Mapping[str, Any], str], "str | None"]


def action_error(status: int, code: str, message: str, action_type: str | None = None) -> Response:
    """An error answer in the Request Action shape: ``actionPayload.actionDetails.code``."""
    details = {"code": code, "message": message, "level": "ERROR"}
    return Response.json(status, {"actionType": action_type, "actionPayload": {"actionDetails": details}}, code=code)


class RequestActionProcessor:
    """Runs one Request Action call against the merchant's :class:`ActionRegistry`."""

    def __init__(self, config: PartnerConfig, store: Store, actions: ActionRegistry, mint: CardMinter) -> None:
        self._config = config
        self._store = store
        self._actions = actions
        self._mint = mint

    def _signed_link(self, payload: Mapping[str, Any], card_id: str) -> SignedAtwLink:
        value = payload.get("signedAtwLink")
        if not isinstance(value, str) or not value:
            raise ValueError("actionPayload.signedAtwLink is required for CHECK_ELIGIBILITY")
        signed = verify_signed_link(
            self._config.keys.current(),
            value,
            max_age=self._config.signed_link_max_age,
            clock_skew=self._config.clock_skew,
            clock=self._config.clock,
        )
        try:
            link = parse_link(signed.atw_link)
        except LinkError as exc:
            raise _LinkMismatch("the signed link is not an Add to Wallet link") from exc
        # The signature is only worth something if it covers *this* card's Data Action link.
        # Any partner certificate of the keyring: a link made before a change-over is still ours.
        ours = self._config.certificate_ids
        if not isinstance(link, ActionLink) or link.card_id != card_id or link.certificate_id not in ours:
            raise _LinkMismatch("the signed link is not a Data Action link for this card and certificate")
        # Spent once, remembered until it would have expired anyway (its ts + max age + skew).
        until = signed.ts_ms / 1000 + self._config.signed_link_max_age + self._config.clock_skew
        try:
            self._store.remember_once(signed_link_key(signed.signature), until=until)
        except ReplayError as exc:
            raise ReplayError("this signedAtwLink was already used") from exc
        return signed

    def process(self, body: object, card_id: str, ref_id: str, request_id: str) -> Response:
        if not isinstance(body, dict):
            return action_error(400, CODE_BAD_REQUEST, "the body must be a JSON object")
        action_type = body.get("actionType")
        payload = body.get("actionPayload")
        if not isinstance(action_type, str) or not ACTION_TYPE_PATTERN.fullmatch(action_type):
            return action_error(400, CODE_BAD_REQUEST, "actionType: required, String(32) of A-Z, 0-9 and '_'")
        if not isinstance(payload, dict):
            return action_error(400, CODE_BAD_REQUEST, "actionPayload: required, an object", action_type)
        handler = self._actions.get(action_type)
        if handler is None:
            return action_error(400, CODE_UNKNOWN_ACTION, f"actionType {action_type} is not supported", action_type)
        details = payload.get("actionDetails")
        details = details if isinstance(details, dict) else {}
        inputs = {k: v for k, v in payload.items() if k not in ("actionDetails", "signedAtwLink")}

        signed: SignedAtwLink | None = None
        if action_type == CHECK_ELIGIBILITY:
            try:
                signed = self._signed_link(payload, card_id)
            except ValueError as exc:
                return action_error(400, CODE_BAD_REQUEST, str(exc), action_type)
            except (TokenError, _LinkMismatch) as exc:
                code = exc.code if isinstance(exc, TokenError) else "claim_mismatch"
                logger.warning(
                    "request_action: signedAtwLink refused (%s) [card %s, request id %s]", code, card_id, request_id
                )
                return action_error(401, CODE_SIGNED_LINK, f"signedAtwLink refused: {code}", action_type)
        elif action_type == USER_AUTH:
            session = self._store.load_action_session(card_id, ref_id)
            if session is None or session.expected != USER_AUTH:
                return action_error(
                    400,
                    CODE_OUT_OF_SEQUENCE,
                    "USER_AUTH must follow a CHECK_ELIGIBILITY that asked for it, within the session time",
                    action_type,
                )
            missing = [name for name in session.fields if inputs.get(name) in (None, "")]
            if missing:
                return action_error(400, CODE_MISSING_FIELDS, "missing inputs: " + ", ".join(missing), action_type)

        ctx = ActionContext(
            card_id=card_id,
            ref_id=ref_id,
            action_type=action_type,
            payload=payload,
            details=details,
            inputs=inputs,
            signed_link=signed,
            request_id=request_id,
        )
        try:
            result = handler(ctx)
            if not isinstance(result, ActionResult):
                raise TypeError(f"handler returned {type(result).__name__}, not an ActionResult")
        except Exception:
            logger.exception(
                "request_action: the %s handler failed [card %s, request id %s]", action_type, card_id, request_id
            )
            return action_error(500, CODE_INTERNAL, "the partner could not process the action", action_type)
        return self._answer(result, card_id, ref_id, action_type, request_id)

    def _answer(self, result: ActionResult, card_id: str, ref_id: str, asked: str, request_id: str) -> Response:
        if result.status == 204:
            self._store.delete_action_session(card_id, ref_id)
            return Response.empty(204)
        if result.status != 200:
            return Response.json(
                result.status, {"actionType": result.action_type or asked, "actionPayload": dict(result.payload)}
            )
        payload = dict(result.payload)
        if result.action_type == USER_AUTH:
            fields = tuple(payload.get("fields", ()))
            expires = self._config.clock() + self._config.action_session_ttl
            self._store.save_action_session(
                ActionSession(card_id=card_id, ref_id=ref_id, expected=USER_AUTH, fields=fields, expires_at=expires)
            )
        elif result.action_type == REGISTER:
            self._store.delete_action_session(card_id, ref_id)
            if result.card is not None:
                cdata = self._mint(result.card, request_id)
                if cdata is None:
                    return action_error(500, CODE_INTERNAL, "the partner's card is not valid", asked)
                payload["cdata"] = cdata
        return Response.json(200, {"actionType": result.action_type, "actionPayload": payload})


# Private control flow, outside the LinkKitError tree on purpose: raised and caught in this module, where
# it is answered like a refused token; it never reaches a caller.
class _LinkMismatch(Exception):
    """A verified signedAtwLink that points at another card, certificate or link kind."""
