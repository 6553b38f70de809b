"""Reading Apple passes: zip and folder give the same card; hostile archives are refused before harm."""

from __future__ import annotations

import hashlib
import json
import os
import warnings
import zipfile
from pathlib import Path

import pytest

from linkkit.convert import ConvertOptions, convert_apple, read_pass_folder, read_pkpass
from linkkit.convert import pkpass as pkpass_module
from linkkit.convert.sources import convert_pass
from linkkit.errors import JSONInputError, PassFileError

from ._zips import folder_files, lying_size, pkpass, png_header
from .conftest import EXAMPLES, IMAGE_BASE, NOW

APPLE = ["boarding-pass.pass", "event-ticket.pass", "coupon.pass", "store-card.pass", "gift-card.pass", "generic.pass"]
OPTIONS = ConvertOptions(image_base_url=IMAGE_BASE, ref_id="ref-1", clock=lambda: NOW)


@pytest.mark.parametrize("name", APPLE)
def test_a_pkpass_converts_like_its_folder(name: str) -> None:
    folder = convert_apple(read_pass_folder(EXAMPLES / "apple" / name), OPTIONS)
    zipped = convert_apple(read_pkpass(pkpass(folder_files(f"apple/{name}"))), OPTIONS)
    assert zipped.card == folder.card and zipped.report == folder.report
    assert [i.url for i in zipped.images] == [i.url for i in folder.images]


def test_a_signed_pass_reads_and_its_manifest_is_checked() -> None:
    files = folder_files("apple/coupon.pass")
    signed = read_pkpass(pkpass(files, signed=True))
    assert signed.manifest_ok is True and signed.other == ()
    assert convert_apple(signed, OPTIONS).report.warnings == ()
    edited = _signed_then_edited(files, "pass.json", files["pass.json"].replace(b"20% off", b"30% off"))
    package = read_pkpass(edited)
    assert package.manifest_ok is False
    warning = "manifest.json does not match the files of the pass (the pass may have been edited)"
    assert convert_apple(package, OPTIONS).report.warnings == (warning,)


def _signed_then_edited(files: dict[str, bytes], name: str, data: bytes) -> bytes:
    manifest = {n: hashlib.sha1(d, usedforsecurity=False).hexdigest() for n, d in files.items()}
    return pkpass({**files, name: data, "manifest.json": json.dumps(manifest).encode(), "signature": b"sig"})


def _refused(data: bytes, code: str, match: str | None = None) -> PassFileError:
    with pytest.raises(PassFileError, match=match) as info:
        read_pkpass(data, name="hostile.pkpass")
    assert info.value.code == code, info.value
    return info.value


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    import io

    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        with zipfile.ZipFile(out, "w", compression) as archive:
            for info, data in entries:
                archive.writestr(info, data)
    return out.getvalue()


PASS_JSON = (EXAMPLES / "apple" / "coupon.pass" / "pass.json").read_bytes()


@pytest.mark.parametrize(
    "name",
    ["../pass.json", "/etc/passwd", "..\\logo.png", "images/logo.png", "fr.lproj/../../x.png", ".hidden",
     "fr.lproj/sub/logo.png", "C:/logo.png", "logo.png/"],
)  # fmt: skip
def test_unsafe_entry_names_are_refused(name: str) -> None:
    _refused(_zip([("pass.json", PASS_JSON), (name, b"x")]), "unsafe_entry")


def test_a_symlink_entry_is_refused() -> None:
    link = zipfile.ZipInfo("logo.png")
    link.external_attr = 0o120777 << 16
    _refused(_zip([("pass.json", PASS_JSON), (link, b"/etc/passwd")]), "symlink", "symbolic link")


