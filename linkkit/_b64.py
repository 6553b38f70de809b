"""Base64url without padding (RFC 7515 §2), strict on input: one spelling per byte string.

Every decoder in linkkit goes through :func:`b64url_decode`. It refuses padding, whitespace, characters
outside the URL-safe alphabet, impossible lengths, and non-canonical spellings: the last character of a
base64url string carries 2 or 4 unused low bits, and a lax decoder maps 4 or 16 different spellings to
the same bytes (RFC 4648 §3.5). A replay guard keyed on the text would then let one token be spent
several times; keyed on the decoded bytes, and with only one spelling accepted, it cannot be.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Final

_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url of ``data``: the one canonical spelling."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded, canonical base64url.

    :raises ValueError: on padding, whitespace or foreign characters, a length no encoder produces,
        or unused trailing bits that are not zero (a second spelling of the same bytes).
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:  # pragma: no cover - the regex and length check catch these first
        raise ValueError("not base64url") from exc
    # Re-encoding gives the canonical spelling; any other spelling set unused bits (RFC 4648 §3.5).
    if len(text) % 4 and b64url_encode(data) != text:
        raise ValueError("not canonical base64url (unused trailing bits are set)")
    return data
