"""What a probe run found: each request and answer in summary, each check's verdict, the whole report.

Summaries are written for a report that can be pasted into a ticket: a path shows ``{refId}`` instead
of the refId, a token is described (``AUTH token bound to GET …``) and never printed, an answer shows
its status, type, size and error ``code``, never a Card Data Token or a card.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Outcome(enum.StrEnum):
    """A check's verdict."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Sent:
    """One request the probe sent, in summary."""

    method: str
    #: The path with ``{refId}`` in place of every refId (the refId is a bearer secret).
    path: str
    #: ``fields=…``, ``cc2=…&event=…``; never a secret.
    query: str = ""
    #: What the ``Authorization`` header held (``AUTH token``, ``alg none token``), never the value itself.
    credential: str = "no Authorization header"
    #: The ``x-request-id`` sent (not secret: partners log it to trace a request).
    request_id: str | None = None
    #: What the body was: ``JSON {callback}``, ``1 MiB of JSON``, ``truncated JSON``; empty for none.
    body: str = ""

    def line(self) -> str:
        query = f"?{self.query}" if self.query else ""
        body = f" + {self.body}" if self.body else ""
        return f"{self.method} {self.path}{query} [{self.credential}{body}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "credential": self.credential,
            "requestId": self.request_id,
            "body": self.body,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """What the partner answered, in summary (``status`` 0: no answer; ``error`` says why)."""

    status: int
    content_type: str = ""
    #: Bytes of body read (never more than the probe's answer limit).
    size: int = 0
    #: The error ``code`` of a JSON answer (``claim_mismatch``), redacted and cut short.
    code: str = ""
    #: What the body held, in a few words (``cdata``, ``card``, ``empty``, ``HTML page``).
    shape: str = ""
    #: ``timeout``, ``connection refused``, ``answer larger than 1 MiB``: why there is no (whole) answer.
    error: str = ""
    elapsed_ms: float = 0.0
    #: The body, kept for grading and never printed or serialized.
    body: bytes = field(default=b"", repr=False, compare=False)
    #: Header names and values, kept for grading (never printed).
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def line(self) -> str:
        if self.status == 0:
            return f"no answer ({self.error})"
        parts = [str(self.status)]
        if self.shape and not (self.code and self.shape == "JSON object"):
            parts.append(self.shape)
        if self.code:
            parts.append(f"code {self.code}")
        if self.error:
            parts.append(f"({self.error})")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "contentType": self.content_type,
            "size": self.size,
            "code": self.code,
            "shape": self.shape,
            "error": self.error,
            "elapsedMs": round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its answer."""

    sent: Sent
    answer: Answer

    def line(self) -> str:
        return f"{self.sent.line()} → {self.answer.line()}"

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.sent.to_dict(), "answer": self.answer.to_dict()}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's verdict, why, and the exchanges it is based on."""

    name: str
    title: str
    outcome: Outcome
    #: Why it failed or was skipped, or what passed (one line).
    reason: str
    exchanges: tuple[Exchange, ...] = ()
    #: Things to know that do not fail the check: card warnings, a 400 where Samsung documents 401.
    notes: tuple[str, ...] = ()
    #: The items of Samsung's acceptance checklist and API pages the check stands for.
    covers: tuple[str, ...] = ()
    #: ``True`` when the check ran only because a selected check needs what it establishes.
    prerequisite: bool = False

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAIL

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "notes": list(self.notes),
            "covers": list(self.covers),
            "prerequisite": self.prerequisite,
            "exchanges": [e.to_dict() for e in self.exchanges],
        }


@dataclass(frozen=True, slots=True)
class ProbeReport:
    """Everything one run found, in the order the checks ran."""

    base_url: str
    card_id: str
    partner_id: str
    results: tuple[CheckResult, ...]
    #: Requests sent, and the most the selected checks may send.
    requests: int
    budget: int
    elapsed_s: float = 0.0

    @property
    def passed(self) -> bool:
        """``True`` when no check failed (skipped checks do not fail a run)."""
        return not any(r.failed for r in self.results)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.failed)

    def result(self, name: str) -> CheckResult:
        """The result of the check called ``name``."""
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(name)

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in Outcome}
        for result in self.results:
            counts[result.outcome.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``linkkit probe --json``)."""
        return {
            "baseUrl": self.base_url,
            "cardId": self.card_id,
            "partnerId": self.partner_id,
            "passed": self.passed,
            "counts": self.counts(),
            "requests": self.requests,
            "budget": self.budget,
            "elapsedS": round(self.elapsed_s, 3),
            "checks": [r.to_dict() for r in self.results],
        }
