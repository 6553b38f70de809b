"""Attribute kinds: what one value of the card JSON may be (SPEC.md §2, research §5.1).

Each kind is a small frozen object with two methods:

- ``check(value)`` returns ``None`` when the value is fine, otherwise the *reason* (the part of a
  :class:`~linkkit.errors.FieldError` after the path). A :class:`Soft` reason is a warning only.
- ``describe()`` returns the Samsung-style type shown in the generated docs table
  (``String(32)``, ``Long(13)``, ``Y/N`` ...).

Kinds never raise for any input and never echo the value they refuse (values may be refIds,
barcodes or personal data); reasons name the expected shape and, at most, a length or a type.
Every regular expression is compiled once, here, at import time: the validator runs on
100,000-row campaigns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Final


class Soft(str):
    """A reason that is a warning, not an error (an open enum met a value it does not know)."""

    __slots__ = ()


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


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f'"{v}"' for v in values)


class Kind:
    """Base of every attribute kind."""

    __slots__ = ()

    def check(self, value: object) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Str(Kind):
    """``String(N)``: a JSON string of at most ``max_len`` characters (``None``: length not published)."""

    max_len: int | None = None

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string (got {type_name(value)})"
        if self.max_len is not None and len(value) > self.max_len:
            return f"must be at most {self.max_len} characters (got {len(value)})"
        return None

    def describe(self) -> str:
        return "String (length not published)" if self.max_len is None else f"String({self.max_len})"


# An absolute http(s) URL with a host; Samsung fetches images and opens links from the device.
_URL: Final = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?")


@dataclass(frozen=True, slots=True)
class Url(Kind):
    """An absolute ``http(s)`` URL of at most ``max_len`` characters (images: String(256), research §5.1)."""

    max_len: int | None = 256

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string (got {type_name(value)})"
        if self.max_len is not None and len(value) > self.max_len:
            return f"must be at most {self.max_len} characters (got {len(value)})"
        if not _URL.fullmatch(value):
            return "must be an absolute http(s) URL"
        return None

    def describe(self) -> str:
        return "URL" if self.max_len is None else f"URL, String({self.max_len})"


# Long(13): "Epoch timestamp in milliseconds" (seed 003 data[].createdAt; every *Date attribute).
_MS_MIN: Final = 10**12
_MS_MAX: Final = 10**13 - 1
_LONG13: Final = "must be epoch milliseconds (13 digits)"


@dataclass(frozen=True, slots=True)
class EpochMillis(Kind):
    """``Long(13)``: epoch milliseconds as a JSON integer, 13 digits (2001-09-09 to 2286-11-20)."""

    def check(self, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str):
                return f"{_LONG13}, a JSON number, not a string"
            if isinstance(value, float):
                return f"{_LONG13}, an integer"
            return f"{_LONG13} (got {type_name(value)})"
        if _MS_MIN <= value <= _MS_MAX:
            return None
        if 0 < value < 10**18:
            digits = len(str(value))
            hint = ": seconds instead of milliseconds?" if digits == 10 else ""
            return f"{_LONG13} (got {digits} digits{hint})"
        return _LONG13

    def describe(self) -> str:
        return "Long(13) epoch ms"


@dataclass(frozen=True, slots=True)
class YesNo(Kind):
    """``String(1)``: the flag strings ``"Y"`` or ``"N"`` (research §5.1; never JSON booleans)."""

    def check(self, value: object) -> str | None:
        if value == "Y" or value == "N":
            return None
        if isinstance(value, bool):
            return 'must be "Y" or "N" (a string, not a boolean)'
        return 'must be "Y" or "N"'

    def describe(self) -> str:
        return '"Y" / "N"'


_COLOR: Final = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True, slots=True)
class Color(Kind):
    """``String(8)``: a color ``#RRGGBB`` (bgColor, blinkColor: "e.g., #00FFFF")."""

    def check(self, value: object) -> str | None:
        if isinstance(value, str) and _COLOR.fullmatch(value):
            return None
        return 'must be a color like "#00FFFF"'

    def describe(self) -> str:
        return "#RRGGBB"


@dataclass(frozen=True, slots=True)
class FontColor(Kind):
    """fontColor: ``"dark"`` / ``"light"`` in current pages, ``#RRGGBB`` in Samsung's own samples."""

    def check(self, value: object) -> str | None:
        if value == "dark" or value == "light" or (isinstance(value, str) and _COLOR.fullmatch(value)):
            return None
        return 'must be "dark", "light" or a color like "#FFFFFF"'

    def describe(self) -> str:
        return '"dark" / "light" / #RRGGBB'


@dataclass(frozen=True, slots=True)
class Enum(Kind):
    """One of ``values``. An *open* enum (a list the docs call "commonly used") only warns."""

    values: tuple[str, ...]
    open: bool = False
    _set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_set", frozenset(self.values))

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string (got {type_name(value)})"
        if value in self._set:
            return None
        if self.open:
            return Soft(f"is not a commonly used value (known: {_quoted(self.values)})")
        return f"must be one of {_quoted(self.values)}"

    def describe(self) -> str:
        listed = " / ".join(self.values)
        return f"one of {listed}" + (" (open list)" if self.open else "")


# "UTC+09:00" in Samsung's samples, "UTC+9" / "UTC-8" in the older card pages (research §5.1).
_UTC_OFFSET: Final = re.compile(r"UTC[+-](?:0?\d|1[0-4])(?::[0-5]\d)?")


@dataclass(frozen=True, slots=True)
class UtcOffset(Kind):
    """``*.utcOffset``: ``UTC±HH:MM`` (also the older ``UTC±H``)."""

    def check(self, value: object) -> str | None:
        if isinstance(value, str) and _UTC_OFFSET.fullmatch(value):
            return None
        return 'must be a UTC offset like "UTC+09:00"'

    def describe(self) -> str:
        return "UTC±HH:MM"


