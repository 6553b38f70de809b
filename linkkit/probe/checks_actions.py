"""The Request Action checks (``--request-action``): the sequence a Data Action link starts, and a
CHECK_ELIGIBILITY whose signedAtwLink Samsung did not sign.

::

    CHECK_ELIGIBILITY {signedAtwLink}   → 200 USER_AUTH {fields}   (or REGISTER at once)
    USER_AUTH {the fields, from the configured inputs} → 200 REGISTER {cdata | refId}
    (a REGISTER with a refId is followed by the Get Card Data Samsung would make for it)

Samsung publishes no bodies for Request Action; these are linkkit's (docs/partner.md). The path's
refId is a fresh one per sequence, as Samsung names the sequence, not an issued card.
"""

from __future__ import annotations

from typing import Any, Final

from linkkit.atw.action_types import CHECK_ELIGIBILITY, REGISTER, USER_AUTH
from linkkit.atw.links import action_link, is_valid_ref_id, new_ref_id
from linkkit.atw.signature import sign_atw_link
from linkkit.atw.tokens import dumps_compact
from linkkit.probe import attacks
from linkkit.probe.config import ProbeConfig
from linkkit.probe.context import Check, Finding, ProbeContext, failed, passed
from linkkit.probe.grading import leaks, open_card, refusal
from linkkit.probe.results import Exchange
from linkkit.probe.transport import answer_json

_COVERS: Final = ("checklist:security", "api:request-action")


def _disabled(config: ProbeConfig) -> str | None:
    return None if config.request_action else "Request Action is not enabled (--request-action)"


def _send(ctx: ProbeContext, ref_id: str, action_type: str, payload: dict[str, Any], label: str) -> Exchange:
    body = dumps_compact({"actionType": action_type, "actionPayload": payload})
    return ctx.call("POST", ctx.client.card_path(ref_id, tail="/requestAction"), body=body, body_label=label)


def _link(ctx: ProbeContext) -> str:
    return action_link(ctx.config.identity.certificate_id, ctx.config.card_id, base=ctx.config.atw_base_url)


def _next(exchange: Exchange) -> tuple[str | None, dict[str, Any]]:
    payload = answer_json(exchange.answer)
    if exchange.answer.status != 200 or not isinstance(payload, dict):
        return None, {}
    action = payload.get("actionPayload")
    kind = payload.get("actionType")
    return (kind if isinstance(kind, str) else None), (action if isinstance(action, dict) else {})


def _unexpected(step: str, exchange: Exchange) -> str:
    answer = exchange.answer
    code = f" ({answer.code})" if answer.code else ""
    if answer.status == 204:
        return f"{step}: 204 ended the sequence (no such card), so REGISTER could not be reached"
    return f"{step}: expected 200 with the next actionType, got {answer.status or answer.error}{code}"


def request_action_sequence(ctx: ProbeContext) -> Finding:
    ref_id = new_ref_id()
    ctx.client.hide(ref_id, "{sequence refId}")
    signed = sign_atw_link(_link(ctx), ctx.config.identity.samsung_key, clock=ctx.config.clock)
    first = _send(ctx, ref_id, CHECK_ELIGIBILITY, {"signedAtwLink": signed}, "CHECK_ELIGIBILITY {signedAtwLink}")
    exchanges = [first]
    kind, payload = _next(first)
    if kind == USER_AUTH:
        fields = payload.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            return failed("USER_AUTH must list the inputs it needs in actionPayload.fields", exchanges)
        missing = [f for f in fields if f not in ctx.config.action_inputs]
        if missing:
            wanted = " ".join(f"--action-input {f}=…" for f in missing)
            return failed(f"the partner asks the user for {', '.join(fields)}: give {wanted}", exchanges)
        inputs = {f: ctx.config.action_inputs[f] for f in fields}
        second = _send(ctx, ref_id, USER_AUTH, inputs, f"USER_AUTH {{{', '.join(fields)}}}")
        exchanges.append(second)
        kind, payload = _next(second)
        if kind is None:
            return failed(_unexpected("USER_AUTH", second), exchanges)
    elif kind is None:
        return failed(_unexpected("CHECK_ELIGIBILITY", first), exchanges)
    leak = leaks(exchanges)
    if leak:
        return failed(leak, exchanges)
    if kind != REGISTER:
        return failed(f"expected REGISTER after the user's inputs, got actionType {kind[:32]}", exchanges)
    steps = " → ".join(e.sent.body.split(" ")[0] for e in exchanges) + " → REGISTER"
    if isinstance(payload.get("cdata"), str):
        # The partner chose the new card's refId: any entry will do.
        opened = open_card({"cdata": payload["cdata"]}, ctx.verifier, None)
        if opened.card is None:
            return failed(f"REGISTER cdata: {opened.problem}", exchanges)
        return passed(f"{steps} with a Card Data Token that opens and validates", exchanges, opened.warnings)
    registered_ref = payload.get("refId")
    if not is_valid_ref_id(registered_ref):
        return failed("REGISTER must carry cdata or a refId", exchanges)
    assert isinstance(registered_ref, str)
    ctx.client.hide(registered_ref, "{registered refId}")
    fetched = ctx.call("GET", ctx.client.card_path(registered_ref))
    exchanges.append(fetched)
    if fetched.answer.status != 200:
        return failed(f"REGISTER named a refId, and Get Card Data for it answered {fetched.answer.status}", exchanges)
    opened = open_card(answer_json(fetched.answer), ctx.verifier, registered_ref)
    if opened.card is None:
        return failed(f"Get Card Data for the registered refId: {opened.problem}", exchanges)
    return passed(f"{steps} with a refId whose Get Card Data answers a valid card", exchanges, opened.warnings)


def request_action_forged_link(ctx: ProbeContext) -> Finding:
    ref_id = new_ref_id()
    ctx.client.hide(ref_id, "{sequence refId}")
    forged = attacks.forged_signed_link(_link(ctx))
    exchange = _send(
        ctx, ref_id, CHECK_ELIGIBILITY, {"signedAtwLink": forged}, "CHECK_ELIGIBILITY {signedAtwLink by another key}"
    )
    verdict = refusal(exchange, "a signedAtwLink Samsung did not sign")
    if not verdict.ok:
        return failed(verdict.reason, [exchange])
    leak = leaks([exchange])
    if leak:
        return failed(leak, [exchange])
    return passed(verdict.reason, [exchange], verdict.notes)


REQUEST_ACTION_SEQUENCE: Final = Check(
    name="request_action_sequence",
    title="Request Action: CHECK_ELIGIBILITY with a signed link, USER_AUTH, REGISTER",
    run=request_action_sequence,
    budget=3,
    covers=("api:request-action", "api:card-data-token"),
    unavailable=_disabled,
)
REQUEST_ACTION_FORGED_LINK: Final = Check(
    name="request_action_forged_link",
    title="Request Action: a signedAtwLink signed by another key is refused",
    run=request_action_forged_link,
    budget=1,
    covers=_COVERS,
    unavailable=_disabled,
)
