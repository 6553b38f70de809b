"""Attribute kinds: what one value of the card JSON may be (Samsung's card pages, developer.samsung.com/wallet).

Each kind is a small frozen object with three methods:

- ``judge(value)`` returns ``None`` when the value is fine, otherwise a :data:`Problem`: the id of the
  rule it breaks (a key of :data:`linkkit.cards.rules.RULES`, whose tier says error or warning) and the
  *reason* (the part of a :class:`~linkkit.errors.FieldError` after the path);
- ``check(value)`` returns just the reason, or ``None``;
- ``describe()`` returns the Samsung-style type shown in the generated docs table
  (``String(32)``, ``Long(13)``, ``Y/N`` ...).

Kinds never raise for any input and never echo the value they refuse (values may be refIds,
barcodes or personal data); reasons name the expected shape and, at most, a length or a type.
Every regular expression is compiled once, here, at import time: the validator runs on
100,000-row campaigns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, TypeAlias

#: ``(rule id, reason)``: which rule of :data:`linkkit.cards.rules.RULES` a value breaks, and why.
Problem: TypeAlias = tuple[str, str]


def type_name(value: object) -> str:
    """The JSON name of ``value``'s type, for reasons such as ``must be a string (got integer)``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


_KEY_IN_PATH_MAX: Final = 64


def join_path(prefix: str, key: object) -> str:
    """``prefix.key`` for an error path; a non-string key stays at ``prefix``, a huge key is cut."""
    if not isinstance(key, str):
        return prefix
    if len(key) > _KEY_IN_PATH_MAX:
        key = key[: _KEY_IN_PATH_MAX - 1] + "…"
    return f"{prefix}.{key}" if prefix else key


def quoted(values: tuple[str, ...]) -> str:
    """``"a", "b"``: values as they appear in reasons."""
    return ", ".join(f'"{v}"' for v in values)


def wrong_type(expected: str, value: object) -> Problem:
    """The ``json-type`` problem: ``must be a string (got integer)``."""
    return ("json-type", f"must be {expected} (got {type_name(value)})")


class Kind:
    """Base of every attribute kind."""

    __slots__ = ()

    def judge(self, value: object) -> Problem | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, value: object) -> str | None:
        """The reason ``value`` breaks this kind's rule, or ``None``."""
        problem = self.judge(value)
        return None if problem is None else problem[1]

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Str(Kind):
    """``String(N)``: a JSON string of at most ``max_len`` characters (``None``: length not published)."""

    max_len: int | None = None

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if self.max_len is not None and len(value) > self.max_len:
            return ("string-length", f"must be at most {self.max_len} characters (got {len(value)})")
        return None

    def describe(self) -> str:
        return "String (length not published)" if self.max_len is None else f"String({self.max_len})"


# An absolute http(s) URL with a host; Samsung fetches images and opens links from the device.
_URL: Final = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?")


@dataclass(frozen=True, slots=True)
class Url(Kind):
    """An absolute ``http(s)`` URL of at most ``max_len`` characters (images: String(256) on the card pages)."""

    max_len: int | None = 256

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if self.max_len is not None and len(value) > self.max_len:
            return ("string-length", f"must be at most {self.max_len} characters (got {len(value)})")
        if not _URL.fullmatch(value):
            return ("url", "must be an absolute http(s) URL")
        return None

    def describe(self) -> str:
        return "URL" if self.max_len is None else f"URL, String({self.max_len})"


# An absolute URI (RFC 3986 scheme ":" rest, no whitespace): https links and apps' own schemes
# ("yourapp://open", "intent://...") alike.
_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


@dataclass(frozen=True, slots=True)
class AppLink(Kind):
    """``appLinkData`` String(256): "information about the partner app link", a URL or an app's URI.

    Not being a URI is the ``app-link-url`` rule (Samsung's own BoardingPass sample sends ``"appLink url"``).
    """

    max_len: int = 256

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if len(value) > self.max_len:
            return ("string-length", f"must be at most {self.max_len} characters (got {len(value)})")
        if not _URI.fullmatch(value):
            return ("app-link-url", 'is not a URL (such as "https://…" or "yourapp://…")')
        return None

    def describe(self) -> str:
        return f"URL or app URI, String({self.max_len})"


# Long(13): "Epoch timestamp in milliseconds" (data[].createdAt and every *Date attribute of the card pages,
# https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/overview.html).
_MS_MIN: Final = 10**12
_MS_MAX: Final = 10**13 - 1
_LONG13: Final = "must be epoch milliseconds (13 digits)"


@dataclass(frozen=True, slots=True)
class EpochMillis(Kind):
    """``Long(13)``: epoch milliseconds as a JSON integer, 13 digits (2001-09-09 to 2286-11-20)."""

    def judge(self, value: object) -> Problem | None:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str):
                return ("timestamp", f"{_LONG13}, a JSON number, not a string")
            if isinstance(value, float):
                return ("timestamp", f"{_LONG13}, an integer")
            return ("timestamp", f"{_LONG13} (got {type_name(value)})")
        if _MS_MIN <= value <= _MS_MAX:
            return None
        if 0 < value < 10**18:
            digits = len(str(value))
            hint = ": seconds instead of milliseconds?" if digits == 10 else ""
            return ("timestamp", f"{_LONG13} (got {digits} digits{hint})")
        return ("timestamp", _LONG13)

    def describe(self) -> str:
        return "Long(13) epoch ms"


@dataclass(frozen=True, slots=True)
class YesNo(Kind):
    """``String(1)``: the flag strings ``"Y"`` or ``"N"`` (the card pages; never JSON booleans)."""

    def judge(self, value: object) -> Problem | None:
        if value == "Y" or value == "N":
            return None
        if isinstance(value, bool):
            return ("json-type", 'must be "Y" or "N" (a string, not a boolean)')
        return ("value-format" if isinstance(value, str) else "json-type", 'must be "Y" or "N"')

    def describe(self) -> str:
        return '"Y" / "N"'


