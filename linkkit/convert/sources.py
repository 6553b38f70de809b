"""One entry point for any pass: a path, bytes or parsed JSON, Apple or Google, told apart by content."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from linkkit._json import DEFAULT_MAX_BYTES, read_json
from linkkit.convert.apple import STYLES, convert_apple
from linkkit.convert.google import convert_google
from linkkit.convert.options import ConvertOptions
from linkkit.convert.pkpass import (
    MAX_ARCHIVE_BYTES,
    PassPackage,
    read_bounded,
    read_pass_folder,
    read_pkpass,
)
from linkkit.convert.report import Conversion
from linkkit.errors import JSONInputError

_ZIP_MAGIC: Final = b"PK\x03\x04"
_APPLE_KEYS: Final = ("formatVersion", "passTypeIdentifier", *STYLES)

#: What :func:`convert_pass` takes: a path, the bytes of a file, parsed JSON, or a read Apple package.
PassSource = str | os.PathLike[str] | bytes | Mapping[str, Any] | PassPackage


def is_apple(doc: Mapping[str, Any]) -> bool:
    """True for a pass.json (Apple), false for a Google Wallet object or payload."""
    return any(key in doc for key in _APPLE_KEYS)


def load_json(path: str | os.PathLike[str], *, what: str | None = None) -> Any:
    """A JSON file through the one reader (size and depth limits, strict JSON)."""
    name = what or Path(path).name
    return read_json(read_bounded(path, DEFAULT_MAX_BYTES, what=name), what=name)


def _from_bytes(data: bytes, name: str) -> PassPackage | Mapping[str, Any]:
    if data.startswith(_ZIP_MAGIC):
        return read_pkpass(data, name=name)
    doc = read_json(data, what=name)
    if not isinstance(doc, dict):
        raise JSONInputError(f"{name}: must be a JSON object")
    return doc


def read_source(source: PassSource) -> PassPackage | Mapping[str, Any]:
    """An Apple :class:`PassPackage`, or the parsed JSON of a Google Wallet object or payload.

    :raises PassFileError: an unsafe archive or folder, or a file that is not a pass.
    :raises JSONInputError: JSON that is not strict, too large or too deep.
    """
    if isinstance(source, PassPackage | Mapping):
        return source
    if isinstance(source, bytes):
        return _from_bytes(source, "the pass")
    path = Path(source)
    if path.is_dir():
        return read_pass_folder(path)
    limit = MAX_ARCHIVE_BYTES if path.suffix.lower() == ".pkpass" else DEFAULT_MAX_BYTES
    return _from_bytes(read_bounded(path, limit, what=path.name), path.name)


def convert_pass(
    source: PassSource,
    options: ConvertOptions | None = None,
    *,
    class_doc: Mapping[str, Any] | str | os.PathLike[str] | None = None,
) -> Conversion:
    """Convert an Apple pass or a Google Wallet object to a Samsung card, with a report of what was dropped.

    ::

        >>> options = ConvertOptions(image_base_url="https://cdn.example.com/w")  # doctest: +SKIP
        >>> result = convert_pass("Coffee.pkpass", options)  # doctest: +SKIP
        >>> result.card["card"]["type"], [d.source for d in result.report.dropped][:2]  # doctest: +SKIP
        ('loyalty', ['formatVersion', 'passTypeIdentifier'])

    :param source: a ``.pkpass``, a ``.pass`` folder, a pass.json, a Google object or JWT payload (path,
        bytes or parsed JSON), or a :class:`~linkkit.convert.pkpass.PassPackage`.
    :param class_doc: the Google class, when it is not inside the object (path or parsed JSON).
    :raises PassFileError: hostile or unreadable input (nothing is written anywhere).
    :raises JSONInputError: bad JSON.
    :raises ValidationError: the card the pass makes breaks a rule; the error names the attribute, where it
        was looked for, and how to set it yourself.
    """
    read = read_source(source)
    if isinstance(read, PassPackage):
        return convert_apple(read, options)
    if is_apple(read):
        return convert_apple(PassPackage(data=dict(read)), options)
    klass = load_json(class_doc) if isinstance(class_doc, str | os.PathLike) else class_doc
    return convert_google(read, options, class_doc=klass)
