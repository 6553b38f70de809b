"""Refuse replayed requests: an ``x-request-id`` or a token seen before within the token window.

Samsung's AUTH token is valid for ±60 s around its ``utc`` and binds only method and path, so a
captured request could be sent again. The request id is not signed: a replay under a new id must
still be refused, so a guard also remembers each token, by its *decoded, verified signature bytes*.
Keying on the text would not do: a lax base64url decoder reads several spellings of the last
character as the same bytes, and whitespace or the scheme's case can change around a token while the
verifier reads the same token (the review that found this spent one token 18 times). linkkit's
decoder accepts one spelling only (:mod:`linkkit._b64`), and the key is the bytes anyway.

In memory and per process. A deployment with several worker processes shares one store by passing
its database-backed partner store, which implements the same ``check_and_remember`` method.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from linkkit.atw._jose import decode_jws
from linkkit.errors import ConfigError, ReplayError
from linkkit.errors import ReplayCapacityError as ReplayCapacityError


def signature_key(signature: bytes) -> str:
    """The replay key of one token: the SHA-256 of its decoded signature bytes."""
    if not isinstance(signature, bytes) or not signature:
        raise ConfigError("signature must be the token's decoded signature bytes")
    return "sig:" + hashlib.sha256(signature).hexdigest()


def token_signature(token: str) -> bytes:
    """The decoded signature of a compact JWS (or ``Bearer`` value), read by the strict decoder."""
    return decode_jws(token).signature


def signed_link_key(signature: bytes) -> str:
    """The replay key of a signedAtwLink: the SHA-256 of its decoded signature bytes."""
    return "atw:" + signature_key(signature).removeprefix("sig:")


def replay_keys(request_id: str, signature: bytes | None = None, *, token: str | None = None) -> list[str]:
    """The keys a replay store remembers for one request: its id, and its token's signature.

    :param signature: the decoded signature of the verified token (``VerifiedAuthToken.signature``).
    :param token: instead of ``signature``, the token text: its signature is decoded here, strictly.
        Prefer ``signature``: it is what the verifier already checked.
    """
    if not request_id:
        raise ReplayError("x-request-id is required")
    keys = [f"id:{request_id}"]
    if signature is None and token:
        signature = token_signature(token)
    if signature is not None:
        keys.append(signature_key(signature))
    return keys


class ReplayGuard:
    """Remembers request ids and token signatures for ``window`` seconds; a second sighting of either
    raises :class:`ReplayError`.

    :param window: how long an entry is remembered: at least the span a token is accepted in
        (±60 s around its utc for AUTH tokens, so 120 s, plus slack).
    :param max_entries: memory bound, in requests. Entries that left the window are forgotten first;
        when ``max_entries`` requests are all still inside it, a new request is refused with
        :class:`ReplayCapacityError` (the partner answers 503) instead of forgetting one that could
        still be replayed.
    """

    def __init__(self, *, window: float = 150.0, max_entries: int = 100_000, clock: Callable[[], float] = time.time):
        if window <= 0 or max_entries <= 0:
            raise ConfigError("window and max_entries must be positive")
        self._window = window
        self._max_keys = 2 * max_entries  # a request stores its id and its signature
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> the time it is forgotten
        self._lock = threading.Lock()

    @property
    def window(self) -> float:
        """Seconds a request id or a signature is remembered."""
        return self._window

    def _forget_expired(self, now: float) -> None:
        # Entries are in insertion order; one with a later expiry (remember_once) can stand in front
        # of expired ones, which then wait for it or for the sweep when the guard is full.
        while self._seen:
            key, until = next(iter(self._seen.items()))
            if until > now:
                break
            del self._seen[key]

    def _remember(self, keys: list[str], now: float, until: float) -> None:
        with self._lock:
            self._forget_expired(now)
            for key in keys:
                until_seen = self._seen.get(key)
                if until_seen is not None and until_seen > now:
                    raise ReplayError(
                        "this x-request-id was already used (replay)"
                        if key.startswith("id:")
                        else "this token was already used (replay)"
                    )
            if len(self._seen) + len(keys) > self._max_keys:
                # A long-lived entry in front may hold expired ones behind it: sweep them all once.
                for key in [k for k, until_seen in self._seen.items() if until_seen <= now]:
                    del self._seen[key]
            if len(self._seen) + len(keys) > self._max_keys:
                raise ReplayCapacityError("the replay guard is full of live entries; try again shortly")
            for key in keys:
                self._seen.pop(key, None)
                self._seen[key] = until

    def check_and_remember(self, request_id: str, *, signature: bytes | None = None, token: str | None = None) -> None:
        """Record ``request_id`` and the token's ``signature``; a second sighting of either within the
        window raises :class:`ReplayError` (see :func:`replay_keys` for the arguments)."""
        keys = replay_keys(request_id, signature, token=token)
        now = self._clock()
        self._remember(keys, now, now + self._window)

    def remember_once(self, key: str, *, until: float) -> None:
        """Record ``key`` until the epoch time ``until``; raise :class:`ReplayError` if it is already
        recorded. For credentials that live longer than the window (a signedAtwLink: 5 minutes)."""
        now = self._clock()
        self._remember([key], now, max(until, now))
