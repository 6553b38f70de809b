"""Headers, JSON bodies and error bodies of the Save to Pay API, as both sides read and write them.

Error body (linkkit's choice: Samsung gives the application code and message, not the JSON shape)::

    {"code": "400.1", "message": "Invalid Data: registration.custom.cardName: required",
     "errors": [{"field": "registration.custom.cardName", "reason": "required"}]}

``code`` and ``message`` are top-level so that :func:`linkkit.clients._http.error_for_response`
reads them; the message starts with Samsung's message for the code and names the first field.
A ``503`` always carries ``Retry-After`` (Samsung: "Retry-After header is required", in the "Common HTTP Error
Codes" of https://developer.samsung.com/pay/save2pay/api-introduction.html).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from linkkit.errors import FieldError, ValidationError
from linkkit.s2p import protocol as p
from linkkit.s2p.types import Uuid

#: Largest request body either side reads (``registration.data`` is free-form, the issuer blob is
#: at most 64 KiB): anything bigger is refused before parsing.
MAX_BODY_BYTES: Final = 256 * 1024
#: Retry-After sent with a 503 when the caller gives none, in seconds.
DEFAULT_RETRY_AFTER: Final = 1


def error_body(code: str, errors: Iterable[FieldError] = (), *, detail: str | None = None) -> dict[str, Any]:
    """The JSON body of an error with application ``code`` (one of :data:`~linkkit.s2p.protocol.APPLICATION_CODES`).

    :param errors: the broken rules, for ``400.1``; the first one is named in the message.
    :param detail: a short extra sentence when there are no field errors (never a value or an id).
    """
    if code not in p.APPLICATION_CODES:
        raise ValueError(f"code must be one of {', '.join(p.APPLICATION_CODES)} (got {code!r})")
    listed = list(errors)
    message = p.APPLICATION_CODES[code][1]
    if listed:
        more = f" (and {len(listed) - 1} more)" if len(listed) > 1 else ""
        message = f"{message}: {listed[0]}{more}"
    elif detail:
        message = f"{message}: {detail}"
    body: dict[str, Any] = {"code": code, "message": message}
    if listed:
        body["errors"] = [{"field": e.path, "reason": e.reason} for e in listed]
    return body


def error_status(code: str) -> int:
    """The HTTP status of an application code (``"503.2"`` → 503)."""
    return p.APPLICATION_CODES[code][0]


def check_headers(headers: Mapping[str, str], *, partner_id: str | None = None) -> list[FieldError]:
    """The header rules a request breaks: ``Request-Id`` and ``Partner-Id`` are Required UUIDs, and
    ``Partner-Id`` must be ``partner_id`` when one is given (Save to Pay's common headers, both directions)."""
    out: list[FieldError] = []
    uuid = Uuid()
    for name in (p.REQUEST_ID_HEADER, p.PARTNER_ID_HEADER):
        value = _header(headers, name)
        if value is None or value == "":
            out.append(FieldError(name, "required"))
        elif (reason := uuid.check(value)) is not None:
            out.append(FieldError(name, reason))
        elif name == p.PARTNER_ID_HEADER and partner_id is not None and value != partner_id:
            out.append(FieldError(name, "is not the Partner ID of this endpoint"))
    return out


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lower), None)
    return value


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The ``Request-Id`` header when it is a valid UUID (safe to echo as ``Response-Id``), else None."""
    value = _header(headers, p.REQUEST_ID_HEADER)
    return value if value is not None and Uuid().check(value) is None else None


def parse_json_body(raw: bytes, *, max_bytes: int = MAX_BODY_BYTES) -> object:
    """Decode a JSON request body.

    :raises ValidationError: too big, not UTF-8, or not JSON (the error names no value).
    """
    if len(raw) > max_bytes:
        raise ValidationError(FieldError("", f"the body is larger than {max_bytes} bytes"))
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationError(FieldError("", "the body is not JSON")) from exc


def dump_json(body: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as both sides send it."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
