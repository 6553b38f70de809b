"""A fast QR code encoder for byte-mode data (ISO/IEC 18004:2015, versions 1..40, levels L/M/Q/H),
with an optional ECI header that declares the bytes UTF-8.

Why our own encoder: generating a QR code in pure Python is dominated by the automatic mask
selection, which scores all eight masks (qrcode and segno make roughly 20-170 codes per second
here; ``bench/bench_qr.py``). Here the whole symbol lives in *one* Python integer (one bit per
module, rows separated by four light guard bits), so each penalty rule of ISO/IEC 18004:2015
§7.8.3 is a handful of shifts, ANDs and ``int.bit_count()`` calls over the whole symbol instead
of a Python loop over modules. Everything that does not depend on the data (function patterns,
the placement order, mask patterns, format bits) is computed once per version.

``tests/assets/test_qr_encoder.py`` compares the output module for module with two independent
encoders, qrcode and segno (every version and level, and hypothesis-drawn data, levels, masks,
with and without ECI), and the tests decode every code they make back with zbar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Final

from linkkit.assets._qr_tables import ALIGN, BLOCKS
from linkkit.errors import AssetOptionError, QRCapacityError
from linkkit.qr_capacity import ErrorLevel

_LEVEL_INDEX: Final = {"L": 0, "M": 1, "Q": 2, "H": 3}
#: Format-information level bits, ISO/IEC 18004:2015 Table 12.
_LEVEL_BITS: Final = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}
#: Light modules kept around the symbol inside the integer, so that no penalty pattern can run
#: from one row into the next and the finder-like rule sees light beyond the edge (§7.8.3.1).
_GUARD: Final = 4
#: ECI designator of UTF-8 (AIM ECI 000026). Without an ECI a reader must guess the charset of
#: byte-mode data: the standard's default is ISO-8859-1, and zbar reads short UTF-8 text such as
#: "é" as Shift-JIS. The header is mode indicator 0111 and the designator in one byte (§7.4.2.2).
UTF8_ECI: Final = 26
_ECI_BITS: Final = 4 + 8


@dataclass(frozen=True, slots=True)
class QRMatrix:
    """An encoded symbol: ``rows[r] >> c & 1`` is 1 when the module at row ``r``, column ``c`` is dark.

    ``eci`` is True when the data is preceded by the UTF-8 ECI header.
    """

    version: int
    level: ErrorLevel
    mask: int
    rows: tuple[int, ...]
    eci: bool = False

    @property
    def size(self) -> int:
        """Modules per side, without the quiet zone."""
        return len(self.rows)

    def is_dark(self, row: int, col: int) -> bool:
        """Whether the module at ``row``, ``col`` is dark."""
        return bool(self.rows[row] >> col & 1)


# --- Reed-Solomon over GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1 (§7.5.2) -------

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@cache
def _ecc_table(n_ecc: int) -> tuple[int, ...]:
    """For each factor ``f``, the generator polynomial times ``f`` as one big-endian integer."""
    gen = [1]
    for i in range(n_ecc):
        nxt = [0] * (len(gen) + 1)
        for j, coef in enumerate(gen):
            nxt[j] ^= coef
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        gen = nxt
    return tuple(int.from_bytes(bytes(_gf_mul(g, f) for g in gen[1:]), "big") for f in range(256))


def _rs_remainder(data: bytes, n_ecc: int) -> bytes:
    """The ``n_ecc`` error-correction codewords of one block (an LFSR on one integer)."""
    table = _ecc_table(n_ecc)
    top = 8 * (n_ecc - 1)
    keep = (1 << top) - 1
    rem = 0
    for byte in data:
        rem = ((rem & keep) << 8) ^ table[byte ^ (rem >> top)]
    return rem.to_bytes(n_ecc, "big")


# --- Per-version layout ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    n: int
    stride: int
    base: int  # bit index of module (0, 0)
    valid: int  # every module of the symbol
    ext_light: int  # modules plus the guard: where "light" is true for the finder-like rule
    function_dark: int  # finder, separators, timing, alignment, dark module, version info
    data_region: int
    mask_patterns: tuple[int, ...]  # each restricted to the data region
    format_bits: dict[tuple[str, int], int]
    gather: Callable[[bytes], tuple[int, ...]]  # picks codeword bits into matrix order (MSB first)
    n_bits: int  # size of the integer in bits
    capacity_bits: int


def _bch_format(level: str, mask: int) -> int:
    data = _LEVEL_BITS[level] << 3 | mask
    rem = data << 10
    for shift in range(4, -1, -1):
        if rem >> (shift + 10) & 1:
            rem ^= 0x537 << shift
    return (data << 10 | rem) ^ 0x5412


def _bch_version(version: int) -> int:
    rem = version << 12
    for shift in range(5, -1, -1):
        if rem >> (shift + 12) & 1:
            rem ^= 0x1F25 << shift
    return version << 12 | rem


def _mask_bit(mask: int, i: int, j: int) -> bool:
    # ISO/IEC 18004:2015 Table 10 (i = row, j = column)
    if mask == 0:
        return (i + j) % 2 == 0
    if mask == 1:
        return i % 2 == 0
    if mask == 2:
        return j % 3 == 0
    if mask == 3:
        return (i + j) % 3 == 0
    if mask == 4:
        return (i // 2 + j // 3) % 2 == 0
    if mask == 5:
        return (i * j) % 2 + (i * j) % 3 == 0
    if mask == 6:
        return ((i * j) % 2 + (i * j) % 3) % 2 == 0
    return ((i + j) % 2 + (i * j) % 3) % 2 == 0


def _format_positions(n: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """For format bit i (LSB first), its two (row, col) positions (§7.9.1, Figure 25)."""
    out = []
    for i in range(15):
        if i < 6:
            first = (i, 8)
        elif i < 8:
            first = (i + 1, 8)
        else:
            first = (n - 15 + i, 8)
        if i < 8:
            second = (8, n - i - 1)
        elif i < 9:
            second = (8, 15 - i)
        else:
            second = (8, 14 - i)
        out.append((first, second))
    return out


@cache
def _layout(version: int) -> _Layout:
    n = 17 + 4 * version
    grid: list[list[bool | None]] = [[None] * n for _ in range(n)]

    def put(r: int, c: int, dark: bool) -> None:
        grid[r][c] = dark

    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        for dr in range(-1, 8):
            for dc in range(-1, 8):
                r, c = r0 + dr, c0 + dc
                if 0 <= r < n and 0 <= c < n:
                    ring = max(abs(dr - 3), abs(dc - 3))
                    put(r, c, ring != 2 and ring != 4)
    centres = ALIGN[version - 1]
    for r in centres:
        for c in centres:
            if grid[r][c] is not None:  # overlaps a finder pattern
                continue
            for dr in range(-2, 3):
                for dc in range(-2, 3):
                    put(r + dr, c + dc, max(abs(dr), abs(dc)) != 1)
    # after the alignment patterns: where they cross the timing lines the colours agree
    for k in range(8, n - 8):
        put(6, k, k % 2 == 0)
        put(k, 6, k % 2 == 0)
    fmt_pos = _format_positions(n)
    for first, second in fmt_pos:
        put(*first, False)
        put(*second, False)
    put(n - 8, 8, True)  # the dark module
    if version >= 7:
        bits = _bch_version(version)
        for i in range(18):
            dark = bool(bits >> i & 1)
            put(i // 3, n - 11 + i % 3, dark)
            put(n - 11 + i % 3, i // 3, dark)

    stride = n + _GUARD
    base = _GUARD * stride + _GUARD
    n_bits = base + (n + _GUARD) * stride

    def bit(r: int, c: int) -> int:
        return 1 << (base + r * stride + c)

    def pack(rows: list[int]) -> int:
        out = 0
        for r in range(n - 1, -1, -1):  # one shift per row keeps this linear in the size
            out = out << stride | rows[r]
        return out << base

    data_rows = [sum(1 << c for c in range(n) if grid[r][c] is None) for r in range(n)]
    dark_rows = [sum(1 << c for c in range(n) if grid[r][c]) for r in range(n)]
    valid = pack([(1 << n) - 1] * n)
    ext_light = (1 << n_bits) - 1
    function_dark = pack(dark_rows)
    data_region = pack(data_rows)
    masks = []
    for m in range(8):
        # every mask of Table 10 repeats along a row with a period that divides 6
        rows = []
        for r in range(n):
            period = "".join("1" if _mask_bit(m, r, j) else "0" for j in range(6))
            line = (period * (n // 6 + 1))[:n]
            rows.append(int(line[::-1], 2) & data_rows[r])
        masks.append(pack(rows))
    format_bits: dict[tuple[str, int], int] = {}
    for level in _LEVEL_BITS:
        for m in range(8):
            value = _bch_format(level, m)
            placed = 0
            for i, (first, second) in enumerate(fmt_pos):
                if value >> i & 1:
                    placed |= bit(*first) | bit(*second)
            format_bits[(level, m)] = placed

    # Placement order: two-module columns from the right, zig-zagging up and down (§7.7.3).
    order: list[int] = []
    upward = True
    col = n - 1
    while col > 0:
        if col == 6:  # skip the vertical timing pattern
            col -= 1
        for r in range(n - 1, -1, -1) if upward else range(n):
            for c in (col, col - 1):
                if grid[r][c] is None:
                    order.append(base + r * stride + c)
        upward = not upward
        col -= 2
    # gather[k] is the index into the codeword bit string (with one trailing '0') that lands on
    # integer bit (n_bits - 1 - k); positions outside the data region read the trailing '0'.
    blank = len(order)
    source = [blank] * n_bits
    for k, pos in enumerate(order):
        source[n_bits - 1 - pos] = k
    return _Layout(
        n=n,
        stride=stride,
        base=base,
        valid=valid,
        ext_light=ext_light,
        function_dark=function_dark,
        data_region=data_region,
        mask_patterns=tuple(masks),
        format_bits=format_bits,
        gather=itemgetter(*source),
        n_bits=n_bits,
        capacity_bits=len(order),
    )


# --- Data codewords ---------------------------------------------------------------------------


def _count_bits(version: int) -> int:
    """Bits of the byte-mode character count (§7.4.1, Table 3)."""
    return 8 if version <= 9 else 16


@cache
def byte_capacity(version: int, level: ErrorLevel, *, eci: bool = False) -> int:
    """How many bytes one byte-mode segment holds at ``version`` and ``level`` (after the ECI header, if any)."""
    _, g1, d1, g2, d2 = BLOCKS[version - 1][_LEVEL_INDEX[level]]
    header = (_ECI_BITS if eci else 0) + 4 + _count_bits(version)
    return (8 * (g1 * d1 + g2 * d2) - header) // 8


def smallest_version(n_bytes: int, level: ErrorLevel, *, eci: bool = False) -> int | None:
    """The smallest version that holds ``n_bytes`` at ``level``, or None when none does."""
    for version in range(1, 41):
        if n_bytes <= byte_capacity(version, level, eci=eci):
            return version
    return None


def _codewords(data: bytes, version: int, level: ErrorLevel, eci: bool) -> bytes:
    n_ecc, g1, d1, g2, d2 = BLOCKS[version - 1][_LEVEL_INDEX[level]]
    n_data = g1 * d1 + g2 * d2
    count_bits = _count_bits(version)
    n = len(data)
    # [ECI 0111 + designator], then mode indicator 0100 (byte), character count, the bytes (§7.4.2, §7.4.5)
    header = 0b0100 << count_bits | n
    used = 4 + count_bits
    if eci:
        header |= (0b0111 << 8 | UTF8_ECI) << used
        used += _ECI_BITS
    value = header << (8 * n) | int.from_bytes(data, "big")
    used += 8 * n
    room = 8 * n_data
    terminator = min(4, room - used)
    value <<= terminator
    used += terminator
    pad = -used % 8
    value <<= pad
    used += pad
    stream = value.to_bytes(used // 8, "big")
    fill = n_data - len(stream)
    stream += (b"\xec\x11" * (fill // 2 + 1))[:fill]
    blocks: list[bytes] = []
    offset = 0
    for count, size in ((g1, d1), (g2, d2)):
        for _ in range(count):
            blocks.append(stream[offset : offset + size])
            offset += size
    out = bytearray()
    for i in range(max(d1, d2)):
        out.extend(block[i] for block in blocks if i < len(block))
    ecc_blocks = [_rs_remainder(block, n_ecc) for block in blocks]
    for i in range(n_ecc):
        out.extend(block[i] for block in ecc_blocks)
    return bytes(out)


# --- Mask evaluation (ISO/IEC 18004:2015 §7.8.3.1, Table 11) -----------------------------------


def _penalty(dark: int, lay: _Layout) -> int:
    light = ~dark & lay.valid
    s = lay.stride
    score = 0
    for step in (1, s):
        # N1: runs of five or more same-coloured modules score 3 + (length - 5).
        for v in (dark, light):
            w = v & v >> step & v >> 2 * step & v >> 3 * step & v >> 4 * step
            score += w.bit_count() + 2 * (w & ~(w << step)).bit_count()
        # N3: 1:1:3:1:1 finder-like pattern with four light modules before or after it.
        ext = ~dark & lay.ext_light
        core = (
            dark
            & ext >> step
            & dark >> 2 * step
            & dark >> 3 * step
            & dark >> 4 * step
            & ext >> 5 * step
            & dark >> 6 * step
        )
        before = ext << step & ext << 2 * step & ext << 3 * step & ext << 4 * step
        after = ext >> 7 * step & ext >> 8 * step & ext >> 9 * step & ext >> 10 * step
        score += 40 * (core & (before | after)).bit_count()
    # N2: each 2x2 block of one colour scores 3.
    for v in (dark, light):
        score += 3 * (v & v >> 1 & v >> s & v >> (s + 1)).bit_count()
    # N4: 10 points for every 5% the dark share strays from 50%.
    total = lay.n * lay.n
    score += 10 * (abs(20 * dark.bit_count() - 10 * total) // total)
    return score


def encode(
    data: bytes,
    level: ErrorLevel = "M",
    *,
    version: int | None = None,
    mask: int | None = None,
    eci: bool = False,
) -> QRMatrix:
    """Encode ``data`` in byte mode, after a UTF-8 ECI header when ``eci`` is True.

    :param version: 1..40, or None for the smallest that holds the data.
    :param mask: 0..7, or None to choose by the penalty rules of ISO/IEC 18004:2015 §7.8.3.
    :raises QRCapacityError: the data does not fit (at ``version``, or at all).
    :raises AssetOptionError: a parameter is out of range.
    """
    if level not in _LEVEL_INDEX:
        raise AssetOptionError(f"level: must be one of L, M, Q, H (got {level!r})")
    if mask is not None and (type(mask) is not int or not 0 <= mask <= 7):
        raise AssetOptionError(f"mask: must be an integer 0..7 or None (got {mask!r})")
    if version is not None and (type(version) is not int or not 1 <= version <= 40):
        raise AssetOptionError(f"version: must be an integer 1..40 or None (got {version!r})")
    smallest = smallest_version(len(data), level, eci=eci)
    if smallest is None:
        raise QRCapacityError(f"data: {len(data)} bytes do not fit any QR version at level {level}")
    if version is None:
        version = smallest
    elif version < smallest:
        raise QRCapacityError(f"data: {len(data)} bytes need QR version {smallest} or more at level {level}")
    lay = _layout(version)
    codewords = _codewords(data, version, level, eci)
    # remainder bits (§7.6) and the blank that non-data positions read are '0'
    bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b").encode()
    bits = bits.ljust(lay.capacity_bits + 1, b"0")
    placed = int(bytes(lay.gather(bits)), 2)
    fixed = lay.function_dark
    candidates = range(8) if mask is None else (mask,)
    best_mask, best_symbol, best_score = -1, 0, -1
    for m in candidates:
        symbol = fixed | lay.format_bits[(level, m)] | (placed ^ lay.mask_patterns[m]) & lay.data_region
        if mask is not None:
            best_mask, best_symbol = m, symbol
            break
        score = _penalty(symbol, lay)
        if best_score < 0 or score < best_score:
            best_mask, best_symbol, best_score = m, symbol, score
    row_full = (1 << lay.n) - 1
    rows = tuple(best_symbol >> (lay.base + r * lay.stride) & row_full for r in range(lay.n))
    return QRMatrix(version=version, level=level, mask=best_mask, rows=rows, eci=eci)
