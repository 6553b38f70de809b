"""HTML safety for the snippets: URL checks, text cleaning, attribute rendering.

Every value that reaches markup passes through here. Attribute values are escaped with
markupsafe (``&``, ``<``, ``>``, ``"`` and ``'``), so no value can leave its quotes. URLs are
checked on top of that, because escaping does not make ``javascript:`` harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from markupsafe import escape

from linkkit.errors import FieldError, ValidationError

#: C0/C1 controls, whitespace of any kind, and the bidi embedding/override/isolate controls.
#: None has a place in a URL (RFC 3986 §2), and a bidi control in a URL or label can make
#: text display in an order different from the one it is read in (Unicode TR #9, "Trojan Source").
_URL_FORBIDDEN: Final = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]"
)
#: What :func:`clean_text` removes from caller-supplied text: controls and bidi controls.
_TEXT_FORBIDDEN: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def check_url(value: object, field: str) -> str:
    """An absolute ``http``/``https`` URL with a host, free of whitespace and control characters.

    :raises ValidationError: naming ``field``.
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(FieldError(field, "must be a non-empty URL string"))
    if _URL_FORBIDDEN.search(value):
        raise ValidationError(FieldError(field, "must not contain whitespace or control characters"))
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValidationError(FieldError(field, "is not a well-formed URL")) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(FieldError(field, "must be an absolute http(s) URL"))
    return value


def check_base(value: object, field: str, *, allow_path: bool) -> str:
    """An asset base: an absolute http(s) URL, or (when ``allow_path``) a site path such as ``/static``.

    The result has no trailing slash.
    """
    if allow_path and isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        if _URL_FORBIDDEN.search(value) or any(c in value for c in "?#\\"):
            raise ValidationError(FieldError(field, "must be a plain path such as /static/linkkit"))
        return value.rstrip("/")
    return check_url(value, field).rstrip("/")


def clean_text(value: object, field: str) -> str:
    """Caller text for a label or alt: controls and bidi overrides removed, then trimmed."""
    if not isinstance(value, str):
        raise TypeError(f"{field} must be a str (got {type(value).__name__})")
    text = " ".join(_TEXT_FORBIDDEN.sub("", value).split())
    if not text:
        raise ValidationError(FieldError(field, "must not be empty"))
    return text


def attrs(pairs: Iterable[tuple[str, str | int | None]]) -> str:
    """`` name="value"`` for each pair whose value is not None, every value escaped.

    Returns a plain ``str`` (already safe): ``"<a" + Markup(...)`` would escape the ``"<a"``.
    """
    out = []
    for name, value in pairs:
        if value is None:
            continue
        if not re.fullmatch(r"[a-z][a-z:-]*", name):  # names are ours; guard against typos
            raise ValueError(f"bad attribute name {name!r}")
        out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)
