"""Where the shipped browser shim (``js/``) and artwork (``web/``) live on disk.

In a wheel they are package data under ``linkkit/_shipped/``; in a source checkout (and an
editable install) they are the repository's top-level ``js/`` and ``web/`` folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Bundle = Literal["js", "web"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(bundle: Bundle) -> Path:
    """The directory holding the shipped ``js`` or ``web`` files."""
    if bundle not in ("js", "web"):
        raise ValueError(f"bundle must be 'js' or 'web' (got {bundle!r})")
    installed = _PACKAGE_DIR / "_shipped" / bundle
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / bundle
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"linkkit's shipped {bundle}/ folder is missing (looked in {installed} and {checkout})")


def shipped_file(bundle: Bundle, name: str) -> Path:
    """A file inside a shipped bundle; refuses names that climb out of it."""
    base = shipped_dir(bundle).resolve()
    path = (base / name).resolve()
    if base not in path.parents or not path.is_file():
        raise FileNotFoundError(f"no shipped file {bundle}/{name}")
    return path
