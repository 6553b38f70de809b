"""Health endpoints for load balancers and Kubernetes, and the watch on the keys' expiry.

::

    GET /healthz   200 {"status": "alive"}: the process answers (a liveness probe)
    GET /readyz    200 {"status": "ready", ...} | 503 {"status": "not_ready", ...}: send traffic here?

``/readyz`` is ready when the store answers (its ``ping()``), the keyring is loaded, the partner key
that signs now and the Samsung certificate Card Data Tokens are encrypted to have not expired, and at
least one Samsung certificate that verifies has not. Its body names each check and the certificate
ids in use (public values: they are in every link and certificate), never a key. Both routes sit
under the same mount as the partner endpoints, are answered before any AUTH check, and are not counted
in the request metrics (probes would drown them).

:class:`ExpiryWatch` logs a warning for each certificate within 30 days of its expiry when the server
starts and again once a day, and refuses the start when one has expired (``allow_expired`` overrides).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from linkkit.expiry import keyring_expiries, refuse_expired
from linkkit.keyring import KeyringSource
from linkkit.observability.telemetry import error_code
from linkkit.partner.wire import Request, Response

HEALTHZ: Final = "/healthz"
READYZ: Final = "/readyz"
HEALTH_ROUTES: Final = frozenset({HEALTHZ, READYZ})
_DAY: Final = 86400.0


class Health:
    """Answers ``/healthz`` and ``/readyz`` (see the module docstring)."""

    def __init__(self, store: object, keys: KeyringSource, clock: Callable[[], float], logger: logging.Logger) -> None:
        self._store = store
        self._keys = keys
        self._clock = clock
        self._logger = logger

    def answer(self, request: Request) -> Response:
        """The answer to a request whose route is in :data:`HEALTH_ROUTES`."""
        if request.method not in ("GET", "HEAD"):
            return Response.empty(405, headers=(("Allow", "GET, HEAD"),))
        if request.route == HEALTHZ:
            response = Response.json(200, {"status": "alive"})
        else:
            ready, body = self.readiness()
            response = Response.json(200 if ready else 503, body)
        return Response(response.status, response.headers) if request.method == "HEAD" else response

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        """``(ready, body)`` of ``/readyz``."""
        checks: dict[str, str] = {"store": self._store_check()}
        now = self._clock()
        keyring = self._keys.current()
        signing, encrypting = keyring.partner_key(now), keyring.encryption_certificate(now)
        problems = []
        for entry, role in ((signing, "partner certificate"), (encrypting, "Samsung certificate")):
            if entry.expires_at is not None and entry.expires_at <= now:
                problems.append(f"the {role} in use ({entry.certificate_id or 'any id'}) has expired")
        if all(c.expires_at is not None and c.expires_at <= now for c in keyring.samsung_certificates):
            problems.append("every Samsung certificate has expired")
        checks["keys"] = "; ".join(dict.fromkeys(problems)) or "ok"
        ready = checks["store"] in ("ok", "unchecked") and checks["keys"] == "ok"
        body = {
            "status": "ready" if ready else "not_ready",
            "checks": checks,
            "keys": {
                "partner": {"current": signing.certificate_id, "ids": list(keyring.partner_certificate_ids())},
                "samsung": {
                    "current": encrypting.certificate_id,
                    "ids": [c.certificate_id for c in keyring.samsung_certificates],
                },
            },
        }
        return ready, body

    def _store_check(self) -> str:
        ping = getattr(self._store, "ping", None)
        if not callable(ping):
            return "unchecked"  # a store of the application's own without ping()
        try:
            ping()
        except Exception as exc:
            self._logger.warning("readyz: the store does not answer (%s)", error_code(exc))
            return "unreachable"
        return "ok"


class ExpiryWatch:
    """Says which certificates expire soon: at start (refusing an expired one unless ``allow_expired``),
    then once a day from :meth:`tick`, which the server calls on each request (a float comparison)."""

    def __init__(
        self, keys: KeyringSource, clock: Callable[[], float], logger: logging.Logger, *, allow_expired: bool
    ) -> None:
        self._keys = keys
        self._clock = clock
        self._logger = logger
        now = clock()
        refuse_expired(keyring_expiries(keys.current(), now=now), allow_expired=allow_expired, logger=logger)
        self._next = now + _DAY

    def tick(self) -> None:
        now = self._clock()
        if now < self._next:
            return
        self._next = now + _DAY
        for item in keyring_expiries(self._keys.current(), now=now):
            if item.status == "warn":
                self._logger.warning("%s", item.describe())
            elif item.status == "expired":
                self._logger.error("%s", item.describe())
