"""The exact bytes a Card Data Token encrypts (the card JSON, compact;
https://developer.samsung.com/wallet/SecureYourIntegration/CardDataToken.html).

The JWE plaintext is the card JSON serialized compactly: no spaces (``separators=(",", ":")``),
non-ASCII text as UTF-8 rather than ``\\uXXXX`` escapes (``ensure_ascii=False``), so that a
``cdata`` link stays as short as it can be.
"""

from __future__ import annotations

import json

from linkkit.errors import FieldError, ValidationError


def serialize_card(obj: object) -> bytes:
    """Compact UTF-8 JSON of ``obj``: the plaintext of the Card Data Token.

    It does not validate; call :func:`~linkkit.cards.validate_card` first (the builders already do).

    :raises TypeError: when ``obj`` holds something JSON has no type for (a set, a datetime ...).
    :raises linkkit.errors.ValidationError: when a value has no JSON form: NaN or infinity, a
        string with a lone surrogate that UTF-8 cannot carry, or nesting deeper than Python recurses.
    """
    try:
        text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # NaN/Infinity (allow_nan=False) or a circular reference
        raise ValidationError([FieldError("", f"has no JSON form: {exc}")]) from exc
    except RecursionError as exc:
        raise ValidationError([FieldError("", "is nested too deeply to serialize")]) from exc
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            [FieldError("", "holds a string with a lone surrogate, which UTF-8 cannot encode")]
        ) from exc
