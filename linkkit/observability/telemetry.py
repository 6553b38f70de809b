"""Metrics and spans through the OpenTelemetry API, when it is installed (``pip install 'linkkit[otel]'``).

linkkit never configures OpenTelemetry: it asks the API for a meter and a tracer named ``linkkit`` and
records into them. Whatever SDK, exporter and Prometheus endpoint the application sets up receives the
figures; an application that sets up nothing gets the API's no-op objects. Without the package, every
recording method here is a no-op and :attr:`Telemetry.enabled` is ``False``, so the partner endpoints
skip the measuring altogether (``bench/bench_metrics.py`` measures both).

What is recorded (the table of docs/operations.md is generated from :data:`INSTRUMENTS`):

* no secret, no token, no refId, no card content: only endpoint names, outcome codes, channels and
  request ids (Samsung's ``x-request-id``, which identifies a request and opens nothing);
* spans are INTERNAL spans under whatever HTTP server span the application's instrumentation made.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

from linkkit.errors import LinkKitError

#: The instrumentation scope: meter and tracer name.
SCOPE: Final = "linkkit"

#: Histogram buckets (seconds) for request latency: a Get Card Data answer takes 1-5 ms on one core.
LATENCY_BUCKETS: Final = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass(frozen=True, slots=True)
class Instrument:
    """One metric linkkit records: its OpenTelemetry name, kind, unit and attributes."""

    name: str
    kind: str  # "counter" or "histogram"
    unit: str
    description: str
    attributes: tuple[str, ...]

    @property
    def prometheus_name(self) -> str:
        """The name the OpenTelemetry Prometheus exporter gives it (dots become underscores, a unit suffix,
        ``_total`` for counters)."""
        base = self.name.replace(".", "_")
        if self.unit == "s":
            base += "_seconds"
        return base + ("_total" if self.kind == "counter" else "")


REQUESTS: Final = Instrument(
    "linkkit.partner.requests",
    "counter",
    "{request}",
    "Calls to the partner endpoints, by endpoint and outcome (answered, refused, failed) and its code",
    ("linkkit.endpoint", "linkkit.outcome", "linkkit.code"),
)
DURATION: Final = Instrument(
    "linkkit.partner.request.duration",
    "histogram",
    "s",
    "Time from routing a call to its answer, by endpoint and outcome",
    ("linkkit.endpoint", "linkkit.outcome"),
)
REPLAYS: Final = Instrument(
    "linkkit.partner.replay_refusals",
    "counter",
    "{request}",
    "Calls refused because their x-request-id or AUTH token was seen before",
    ("linkkit.endpoint",),
)
MINTS: Final = Instrument(
    "linkkit.click_links.mints",
    "counter",
    "{link}",
    "Click-time links created, by channel",
    ("linkkit.channel",),
)
SPENDS: Final = Instrument(
    "linkkit.click_links.spends",
    "counter",
    "{open}",
    "Click-time links opened, by outcome (ok spends one use; unknown, expired, exhausted, revoked do not)",
    ("linkkit.outcome",),
)
NOTIFIER_SENDS: Final = Instrument(
    "linkkit.notifier.sends",
    "counter",
    "{call}",
    "Update Notification calls to Samsung, by outcome (accepted, failed)",
    ("linkkit.outcome",),
)
NOTIFIER_FAILURES: Final = Instrument(
    "linkkit.notifier.failures",
    "counter",
    "{call}",
    "Update Notification calls that failed, by error code (the HTTP status, or transport)",
    ("linkkit.code",),
)
#: Every metric, in the order docs/operations.md lists them.
INSTRUMENTS: Final = (REQUESTS, DURATION, REPLAYS, MINTS, SPENDS, NOTIFIER_SENDS, NOTIFIER_FAILURES)

#: Every span name linkkit opens (the partner request span is ``linkkit <endpoint>``).
SPANS: Final = {
    "linkkit <endpoint>": "one partner call, from routing to answer (endpoint, request id, outcome, code, status)",
    "linkkit.verify": "the AUTH token check of a Samsung call (the code of the failed check when it fails)",
    "linkkit.store <operation>": "one call to the partner store (check_and_remember, record_event, use_click_link ...)",
    "linkkit.card.build": "getting the card from the merchant's CardSource, validating it and minting its token",
}

#: The request id of the call being answered, put on every span opened while it runs.
_REQUEST_ID: Final[contextvars.ContextVar[str | None]] = contextvars.ContextVar("linkkit_request_id", default=None)
_NO_SPAN: Final = contextlib.nullcontext()


def _import_otel() -> tuple[ModuleType, ModuleType] | None:
    try:
        return importlib.import_module("opentelemetry.metrics"), importlib.import_module("opentelemetry.trace")
    except ImportError:
        return None


def error_code(exc: BaseException) -> str:
    """What a span or a metric says about an exception: a linkkit error's code, else its class name
    (never its message, which may quote a value)."""
    code = getattr(exc, "code", None) if isinstance(exc, LinkKitError) else None
    return code if isinstance(code, str) and code else type(exc).__name__


class Telemetry:
    """Where linkkit's metrics and spans go.

    :param meter_provider: an OpenTelemetry ``MeterProvider``; default: the global one.
    :param tracer_provider: an OpenTelemetry ``TracerProvider``; default: the global one.
    :raises linkkit.errors.ConfigError: a provider is given but OpenTelemetry is not installed.

    ``Telemetry.default()`` is what every linkkit object uses unless it is given another: the global
    providers when the OpenTelemetry API is installed, else :data:`DISABLED`.
    """

    __slots__ = ("_counters", "_histograms", "_tracer", "enabled")

    def __init__(self, *, meter_provider: Any = None, tracer_provider: Any = None, _enabled: bool = True) -> None:
        self._counters: dict[str, Any] = {}
        self._histograms: dict[str, Any] = {}
        self._tracer: Any = None
        otel = _import_otel() if _enabled else None
        if otel is None:
            if meter_provider is not None or tracer_provider is not None:
                from linkkit.errors import ConfigError

                raise ConfigError("telemetry: OpenTelemetry is not installed (pip install 'linkkit[otel]')")
            #: ``False`` when nothing is recorded (OpenTelemetry not installed, or :data:`DISABLED`).
            self.enabled = False
            return
        metrics, trace = otel
        version = _version()
        meter = (meter_provider or metrics.get_meter_provider()).get_meter(SCOPE, version)
        for item in INSTRUMENTS:
            if item.kind == "counter":
                self._counters[item.name] = meter.create_counter(
                    item.name, unit=item.unit, description=item.description
                )
            else:
                self._histograms[item.name] = meter.create_histogram(
                    item.name,
                    unit=item.unit,
                    description=item.description,
                    explicit_bucket_boundaries_advisory=LATENCY_BUCKETS,
                )
        self._tracer = (tracer_provider or trace.get_tracer_provider()).get_tracer(SCOPE, version)
        self.enabled = True

    _default: Telemetry | None = None

    @classmethod
    def default(cls) -> Telemetry:
        """The process's telemetry: the global OpenTelemetry providers, or :data:`DISABLED` without the
        package. Made once; the global providers may be set later (the API forwards to them)."""
        found = Telemetry._default
        if found is None:
            found = Telemetry._default = cls() if _import_otel() is not None else DISABLED
        return found

    def __repr__(self) -> str:
        return f"Telemetry(enabled={self.enabled})"

    # -- metrics ----------------------------------------------------------------------------------

    def count(self, instrument: Instrument, attributes: Mapping[str, str], amount: int = 1) -> None:
        """Add ``amount`` to a counter of :data:`INSTRUMENTS`."""
        counter = self._counters.get(instrument.name)
        if counter is not None:
            counter.add(amount, attributes)

    def record(self, instrument: Instrument, value: float, attributes: Mapping[str, str]) -> None:
        """Record ``value`` into a histogram of :data:`INSTRUMENTS`."""
        histogram = self._histograms.get(instrument.name)
        if histogram is not None:
            histogram.record(value, attributes)

    # -- spans ------------------------------------------------------------------------------------

    def span(
        self, name: str, attributes: Mapping[str, str | int] | None = None
    ) -> contextlib.AbstractContextManager[Any]:
        """A span around a block (a no-op context without OpenTelemetry). The request id of the call
        being answered is added; a failure sets the span's status and ``error.type`` to the error's code
        (a linkkit error's ``code``, else the exception's class name), never its text."""
        if self._tracer is None:
            return _NO_SPAN
        return self._span(name, attributes)

    @contextlib.contextmanager
    def _span(self, name: str, attributes: Mapping[str, str | int] | None) -> Iterator[Any]:
        values: dict[str, str | int] = dict(attributes or {})
        request_id = _REQUEST_ID.get()
        if request_id is not None:
            values["linkkit.request_id"] = request_id
        with self._tracer.start_as_current_span(
            name, attributes=values, record_exception=False, set_status_on_exception=False
        ) as span:
            try:
                yield span
            except BaseException as exc:
                code = error_code(exc)
                span.set_attribute("error.type", code)  # OpenTelemetry's semantic convention
                span.set_status(_error_status(code))
                raise


def _error_status(code: str) -> Any:
    from opentelemetry.trace import Status, StatusCode

    return Status(StatusCode.ERROR, code)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("linkkit")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "0"


@contextlib.contextmanager
def request_scope(request_id: str | None) -> Iterator[None]:
    """Spans opened inside carry ``request_id`` as ``linkkit.request_id``."""
    token = _REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)


#: Records nothing, whatever is installed: ``PartnerServer(..., telemetry=DISABLED)``.
DISABLED: Final = Telemetry(_enabled=False)
