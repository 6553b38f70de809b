"""Flask's JSON reading through linkkit's one JSON reader (:func:`linkkit._json.read_json`).

Every Flask app linkkit ships (the sandbox, its S2P API and welcome UI, the S2P notification endpoint,
the demo) installs :class:`StrictJSONProvider`, so ``request.get_json()`` applies the same size and
depth limits as everything else linkkit parses: a body nested 100,000 deep is a 400 (or ``None`` with
``silent=True``), never a RecursionError answered as 500.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from linkkit._json import read_json


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's default provider, reading with :func:`~linkkit._json.read_json` (a ``JSONInputError``
    is a ``ValueError``, which Flask turns into its usual bad-request handling)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return read_json(s, what="the request body")


def use_strict_json(app: Flask) -> Flask:
    """Install :class:`StrictJSONProvider` on ``app``; returns it."""
    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
    return app
