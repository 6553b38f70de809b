"""Read an Apple pass safely: a ``pass.json``, a ``.pkpass`` zip (signed or not) or an unzipped ``.pass`` folder.

A pass is a small, flat package: ``pass.json``, PNG images (``logo@2x.png``) and localizations
(``fr.lproj/pass.strings``, ``fr.lproj/logo.png``), plus ``manifest.json`` and ``signature`` when signed.
Anything else is refused before a byte is decompressed:

- an archive over :data:`MAX_ARCHIVE_BYTES`, more than :data:`MAX_ENTRIES` entries, an entry whose declared
  size is over its limit or whose compression ratio gives a zip bomb away, more than
  :data:`MAX_TOTAL_BYTES` declared in all; and every read is bounded again by the limit, so a header that
  lies is caught while reading;
- entry names that are not a flat pass file (``../``, absolute paths, backslashes, nested folders, NUL),
  duplicates, symlinks, encrypted entries, unknown compression;
- images that are not PNG or have more than :data:`~linkkit.convert._images.MAX_IMAGE_SIDE` pixels a side.

Nothing is ever extracted to disk. The signature is not checked (not needed to make a Samsung card); a
``manifest.json`` whose SHA-1 digests do not match the files is reported as a warning.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from linkkit._json import read_json
from linkkit.convert._images import check_png
from linkkit.convert._strings import MAX_STRINGS_BYTES, parse_strings
from linkkit.errors import JSONInputError, PassFileError

#: Largest .pkpass read (Apple's own passes are a few hundred kB).
MAX_ARCHIVE_BYTES: Final = 16 * 1024 * 1024
#: Most entries in a pass (pass.json, ~18 image variants, a few dozen localizations, manifest, signature).
MAX_ENTRIES: Final = 512
#: Largest pass.json.
MAX_PASS_JSON_BYTES: Final = 1024 * 1024
#: Largest image file (Samsung takes 256 kB; bigger variants are read, then skipped when choosing).
MAX_IMAGE_BYTES: Final = 2 * 1024 * 1024
#: Largest sum of declared sizes.
MAX_TOTAL_BYTES: Final = 32 * 1024 * 1024
#: Highest compression ratio accepted for an entry over 64 KiB (a PNG barely compresses; JSON ~10x).
MAX_RATIO: Final = 100
_SMALL: Final = 64 * 1024
_OTHER_BYTES: Final = 256 * 1024  # manifest.json, signature

# A pass file: "logo@2x.png", "pass.json", or one level down in "<language>.lproj/".
_ENTRY: Final = re.compile(r"(?:([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,2})\.lproj/)?([A-Za-z0-9_@.-]{1,64})")
_LPROJ_DIR: Final = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,2}\.lproj/?")
_KNOWN_OTHER: Final = ("manifest.json", "signature")


@dataclass(frozen=True)
class PassPackage:
    """The contents of an Apple pass, read and checked."""

    #: The parsed pass.json.
    data: dict[str, Any]
    #: Images by entry name (``logo@2x.png``, ``fr.lproj/logo.png``), each checked to be a sane PNG.
    images: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    #: ``pass.strings`` tables by language (``fr``, ``zh-Hans``: the ``.lproj`` name, ``_`` read as ``-``).
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Entries that are not part of the pass format (listed as dropped in the report).
    other: tuple[str, ...] = ()
    #: ``True`` when a manifest.json was present and matched; ``False`` when it did not; ``None`` without one.
    manifest_ok: bool | None = None
    #: ``pkpass``, ``folder`` or ``json``.
    origin: str = "json"


def read_pass_json(data: bytes, *, name: str = "pass.json") -> PassPackage:
    """A bare pass.json (no images, no localizations)."""
    return PassPackage(data=_pass_json(data, name), origin="json")


def _pass_json(data: bytes, name: str) -> dict[str, Any]:
    obj = read_json(data, what=name, max_bytes=MAX_PASS_JSON_BYTES)
    if not isinstance(obj, dict):
        raise JSONInputError(f"{name}: must be a JSON object")
    return obj


def _classify(name: str, where: str) -> tuple[str | None, str]:
    """(language or None, file name) for a safe entry name; :class:`PassFileError` for any other."""
    match = _ENTRY.fullmatch(name)
    if match is None or ".." in name or name.startswith(".") or "/." in name:
        raise PassFileError(f"{where}: the entry {_shown(name)} is not a pass file name", code="unsafe_entry")
    language, base = match.groups()
    return (language.replace("_", "-") if language else None), base


def _shown(name: str) -> str:
    printable = "".join(ch if ch.isprintable() else "?" for ch in name[:80])
    return repr(printable)


def _limit_for(base: str) -> int:
    if base == "pass.json":
        return MAX_PASS_JSON_BYTES
    if base.endswith(".strings"):
        return MAX_STRINGS_BYTES
    if base.endswith(".png"):
        return MAX_IMAGE_BYTES
    return _OTHER_BYTES


class _Collector:
    """The checked entries of a pass, whatever it came from."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.files: dict[str, bytes] = {}
        self.other: list[str] = []

    def add(self, name: str, data: bytes) -> None:
        if name in self.files:
            raise PassFileError(f"{self.where}: the entry {_shown(name)} appears twice", code="unsafe_entry")
        self.files[name] = data

    def package(self, origin: str) -> PassPackage:
        raw = self.files.get("pass.json")
        if raw is None:
            raise PassFileError(f"{self.where}: no pass.json at the top level", code="not_a_pass")
        data = _pass_json(raw, f"{self.where}: pass.json")
        images: dict[str, bytes] = {}
        strings: dict[str, dict[str, str]] = {}
        other: list[str] = list(self.other)
        for name, content in sorted(self.files.items()):
            language, base = _classify(name, self.where)
            if base.endswith(".png"):
                check_png(f"{self.where}: {name}", content)
                images[name] = content
            elif language and base == "pass.strings":
                strings[language] = parse_strings(content, f"{self.where}: {name}")
            elif name not in ("pass.json", *_KNOWN_OTHER):
                other.append(name)
        return PassPackage(
            data=data,
            images=images,
            strings=strings,
            other=tuple(other),
            manifest_ok=self._manifest_ok(),
            origin=origin,
        )

    def _manifest_ok(self) -> bool | None:
        raw = self.files.get("manifest.json")
        if raw is None:
            return None
        try:
            manifest = read_json(raw, what="manifest.json", max_bytes=_OTHER_BYTES)
        except JSONInputError:
            return False
        if not isinstance(manifest, dict):
            return False
        for name, content in self.files.items():
            if name in _KNOWN_OTHER:
                continue
            if manifest.get(name) != hashlib.sha1(content, usedforsecurity=False).hexdigest():
                return False
        return all(name in self.files for name in manifest)


