"""linkkit.cards re-exports an explicit, sorted __all__ and nothing else public."""

from __future__ import annotations

import linkkit.cards as cards


def test_all_is_explicit_and_complete() -> None:
    public = {name for name in vars(cards) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(cards, name)).__name__ == "module"}
    assert set(cards.__all__) == public - modules
    assert cards.__all__ == sorted(cards.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n))
    for name in cards.__all__:
        assert getattr(cards, name) is not None
