"""The sandbox's memory: the simulated wallet, card templates, landing sessions, and a log of calls.

Everything lives in memory, per app, behind one lock; ``POST /_sandbox/reset`` empties it. The JSON
views (:meth:`SandboxState.wallet_json`, :meth:`SandboxState.calls_json`) are what tests assert on.
They hold refIds (tests need them) but never a token.
"""

from __future__ import annotations

import copy
import secrets
import string
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from linkkit.sandbox.faults import FaultBook

_MAX_CALLS: Final = 5000
_MAX_SESSIONS: Final = 2000
_MAX_IDEMPOTENT: Final = 10000
#: How long an answer is replayed to a retry that carries the same x-request-id.
IDEMPOTENCY_WINDOW_S: Final = 600.0
_ALPHABET: Final = string.ascii_lowercase + string.digits


def new_card_id() -> str:
    """A template id shaped like Samsung's (``3hdpejr6qi380``: 13 lower-case letters and digits)."""
    return "3" + "".join(secrets.choice(_ALPHABET) for _ in range(12))


@dataclass
class WalletCard:
    """One card instance in the simulated wallet."""

    card_id: str
    ref_id: str
    card_type: str
    sub_type: str
    entry: dict[str, Any]
    state: str
    source: str
    added_at: float
    updated_at: float
    account: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def attribute(self, name: str) -> Any:
        return self.entry.get("attributes", {}).get(name)

    def to_json(self) -> dict[str, Any]:
        return {
            "cardId": self.card_id,
            "refId": self.ref_id,
            "type": self.card_type,
            "subType": self.sub_type,
            "state": self.state,
            "source": self.source,
            "addedAt": int(self.added_at * 1000),
            "updatedAt": int(self.updated_at * 1000),
            "account": self.account,
            "data": self.entry,
            "history": self.history,
            **self.extra,
        }


@dataclass
class Session:
    """One opening of an Add to Wallet link on the landing page, until the card is added."""

    sid: str
    kind: str
    link: str
    card_id: str
    ref_id: str | None = None
    step: str = "error"  # "collect" | "preview" | "added" | "error"
    card: dict[str, Any] | None = None
    fields: list[str] = field(default_factory=list)
    message: str | None = None
    error: dict[str, str] | None = None
    warnings: list[str] = field(default_factory=list)
    partner_status: list[int] = field(default_factory=list)
    created_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "session": self.sid,
            "kind": self.kind,
            "cardId": self.card_id,
            "refId": self.ref_id,
            "step": self.step,
            "card": self.card,
            "fields": self.fields,
            "message": self.message,
            "error": self.error,
            "warnings": self.warnings,
            "partnerStatus": self.partner_status,
        }


class SandboxState:
    """All mutable state of one sandbox app (thread-safe through :meth:`locked`)."""

    def __init__(self, *, partner_base_url: str | None, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self.faults = FaultBook()
        self.partner_base_url = partner_base_url
        self.cards: dict[tuple[str, str], WalletCard] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.calls: deque[dict[str, Any]] = deque(maxlen=_MAX_CALLS)
        self._answers: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._tokens: OrderedDict[str, tuple[float, str]] = OrderedDict()

    @contextmanager
    def locked(self) -> Iterator[SandboxState]:
        with self._lock:
            yield self

    def reset(self) -> None:
        with self._lock:
            self.cards.clear()
            self.templates.clear()
            self.sessions.clear()
            self.calls.clear()
            self._answers.clear()
            self._tokens.clear()
            self.faults.clear()

    # -- log ------------------------------------------------------------------------------------

    def log(
        self, direction: str, api: str, method: str, path: str, status: int | str, request_id: str | None, **extra: Any
    ) -> None:
        record = {
            "at": int(self._clock() * 1000),
            "direction": direction,
            "api": api,
            "method": method,
            "path": path,
            "status": status,
            "requestId": request_id,
            **extra,
        }
        with self._lock:
            self.calls.append(record)

    def calls_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self.calls))

    # -- wallet ---------------------------------------------------------------------------------

    def wallet_json(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(
                {
                    "cards": [card.to_json() for card in self.cards.values()],
                    "templates": list(self.templates.values()),
                }
            )

    def put_card(self, card: WalletCard) -> None:
        with self._lock:
            self.cards[(card.card_id, card.ref_id)] = card

    def find_cards(self, card_id: str, predicate: Callable[[WalletCard], bool]) -> list[WalletCard]:
        with self._lock:
            return [c for (cid, _), c in self.cards.items() if cid == card_id and predicate(c)]

    def set_state(self, card: WalletCard, state: str, **note: Any) -> None:
        with self._lock:
            card.state = state
            card.updated_at = self._clock()
            card.history.append({"at": int(card.updated_at * 1000), "state": state, **note})

    # -- sessions -------------------------------------------------------------------------------

    def new_session(self, kind: str, link: str, card_id: str) -> Session:
        session = Session(
            sid=secrets.token_urlsafe(18), kind=kind, link=link, card_id=card_id, created_at=self._clock()
        )
        with self._lock:
            self.sessions[session.sid] = session
            while len(self.sessions) > _MAX_SESSIONS:
                self.sessions.popitem(last=False)
        return session

    def session(self, sid: str) -> Session | None:
        with self._lock:
            return self.sessions.get(sid)

    # -- idempotent retries ---------------------------------------------------------------------

    def cached_answer(self, request_id: str) -> tuple[int, bytes] | None:
        with self._lock:
            hit = self._answers.get(request_id)
            if hit is None or self._clock() - hit[0] > IDEMPOTENCY_WINDOW_S:
                return None
            return hit[1], hit[2]

    def token_reused(self, signature: str, request_id: str) -> bool:
        """Remember which request a token signature came with; ``True`` when it came with another."""
        with self._lock:
            now = self._clock()
            first = self._tokens.get(signature)
            if first is not None and now - first[0] <= IDEMPOTENCY_WINDOW_S:
                return first[1] != request_id
            self._tokens[signature] = (now, request_id)
            while len(self._tokens) > _MAX_IDEMPOTENT:
                self._tokens.popitem(last=False)
            return False

    def remember_answer(self, request_id: str, status: int, body: bytes) -> None:
        with self._lock:
            self._answers[request_id] = (self._clock(), status, body)
            while len(self._answers) > _MAX_IDEMPOTENT:
                self._answers.popitem(last=False)
