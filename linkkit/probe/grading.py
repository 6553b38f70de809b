"""How answers are judged: a refusal, a leaked stack trace, a card as Samsung would take it.

One rule each, shared by every check, so that "refused" means the same for a bad signature as for a
replay: a 401 (or 403) is what Samsung's Get Card Data and Send Card State pages document for a
token that is invalid or expired; another 4xx still refuses safely and is noted; a 2xx accepted the
call, a 3xx sent it elsewhere, a 5xx crashed on it, and no answer at all is a failure too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from linkkit.atw.verify import TokenVerifier
from linkkit.cards import validate_card
from linkkit.errors import TokenError, ValidationError
from linkkit.probe.results import Answer, Exchange
from linkkit.probe.transport import answer_json

#: What a stack trace of common server stacks looks like in an answer body: (stack, pattern).
_STACK_TRACES: Final = (
    ("Python traceback", re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")),
    ("Java stack trace", re.compile(r"\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)|Exception in thread \"")),
    ("Node.js stack trace", re.compile(r"\n\s+at .+ \(?(?:/|[A-Za-z]:\\|node:)[^)\n]*:\d+:\d+\)?")),
    (".NET stack trace", re.compile(r"\bat [\w.<>`]+\([^)]*\) in .+:line \d+")),
    ("PHP stack trace", re.compile(r"Stack trace:\s*#0 |PHP (?:Fatal|Parse) error")),
    ("Ruby backtrace", re.compile(r"\.rb:\d+:in [`']")),
    ("Go panic", re.compile(r"goroutine \d+ \[running\]|panic: .+\n\s*goroutine")),
    ("debugger page", re.compile(r"Werkzeug Debugger|The debugger caught an exception|Whitelabel Error Page")),
)
#: Statuses a refused token should get (Samsung documents 401; 403 says the same).
REFUSED_STATUSES: Final = frozenset({401, 403})


def _strings(value: Any, found: list[str], budget: int = 10000) -> None:
    """Every string inside a JSON value (a trace is often a JSON field, its newlines escaped)."""
    stack = [value]
    while stack and len(found) < budget:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def stack_trace(answer: Answer) -> str | None:
    """The kind of stack trace the answer's body shows, or ``None`` (JSON string values are read decoded)."""
    if not answer.body:
        return None
    texts = [answer.body[:262144].decode("utf-8", "replace")]
    payload = answer_json(answer)
    if payload is not None:
        strings: list[str] = []
        _strings(payload, strings)
        texts.append("\n".join(strings))
    for text in texts:
        kind = next((kind for kind, pattern in _STACK_TRACES if pattern.search(text)), None)
        if kind:
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement of one or more exchanges: ``ok``, a one-line ``reason``, and ``notes``."""

    ok: bool
    reason: str
    notes: tuple[str, ...] = ()


def leaks(exchanges: Iterable[Exchange], secrets: Iterable[str] = ()) -> str | None:
    """Why any answer says too much: a stack trace, or one of ``secrets`` (the token sent) echoed back."""
    secrets = [s for s in secrets if len(s) >= 16]
    for exchange in exchanges:
        kind = stack_trace(exchange.answer)
        if kind:
            return f"the answer to {exchange.sent.method} {exchange.sent.path} leaks a stack trace ({kind})"
        text = exchange.answer.body.decode("utf-8", "replace")
        if any(secret in text for secret in secrets):
            return f"the answer to {exchange.sent.method} {exchange.sent.path} echoes the token it was sent"
    return None


def refusal(
    exchange: Exchange,
    what: str,
    *,
    documented: frozenset[int] | None = REFUSED_STATUSES,
    also_ok: frozenset[int] = frozenset(),
) -> Verdict:
    """Did the partner refuse the call (``what`` says what was wrong with it)?

    :param documented: the statuses Samsung documents for this refusal; another 4xx still refuses
        safely and is noted. ``None``: any 4xx, without a note.
    :param also_ok: statuses that count as a safe refusal too (``{204}``: "no such card" for a made-up id).
    """
    status = exchange.answer.status
    if status == 0:
        return Verdict(False, f"{what}: no answer ({exchange.answer.error})")
    if status in also_ok or (documented is not None and status in documented):
        return Verdict(True, f"{what}: refused with {status}")
    if 200 <= status < 300:
        return Verdict(False, f"{what}: accepted with {status}")
    if 300 <= status < 400:
        return Verdict(False, f"{what}: redirected with {status} instead of refused")
    if status >= 500:
        return Verdict(False, f"{what}: answered {status}, a server error, instead of refusing it")
    if status < 400:
        return Verdict(False, f"{what}: answered {status}")
    if documented is None:
        return Verdict(True, f"{what}: refused with {status}")
    # 403 is taken as the same answer; the note names what Samsung's pages document (401).
    expected = "401" if 401 in documented else " or ".join(str(s) for s in sorted(documented))
    return Verdict(True, f"{what}: refused with {status}", (f"{what}: Samsung documents {expected}, not {status}",))


def all_refused(
    exchanges: Iterable[tuple[Exchange, str]],
    *,
    documented: frozenset[int] | None = REFUSED_STATUSES,
    also_ok: frozenset[int] = frozenset(),
) -> Verdict:
    """:func:`refusal` of each (exchange, what); the first failure decides."""
    notes: list[str] = []
    reasons: list[str] = []
    for exchange, what in exchanges:
        verdict = refusal(exchange, what, documented=documented, also_ok=also_ok)
        if not verdict.ok:
            return verdict
        notes.extend(verdict.notes)
        reasons.append(verdict.reason)
    return Verdict(True, "; ".join(reasons) if len(reasons) == 1 else f"all {len(reasons)} refused", tuple(notes))


@dataclass(frozen=True, slots=True)
class OpenedCard:
    """A card the partner answered, opened as Samsung opens it: ``card`` is ``None`` when it did not open."""

    card: dict[str, Any] | None
    #: ``cdata`` (a Card Data Token) or ``card`` (plain JSON).
    form: str
    problem: str = ""
    warnings: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        if self.card is None:
            return self.problem
        body = self.card["card"]
        entries = len(body["data"])
        kind = f"{body.get('type')}/{body.get('subType', '-')}"
        opened = "verified and decrypted" if self.form == "cdata" else "plain card JSON"
        return f"{self.form} {opened}: {kind}, {entries} entr{'y' if entries == 1 else 'ies'}"


def open_card(payload: Any, verifier: TokenVerifier, ref_id: str | None, *, validate: bool = True) -> OpenedCard:
    """Open ``{"cdata"}`` (the partner's signature, Samsung's key, the ids, 30 s) or ``{"card"}``, then
    validate the card with linkkit's card tiers (errors refuse it, warnings are kept) and find ``ref_id``.

    :param payload: the answer's JSON (:func:`~linkkit.probe.transport.answer_json`).
    :param ref_id: a ``card.data[]`` entry must carry it (``None``: any refId, the partner chose it).
    :param validate: ``False`` checks only the shape (a ``fields=`` answer may be partial).
    """
    form = "cdata" if isinstance(payload, dict) and "cdata" in payload else "card"
    if not isinstance(payload, dict) or not (isinstance(payload.get("cdata"), str) or "card" in payload):
        return OpenedCard(None, form, 'the answer is not {"cdata": …} or {"card": …} JSON')
    if form == "cdata":
        try:
            card: Any = verifier.open_card_data_token(payload["cdata"]).card
        except TokenError as exc:
            return OpenedCard(None, form, f"the Card Data Token does not open as Samsung opens it ({exc.code}): {exc}")
    else:
        card = {"card": payload["card"]}
    body = card.get("card") if isinstance(card, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("data"), list) or not body["data"]:
        return OpenedCard(None, form, "the card has no card.data[] entries")
    warnings: tuple[str, ...] = ()
    if validate:
        try:
            report = validate_card(card)
        except ValidationError as exc:
            more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
            return OpenedCard(None, form, f"Samsung would refuse the card: {exc.errors[0]}{more}")
        warnings = tuple(f"card warning: {w}" for w in report.warnings)
    entries = [entry for entry in body["data"] if isinstance(entry, dict)]
    if ref_id is not None and not any(entry.get("refId") == ref_id for entry in entries):
        return OpenedCard(None, form, "no card.data[] entry carries the refId that was asked for")
    return OpenedCard(card, form, warnings=warnings)
