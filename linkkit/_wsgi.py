"""What both HTTP sides (partner and sandbox) need from a WSGI environ, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit


def raw_path(environ: Mapping[str, Any]) -> str:
    """The request path as sent, percent-encoding kept, without the query.

    AUTH tokens are bound to this path (API.path must equal the request), so it must be the bytes the client sent,
    not the decoded ``PATH_INFO``. Werkzeug and gunicorn set ``RAW_URI`` (werkzeug also
    ``REQUEST_URI``); other servers fall back to re-quoting ``SCRIPT_NAME + PATH_INFO`` (PEP 3333
    gives them decoded, as latin-1).
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw:
        path = urlsplit(raw).path if raw.startswith(("http://", "https://")) else raw.split("?", 1)[0]
        return path or "/"
    pep3333 = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    decoded = pep3333.encode("latin-1").decode("utf-8", "replace")
    return quote(decoded, safe="/:@!$&'()*+,;=-._~") or "/"