_COLOR: Final = re.compile(r"#[0-9A-Fa-f]{6}")


def _format_rule(value: object) -> str:
    # A string in the wrong form breaks "value-format"; anything else is the wrong JSON type.
    return "value-format" if isinstance(value, str) else "json-type"


@dataclass(frozen=True, slots=True)
class Color(Kind):
    """``String(8)``: a color ``#RRGGBB`` (bgColor, blinkColor: "e.g., #00FFFF")."""

    def judge(self, value: object) -> Problem | None:
        if isinstance(value, str) and _COLOR.fullmatch(value):
            return None
        return (_format_rule(value), 'must be a color like "#00FFFF"')

    def describe(self) -> str:
        return "#RRGGBB"


@dataclass(frozen=True, slots=True)
class FontColor(Kind):
    """fontColor: ``"dark"`` / ``"light"`` in current pages; ``#RRGGBB`` (Samsung's own samples) is the
    warning rule ``font-color-hex``."""

    def judge(self, value: object) -> Problem | None:
        if value == "dark" or value == "light":
            return None
        if isinstance(value, str) and _COLOR.fullmatch(value):
            return ("font-color-hex", 'is a color, not "dark" or "light"')
        return (_format_rule(value), 'must be "dark", "light" or a color like "#FFFFFF"')

    def describe(self) -> str:
        return '"dark" / "light" (#RRGGBB: a warning)'


@dataclass(frozen=True, slots=True)
class Enum(Kind):
    """One of ``values``. An *open* enum (a list the docs call "commonly used") breaks ``open-enum`` only."""

    values: tuple[str, ...]
    open: bool = False
    _set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_set", frozenset(self.values))

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if value in self._set:
            return None
        if self.open:
            return ("open-enum", f"is not a commonly used value (known: {quoted(self.values)})")
        return ("value-format", f"must be one of {quoted(self.values)}")

    def describe(self) -> str:
        listed = " / ".join(self.values)
        return f"one of {listed}" + (" (open list)" if self.open else "")


# "UTC+09:00" in Samsung's samples, "UTC+9" / "UTC-8" in the older card pages
# (https://developer.samsung.com/wallet/api/wallet-cards.html).
_UTC_OFFSET: Final = re.compile(r"UTC[+-](?:0?\d|1[0-4])(?::[0-5]\d)?")


@dataclass(frozen=True, slots=True)
class UtcOffset(Kind):
    """``*.utcOffset``: ``UTC±HH:MM`` (also the older ``UTC±H``)."""

    def judge(self, value: object) -> Problem | None:
        if isinstance(value, str) and _UTC_OFFSET.fullmatch(value):
            return None
        return (_format_rule(value), 'must be a UTC offset like "UTC+09:00"')

    def describe(self) -> str:
        return "UTC±HH:MM"


_DIGITS: Final = re.compile(r"\d{1,9}")


@dataclass(frozen=True, slots=True)
class DigitString(Kind):
    """A number carried as a string, e.g. ``*.relativeNotiTime`` String(4), minutes up to 2880."""

    maximum: int

    def judge(self, value: object) -> Problem | None:
        if isinstance(value, str) and _DIGITS.fullmatch(value) and int(value) <= self.maximum:
            return None
        return (_format_rule(value), f'must be a string of digits from "0" to "{self.maximum}"')

    def describe(self) -> str:
        return f'String, "0".."{self.maximum}"'


# refId / pdata / oldRefId: String(128) for pdata in the Data Fetch link
# (https://developer.samsung.com/wallet/AddCardsToSamsungWallet/AddCardLinks.html) and for oldRefId in Update
# Notification (https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html), String(32) for
# data[].refId of the card object. RFC 3986 unreserved characters only, because a refId travels unescaped in the
# Get Card Data path (/cards/{cardId}/{refId}) and in the pdata fragment; at least one letter or
# digit so that "." and ".." never pass. Same rule as linkkit.atw.links.
_REF_ID: Final = re.compile(r"(?=[._~-]*[A-Za-z0-9])[A-Za-z0-9._~-]+")
#: Longest refId linkkit generates or builds (Samsung's template API: data[].refId String(32)).
REF_ID_MAX: Final = 32
#: Longest refId accepted from elsewhere (pdata String(128), oldRefId String(128)).
REF_ID_MAX_INCOMING: Final = 128


@dataclass(frozen=True, slots=True)
class RefId(Kind):
    """A refId: 1..``max_len`` URL-unreserved characters (never echoed in reasons)."""

    max_len: int = REF_ID_MAX_INCOMING

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if not value:
            return ("ref-id", "must not be empty")
        if len(value) > self.max_len:
            return ("ref-id", f"must be at most {self.max_len} characters (got {len(value)})")
        if not _REF_ID.fullmatch(value):
            return ("ref-id", 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit')
        return None

    def describe(self) -> str:
        return f"String({self.max_len}), URL-safe"


# BCP 47-ish: "en", "ko", "en-US", "zh-Hant"; String(8) (data[].language of the card object).
_LANGUAGE: Final = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,5})?")


@dataclass(frozen=True, slots=True)
class Language(Kind):
    """``String(8)`` language code such as ``en``, ``ko`` or ``en-US``."""

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            return wrong_type("a string", value)
        if len(value) > 8:
            return ("string-length", f"must be at most 8 characters (got {len(value)})")
        if not _LANGUAGE.fullmatch(value):
            return ("value-format", 'must be a language code like "en" or "en-US"')
        return None

    def describe(self) -> str:
        return 'String(8), e.g. "en", "en-US"'
