"""The encoder against qrcode (module for module) and its bit-parallel penalty against a plain loop."""

from __future__ import annotations

import random

import pytest
import qrcode
import qrcode.constants
import qrcode.util

from linkkit.assets._qr_encoder import _layout, _penalty, encode
from linkkit.qr_capacity import QR_BYTE_CAPACITY

_QRCODE_LEVEL = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def reference_rows(data: bytes, level: str, version: int, mask: int) -> tuple[int, ...]:
    qr = qrcode.QRCode(version=version, error_correction=_QRCODE_LEVEL[level], mask_pattern=mask, border=0)
    # force byte mode: qrcode would pick numeric mode for b"7"
    qr.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_8BIT_BYTE))
    qr.make(fit=False)
    return tuple(sum(1 << c for c, dark in enumerate(row) if dark) for row in qr.modules)


@pytest.mark.parametrize("level", "LMQH")
def test_every_version_matches_qrcode_module_for_module(level: str) -> None:
    rng = random.Random(f"versions-{level}")
    for version in range(1, 41):
        # full capacity exercises every block, the padding edge and the remainder bits
        for size in (QR_BYTE_CAPACITY[level][version - 1], 1):
            data = rng.randbytes(size)
            mask = rng.randrange(8)
            ours = encode(data, level, version=version, mask=mask)  # type: ignore[arg-type]
            assert ours.rows == reference_rows(data, level, version, mask), (version, level, mask, size)


def plain_penalty(grid: list[list[bool]]) -> int:
    """ISO/IEC 18004:2015 §7.8.3.1 written as the obvious loops (outside the symbol counts as light)."""
    n = len(grid)
    lines = [list(row) for row in grid] + [[grid[r][c] for r in range(n)] for c in range(n)]
    score = 0
    for line in lines:
        run_colour, run = None, 0
        for cell in [*line, None]:
            if cell == run_colour:
                run += 1
                continue
            if run >= 5:
                score += 3 + run - 5
            run_colour, run = cell, 1
        padded = [False] * 4 + line + [False] * 4
        core = [True, False, True, True, True, False, True]
        for i in range(4, n + 4 - 6):
            if padded[i : i + 7] == core and (not any(padded[i - 4 : i]) or not any(padded[i + 7 : i + 11])):
                score += 40
    for r in range(n - 1):
        for c in range(n - 1):
            if grid[r][c] == grid[r][c + 1] == grid[r + 1][c] == grid[r + 1][c + 1]:
                score += 3
    dark = sum(map(sum, grid))
    score += 10 * (abs(20 * dark - 10 * n * n) // (n * n))
    return score


@pytest.mark.parametrize("version", [1, 2, 7, 10])
def test_bit_parallel_penalty_equals_plain_loops(version: int) -> None:
    rng = random.Random(version)
    lay = _layout(version)
    for _ in range(5):
        grid = [[rng.random() < 0.5 for _ in range(lay.n)] for _ in range(lay.n)]
        symbol = 0
        for r, row in enumerate(grid):
            for c, dark in enumerate(row):
                if dark:
                    symbol |= 1 << (lay.base + r * lay.stride + c)
        assert _penalty(symbol, lay) == plain_penalty(grid)


def test_finder_like_patterns_are_found_at_the_edge() -> None:
    lay = _layout(1)
    grid = [[False] * lay.n for _ in range(lay.n)]
    for c, dark in enumerate([True, False, True, True, True, False, True]):
        grid[10][c] = dark
    symbol = sum(1 << (lay.base + 10 * lay.stride + c) for c in range(lay.n) if grid[10][c])
    assert _penalty(symbol, lay) == plain_penalty(grid)


def test_auto_mask_is_the_lowest_penalty() -> None:
    data = b"https://a.swallet.link/atw/v3/3ab4/3glji6d406000#Clip?pdata=8bUAc3LoPtwFpNvWQ0qS1A"
    chosen = encode(data, "M")
    lay = _layout(chosen.version)

    def score(rows: tuple[int, ...]) -> int:
        return _penalty(sum(row << (lay.base + r * lay.stride) for r, row in enumerate(rows)), lay)

    scores = [score(encode(data, "M", mask=m).rows) for m in range(8)]
    assert scores[chosen.mask] == min(scores)
    assert chosen.rows == encode(data, "M", mask=chosen.mask).rows


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "X"}, "error-correction level"),
        ({"mask": 8}, "mask must be 0..7"),
        ({"version": 41}, "version must be 1..40"),
        ({"version": 1, "level": "H", "data": b"x" * 20}, "need QR version 3"),
        ({"data": b"x" * 3000}, "do not fit"),
    ],
)
def test_encoder_refuses_bad_parameters(kwargs: dict[str, object], message: str) -> None:
    data = kwargs.pop("data", b"abc")
    with pytest.raises(ValueError, match=message):
        encode(data, **kwargs)  # type: ignore[arg-type]
