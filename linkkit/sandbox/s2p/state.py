"""What the sandbox S2P server remembers: registrations, their wallet sessions, and injected faults.

In memory, guarded by one lock: the sandbox is a test double for one process, not a database.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from linkkit.s2p import protocol as p

#: Where a registration's wallet session stands.
#: ``waiting`` (nobody scanned yet) → ``linking`` (WA_READY on its way to the partner) → ``linked``
#: (issuer blob delivered, the wallet tokenizes) → ``finishing`` (final notification on its way)
#: → ``final``.
Phase = Literal["waiting", "linking", "linked", "finishing", "final"]


def new_token() -> str:
    """An unguessable URL token (256 bits): welcome and scan URLs are bearer capabilities."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, kw_only=True)
class WalletAccount:
    """The Samsung account and device of the simulated wallet app (what S2P forwards to the partner)."""

    user_id: str = "sandbox-user-0001"
    email: str | None = "wallet.user@example.com"
    phone: str | None = "+1(555)0100"
    device_id: str = "sandbox-device-0001"
    wallet_id: str = "sandbox-wallet-0001"
    imei_last4: str | None = "1234"
    serial_last4: str | None = "5678"
    country: str | None = "US"


@dataclass
class SandboxRegistration:
    """One registration and its wallet session (mutated only under :attr:`RegistrationBook.lock`)."""

    id: str
    partner_id: str
    #: The ``registration`` member as the partner sent it (validated).
    body: dict[str, Any] = field(repr=False)
    created_at: float
    welcome_token: str = field(repr=False)
    welcome_expires_at: float
    scan_token: str = field(repr=False)
    status: str = p.PENDING
    phase: Phase = "waiting"
    account: WalletAccount | None = None
    linked_at: float | None = None
    #: When the provisioning session times out (set when a wallet links).
    deadline: float | None = None
    issuer_blob: str | None = field(default=None, repr=False)
    #: Name of the final outcome (:data:`linkkit.sandbox.s2p.flow.OUTCOMES`) once there is one.
    outcome: str | None = None
    #: The last ``s2p:status`` message for the welcome page, and a counter that moves with it.
    message: dict[str, object] | None = None
    text: str = "Scan the QR code with Samsung Wallet on your phone."
    seq: int = 0
    #: Email/phone a user typed on the welcome page to get a link (allowOfflineCommunication).
    offline_contacts: list[dict[str, str]] = field(default_factory=list, repr=False)

    def custom(self, name: str) -> Any:
        return self.body.get("custom", {}).get(name)

    def publish(self, message: dict[str, object], text: str) -> None:
        self.message, self.text, self.seq = message, text, self.seq + 1


class RegistrationBook:
    """Registrations by id, welcome token and scan token."""

    def __init__(self) -> None:
        #: Held while reading or changing any registration.
        self.lock = threading.RLock()
        self._by_id: dict[str, SandboxRegistration] = {}
        self._by_welcome: dict[str, str] = {}
        self._by_scan: dict[str, str] = {}

    def __len__(self) -> int:
        with self.lock:
            return len(self._by_id)

    def all(self) -> list[SandboxRegistration]:
        with self.lock:
            return list(self._by_id.values())

    def create(self, partner_id: str, body: dict[str, Any], *, now: float, welcome_ttl: float) -> SandboxRegistration:
        reg = SandboxRegistration(
            id=str(uuid.uuid4()),  # 36 characters: a Save to Pay UUID (26 to 128)
            partner_id=partner_id,
            body=body,
            created_at=now,
            welcome_token=new_token(),
            welcome_expires_at=now + welcome_ttl,
            scan_token=new_token(),
        )
        with self.lock:
            self._by_id[reg.id] = reg
            self._by_welcome[reg.welcome_token] = reg.id
            self._by_scan[reg.scan_token] = reg.id
        return reg

    def clear(self) -> None:
        """Forget every registration."""
        with self.lock:
            self._by_id.clear()
            self._by_welcome.clear()
            self._by_scan.clear()

    def get(self, reg_id: str) -> SandboxRegistration | None:
        with self.lock:
            return self._by_id.get(reg_id)

    def by_welcome_token(self, token: str) -> SandboxRegistration | None:
        with self.lock:
            reg_id = self._by_welcome.get(token)
            return self._by_id.get(reg_id) if reg_id else None

    def by_scan_token(self, token: str) -> SandboxRegistration | None:
        with self.lock:
            reg_id = self._by_scan.get(token)
            return self._by_id.get(reg_id) if reg_id else None

    def renew_welcome(self, reg: SandboxRegistration, *, now: float, welcome_ttl: float) -> None:
        """Give an expired welcome URL a successor (Samsung: "a GET call will return the new URL")."""
        with self.lock:
            if now < reg.welcome_expires_at:
                return
            self._by_welcome.pop(reg.welcome_token, None)
            reg.welcome_token = new_token()
            reg.welcome_expires_at = now + welcome_ttl
            self._by_welcome[reg.welcome_token] = reg.id


@dataclass(frozen=True, slots=True)
class Fault:
    """An injected error answer: a Save to Pay application code and its ``Retry-After``."""

    code: str
    retry_after: int = 1

    def __post_init__(self) -> None:
        if self.code not in p.APPLICATION_CODES or self.code == p.INVALID_DATA:
            raise ValueError(f"code must be one of {p.INTERNAL_ERROR}, {p.SERVICE_UNAVAILABLE}, {p.API_UNAVAILABLE}")
        if not isinstance(self.retry_after, int) or self.retry_after < 0:
            raise ValueError("retry_after must be a non-negative int of seconds")


#: Request header that injects a fault into one request, as elsewhere in the sandbox:
#: ``x-linkkit-fault: 503.1``, ``503.2=5`` (Retry-After 5 s), ``500.1``; ``503`` and ``500`` mean
#: ``503.1`` and ``500.1``.
FAULT_HEADER: Final = "x-linkkit-fault"
_SHORT_CODES: Final = {"503": p.SERVICE_UNAVAILABLE, "500": p.INTERNAL_ERROR}


class Faults:
    """Fault injection for the registrations API, per request or for the whole run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Fault] = deque()
        self._outage: Fault | None = None

    def fail_next(self, code: str = p.SERVICE_UNAVAILABLE, *, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next ``times`` API requests with ``code`` (503 with ``Retry-After``, or 500)."""
        fault = Fault(code, retry_after)
        with self._lock:
            self._queue.extend([fault] * times)

    def start_outage(self, code: str = p.API_UNAVAILABLE, *, retry_after: int = 30) -> None:
        """Answer every API request with ``code`` until :meth:`clear`."""
        with self._lock:
            self._outage = Fault(code, retry_after)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._outage = None

    def take(self, header: str | None) -> Fault | None:
        """The fault for this request: the header's, else the next queued one, else the outage."""
        if header:
            return parse_fault_header(header)
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            return self._outage


def parse_fault_header(value: str) -> Fault | None:
    """``503.1``, ``503.2=5`` or ``500`` → a :class:`Fault`; None when it names no S2P fault."""
    for item in value.split(","):
        code, _, number = item.strip().partition("=")
        code = _SHORT_CODES.get(code.strip(), code.strip())
        retry_after = int(float(number)) if number.strip().replace(".", "", 1).isdigit() else 1
        try:
            return Fault(code, retry_after)
        except ValueError:
            continue
    return None
