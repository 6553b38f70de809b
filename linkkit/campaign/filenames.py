"""The one rule for file names made from data (a refId, a row value): safe in any folder and shell.

:func:`safe_file_name` keeps letters, digits, ``-``, ``_`` and ``.`` and replaces every other
character (path separators, control and format characters, spaces, shell metacharacters) with
``_``. The result never starts with ``-`` (a shell command would read it as an option, as in
``lpr *.svg``) or ``.`` (hidden, and no ``..``), never holds ``..``, never ends in ``.`` (Windows
drops it), is never a Windows device name (``CON``, ``nul.svg``, ``COM1``), and fits in
:data:`MAX_NAME_BYTES` bytes of UTF-8 (a longer one is cut and ends in a hash of the whole, so two
long values keep two names).

The rule is not one-to-one (``a/b`` and ``a?b`` both give ``a_b``); a caller that names files from
values that may collide checks for collisions itself. RefIds (base64url, all one length) never do.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

#: Longest name in bytes of UTF-8, suffix included. File systems allow 255; the rest leaves room for
#: the temporary name an atomic write uses beside the file (``.NAME.XXXXXXXX.tmp``).
MAX_NAME_BYTES: Final = 200

_SUFFIX: Final = re.compile(r"(?:\.[A-Za-z0-9]{1,16})*")
_DOTS: Final = re.compile(r"\.{2,}")
_DEVICES: Final = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
)
_HASH_CHARS: Final = 10


def _allowed(ch: str) -> bool:
    return ch in "-_." or (ch.isalnum() and ch.isprintable())


def safe_file_name(value: str, suffix: str = "") -> str:
    """A file name built from ``value`` (any text) and ``suffix`` (such as ``".svg"``).

    ::

        >>> safe_file_name("-rf /", ".svg")
        '_-rf__.svg'
        >>> safe_file_name("../../etc/passwd")
        '_._._etc_passwd'
        >>> safe_file_name("CON", ".png")
        '_CON.png'

    :raises ValueError: ``suffix`` is not dot-separated letters and digits.
    """
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"suffix: dot-separated letters and digits (got {suffix!r})")
    text = unicodedata.normalize("NFC", value)
    name = _DOTS.sub(".", "".join(ch if _allowed(ch) else "_" for ch in text)).rstrip(".")
    if not name or name[0] in "-.":
        name = "_" + name
    if name.split(".", 1)[0].casefold() in _DEVICES:
        name = "_" + name
    budget = MAX_NAME_BYTES - len(suffix.encode())
    if len(name.encode()) > budget:
        digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()[:_HASH_CHARS]
        keep = name.encode()[: budget - _HASH_CHARS - 1].decode("utf-8", "ignore").rstrip(".")
        name = f"{keep}-{digest}"
    return name + suffix
