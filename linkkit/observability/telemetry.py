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

import collections
import contextlib
import contextvars
import functools
import importlib
import threading
import time
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


class _Tally:
    """linkkit's own running totals behind the counters: adding is a dict update under a lock, and
    OpenTelemetry reads the totals when it collects (observable counters). A synchronous counter would
    cost the SDK's whole measurement path (about 10 µs) on every call of a hot endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: dict[str, dict[tuple[tuple[str, str], ...], int]] = {i.name: {} for i in INSTRUMENTS}

    def add(self, name: str, attributes: Mapping[str, str], amount: int) -> None:
        key = tuple(attributes.items())
        with self._lock:
            totals = self._totals[name]
            totals[key] = totals.get(key, 0) + amount

    def observe(self, name: str, observation: Any) -> list[Any]:
        with self._lock:
            items = list(self._totals[name].items())
        return [observation(value, dict(key)) for key, value in items]


class _Latencies:
    """Latency values on their way to the SDK's histogram, handed over in runs: when 256 wait, when the
    oldest waited a second, and whenever the SDK collects (from the counters' callback, which the SDK runs
    before it reads its histograms). One value recorded right after a call costs the SDK's whole path
    with cold caches (about 55 µs after an RSA signature on a loaded core; 14 µs in a run): a run keeps
    the per-call cost to an append."""

    LIMIT: Final = 256
    MAX_AGE_S: Final = 1.0

    def __init__(self, histograms: Mapping[str, Any]) -> None:
        self._histograms = histograms
        self._waiting: collections.deque[tuple[str, float, Mapping[str, str]]] = collections.deque()
        self._since = time.monotonic()

    def add(self, name: str, value: float, attributes: Mapping[str, str]) -> None:
        waiting = self._waiting
        if not waiting:
            self._since = time.monotonic()
        waiting.append((name, value, attributes))
        if len(waiting) >= self.LIMIT or time.monotonic() - self._since >= self.MAX_AGE_S:
            self.flush()

    def flush(self) -> None:
        waiting, histograms = self._waiting, self._histograms
        while True:
            try:
                name, value, attributes = waiting.popleft()  # atomic: no value is handed over twice
            except IndexError:
                return
            histograms[name].record(value, attributes)


#: One set of instruments per meter provider: two Telemetry objects on one provider share them (the SDK
#: refuses a second instrument of the same name).
_BY_PROVIDER: Final[dict[int, tuple[Any, _Tally, _Latencies]]] = {}
_BY_PROVIDER_LOCK: Final = threading.Lock()


def _instruments(provider: Any, metrics: ModuleType) -> tuple[_Tally, _Latencies]:
    with _BY_PROVIDER_LOCK:
        found = _BY_PROVIDER.get(id(provider))
        if found is not None and found[0] is provider:
            return found[1], found[2]
        meter = provider.get_meter(SCOPE, _version())
        tally, histograms = _Tally(), dict[str, Any]()
        latencies = _Latencies(histograms)
        for item in INSTRUMENTS:
            if item.kind == "counter":
                callback = functools.partial(_callback, tally, latencies, item.name, metrics.Observation)
                meter.create_observable_counter(
                    item.name, callbacks=[callback], unit=item.unit, description=item.description
                )
            else:
                histograms[item.name] = meter.create_histogram(
                    item.name,
                    unit=item.unit,
                    description=item.description,
                    explicit_bucket_boundaries_advisory=LATENCY_BUCKETS,
                )
        _BY_PROVIDER[id(provider)] = (provider, tally, latencies)
        return tally, latencies


def _callback(tally: _Tally, latencies: _Latencies, name: str, observation: Any, _options: Any) -> list[Any]:
    latencies.flush()  # the SDK reads its histograms after the callbacks: they see every value
    return tally.observe(name, observation)


class Telemetry:
    """Where linkkit's metrics and spans go.

    :param meter_provider: an OpenTelemetry ``MeterProvider``; default: the global one.
    :param tracer_provider: an OpenTelemetry ``TracerProvider``; default: the global one.
    :raises linkkit.errors.ConfigError: a provider is given but OpenTelemetry is not installed.

    ``Telemetry.default()`` is what every linkkit object uses unless it is given another: the global
    providers when the OpenTelemetry API is installed, else :data:`DISABLED`. Counters are observable
    counters over linkkit's own totals (read when the SDK collects); the latency histogram is recorded
    on each call.
    """

    __slots__ = ("_awaiting_provider", "_context", "_latencies", "_tally", "_trace", "_tracer", "enabled")

    def __init__(self, *, meter_provider: Any = None, tracer_provider: Any = None, _enabled: bool = True) -> None:
        self._tally: _Tally | None = None
        self._latencies: _Latencies | None = None
        self._tracer: Any = None
        self._trace: Any = None
        self._context: Any = None
        self._awaiting_provider = False
        otel = _import_otel() if _enabled else None
        if otel is None:
            if meter_provider is not None or tracer_provider is not None:
                from linkkit.errors import ConfigError

                raise ConfigError("telemetry: OpenTelemetry is not installed (pip install 'linkkit[otel]')")
            #: ``False`` when nothing is recorded (OpenTelemetry not installed, or :data:`DISABLED`).
            self.enabled = False
            return
        metrics, trace = otel
        self._tally, self._latencies = _instruments(meter_provider or metrics.get_meter_provider(), metrics)
        provider = tracer_provider or trace.get_tracer_provider()
        # A no-op provider records nothing: then no span is even started (metrics only).
        if not isinstance(provider, trace.NoOpTracerProvider):
            self._tracer = provider.get_tracer(SCOPE, _version())
            # The global proxy before an SDK provider is set behind it hands out non-recording spans:
            # until one is set, no span is started either (see :meth:`recording`).
            self._awaiting_provider = isinstance(provider, trace.ProxyTracerProvider)
        self._trace = trace
        self._context = importlib.import_module("opentelemetry.context")
        self.enabled = True

    @property
    def tracing(self) -> bool:
        """Whether spans are recorded (a tracer provider other than OpenTelemetry's no-op one)."""
        return self._tracer is not None

    def recording(self) -> bool:
        """Whether a span started now is recorded: :attr:`tracing`, and when the providers are the
        global ones, an SDK tracer provider has been set (the process's telemetry is made before the
        application sets one; a span started through the bare proxy costs ~5 µs and records nothing)."""
        if self._tracer is None:
            return False
        if self._awaiting_provider:
            if isinstance(self._trace.get_tracer_provider(), self._trace.ProxyTracerProvider):
                return False
            self._awaiting_provider = False  # a global provider is set once and for all
        return True

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
        if self._tally is not None:
            self._tally.add(instrument.name, attributes, amount)

    def record(self, instrument: Instrument, value: float, attributes: Mapping[str, str]) -> None:
        """Record ``value`` into a histogram of :data:`INSTRUMENTS` (handed to the SDK in runs: see
        :class:`_Latencies`)."""
        if self._latencies is not None:
            self._latencies.add(instrument.name, value, attributes)

    # -- spans ------------------------------------------------------------------------------------

    def span(
        self, name: str, attributes: Mapping[str, str | int] | None = None
    ) -> contextlib.AbstractContextManager[Any]:
        """A span around a block (a no-op context without OpenTelemetry). The request id of the call
        being answered is added; a failure sets the span's status and ``error.type`` to the error's code
        (a linkkit error's ``code``, else the exception's class name), never its text."""
        if not self.recording():
            return _NO_SPAN
        return _SpanScope(self, name, attributes)


class _SpanScope:
    """One span made current for a block: ``start_span`` and a context token, without the two generator
    context managers of ``start_as_current_span`` (a span is on every hot call, so this is measured)."""

    __slots__ = ("_attributes", "_name", "_span", "_telemetry", "_token")

    def __init__(self, telemetry: Telemetry, name: str, attributes: Mapping[str, str | int] | None) -> None:
        self._telemetry, self._name, self._attributes = telemetry, name, attributes

    def __enter__(self) -> Any:
        values: dict[str, str | int] = dict(self._attributes) if self._attributes else {}
        request_id = _REQUEST_ID.get()
        if request_id is not None:
            values["linkkit.request_id"] = request_id
        telemetry = self._telemetry
        self._span = span = telemetry._tracer.start_span(
            self._name, attributes=values, record_exception=False, set_status_on_exception=False
        )
        self._token = telemetry._context.attach(telemetry._trace.set_span_in_context(span))
        return span

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        span = self._span
        try:
            if exc is not None:
                code = error_code(exc)
                span.set_attribute("error.type", code)  # OpenTelemetry's semantic convention
                span.set_status(_error_status(code))
        finally:
            self._telemetry._context.detach(self._token)
            span.end()


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
