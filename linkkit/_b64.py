"""Base64url without padding (RFC 7515 §2), strict on input: one spelling per byte string.

Every decoder in linkkit goes through :func:`b64url_decode`. It refuses padding, whitespace, characters
outside the URL-safe alphabet, impossible lengths, and non-canonical spellings: the last character of a
base64url string carries 2 or 4 unused low bits, and a lax decoder maps 4 or 16 different spellings to
the same bytes (RFC 4648 §3.5). A replay guard keyed on the text would then let one token be spent
several times; keyed on the decoded bytes, and with only one spelling accepted, it cannot be.
"""

from __future__ import annotations

import binascii
import re
from typing import Final

_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")
_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: The value of each character, and the unused low bits of the last one by ``len % 4`` (RFC 4648 §3.5).
_VALUES: Final = {c: i for i, c in enumerate(_ALPHABET)}
_UNUSED_BITS: Final = (0, 0, 0x0F, 0x03)
_TO_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE: Final = bytes.maketrans(b"-_", b"+/")


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url of ``data``: the one canonical spelling."""
    # binascii directly: every token signs and encrypts through here about ten times
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded, canonical base64url.

    :raises ValueError: on padding, whitespace or foreign characters, a length no encoder produces,
        or unused trailing bits that are not zero (a second spelling of the same bytes).
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    # Any other spelling of the same bytes sets the unused low bits of the last character, which
    # the canonical encoder leaves zero (RFC 4648 §3.5).
    unused = _UNUSED_BITS[len(text) % 4]
    if unused and _VALUES[text[-1]] & unused:
        raise ValueError("not canonical base64url (unused trailing bits are set)")
    try:
        return binascii.a2b_base64(text.encode("ascii").translate(_FROM_URLSAFE) + b"=" * (-len(text) % 4))
    except binascii.Error as exc:  # pragma: no cover - the regex and length check catch these first
        raise ValueError("not base64url") from exc
