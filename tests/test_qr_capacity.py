"""The capacity table against segno, an independent implementation of ISO/IEC 18004."""

from __future__ import annotations

import pytest
import segno

from linkkit.qr_capacity import QR_BYTE_CAPACITY, qr_modules, smallest_qr_version


@pytest.mark.parametrize("level", "LMQH")
def test_table_matches_segno(level):
    for version in (1, 2, 9, 10, 20, 26, 27, 40):
        capacity = QR_BYTE_CAPACITY[level][version - 1]
        code = segno.make("a" * capacity, error=level, boost_error=False, mode="byte", mask=0)
        assert code.version == version
        assert smallest_qr_version(capacity, level) == version  # type: ignore[arg-type]
    assert smallest_qr_version(QR_BYTE_CAPACITY[level][-1] + 1, level) is None  # type: ignore[arg-type]


def test_modules_and_misuse():
    assert qr_modules(1) == 21 and qr_modules(40) == 177
    with pytest.raises(ValueError):
        qr_modules(41)
    with pytest.raises(ValueError):
        smallest_qr_version(1, "X")  # type: ignore[arg-type]
