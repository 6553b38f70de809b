"""How answers are judged: one refusal rule for every check, stack traces of the common server stacks
found (and ordinary error bodies not mistaken for one), a card opened and validated as Samsung would."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from linkkit.probe.grading import leaks, open_card, refusal, stack_trace
from linkkit.probe.results import Answer, Exchange, Sent
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier

TRACES = {
    "Python traceback": 'Traceback (most recent call last):\n  File "/app/views.py", line 12, in get\nKeyError',
    "Java stack trace": "java.lang.NullPointerException\n\tat com.shop.CardController.get(CardController.java:42)",
    "Node.js stack trace": "TypeError: x is undefined\n    at Object.handler (/srv/app/routes/cards.js:17:9)",
    ".NET stack trace": "   at Shop.Cards.Get(String id) in C:\\src\\Cards.cs:line 31",
    "PHP stack trace": "PHP Fatal error: Uncaught Exception in /var/www/card.php:9\nStack trace:\n#0 {main}",
    "Ruby backtrace": "app/controllers/cards_controller.rb:14:in `show'",
    "Go panic": "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\nmain.main()",
    "debugger page": "<title>KeyError // Werkzeug Debugger</title>",
}


def _exchange(status: int, body: bytes = b"", error: str = "") -> Exchange:
    return Exchange(Sent("GET", "/cards/c/{refId}"), Answer(status=status, body=body, error=error))


@pytest.mark.parametrize("kind", sorted(TRACES))
def test_stack_traces_of_common_stacks_are_found(kind: str) -> None:
    body = json.dumps({"code": "internal", "detail": TRACES[kind]}).encode()
    assert stack_trace(Answer(status=500, body=body)) == kind
    assert leaks([_exchange(400, body)]) == f"the answer to GET /cards/c/{{refId}} leaks a stack trace ({kind})"


@pytest.mark.parametrize(
    "body",
    [
        b'{"code":"bad_signature","message":"JWS signature does not verify with the signer\'s certificate"}',
        b"<html><body><h1>401 Unauthorized</h1><p>at the door</p></body></html>",
        b'{"actionType":"CHECK_ELIGIBILITY","actionPayload":{"actionDetails":{"code":"AUTH_FAILED"}}}',
        b"",
    ],
)
def test_ordinary_error_answers_are_not_stack_traces(body: bytes) -> None:
    assert stack_trace(Answer(status=401, body=body)) is None


def test_an_answer_that_echoes_the_token_leaks_it() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    assert "echoes the token" in str(leaks([_exchange(401, f'{{"got":"{token}"}}'.encode())], [token]))
    assert leaks([_exchange(401, b'{"code":"bad"}')], [token]) is None


@pytest.mark.parametrize(
    ("status", "ok", "words"),
    [
        (401, True, "refused with 401"),
        (403, True, "refused with 403"),
        (400, True, "refused with 400"),
        (200, False, "accepted with 200"),
        (204, False, "accepted with 204"),
        (302, False, "redirected with 302"),
        (500, False, "answered 500, a server error"),
        (0, False, "no answer (timeout after 1 s)"),
    ],
)
def test_one_refusal_rule(status: int, ok: bool, words: str) -> None:
    verdict = refusal(_exchange(status, error="timeout after 1 s" if not status else ""), "a stale token")
    assert verdict.ok is ok and words in verdict.reason and verdict.reason.startswith("a stale token: ")
    # a 4xx other than 401 still refuses safely, with a note on what Samsung documents
    assert bool(verdict.notes) is (status == 400)


def test_input_refusals_take_any_4xx_and_no_such_card() -> None:
    assert refusal(_exchange(404), "x", documented=None).notes == ()
    assert refusal(_exchange(204), "x", documented=None, also_ok=frozenset({204})).ok
    assert not refusal(_exchange(204), "x", documented=None).ok


def _payload(signer: TokenSigner, card: dict[str, Any]) -> dict[str, Any]:
    return {"cdata": signer.card_data_token(card)}


def test_a_card_opens_as_samsung_opens_it(
    signer: TokenSigner, verifier: TokenVerifier, loyalty_card: dict[str, Any]
) -> None:
    opened = open_card(_payload(signer, loyalty_card), verifier, "ref-20261121-0001")
    assert opened.card == loyalty_card and opened.summary() == "cdata verified and decrypted: loyalty/others, 1 entry"
    plain = open_card({"card": loyalty_card["card"]}, verifier, "ref-20261121-0001")
    assert plain.card == loyalty_card and plain.form == "card"


def test_what_samsung_would_refuse_is_named(
    signer_factory: Any, verifier: TokenVerifier, loyalty_card: dict[str, Any]
) -> None:
    other = signer_factory(certificate_id="ZZZZ")
    assert "claim_mismatch" in open_card(_payload(other, loyalty_card), verifier, None).problem
    broken = copy.deepcopy(loyalty_card)
    del broken["card"]["data"][0]["attributes"]["title"]
    problem = open_card({"card": broken["card"]}, verifier, None).problem
    assert problem.startswith("Samsung would refuse the card: card.data[0].attributes.title")
    assert "refId that was asked for" in open_card({"card": loyalty_card["card"]}, verifier, "another").problem
    assert "is not {" in open_card({"unexpected": 1}, verifier, None).problem
    assert "no card.data[]" in open_card({"card": {"type": "loyalty", "data": []}}, verifier, None).problem


def test_card_warnings_are_kept_not_failed(verifier: TokenVerifier, loyalty_card: dict[str, Any]) -> None:
    card = copy.deepcopy(loyalty_card)
    del card["card"]["subType"]  # a warning tier rule: Samsung's own samples leave it out
    opened = open_card({"card": card["card"]}, verifier, None)
    assert opened.card is not None and opened.warnings and opened.warnings[0].startswith("card warning: ")
