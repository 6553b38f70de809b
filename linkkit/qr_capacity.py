"""QR code byte-mode capacity (ISO/IEC 18004:2015, Table 7), used to plan links and refuse dense codes.

A URL is encoded in byte mode: base64url tokens have lower-case letters, which QR's
alphanumeric mode cannot carry.
"""

from __future__ import annotations

from typing import Final, Literal

ErrorLevel = Literal["L", "M", "Q", "H"]

#: Byte-mode capacity in bytes for versions 1..40 at each error-correction level.
QR_BYTE_CAPACITY: Final[dict[str, tuple[int, ...]]] = {
    "L": (
        17,
        32,
        53,
        78,
        106,
        134,
        154,
        192,
        230,
        271,
        321,
        367,
        425,
        458,
        520,
        586,
        644,
        718,
        792,
        858,
        929,
        1003,
        1091,
        1171,
        1273,
        1367,
        1465,
        1528,
        1628,
        1732,
        1840,
        1952,
        2068,
        2188,
        2303,
        2431,
        2563,
        2699,
        2809,
        2953,
    ),
    "M": (
        14,
        26,
        42,
        62,
        84,
        106,
        122,
        152,
        180,
        213,
        251,
        287,
        331,
        362,
        412,
        450,
        504,
        560,
        624,
        666,
        711,
        779,
        857,
        911,
        997,
        1059,
        1125,
        1190,
        1264,
        1370,
        1452,
        1538,
        1628,
        1722,
        1809,
        1911,
        1989,
        2099,
        2213,
        2331,
    ),
    "Q": (
        11,
        20,
        32,
        46,
        60,
        74,
        86,
        108,
        130,
        151,
        177,
        203,
        241,
        258,
        292,
        322,
        364,
        394,
        442,
        482,
        509,
        565,
        611,
        661,
        715,
        751,
        805,
        868,
        908,
        982,
        1030,
        1112,
        1168,
        1228,
        1283,
        1351,
        1423,
        1499,
        1579,
        1663,
    ),
    "H": (
        7,
        14,
        24,
        34,
        44,
        58,
        64,
        84,
        98,
        119,
        137,
        155,
        177,
        194,
        220,
        250,
        280,
        310,
        338,
        382,
        403,
        439,
        461,
        511,
        535,
        593,
        625,
        658,
        698,
        742,
        790,
        842,
        898,
        958,
        983,
        1051,
        1093,
        1139,
        1219,
        1273,
    ),
}

#: Above this version a printed code gets hard to scan with phone cameras at ordinary sizes; the
#: planner recommends a Data Fetch or short link instead (our rule of thumb).
QR_COMFORTABLE_MAX_VERSION: Final = 15


def smallest_qr_version(n_bytes: int, level: ErrorLevel = "M") -> int | None:
    """The smallest QR version (1..40) that holds ``n_bytes`` in byte mode at ``level``, or None."""
    if level not in QR_BYTE_CAPACITY:
        raise ValueError(f"error-correction level must be one of L, M, Q, H (got {level!r})")
    for version, capacity in enumerate(QR_BYTE_CAPACITY[level], start=1):
        if n_bytes <= capacity:
            return version
    return None


def qr_modules(version: int) -> int:
    """Modules per side of a QR symbol of ``version`` (without the quiet zone)."""
    if not 1 <= version <= 40:
        raise ValueError(f"QR version must be 1..40 (got {version})")
    return 17 + 4 * version
