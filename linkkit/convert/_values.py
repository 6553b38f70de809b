"""Values that change form on the way to Samsung: instants, colours, money, names.

Samsung timestamps are epoch milliseconds, with a separate ``*.utcOffset`` (``UTC+09:00``) on the
attributes that have one. Apple writes W3C dates that always carry an offset; Google writes ISO 8601 with
or without one (its flight times never have one: "Google will reject the request if UTC offset is
provided"), so a local time needs a zone, given by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Final

#: Epoch milliseconds Samsung accepts: 13 digits (Long(13)), 2001-09-09 to 2286-11-20.
_MS_RANGE: Final = (10**12, 10**13 - 1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

_ISO: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?"
)


@dataclass(frozen=True, slots=True)
class Instant:
    """A moment and the UTC offset it was written with (minutes east of UTC)."""

    ms: int
    offset_minutes: int

    @property
    def utc_offset(self) -> str:
        """Samsung's ``*.utcOffset`` form: ``UTC+09:00``, ``UTC-05:00``."""
        sign = "-" if self.offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"


# Private to linkkit.convert (a _module), outside the LinkKitError tree on purpose: every caller catches it
# and turns it into a finding that names the field; it never reaches a user.
class DateProblem(ValueError):
    """Why a date did not convert (the caller names the field)."""


def parse_instant(text: str, zone: tzinfo | None) -> Instant:
    """An ISO 8601 / W3C date-time: its own offset wins, else ``zone``; a date alone is midnight.

    :raises DateProblem: not ISO 8601, a local time and no zone, or outside Samsung's Long(13) range.
    """
    match = _ISO.fullmatch(text.strip())
    if match is None:
        raise DateProblem("not an ISO 8601 date-time such as 2026-11-21T19:30:00-08:00")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        local = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro)
    except ValueError as exc:
        raise DateProblem("not a real calendar date or time") from exc
    if offset is not None:
        moment = local.replace(tzinfo=_fixed(offset))
    elif zone is not None:
        moment = local.replace(tzinfo=zone)
    else:
        raise DateProblem("a local time without a UTC offset, and no time zone was given")
    shift = moment.utcoffset() or timedelta(0)
    minutes = int(shift.total_seconds() // 60)
    if abs(minutes) > 14 * 60:
        raise DateProblem("its UTC offset is beyond ±14:00")
    try:
        ms = (moment - _EPOCH) // timedelta(milliseconds=1)
    except (OverflowError, ValueError, OSError) as exc:
        raise DateProblem("outside the years Samsung's 13-digit epoch milliseconds can hold") from exc
    if not _MS_RANGE[0] <= ms <= _MS_RANGE[1]:
        raise DateProblem("outside the years Samsung's 13-digit epoch milliseconds can hold (2001 to 2286)")
    return Instant(ms, minutes)


def _fixed(offset: str) -> tzinfo:
    if offset in ("Z", "z"):
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateProblem("its UTC offset is not a real offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


# --- colours -----------------------------------------------------------------------------------------
_RGB: Final = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)")
_HEX: Final = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def hex_color(text: str) -> str | None:
    """Apple's ``rgb(12, 34, 56)`` or a CSS hex colour (``#fc0``, ``#ffcc00``) as Samsung's ``#RRGGBB``."""
    text = text.strip()
    rgb = _RGB.fullmatch(text)
    if rgb is not None:
        channels = [int(c) for c in rgb.groups()]
        if any(c > 255 for c in channels):
            return None
        return "#" + "".join(f"{c:02X}" for c in channels)
    hexa = _HEX.fullmatch(text)
    if hexa is None:
        return None
    digits = hexa.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()


def font_color(color: str) -> str:
    """Samsung's ``fontColor`` for text drawn in ``color`` (``#RRGGBB``): ``light`` or ``dark``.

    The current card pages accept ``dark`` / ``light`` only; the relative luminance (WCAG) decides.
    """
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "light" if luminance > 0.179 else "dark"


# --- money -------------------------------------------------------------------------------------------
# ISO 4217 minor units where they are not 2 (the common exceptions).
_MINOR_UNITS: Final = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV"), 0),
    **dict.fromkeys(("XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}
_CURRENCY: Final = re.compile(r"[A-Z]{3}")


def money(amount: Decimal | str | float, currency: str | None) -> str | None:
    """``25.00 USD``: the amount with the currency's minor units, then its ISO code."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 15:
        return None
    code = currency.strip().upper() if isinstance(currency, str) else ""
    places = _MINOR_UNITS.get(code, 2)
    text = f"{value:,.{places}f}"
    return f"{text} {code}" if _CURRENCY.fullmatch(code) else text


def micros_money(micros: object, currency: str | None) -> str | None:
    """Google's ``Money``: ``micros`` (an int64 as a string) millionths of ``currencyCode``."""
    if isinstance(micros, bool) or not isinstance(micros, (int, str)):
        return None
    try:
        value = Decimal(str(micros)) / Decimal(1_000_000)
    except (InvalidOperation, ValueError):
        return None
    return money(value, currency)


def person_name(parts: dict[str, object]) -> str | None:
    """Apple's ``PersonNameComponents`` as one display name (given, middle, family)."""
    names = [parts.get(k) for k in ("namePrefix", "givenName", "middleName", "familyName", "nameSuffix")]
    text = " ".join(n.strip() for n in names if isinstance(n, str) and n.strip())
    if not text:
        nickname = parts.get("nickname")
        text = nickname.strip() if isinstance(nickname, str) else ""
    return text or None
