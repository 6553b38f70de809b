"""The data types of Samsung's Save to Pay API, each a small checker that says why a value does not fit.

The table is the "Data Types" section of Samsung's Save to Pay API
(https://developer.samsung.com/pay/save2pay/api-introduction.html): every body member of that API is declared
with one of these types.

======================  ===========  ==============================================================
Type                    JSON type    Rule
======================  ===========  ==============================================================
:class:`String`         string       Size: 2048 (the size is a maximum, in characters)
:class:`Boolean`        boolean      ``true`` / ``false`` only (not 0/1, not ``"true"``)
:class:`Object`         object
:class:`Enum`           string       Pattern ``[A-Za-z0-9_]{1,256}``, and one of the field's values
:class:`PhoneNumber`    string       Pattern ``[0-9+()-]+``
:class:`Uuid`           string       Pattern ``[a-zA-Z0-9-_]{26,128}``
:class:`Url`            string       Size: 2048; absolute (RFC 2396), scheme http or https
:class:`Timestamp`      number       int64, epoch milliseconds
:class:`CountryCode`    string       Size: 2
======================  ===========  ==============================================================

A checker returns ``None`` when the value fits and a reason otherwise. Reasons never repeat the
value: it may be an email address, a phone number or a registration id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Protocol
from urllib.parse import urlsplit

#: Default size of the String type ("Size: 2048" in Save to Pay's data types).
STRING_SIZE: Final = 2048
#: Size of the URL type.
URL_SIZE: Final = 2048
ENUM_PATTERN: Final = re.compile(r"[A-Za-z0-9_]{1,256}")
PHONE_PATTERN: Final = re.compile(r"[0-9+()-]+")
UUID_PATTERN: Final = re.compile(r"[a-zA-Z0-9_-]{26,128}")
#: Characters RFC 2396 §2 allows in a URI reference (reserved, unreserved, escaped, "#"), plus the
#: brackets RFC 2732 adds for IPv6 hosts. Anything else (spaces, quotes, ``<>``, ``\\``, non-ASCII)
#: must be percent-encoded.
_URI_CHARS: Final = re.compile(r"[A-Za-z0-9\-_.!~*'();/?:@&=+$,%#\[\]]+")
_BAD_ESCAPE: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
URL_SCHEMES: Final = ("http", "https")
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1


class Kind(Protocol):
    """A Save to Pay data type: ``name`` for docs, ``check`` for values."""

    @property
    def name(self) -> str: ...

    def check(self, value: object) -> str | None:
        """None when ``value`` fits; otherwise the reason, without the value."""
        ...


def _string(value: object, size: int) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > size:
        return f"must be at most {size} characters (got {len(value)})"
    return None


@dataclass(frozen=True, slots=True)
class String:
    """String, at most ``size`` characters."""

    size: int = STRING_SIZE

    @property
    def name(self) -> str:
        return f"String({self.size})"

    def check(self, value: object) -> str | None:
        return _string(value, self.size)


@dataclass(frozen=True, slots=True)
class Boolean:
    name: str = "Boolean"

    def check(self, value: object) -> str | None:
        return None if isinstance(value, bool) else "must be true or false"


@dataclass(frozen=True, slots=True)
class Object:
    name: str = "Object"

    def check(self, value: object) -> str | None:
        return None if isinstance(value, dict) else "must be a JSON object"


@dataclass(frozen=True, slots=True)
class Enum:
    """Enum: the pattern ``[A-Za-z0-9_]{1,256}`` and one of ``values``."""

    values: tuple[str, ...]

    @property
    def name(self) -> str:
        return "Enum - " + ", ".join(self.values)

    def check(self, value: object) -> str | None:
        if not isinstance(value, str) or not ENUM_PATTERN.fullmatch(value) or value not in self.values:
            return "must be one of " + ", ".join(self.values)
        return None


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    name: str = "PhoneNumber"

    def check(self, value: object) -> str | None:
        problem = _string(value, STRING_SIZE)
        if problem:
            return problem
        assert isinstance(value, str)
        return None if PHONE_PATTERN.fullmatch(value) else "must match [0-9+()-]+ (digits, +, (, ), -)"


@dataclass(frozen=True, slots=True)
class Uuid:
    name: str = "UUID"

    def check(self, value: object) -> str | None:
        if not isinstance(value, str) or not UUID_PATTERN.fullmatch(value):
            return "must be 26 to 128 characters of a-z, A-Z, 0-9, - and _"
        return None


def url_problem(value: object) -> str | None:
    """Why ``value`` is not a Save to Pay URL (absolute, http or https, at most 2048), or None."""
    problem = _string(value, URL_SIZE)
    if problem:
        return problem
    assert isinstance(value, str)
    if not _URI_CHARS.fullmatch(value) or _BAD_ESCAPE.search(value):
        return "must be an absolute http(s) URL with only RFC 2396 characters (percent-encode the rest)"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "must be an absolute http(s) URL (the host or port does not parse)"
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        return "must be an absolute http(s) URL"
    return None


@dataclass(frozen=True, slots=True)
class Url:
    name: str = "URL"

    def check(self, value: object) -> str | None:
        return url_problem(value)


@dataclass(frozen=True, slots=True)
class Timestamp:
    name: str = "Timestamp"

    def check(self, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not INT64_MIN <= value <= INT64_MAX:
            return "must be an integer of epoch milliseconds (int64)"
        return None


@dataclass(frozen=True, slots=True)
class CountryCode:
    name: str = "CountryCode"

    def check(self, value: object) -> str | None:
        return _string(value, 2)