_DIGITS: Final = re.compile(r"\d{1,9}")


@dataclass(frozen=True, slots=True)
class DigitString(Kind):
    """A number carried as a string, e.g. ``*.relativeNotiTime`` String(4), minutes up to 2880."""

    maximum: int

    def check(self, value: object) -> str | None:
        if isinstance(value, str) and _DIGITS.fullmatch(value) and int(value) <= self.maximum:
            return None
        return f'must be a string of digits from "0" to "{self.maximum}"'

    def describe(self) -> str:
        return f'String, "0".."{self.maximum}"'


# refId / pdata / oldRefId: String(128) in seed 004 (pdata, oldRefId), String(32) in seed 003
# (data[].refId). RFC 3986 unreserved characters only, because a refId travels unescaped in the
# Get Card Data path (/cards/{cardId}/{refId}) and in the pdata fragment; at least one letter or
# digit so that "." and ".." never pass. Same rule as linkkit.links.
_REF_ID: Final = re.compile(r"(?=[._~-]*[A-Za-z0-9])[A-Za-z0-9._~-]+")
#: Longest refId linkkit generates or builds (seed 003: data[].refId String(32); SPEC.md §2).
REF_ID_MAX: Final = 32
#: Longest refId accepted from elsewhere (seed 004: pdata String(128), oldRefId String(128)).
REF_ID_MAX_INCOMING: Final = 128


@dataclass(frozen=True, slots=True)
class RefId(Kind):
    """A refId: 1..``max_len`` URL-unreserved characters (never echoed in reasons)."""

    max_len: int = REF_ID_MAX_INCOMING

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string (got {type_name(value)})"
        if not value:
            return "must not be empty"
        if len(value) > self.max_len:
            return f"must be at most {self.max_len} characters (got {len(value)})"
        if not _REF_ID.fullmatch(value):
            return 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit'
        return None

    def describe(self) -> str:
        return f"String({self.max_len}), URL-safe"


# BCP 47-ish: "en", "ko", "en-US", "zh-Hant"; String(8) (seed 003 data[].language).
_LANGUAGE: Final = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,5})?")


@dataclass(frozen=True, slots=True)
class Language(Kind):
    """``String(8)`` language code such as ``en``, ``ko`` or ``en-US``."""

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string (got {type_name(value)})"
        if len(value) > 8:
            return f"must be at most 8 characters (got {len(value)})"
        if not _LANGUAGE.fullmatch(value):
            return 'must be a language code like "en" or "en-US"'
        return None

    def describe(self) -> str:
        return 'String(8), e.g. "en", "en-US"'


# --- JSON carried as a string ------------------------------------------------------------------
# csInfo, locations, extraInfo, person1 ... are "data in JSON format converted to escape string"
# (research §5.1): the attribute value is a string that itself holds JSON.


@dataclass(frozen=True, slots=True)
class JsonShape:
    """What the decoded JSON must look like. ``kind`` is "object", "array" or "any"."""

    kind: str
    #: Allowed keys of the object (or of each array item); ``None`` allows any.
    keys: tuple[str, ...] | None = None
    #: Keys that must be present (object, or each array item).
    required: tuple[str, ...] = ()
    #: Keys (of each item) whose values must be JSON numbers.
    numbers: tuple[str, ...] = ()
    max_items: int | None = None
    label: str = ""

    def check(self, data: object) -> str | None:
        if self.kind == "any":
            return None
        if self.kind == "object":
            if not isinstance(data, dict):
                return f"must encode a JSON object (got {type_name(data)})"
            return self._check_members(data, "")
        if not isinstance(data, list):
            return f"must encode a JSON array (got {type_name(data)})"
        if self.max_items is not None and len(data) > self.max_items:
            return f"must encode at most {self.max_items} items (got {len(data)})"
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                return f"item {index} must be a JSON object (got {type_name(item)})"
            reason = self._check_members(item, f"item {index}: ")
            if reason is not None:
                return reason
        return None

    def _check_members(self, obj: dict[object, object], where: str) -> str | None:
        if self.keys is not None:
            for key in obj:
                if key not in self.keys:
                    name = key if isinstance(key, str) and len(key) <= 40 else "…"
                    return f'{where}key "{name}" is not allowed (allowed: {_quoted(self.keys)})'
        for key in self.required:
            if key not in obj:
                return f'{where}"{key}" is required'
        for key in self.numbers:
            number = obj.get(key)
            if key in obj and (isinstance(number, bool) or not isinstance(number, (int, float))):
                return f'{where}"{key}" must be a number'
        return None


@dataclass(frozen=True, slots=True)
class JsonString(Kind):
    """A string holding JSON of a given :class:`JsonShape` (``String(max_len)``)."""

    shape: JsonShape
    max_len: int | None = None

    def check(self, value: object) -> str | None:
        if not isinstance(value, str):
            if isinstance(value, (dict, list)):
                return (
                    f"must be a JSON string, not an {type_name(value)}: "
                    "encode it with json.dumps (the builders do this for you)"
                )
            return f"must be a string holding JSON (got {type_name(value)})"
        if self.max_len is not None and len(value) > self.max_len:
            return f"must be at most {self.max_len} characters (got {len(value)})"
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            return "must be a string holding valid JSON"
        return self.shape.check(data)

    def describe(self) -> str:
        size = "" if self.max_len is None else f"({self.max_len})"
        return f"JSON string{size}: {self.shape.label}" if self.shape.label else f"JSON string{size}"
