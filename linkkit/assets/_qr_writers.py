"""Serialize a :class:`~linkkit.assets._qr_encoder.QRMatrix` as SVG (one path) or PNG (1-bit palette).

Both writers are plain string/bytes work on the matrix rows: no image library in the hot path.
The PNG is a two-colour palette image at one bit per pixel (PNG 1.2, ISO/IEC 15948 §11), which
is the smallest honest encoding of a QR code and decodes in every browser and mail client.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Final

from linkkit.assets._qr_encoder import QRMatrix
from linkkit.errors import AssetOptionError

_RUN: Final = re.compile(r"1+")
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_HEX_COLOUR: Final = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def check_colour(value: str, name: str) -> str:
    """Accept ``#rgb`` or ``#rrggbb`` only, so a colour can never smuggle markup into an SVG."""
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
        raise AssetOptionError(f"{name}: must be a #rgb or #rrggbb colour (got {value!r})")
    return value.lower()


def _rgb(value: str) -> tuple[int, int, int]:
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _row_strings(matrix: QRMatrix) -> list[str]:
    n = matrix.size
    # format() puts column 0 last; reverse so that string index == column
    return [format(row, f"0{n}b")[::-1] for row in matrix.rows]


def svg_path_data(matrix: QRMatrix, border: int) -> str:
    """The ``d`` of one stroked path: each horizontal run of dark modules is one ``h`` segment.

    A stroke of width 1 centred on ``y + .5`` covers exactly the module row, so the path needs no
    ``v``/``z`` commands; runs after the first in a row use a relative move.
    """
    parts: list[str] = []
    for y, line in enumerate(_row_strings(matrix), start=border):
        x_end = 0
        first = True
        for run in _RUN.finditer(line):
            start, end = run.span()
            if first:
                parts.append(f"M{start + border} {y}.5h{end - start}")
                first = False
            else:
                parts.append(f"m{start - x_end} 0h{end - start}")
            x_end = end
    return "".join(parts)


def svg_document(
    matrix: QRMatrix,
    *,
    border: int,
    dark: str,
    light: str | None,
    size: str | None,
    title: str | None,
) -> str:
    """A standalone SVG document; ``title`` must already be XML-escaped by the caller."""
    width = matrix.size + 2 * border
    dims = f' width="{size}" height="{size}"' if size else ""
    head = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width}"{dims} shape-rendering="crispEdges"'
    if title:
        head += f' role="img" aria-label="{title}"><title>{title}</title>'
    else:
        head += ">"
    background = f'<rect width="{width}" height="{width}" fill="{light}"/>' if light else ""
    path = f'<path stroke="{dark}" d="{svg_path_data(matrix, border)}"/>'
    return f"{head}{background}{path}</svg>"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(
    matrix: QRMatrix,
    *,
    border: int,
    scale: int,
    dark: str,
    light: str | None,
    dpi: int | None,
) -> bytes:
    """A 1-bit palette PNG; palette index 1 is dark, so a dark module is simply a set bit."""
    modules = matrix.size + 2 * border
    px = modules * scale
    row_bits = px + (-px % 8)
    widen = str.maketrans({"0": "0" * scale, "1": "1" * scale})
    edge = "0" * (border * scale)
    tail = "0" * (row_bits - px)
    blank = b"\x00" + bytes(row_bits // 8)
    raw = bytearray(blank * (border * scale))
    for line in _row_strings(matrix):
        bits = edge + line.translate(widen) + edge + tail
        scanline = b"\x00" + int(bits, 2).to_bytes(row_bits // 8, "big")
        raw += scanline * scale
    raw += blank * (border * scale)
    palette = bytes((*_rgb(light or "#ffffff"), *_rgb(dark)))
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", px, px, 1, 3, 0, 0, 0)),
        _chunk(b"PLTE", palette),
    ]
    if light is None:
        chunks.append(_chunk(b"tRNS", b"\x00"))  # palette entry 0 (light) fully transparent
    if dpi:
        per_metre = round(dpi / 0.0254)
        chunks.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    chunks.append(_chunk(b"IDAT", zlib.compress(bytes(raw), 6)))
    chunks.append(_chunk(b"IEND", b""))
    return _PNG_SIGNATURE + b"".join(chunks)
