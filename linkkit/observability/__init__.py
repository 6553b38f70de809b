"""What linkkit tells operators: OpenTelemetry metrics and spans (optional, ``pip install 'linkkit[otel]'``)
and structured logs (``LINKKIT_LOG_FORMAT=json``). See docs/operations.md."""

from linkkit.observability.logs import ACCESS_LOGGER as ACCESS_LOGGER
from linkkit.observability.logs import JsonFormatter as JsonFormatter
from linkkit.observability.logs import configure_logging as configure_logging
from linkkit.observability.telemetry import DISABLED as DISABLED
from linkkit.observability.telemetry import INSTRUMENTS as INSTRUMENTS
from linkkit.observability.telemetry import SPANS as SPANS
from linkkit.observability.telemetry import Instrument as Instrument
from linkkit.observability.telemetry import Telemetry as Telemetry

__all__ = [
    "ACCESS_LOGGER",
    "DISABLED",
    "INSTRUMENTS",
    "SPANS",
    "Instrument",
    "JsonFormatter",
    "Telemetry",
    "configure_logging",
]
