"""Build .pkpass archives for the tests, hostile ones too (names, sizes and modes zipfile would not write)."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

from .conftest import EXAMPLES


def folder_files(name: str) -> dict[str, bytes]:
    root = EXAMPLES / name
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def pkpass(files: dict[str, bytes], *, signed: bool = False, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    entries = dict(files)
    if signed:
        manifest = {name: hashlib.sha1(data, usedforsecurity=False).hexdigest() for name, data in entries.items()}
        entries["manifest.json"] = json.dumps(manifest).encode()
        entries["signature"] = b"0\x82\x01\x00 (a PKCS #7 detached signature, not checked)"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_entry(base: bytes, info: zipfile.ZipInfo, data: bytes) -> bytes:
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(info, data)
    return out.getvalue()


def lying_size(files: dict[str, bytes], name: str, declared: int) -> bytes:
    """A zip whose central directory declares ``declared`` bytes for ``name`` (the data is bigger)."""
    data = pkpass(files, compression=zipfile.ZIP_STORED)
    actual = len(files[name])
    # Patch the uncompressed size in the local header and the central directory record of ``name``.
    encoded = name.encode()
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(encoded)] == encoded:
                size_at = start + offset
                assert struct.unpack_from("<I", out, size_at)[0] == actual
                struct.pack_into("<I", out, size_at, declared)
            start += 4
    return bytes(out)


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk claiming ``width`` x ``height`` (no pixels follow)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
