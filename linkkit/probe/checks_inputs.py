"""The checks of hostile input under a valid token: bodies that are not JSON objects or far too large
(Send Card State) and ids that try to leave ``/cards/{cardId}/`` (Get Card Data).

Each call carries a valid AUTH token for exactly the path sent, so only the partner's input handling
can refuse it. A 4xx is a safe refusal; for a made-up id so is 204 (no such card). A 2xx taking the
input, a 5xx and a stack trace in the answer fail.
"""

from __future__ import annotations

from typing import Final

from linkkit.probe import attacks
from linkkit.probe.context import Check, Finding, ProbeContext, failed, passed
from linkkit.probe.grading import all_refused, leaks
from linkkit.probe.results import Exchange

_NO_CARD: Final = frozenset({204})


def malformed_body(ctx: ProbeContext) -> Finding:
    graded: list[tuple[Exchange, str]] = []
    for label, body in attacks.MALFORMED_BODIES:
        exchange = ctx.card_state("UPDATED", body=body, body_label=label)
        graded.append((exchange, f"Send Card State with {label}"))
    exchanges = [exchange for exchange, _ in graded]
    verdict = all_refused(graded, documented=None)
    if not verdict.ok:
        return failed(verdict.reason, exchanges)
    leak = leaks(exchanges)
    if leak:
        return failed(leak, exchanges)
    return passed(f"{len(graded)} malformed bodies, each refused with 4xx", exchanges, verdict.notes)


def oversize_body(ctx: ProbeContext) -> Finding:
    size = attacks.size_text(attacks.OVERSIZE_BYTES)
    exchange = ctx.card_state("UPDATED", body=attacks.oversize_body(ctx.config.callback), body_label=f"{size} of JSON")
    answer = exchange.answer
    if answer.status == 0 and answer.error == "the server closed the connection":
        return passed(f"a {size} body: the server closed the connection before taking it", [exchange])
    verdict = all_refused([(exchange, f"a {size} body")], documented=None)
    if not verdict.ok:
        return failed(verdict.reason, [exchange])
    leak = leaks([exchange])
    if leak:
        return failed(leak, [exchange])
    notes = () if answer.status == 413 else (f"413 Content Too Large says exactly why (got {answer.status})",)
    return passed(verdict.reason, [exchange], notes)


def path_traversal(ctx: ProbeContext) -> Finding:
    graded: list[tuple[Exchange, str]] = []
    for label, card_segment, ref_segment in attacks.traversal_paths(ctx.config.card_id, ctx.config.ref_id):
        exchange = ctx.call("GET", ctx.client.card_path(ref_segment, card_id=card_segment))
        graded.append((exchange, label))
    exchanges = [exchange for exchange, _ in graded]
    verdict = all_refused(graded, documented=None, also_ok=_NO_CARD)
    if not verdict.ok:
        return failed(verdict.reason, exchanges)
    leak = leaks(exchanges)
    if leak:
        return failed(leak, exchanges)
    return passed(f"{len(graded)} ids outside /cards/{{cardId}}/{{refId}}, none served", exchanges)


MALFORMED_BODY: Final = Check(
    name="malformed_body",
    title="Send Card State bodies that are not a JSON object are refused with 4xx, without a stack trace",
    run=malformed_body,
    budget=len(attacks.MALFORMED_BODIES),
    covers=("checklist:security", "checklist:operations", "api:send-card-state"),
    needs=("identity", "card_state"),
)
OVERSIZE_BODY: Final = Check(
    name="oversize_body",
    title=f"A {attacks.size_text(attacks.OVERSIZE_BYTES)} Send Card State body is refused",
    run=oversize_body,
    budget=1,
    covers=("checklist:security", "api:send-card-state"),
    needs=("identity", "card_state"),
)
PATH_TRAVERSAL: Final = Check(
    name="path_traversal",
    title="Ids with ../, %2F, %00 or backslashes are never served",
    run=path_traversal,
    budget=len(attacks.TRAVERSAL_IDS),
    covers=("checklist:security", "api:get-card-data"),
)
