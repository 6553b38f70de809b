"""The examples in the module docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import linkkit.assets.barcode
import linkkit.assets.locales
import linkkit.assets.qr


@pytest.mark.parametrize("module", [linkkit.assets.qr, linkkit.assets.locales, linkkit.assets.barcode])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
