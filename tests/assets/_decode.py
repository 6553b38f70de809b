"""Independent decoding helpers for the asset tests: zbar reads what linkkit wrote."""

from __future__ import annotations

import io
import re

from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

_SEGMENT = re.compile(r"([Mm])(\d+) (\d+)(?:\.5)?h(\d+)")


def decode_png(png: bytes) -> list[bytes]:
    """Every QR payload zbar finds in a PNG (converted to 8-bit grey, as a camera would see it)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return [symbol.data for symbol in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]


def svg_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """Parse linkkit's one-path SVG back into (width in modules, dark cells) without linkkit's help."""
    width = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    d = re.search(r' d="([^"]*)"', svg).group(1)  # type: ignore[union-attr]
    dark: set[tuple[int, int]] = set()
    x = y = 0
    for cmd, a, b, length in _SEGMENT.findall(d):
        if cmd == "M":
            x, y = int(a), int(b)
        else:
            x, y = x + int(a), y + int(b)
        for col in range(x, x + int(length)):
            dark.add((y, col))
        x += int(length)
    assert _SEGMENT.sub("", d) == "", f"unexpected path commands: {_SEGMENT.sub('', d)[:40]}"
    return width, dark


def decode_svg(svg: str, scale: int = 6) -> list[bytes]:
    """Rasterize the SVG's path by hand (an independent reading of the path syntax) and decode it."""
    width, dark = svg_modules(svg)
    image = Image.new("L", (width * scale, width * scale), 255)
    for row, col in dark:
        image.paste(0, (col * scale, row * scale, (col + 1) * scale, (row + 1) * scale))
    return [symbol.data for symbol in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]