def test_encrypted_and_unknown_compression_are_refused() -> None:
    import bz2

    assert bz2  # the bzip2 codec exists here, so only the rule refuses it
    _refused(_zip([("pass.json", PASS_JSON)], compression=zipfile.ZIP_BZIP2), "unsafe_entry", "compression")
    data = bytearray(_zip([("pass.json", PASS_JSON)], compression=zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1  # the "encrypted" general purpose flag
    _refused(bytes(data), "unsafe_entry", "encrypted")


def test_duplicate_entries_are_refused() -> None:
    _refused(_zip([("pass.json", PASS_JSON), ("pass.json", b'{"formatVersion": 1}')]), "unsafe_entry", "twice")


def test_zip_bombs_are_refused_by_declared_size_and_ratio() -> None:
    _refused(_zip([("pass.json", b" " * (pkpass_module.MAX_PASS_JSON_BYTES + 1))]), "too_large", "larger than")
    _refused(_zip([("pass.json", PASS_JSON), ("logo.png", b"\0" * (1024 * 1024))]), "too_large", "zip bomb")


def test_a_header_that_lies_about_the_size_is_caught_while_reading() -> None:
    files = {"pass.json": PASS_JSON, "logo.png": b"\x89PNG" + b"a" * 5000}
    with pytest.raises(PassFileError) as info:
        read_pkpass(lying_size(files, "logo.png", 100))
    assert info.value.code in ("too_large", "not_a_pass")


def test_too_many_entries_and_too_much_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [("pass.json", PASS_JSON)] + [(f"x{i}.png", b"") for i in range(pkpass_module.MAX_ENTRIES)]
    _refused(_zip(many), "too_large", "entries")
    monkeypatch.setattr(pkpass_module, "MAX_TOTAL_BYTES", 2000)
    _refused(_zip([("pass.json", PASS_JSON), ("notes.txt", os.urandom(1500))]), "too_large", "unpacked")


def test_an_archive_over_the_limit_is_refused_unread() -> None:
    _refused(b"PK\x03\x04" + b"\0" * pkpass_module.MAX_ARCHIVE_BYTES, "too_large", "MiB")


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (png_header(100_000, 100_000), "too_large"),
        (png_header(5000, 10), "too_large"),
        (b"\xff\xd8\xff\xe0 a JPEG", "bad_image"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage", "bad_image"),
    ],
)
def test_images_must_be_sane_pngs(image: bytes, code: str) -> None:
    _refused(_zip([("pass.json", PASS_JSON), ("logo@2x.png", image)]), code)


@pytest.mark.parametrize(
    ("pass_json", "code"),
    [(b"{not json", "invalid"), (b'{"a": 1, "a": 2}', "invalid"), (b"[" * 100 + b"]" * 100, "too_deep"),
     (b"\xff\xfe", "not_utf8"), (b"[1, 2]", "invalid")],
)  # fmt: skip
def test_bad_json_is_a_clear_error(pass_json: bytes, code: str) -> None:
    with pytest.raises(JSONInputError) as info:
        read_pkpass(_zip([("pass.json", pass_json)]))
    assert info.value.code == code and "pass.json" in str(info.value)


def test_not_a_pass() -> None:
    _refused(b"hello", "not_a_pass", "not a .pkpass")
    _refused(_zip([("logo.png", png_header(10, 10))]), "not_a_pass", "no pass.json")
    with pytest.raises(PassFileError, match="exactly one"):
        convert_pass({"formatVersion": 1, "coupon": {}, "generic": {}})


def test_bad_strings_name_the_file_and_line() -> None:
    data = _zip([("pass.json", PASS_JSON), ("fr.lproj/pass.strings", b'"A" = "B";\n"C" = ;')])
    error = _refused(data, "bad_strings")
    assert "fr.lproj/pass.strings: line 2" in str(error)


def test_a_folder_refuses_symlinks_and_strays(tmp_path: Path) -> None:
    folder = tmp_path / "Coffee.pass"
    folder.mkdir()
    (folder / "pass.json").write_bytes(PASS_JSON)
    (folder / "logo.png").symlink_to("/etc/passwd")
    with pytest.raises(PassFileError) as info:
        read_pass_folder(folder)
    assert info.value.code == "symlink"
    (folder / "logo.png").unlink()
    (folder / "fr.lproj").symlink_to(tmp_path)
    with pytest.raises(PassFileError, match="symbolic link"):
        read_pass_folder(folder)
    (folder / "fr.lproj").unlink()
    (folder / "nested").mkdir()
    with pytest.raises(PassFileError, match="not part of a pass"):
        read_pass_folder(folder)
    (folder / "nested").rmdir()
    (folder / "fr.lproj").mkdir()
    (folder / "fr.lproj" / "deeper").mkdir()
    with pytest.raises(PassFileError, match="not a file"):
        read_pass_folder(folder)
