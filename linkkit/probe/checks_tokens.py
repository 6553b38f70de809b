"""The checks of the AUTH token rules: each sends Get Card Data for the real card with one thing wrong
(no token, an altered or foreign signature, a forbidden algorithm, a stale or future ``utc``, a token
bound to another method or path, a used request id or token) and expects a refusal, ideally 401.

Get Card Data is the call to attack: it answers the card, so a partner that lets one of these
through hands a stranger the card's content.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Final

from linkkit.atw.links import new_ref_id
from linkkit.probe import attacks
from linkkit.probe.context import Check, Finding, ProbeContext, failed, passed, skipped
from linkkit.probe.grading import leaks, refusal
from linkkit.probe.results import Exchange

_TOKEN_COVERS: Final = ("checklist:security", "api:auth-token")


def _graded(exchange: Exchange, what: str, secret: str | None = None) -> Finding:
    verdict = refusal(exchange, what)
    if not verdict.ok:
        return failed(verdict.reason, [exchange])
    leak = leaks([exchange], [secret] if secret else [])
    if leak:
        return failed(leak, [exchange])
    return passed(verdict.reason, [exchange], verdict.notes)


def _forged(make: Callable[[ProbeContext, str], str], label: str, what: str) -> Callable[[ProbeContext], Finding]:
    """A check that sends Get Card Data with the token ``make(ctx, path)`` and expects a refusal."""

    def run(ctx: ProbeContext) -> Finding:
        path = ctx.client.card_path()
        token = make(ctx, path)
        exchange = ctx.call("GET", path, authorization=f"Bearer {token}", credential=label)
        return _graded(exchange, what, token)

    return run


def no_token(ctx: ProbeContext) -> Finding:
    exchange = ctx.call("GET", ctx.client.card_path(), valid=False)
    return _graded(exchange, "no Authorization header")


def _bad_signature(ctx: ProbeContext, path: str) -> str:
    return attacks.tampered_signature(ctx.client.signer.auth_token("GET", path))


def _wrong_key(ctx: ProbeContext, path: str) -> str:
    return attacks.foreign_signer(ctx.client.signer).auth_token("GET", path)


def _alg_none(ctx: ProbeContext, path: str) -> str:
    return attacks.unsigned_token(ctx.client.signer, "GET", path)


def _hs256(ctx: ProbeContext, path: str) -> str:
    return attacks.hs256_confused_token(ctx.client.signer, "GET", path, ctx.samsung_public_key)


def _stale(ctx: ProbeContext, path: str) -> str:
    return attacks.shifted_signer(ctx.client.signer, -attacks.CLOCK_SHIFT_S).auth_token("GET", path)


def _future(ctx: ProbeContext, path: str) -> str:
    return attacks.shifted_signer(ctx.client.signer, attacks.CLOCK_SHIFT_S).auth_token("GET", path)


def _other_method(ctx: ProbeContext, path: str) -> str:
    return ctx.client.signer.auth_token("POST", path)


def path_swapped(ctx: ProbeContext) -> Finding:
    # A token Samsung made for another card of the same partner, used for this one.
    other = new_ref_id()
    ctx.client.hide(other, "{other refId}")
    token = ctx.client.signer.auth_token("GET", ctx.client.card_path(other))
    exchange = ctx.call(
        "GET", ctx.client.card_path(), authorization=f"Bearer {token}", credential="AUTH token for GET {other refId}"
    )
    return _graded(exchange, "a token bound to another card's path", token)


def replayed_request_id(ctx: ProbeContext) -> Finding:
    path = ctx.client.card_path()
    first = ctx.call("GET", path)
    if first.answer.status != 200:
        return skipped(f"the first, valid call was answered {first.answer.status or first.answer.error}", [first])
    again = ctx.call("GET", path, request_id=first.sent.request_id, credential="fresh AUTH token, used x-request-id")
    found = _graded(again, "a fresh token under an x-request-id already used")
    return dataclasses.replace(found, exchanges=(first, again))


def replayed_token(ctx: ProbeContext) -> Finding:
    path = ctx.client.card_path()
    authorization = ctx.client.authorization("GET", path)
    first = ctx.call("GET", path, authorization=authorization)
    if first.answer.status != 200:
        return skipped(f"the first, valid call was answered {first.answer.status or first.answer.error}", [first])
    again = ctx.call("GET", path, authorization=authorization, credential="the same AUTH token again, new x-request-id")
    found = _graded(again, "a used token under a new x-request-id", authorization.removeprefix("Bearer "))
    return dataclasses.replace(found, exchanges=(first, again))


def _check(name: str, title: str, run: Callable[[ProbeContext], Finding], budget: int = 1) -> Check:
    covers = _TOKEN_COVERS + (("api:replay",) if name.startswith(("replayed", "stale", "future")) else ())
    return Check(name=name, title=title, run=run, budget=budget, covers=covers)


NO_TOKEN: Final = _check("no_token", "A call without Authorization is refused", no_token)
BAD_SIGNATURE: Final = _check(
    "bad_signature",
    "A token whose signature was altered (one bit) is refused",
    _forged(_bad_signature, "AUTH token, signature altered", "an altered signature"),
)
WRONG_KEY: Final = _check(
    "wrong_key",
    "A token signed by a key that is not Samsung's is refused",
    _forged(_wrong_key, "AUTH token signed by another key", "a token signed by a key that is not Samsung's"),
)
ALG_NONE: Final = _check(
    "alg_none",
    "A token with alg none and no signature is refused",
    _forged(_alg_none, "alg none token", "an unsigned alg none token"),
)
HS256_CONFUSION: Final = _check(
    "hs256_confusion",
    "A token signed HS256 with Samsung's public key as the secret is refused",
    _forged(_hs256, "HS256 token keyed with the public key", "an HS256 token keyed with Samsung's public key"),
)
STALE_UTC: Final = _check(
    "stale_utc",
    f"A token whose utc is {attacks.CLOCK_SHIFT_S:g} s old is refused",
    _forged(_stale, f"AUTH token {attacks.CLOCK_SHIFT_S:g} s old", f"a token {attacks.CLOCK_SHIFT_S:g} s old"),
)
FUTURE_UTC: Final = _check(
    "future_utc",
    f"A token whose utc is {attacks.CLOCK_SHIFT_S:g} s ahead is refused",
    _forged(
        _future, f"AUTH token {attacks.CLOCK_SHIFT_S:g} s ahead", f"a token {attacks.CLOCK_SHIFT_S:g} s in the future"
    ),
)
METHOD_SWAPPED: Final = _check(
    "method_swapped",
    "A token bound to POST is refused on a GET",
    _forged(_other_method, "AUTH token for POST", "a token bound to POST on a GET"),
)
PATH_SWAPPED: Final = _check("path_swapped", "A token bound to another card's path is refused", path_swapped)
REPLAYED_REQUEST_ID: Final = _check(
    "replayed_request_id",
    "A second call with a used x-request-id is refused, even with a fresh token",
    replayed_request_id,
    budget=2,
)
REPLAYED_TOKEN: Final = _check(
    "replayed_token",
    "A used token is refused under a new x-request-id",
    replayed_token,
    budget=2,
)
