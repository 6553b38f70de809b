"""What the partner endpoints tell operators about each call: metrics, spans and one access line.

Each call Samsung (or a user's click) makes is named by its endpoint and ends in one outcome:

* ``answered`` (2xx, 3xx; code ``ok``),
* ``refused`` (4xx; the answer's ``code``: ``bad_signature``, ``replayed``, ``unknown_card`` ...),
* ``failed`` (5xx, or an exception; ``internal_error``, ``unavailable`` ...).

:class:`RequestObserver` records the call into :class:`~linkkit.observability.Telemetry` (a counter and a
latency histogram, the replay refusals, a span with the request id) and writes one line to the
``linkkit.access`` logger (a JSON object with ``LINKKIT_LOG_FORMAT=json``). When OpenTelemetry is not
installed and nobody listens to ``linkkit.access`` at INFO, :meth:`RequestObserver.active` is ``False``
and the server does not call it at all.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from typing import Any, Final

from linkkit.errors import ReplayError
from linkkit.observability.logs import access_logger
from linkkit.observability.telemetry import DURATION, REPLAYS, REQUESTS, Telemetry, request_scope
from linkkit.partner.wire import Request, Response

GET_CARD_DATA: Final = "get_card_data"
SEND_CARD_STATE: Final = "send_card_state"
REQUEST_ACTION: Final = "request_action"
CLICK_LINK: Final = "click_link"
#: A path outside the partner's routes.
OTHER: Final = "other"
#: Every endpoint name the metrics and the access log use.
ENDPOINTS: Final = (GET_CARD_DATA, SEND_CARD_STATE, REQUEST_ACTION, CLICK_LINK, OTHER)

ANSWERED: Final = "answered"
REFUSED: Final = "refused"
FAILED: Final = "failed"

#: The code of an answer whose body names none.
_STATUS_CODES: Final = {
    404: "not_found",
    405: "method_not_allowed",
    410: "gone",
    413: "body_too_large",
    500: "internal_error",
    503: "unavailable",
}
# The shape auth.py accepts for x-request-id: anything else is not written anywhere.
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request: Request) -> str | None:
    """Samsung's ``x-request-id`` when it has the accepted shape, else ``None``."""
    value = request.headers.get("x-request-id")
    return value if value is not None and _REQUEST_ID.fullmatch(value) else None


def outcome_of(response: Response) -> tuple[str, str]:
    """``(outcome, code)`` of an answer (see the module docstring)."""
    status = response.status
    if status < 400:
        return ANSWERED, "ok"
    code = response.code or _STATUS_CODES.get(status) or f"http_{status}"
    return (FAILED if status >= 500 else REFUSED), code


class RequestObserver:
    """Measures partner calls (see the module docstring)."""

    def __init__(self, telemetry: Telemetry) -> None:
        self._telemetry = telemetry
        self._access = access_logger()
        self._attributes: dict[tuple[str, str, str], tuple[dict[str, str], dict[str, str]]] = {}

    def active(self) -> bool:
        """Whether measuring a call records anything at all."""
        return self._telemetry.enabled or self._access.isEnabledFor(logging.INFO)

    def observe(self, request: Request, endpoint: str, respond: Callable[[], Response]) -> Response:
        """Answer with ``respond()`` and record the call as ``endpoint``."""
        if not self._telemetry.recording():
            return self._answer(None, request, endpoint, respond)
        with (
            request_scope(request_id_of(request)),
            self._telemetry.span(f"linkkit {endpoint}", {"linkkit.endpoint": endpoint}) as span,
        ):
            return self._answer(span, request, endpoint, respond)

    def _answer(self, span: Any, request: Request, endpoint: str, respond: Callable[[], Response]) -> Response:
        start = time.perf_counter()
        try:
            response = respond()
        except Exception:
            # the adapters answer 500 internal_error (the span's status names the exception)
            self._finish(span, request, endpoint, FAILED, "internal_error", 500, start)
            raise
        outcome, code = outcome_of(response)
        self._finish(span, request, endpoint, outcome, code, response.status, start)
        return response

    def _finish(
        self, span: Any, request: Request, endpoint: str, outcome: str, code: str, status: int, start: float
    ) -> None:
        seconds = time.perf_counter() - start
        telemetry = self._telemetry
        if telemetry.enabled:
            counted, timed = self._attributes_for(endpoint, outcome, code)
            telemetry.count(REQUESTS, counted)
            telemetry.record(DURATION, seconds, timed)
            if code == ReplayError.code:
                telemetry.count(REPLAYS, {"linkkit.endpoint": endpoint})
            if span is not None:
                span.set_attribute("linkkit.outcome", outcome)
                span.set_attribute("linkkit.code", code)
                span.set_attribute("http.response.status_code", status)
                if outcome == FAILED:
                    from opentelemetry.trace import Status, StatusCode

                    span.set_status(Status(StatusCode.ERROR, code))
        if self._access.isEnabledFor(logging.INFO):
            duration_ms = round(seconds * 1000, 3)
            self._access.info(
                "%s %s %s (%d) in %.1f ms",
                endpoint,
                outcome,
                code,
                status,
                duration_ms,
                extra={
                    "request_id": request_id_of(request),
                    "endpoint": endpoint,
                    "outcome": outcome,
                    "code": code,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )

    def _attributes_for(self, endpoint: str, outcome: str, code: str) -> tuple[dict[str, str], dict[str, str]]:
        # Codes come from linkkit's own answers (a few dozen): one pair of dicts per combination.
        key = (endpoint, outcome, code)
        found = self._attributes.get(key)
        if found is None:
            found = (
                {"linkkit.endpoint": endpoint, "linkkit.outcome": outcome, "linkkit.code": code},
                {"linkkit.endpoint": endpoint, "linkkit.outcome": outcome},
            )
            if len(self._attributes) < 1024:
                self._attributes[key] = found
        return found


class TracedStore:
    """A partner store whose every method call is a ``linkkit.store <method>`` span; everything else is
    the wrapped store's (the server wraps its store in one only when spans are recorded)."""

    def __init__(self, store: object, telemetry: Telemetry) -> None:
        self._store = store
        self._telemetry = telemetry

    def __repr__(self) -> str:
        return f"TracedStore({self._store!r})"

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if name.startswith("_") or not callable(value):
            return value
        span = self._telemetry.span
        label, attributes = f"linkkit.store {name}", {"db.operation.name": name}

        @functools.wraps(value)
        def traced(*args: Any, **kwargs: Any) -> Any:
            with span(label, attributes):
                return value(*args, **kwargs)

        self.__dict__[name] = traced  # found directly next time
        return traced
