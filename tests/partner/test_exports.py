"""The public API of linkkit.partner, linkkit.sandbox and linkkit.clients: sorted, complete, importable."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["linkkit.partner", "linkkit.sandbox", "linkkit.clients"])
def test_all_is_sorted_complete_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    # ruff's order (RUF022): CONSTANTS, then Classes, then functions
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n))
    public = {n for n, v in vars(module).items() if not n.startswith("_") and type(v).__name__ != "module"}
    assert public == set(module.__all__)
    for item in module.__all__:
        assert getattr(module, item) is not None