def read_pkpass(data: bytes, *, name: str = "pass.pkpass") -> PassPackage:
    """Read a ``.pkpass`` (a zip), refusing zip bombs, unsafe names, symlinks and oversized entries.

    :raises PassFileError: with a ``code`` naming the rule broken; nothing is ever written.
    :raises JSONInputError: when pass.json is not strict JSON.
    """
    if len(data) > MAX_ARCHIVE_BYTES:
        raise PassFileError(f"{name}: larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB", code="too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise PassFileError(f"{name}: not a .pkpass (zip) archive", code="not_a_pass") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PassFileError(f"{name}: more than {MAX_ENTRIES} entries", code="too_large")
        collector = _Collector(name)
        total = 0
        for info in infos:
            if _LPROJ_DIR.fullmatch(info.filename) and info.is_dir():
                continue
            _, base = _classify(info.filename, name)
            _check_entry(info, name, _limit_for(base))
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise PassFileError(
                    f"{name}: more than {MAX_TOTAL_BYTES // (1024 * 1024)} MiB unpacked", code="too_large"
                )
        for info in infos:
            if info.is_dir():
                continue
            _, base = _classify(info.filename, name)
            collector.add(info.filename, _read_entry(archive, info, name, _limit_for(base)))
    return collector.package("pkpass")


def _check_entry(info: zipfile.ZipInfo, where: str, limit: int) -> None:
    mode = info.external_attr >> 16
    shown = _shown(info.filename)
    if stat.S_ISLNK(mode):
        raise PassFileError(f"{where}: the entry {shown} is a symbolic link", code="symlink")
    if info.is_dir():
        raise PassFileError(f"{where}: the folder {shown} is not part of a pass", code="unsafe_entry")
    if info.flag_bits & 0x1:
        raise PassFileError(f"{where}: the entry {shown} is encrypted", code="unsafe_entry")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PassFileError(f"{where}: the entry {shown} uses an unsupported compression", code="unsafe_entry")
    if info.file_size > limit:
        raise PassFileError(f"{where}: the entry {shown} is larger than {limit} bytes", code="too_large")
    if info.file_size > _SMALL and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PassFileError(f"{where}: the entry {shown} is compressed like a zip bomb", code="too_large")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, limit: int) -> bytes:
    shown = _shown(info.filename)
    try:
        with archive.open(info) as fh:
            content = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise PassFileError(f"{where}: the entry {shown} is damaged", code="not_a_pass") from exc
    if len(content) > limit or len(content) != info.file_size:
        raise PassFileError(f"{where}: the entry {shown} is not the size it declares", code="too_large")
    return content


