"""``__all__`` is the public API: sorted, complete, and every name importable."""

from __future__ import annotations

import linkkit


def test_all_is_sorted_and_resolves():
    assert linkkit.__all__ == sorted(linkkit.__all__)
    for name in linkkit.__all__:
        assert getattr(linkkit, name) is not None


def test_public_names_are_exported():
    public = {name for name in vars(linkkit) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(linkkit, name)).__name__ == "module"}
    assert public - modules == set(linkkit.__all__)


def test_every_error_derives_from_linkkit_error():
    for name in linkkit.__all__:
        obj = getattr(linkkit, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, linkkit.LinkKitError)
