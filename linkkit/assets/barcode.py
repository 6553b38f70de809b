"""Code 128 barcodes (ISO/IEC 15417) as SVG: what a card's ``barcode.serialType: BARCODE`` looks like.

Samsung Wallet draws a card's barcode from ``barcode.value`` and its format attributes
(``serialType`` QRCODE/BARCODE/SERIAL/DUALBARCODE, ``ptSubFormat`` such as CODE128:
https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/overview.html). The
sandbox preview draws the same symbol, so a partner sees at a glance that the number scans; QR
codes come from :mod:`linkkit.assets.qr`.

::

    >>> code128_widths("1234")[:6]      # start C, then "12", "34", check, stop
    (2, 1, 1, 2, 3, 2)
    >>> svg = code128_svg("CARD-0042")    # '<svg ...><path .../></svg>'

Encoding: code set C (two digits per symbol) for an all-digit value, with one leading set B
symbol when the count is odd (from 5 digits on, where that is shorter); code set B (ASCII 32-126)
otherwise. The check symbol is the weighted sum modulo 103 (ISO/IEC 15417 §4.4.5); the quiet zone
is 10 modules (§4.4.2).
"""

from __future__ import annotations

from typing import Final

from markupsafe import escape

from linkkit.assets._qr_writers import check_colour

__all__ = ["QUIET_ZONE_MODULES", "code128_svg", "code128_widths"]

#: Bar and space widths (in modules) of symbol values 0-106, ISO/IEC 15417 Table 1. Each symbol
#: is 11 modules wide, bar first; 106 is the stop pattern (13 modules, ending in a bar).
_PATTERNS: Final = (
    "212222",
    "222122",
    "222221",
    "121223",
    "121322",
    "131222",
    "122213",
    "122312",
    "132212",
    "221213",
    "221312",
    "231212",
    "112232",
    "122132",
    "122231",
    "113222",
    "123122",
    "123221",
    "223211",
    "221132",
    "221231",
    "213212",
    "223112",
    "312131",
    "311222",
    "321122",
    "321221",
    "312212",
    "322112",
    "322211",
    "212123",
    "212321",
    "232121",
    "111323",
    "131123",
    "131321",
    "112313",
    "132113",
    "132311",
    "211313",
    "231113",
    "231311",
    "112133",
    "112331",
    "132131",
    "113123",
    "113321",
    "133121",
    "313121",
    "211331",
    "231131",
    "213113",
    "213311",
    "213131",
    "311123",
    "311321",
    "331121",
    "312113",
    "312311",
    "332111",
    "314111",
    "221411",
    "431111",
    "111224",
    "111422",
    "121124",
    "121421",
    "141122",
    "141221",
    "112214",
    "112412",
    "122114",
    "122411",
    "142112",
    "142211",
    "241211",
    "221114",
    "413111",
    "241112",
    "134111",
    "111242",
    "121142",
    "121241",
    "114212",
    "124112",
    "124211",
    "411212",
    "421112",
    "421211",
    "212141",
    "214121",
    "412121",
    "111143",
    "111341",
    "131141",
    "114113",
    "114311",
    "411113",
    "411311",
    "113141",
    "114131",
    "311141",
    "411131",
    "211412",
    "211214",
    "211232",
    "2331112",
)
_START_B: Final = 104
_START_C: Final = 105
_CODE_C: Final = 99
_STOP: Final = 106
#: ISO/IEC 15417 §4.4.2: at least 10 modules of quiet zone on each side.
QUIET_ZONE_MODULES: Final = 10
#: Longer values make bars too thin to scan from a phone screen; card numbers are far shorter.
MAX_LENGTH: Final = 80


def _values(value: str) -> list[int]:
    if not value:
        raise ValueError("a Code 128 barcode needs a non-empty value")
    if len(value) > MAX_LENGTH:
        raise ValueError(f"a Code 128 value of more than {MAX_LENGTH} characters does not scan from a screen")
    if value.isascii() and value.isdigit():
        if len(value) % 2 == 0:
            return [_START_C, *(int(value[i : i + 2]) for i in range(0, len(value), 2))]
        if len(value) >= 5:
            # One digit in set B, then set C for the even rest: shorter than all-B from 5 digits on.
            rest = value[1:]
            return [_START_B, ord(value[0]) - 32, _CODE_C, *(int(rest[i : i + 2]) for i in range(0, len(rest), 2))]
    bad = next((c for c in value if not " " <= c <= "~"), None)
    if bad is not None:
        raise ValueError(f"Code 128 set B holds printable ASCII only (got {bad!r})")
    return [_START_B, *(ord(c) - 32 for c in value)]


def code128_widths(value: str) -> tuple[int, ...]:
    """The bar/space widths of ``value``, bar first, without the quiet zone.

    :raises ValueError: empty, longer than :data:`MAX_LENGTH`, or not printable ASCII.
    """
    values = _values(value)
    check = (values[0] + sum(position * v for position, v in enumerate(values[1:], start=1))) % 103
    return tuple(int(w) for symbol in (*values, check, _STOP) for w in _PATTERNS[symbol])


def code128_svg(
    value: str, *, module_px: int = 2, height_px: int = 64, colour: str = "#000", background: str = "#fff"
) -> str:
    """An SVG of the barcode: one stroked path, quiet zone included, ``role="img"`` labelled by the value.

    The value is not written into the SVG as text (a caption belongs next to it in the page);
    its label is the escaped value.
    """
    if not 1 <= module_px <= 20 or not 8 <= height_px <= 1000:
        raise ValueError("module_px must be 1..20 and height_px 8..1000")
    colour, background = check_colour(colour, "colour"), check_colour(background, "background")
    widths = code128_widths(value)
    x = QUIET_ZONE_MODULES
    segments: list[str] = []
    for index, width in enumerate(widths):
        if index % 2 == 0:  # even positions are bars
            for offset in range(width):
                segments.append(f"M{x + offset}.5 0v{height_px}")
        x += width
    total = x + QUIET_ZONE_MODULES
    label = escape(f"Code 128 barcode: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'width="{total * module_px}" height="{height_px}" viewBox="0 0 {total} {height_px}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="{height_px}" fill="{background}"/>'
        f'<path d="{"".join(segments)}" stroke="{colour}" stroke-width="1"/></svg>'
    )