def read_pass_folder(path: str | os.PathLike[str]) -> PassPackage:
    """Read an unzipped pass folder (``Coffee.pass/``), refusing symlinks and anything not a pass file."""
    root = Path(path)
    where = root.name or str(root)
    collector = _Collector(where)
    count = 0
    for entry, prefix in _walk(root, where):
        count += 1
        if count > MAX_ENTRIES:
            raise PassFileError(f"{where}: more than {MAX_ENTRIES} files", code="too_large")
        name = prefix + entry.name
        _, base = _classify(name, where)
        collector.add(name, _read_file(entry.path, name, where, _limit_for(base)))
    return collector.package("folder")


def _walk(root: Path, where: str) -> list[tuple[os.DirEntry[str], str]]:
    """Every file of the pass folder with its prefix (``""`` or ``"fr.lproj/"``); never follows a symlink."""
    found: list[tuple[os.DirEntry[str], str]] = []
    for entry in _scan(root, where):
        if entry.is_dir(follow_symlinks=False):
            if not _LPROJ_DIR.fullmatch(entry.name):
                raise PassFileError(
                    f"{where}: the folder {_shown(entry.name)} is not part of a pass", code="unsafe_entry"
                )
            for sub in _scan(Path(entry.path), where, prefix=entry.name + "/"):
                if not sub.is_file(follow_symlinks=False):
                    raise PassFileError(
                        f"{where}: {_shown(entry.name + '/' + sub.name)} is not a file", code="unsafe_entry"
                    )
                found.append((sub, entry.name + "/"))
        else:
            found.append((entry, ""))
    return found


def _scan(folder: Path, where: str, prefix: str = "") -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise PassFileError(f"{where}: cannot read the folder ({exc.strerror or exc})", code="not_a_pass") from exc
    for entry in entries:
        if entry.is_symlink():
            raise PassFileError(f"{where}: {_shown(prefix + entry.name)} is a symbolic link", code="symlink")
        if not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False):
            raise PassFileError(f"{where}: {_shown(prefix + entry.name)} is not a file", code="unsafe_entry")
    return entries


def _read_file(path: str, name: str, where: str, limit: int) -> bytes:
    """Read at most ``limit`` bytes, never through a symlink (``O_NOFOLLOW``)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise PassFileError(f"{where}: cannot read {_shown(name)} ({exc.strerror})", code="not_a_pass") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise PassFileError(f"{where}: {_shown(name)} is not a regular file", code="unsafe_entry")
        content = fh.read(limit + 1)
    if len(content) > limit:
        raise PassFileError(f"{where}: {_shown(name)} is larger than {limit} bytes", code="too_large")
    return content


def read_bounded(path: str | os.PathLike[str], limit: int, *, what: str) -> bytes:
    """The bytes of a file, refusing one over ``limit`` (checked while reading, not only by its size)."""
    try:
        with open(path, "rb") as fh:
            content = fh.read(limit + 1)
    except OSError as exc:
        raise PassFileError(f"{what}: cannot read ({exc.strerror or exc})", code="not_a_pass") from exc
    if len(content) > limit:
        raise PassFileError(f"{what}: larger than {limit // (1024 * 1024)} MiB", code="too_large")
    return content
