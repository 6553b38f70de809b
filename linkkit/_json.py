"""The one JSON reader of linkkit: every body, file, token part and row it parses goes through here.

Python's :func:`json.loads` takes any size and any depth (a deep enough document raises
``RecursionError`` from inside the parser), duplicate members (the last one silently wins, so
``{"alg":"none","alg":"RS256"}`` reads as whichever a reader prefers) and the non-JSON constants
``NaN`` and ``Infinity``. :func:`read_json` refuses all of these, with one error class,
:class:`~linkkit.errors.JSONInputError`, whose message names what was being read and never quotes it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from linkkit.errors import JSONInputError

#: Default size limit: card JSON, request bodies and campaign rows are a few KB; 1 MiB leaves room.
DEFAULT_MAX_BYTES: Final = 1024 * 1024
#: Default nesting limit: a card is 6 levels deep, a Google Wallet object about 10; 64 leaves room and
#: stays far below the interpreter's recursion limit.
DEFAULT_MAX_DEPTH: Final = 64

# Strings are skipped whole (a bracket inside a string does not nest); everything else that opens or
# closes a container is counted. The scan is a C-speed regex; the Python loop runs once per match.
_NESTING_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth_exceeds(text: str, max_depth: int) -> bool:
    if text.count("[") + text.count("{") <= max_depth:
        return False  # cannot nest deeper than its number of openers
    depth = 0
    for match in _NESTING_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        names = [name for name, _ in pairs]
        duplicate = next(name for i, name in enumerate(names) if name in names[:i])
        raise ValueError(f"duplicate member {duplicate[:40]!r}")
    return obj


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_json(
    data: bytes | bytearray | str,
    *,
    what: str = "JSON",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Parse ``data`` (UTF-8 bytes or text) as one JSON value, strictly.

    :param what: names the input in error messages (``"the request body"``, ``"card.json"``).
    :param max_bytes: refuse longer input before parsing it (bytes for bytes input, characters for text).
    :param max_depth: refuse input whose arrays and objects nest deeper than this.
    :raises linkkit.errors.JSONInputError: (a ``ValueError``) for input that is too large (``code``
        ``"too_large"``), too deep (``"too_deep"``), not UTF-8 (``"not_utf8"``), or not JSON, with
        duplicate members or with ``NaN``/``Infinity`` (``"invalid"``).
    """
    if len(data) > max_bytes:
        raise JSONInputError(f"{what}: larger than {max_bytes} bytes", code="too_large")
    if isinstance(data, str):
        text = data
    else:
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"{what}: not UTF-8", code="not_utf8") from exc
    if _depth_exceeds(text, max_depth):
        raise JSONInputError(f"{what}: nested deeper than {max_depth} levels", code="too_deep")
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"{what}: not JSON ({exc.msg}, line {exc.lineno} column {exc.colno})") from exc
    except ValueError as exc:  # raised by the hooks above, with messages that quote no value
        raise JSONInputError(f"{what}: not JSON ({exc})") from exc
    except RecursionError as exc:  # pragma: no cover - the depth scan refuses these first
        raise JSONInputError(f"{what}: nested too deeply", code="too_deep") from exc


# What Samsung sends: ``application/json`` (Wallet server calls), ``application/json;charset=UTF-8``
# (Save to Pay). Parameters other than a UTF-8 charset, other types (``text/plain``, form posts) and
# look-alikes (``application/jsonp``) are refused: ``text/plain`` is what a cross-site page can post
# without a preflight, and a body whose declared type is not JSON is not read as JSON.
_JSON_MEDIA_TYPE: Final = re.compile(
    r"application/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|\"utf-8\")[ \t]*)?", re.I
)


def is_json_media_type(value: str | None) -> bool:
    """Whether a ``Content-Type`` header declares JSON: ``application/json``, optionally with
    ``charset=utf-8`` (any case); anything else (missing, ``text/plain``, another charset) is not."""
    return value is not None and _JSON_MEDIA_TYPE.fullmatch(value.strip()) is not None
