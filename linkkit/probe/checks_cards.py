"""The checks of the documented behaviour: Get Card Data (the card, ``fields=``, an unknown card) and
Send Card State (each event answered 200, and again 200 when Samsung repeats it)."""

from __future__ import annotations

from typing import Any, Final

from linkkit.atw.links import new_ref_id
from linkkit.probe.context import Check, Finding, ProbeContext, failed, passed
from linkkit.probe.grading import leaks, open_card
from linkkit.probe.results import Exchange
from linkkit.probe.transport import answer_json

#: How many attribute names the ``fields=`` check asks for when none are configured.
_FIELDS_ASKED: Final = 2


def _status_hint(exchange: Exchange) -> str:
    status = exchange.answer.status
    if status == 0:
        return f"no answer ({exchange.answer.error})"
    if status in (401, 403):
        code = f" ({exchange.answer.code})" if exchange.answer.code else ""
        return (
            f"the partner refused Samsung's valid token with {status}{code}: it must verify with the Samsung "
            "certificate whose key the probe holds, and expect this partner id"
        )
    if status == 204:
        return "the partner answered 204, no such card: give --ref-id of a card it has issued"
    if status == 404:
        return "404: is the base URL the one registered as the partner's Get Card Data URL, and the card id its own?"
    return f"expected 200 with the card, got {status}"


def get_card_data(ctx: ProbeContext) -> Finding:
    exchange = ctx.call("GET", ctx.client.card_path())
    if exchange.answer.status in (200, 204):
        ctx.facts.add("identity")  # Samsung's valid token got past the partner's checks
    if exchange.answer.status != 200:
        return failed(_status_hint(exchange), [exchange])
    leak = leaks([exchange])
    if leak:
        return failed(leak, [exchange])
    opened = open_card(answer_json(exchange.answer), ctx.verifier, ctx.config.ref_id)
    if opened.card is None:
        return failed(opened.problem, [exchange])
    ctx.card = opened.card
    ctx.facts.add("card")
    notes = list(opened.warnings)
    if exchange.answer.content_type != "application/json":
        notes.append(f"Content-Type is {exchange.answer.content_type or 'missing'}, not application/json")
    return passed(opened.summary(), [exchange], tuple(notes))


def _fields_of(card: dict[str, Any]) -> tuple[str, ...]:
    attributes = card["card"]["data"][0].get("attributes")
    names = [name for name in attributes if isinstance(name, str)] if isinstance(attributes, dict) else []
    return tuple(names[:_FIELDS_ASKED])


def get_card_data_fields(ctx: ProbeContext) -> Finding:
    fields = ctx.config.fields or (_fields_of(ctx.card) if ctx.card is not None else ())
    if not fields:
        return failed("the card has no attributes to ask for: give --fields")
    exchange = ctx.call("GET", ctx.client.card_path(), query={"fields": ",".join(fields)})
    if exchange.answer.status != 200:
        return failed(f"fields={','.join(fields)}: {_status_hint(exchange)}", [exchange])
    leak = leaks([exchange])
    if leak:
        return failed(leak, [exchange])
    # A partner may answer only the fields asked for, so the card need not carry every required attribute.
    opened = open_card(answer_json(exchange.answer), ctx.verifier, ctx.config.ref_id, validate=False)
    if opened.card is None:
        return failed(opened.problem, [exchange])
    entry = next(e for e in opened.card["card"]["data"] if isinstance(e, dict) and e.get("refId") == ctx.config.ref_id)
    found = entry.get("attributes")
    attributes: dict[str, Any] = found if isinstance(found, dict) else {}
    missing = [name for name in fields if name not in attributes and name not in entry]
    if missing:
        return failed(f"asked for {', '.join(fields)}; the answer lacks {', '.join(missing)}", [exchange])
    return passed(f"fields={','.join(fields)}: the {opened.form} answer holds every attribute asked for", [exchange])


def unknown_card(ctx: ProbeContext) -> Finding:
    ref_id = new_ref_id()
    ctx.client.hide(ref_id, "{unknown refId}")
    exchange = ctx.call("GET", ctx.client.card_path(ref_id))
    status = exchange.answer.status
    leak = leaks([exchange])
    if status == 204:
        if leak:
            return failed(leak, [exchange])
        notes = ("the 204 answer has a body; 204 carries none",) if exchange.answer.body else ()
        return passed("a refId nobody issued: 204, no such card", [exchange], notes)
    if status == 200:
        return failed("answered 200 for a refId nobody issued (Samsung expects 204)", [exchange])
    return failed(f"a refId nobody issued: {status or 'no answer'}; Get Card Data answers 204 for it", [exchange])


def _card_state(event: str) -> Check:
    def run(ctx: ProbeContext) -> Finding:
        first = ctx.card_state(event)
        exchanges = [first]
        if first.answer.status != 200:
            return failed(f"{event}: expected 200, got {first.answer.status or first.answer.error}", exchanges)
        if event == "ADDED":
            ctx.facts.add("card_state")
        # Samsung retries: the same event again, with a new token and request id, must be taken again.
        again = ctx.card_state(event)
        exchanges.append(again)
        leak = leaks(exchanges)
        if leak:
            return failed(leak, exchanges)
        if again.answer.status != 200:
            return failed(
                f"{event} repeated: {again.answer.status or again.answer.error}; a duplicate must be answered "
                "200 like the first (idempotent)",
                exchanges,
            )
        return passed(f"{event}: 200, and 200 again for the repeat", exchanges)

    lower = event.lower()
    return Check(
        name=f"send_card_state_{lower}",
        title=f"Send Card State {event}: 200, and 200 again when Samsung repeats it",
        run=run,
        budget=2,
        covers=("checklist:callback", "api:send-card-state") + (("checklist:lifecycle",) if event == "DELETED" else ()),
    )


GET_CARD_DATA: Final = Check(
    name="get_card_data",
    title="Get Card Data answers the card: cdata opens as Samsung opens it, the card is valid",
    run=get_card_data,
    budget=1,
    covers=("checklist:card-data", "api:get-card-data", "api:card-data-token"),
    needs=(),
)
GET_CARD_DATA_FIELDS: Final = Check(
    name="get_card_data_fields",
    title="Get Card Data with fields= answers a card with those attributes",
    run=get_card_data_fields,
    budget=1,
    covers=("api:get-card-data",),
    needs=("identity", "card"),
)
UNKNOWN_CARD: Final = Check(
    name="unknown_card",
    title="Get Card Data for a refId nobody issued answers 204",
    run=unknown_card,
    budget=1,
    covers=("api:get-card-data",),
)
SEND_CARD_STATE_ADDED: Final = _card_state("ADDED")
SEND_CARD_STATE_UPDATED: Final = _card_state("UPDATED")
SEND_CARD_STATE_DELETED: Final = _card_state("DELETED")
