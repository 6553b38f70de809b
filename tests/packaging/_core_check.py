"""Run by the interpreter of a fresh venv that holds the linkkit wheel and no extra: every module imports, or
names the extra it needs; the optional parts say how to install them. Prints one JSON report."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import pkgutil
import sys

import linkkit
from linkkit.errors import ConfigError, MissingDependencyError

report: dict[str, object] = {"version": linkkit.__version__, "metadata_version": importlib.metadata.version("linkkit")}
imported, needs_extra, broken = [], {}, {}


def _failed(name: str) -> None:
    exc = sys.exc_info()[1]
    if isinstance(exc, MissingDependencyError):
        needs_extra[name] = [exc.extra, str(exc)]
    else:
        broken[name] = repr(exc)


for module in pkgutil.walk_packages(linkkit.__path__, "linkkit.", onerror=_failed):
    if module.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(module.name)
    except Exception:
        _failed(module.name)
    else:
        imported.append(module.name)
report |= {"imported": imported, "needs_extra": needs_extra, "broken": broken}

hints = {}
try:
    from linkkit.partner import PostgreSQLStore

    PostgreSQLStore("postgresql://127.0.0.1:1/linkkit")
except ConfigError as exc:
    hints["postgresql"] = [type(exc).__name__, str(exc)]
try:
    from linkkit.asgi import partner_routes

    partner_routes(None)  # type: ignore[arg-type]
except ConfigError as exc:
    hints["asgi"] = [type(exc).__name__, str(exc)]
try:
    from linkkit.observability import Telemetry

    Telemetry(meter_provider=object())
except ConfigError as exc:
    hints["otel"] = [type(exc).__name__, str(exc)]
report["hints"] = hints

from linkkit.resources import shipped_dir  # noqa: E402

report["shim"] = str(shipped_dir("js"))
report["dists"] = sorted(d.metadata["Name"].lower() for d in importlib.metadata.distributions())
print(json.dumps(report))
